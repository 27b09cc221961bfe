package mockpartnercenter

import (
	"net/http"
	"strings"
)

const RouteAvailabilities Route = "list_availabilities" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteAvailabilities, "GET /v1/products/{productID}/skus/{skuID}/availabilities", "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities", (*Server).serveAvailabilities})

// catalogItem is one availability of a new-commerce SKU: what a cart line
// names by its catalog item id, "{productId}:{skuId}:{availabilityId}".
type catalogItem struct {
	productID, skuID, availabilityID string
	title                            string
	maxQuantity                      int
	terms                            []catalogTerm
}

// catalogTerm is a term and billing cycle an availability can be bought
// on, with the price of one seat for one month.
type catalogTerm struct {
	duration, billingCycle string
	monthlyPrice           float64
}

func (c catalogItem) id() string { return c.productID + ":" + c.skuID + ":" + c.availabilityID }

// term finds the item's term for a duration and billing cycle, compared
// ignoring letter case as the service does ("Monthly" and "monthly").
func (c catalogItem) term(duration, billingCycle string) (catalogTerm, bool) {
	for _, t := range c.terms {
		if strings.EqualFold(t.duration, duration) && strings.EqualFold(t.billingCycle, billingCycle) {
			return t, true
		}
	}
	return catalogTerm{}, false
}

// termMonths is the length of a term in months, for prices and
// commitment end dates.
func termMonths(duration string) int {
	switch strings.ToUpper(duration) {
	case "P1Y":
		return 12
	case "P3Y":
		return 36
	}
	return 1
}

// catalog holds the SKUs of the commerce fixtures: Microsoft 365 Business
// Basic (the subscription sample's offer) and the two Office 365 E5
// availabilities of the cart and checkout samples, priced as the samples
// price them where they show a price.
var catalog = []catalogItem{
	{
		productID: "CFQ7TTC0LH18", skuID: "0001", availabilityID: "CFQ7TTC0K971",
		title: "Microsoft 365 Business Basic", maxQuantity: 300,
		terms: []catalogTerm{
			{"P1M", "monthly", 7.2},
			{"P1Y", "monthly", 6},
			{"P1Y", "annual", 6},
			{"P3Y", "annual", 6},
			{"P3Y", "triennial", 6},
		},
	},
	{
		productID: "CFQ7TTC0LF8S", skuID: "0001", availabilityID: "CFQ7TTC0VZW5",
		title: "Office 365 E5 without Audio Conferencing", maxQuantity: 5000,
		terms: []catalogTerm{
			{"P1Y", "monthly", 30.4},
			{"P1Y", "annual", 30.4},
			{"P3Y", "annual", 30.4},
		},
	},
	{
		productID: "CFQ7TTC0LF8S", skuID: "0001", availabilityID: "CFQ7TTC0N81H",
		title: "Office 365 E5 without Audio Conferencing", maxQuantity: 5000,
		terms: []catalogTerm{{"P1M", "monthly", 36.48}},
	},
}

// catalogItemLocked returns the item a catalog item id names, whether
// still offered or retired (RetireAvailability), ids compared ignoring
// letter case.
func (s *Server) catalogItemLocked(catalogItemID string) (catalogItem, bool) {
	for _, item := range catalog {
		if strings.EqualFold(item.id(), catalogItemID) {
			return item, true
		}
	}
	for old, replacement := range s.commerce.retired {
		if strings.EqualFold(replacement, catalogItemID) {
			item, ok := s.catalogItemLocked(old)
			item.availabilityID = replacement[strings.LastIndexByte(replacement, ':')+1:]
			return item, ok
		}
	}
	return catalogItem{}, false
}

// offeredLocked reports whether a known catalog item is still offered.
func (s *Server) offeredLocked(item catalogItem) bool {
	_, retired := s.commerce.retired[item.id()]
	return !retired
}

// serveAvailabilities answers
// GET /v1/products/{productID}/skus/{skuID}/availabilities?country={cc}
// with the SKU's availabilities still offered.
func (s *Server) serveAvailabilities(w http.ResponseWriter, r *http.Request) {
	productID, skuID := r.PathValue("productID"), r.PathValue("skuID")
	country := r.URL.Query().Get("country")
	if len(country) != 2 {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The country must be a two-letter ISO code.")
		return
	}
	body := func() []byte { return s.availabilitiesBody(productID, skuID, strings.ToUpper(country)) }
	if s.applyFault(w, r, "", routeFaults{body: body, notFound: writeNotFound}) {
		return
	}
	if out := body(); out != nil {
		writeRawJSON(w, http.StatusOK, out)
		return
	}
	writeNotFound(w)
}

// availabilitiesBody renders the collection, nil for an unknown SKU.
func (s *Server) availabilitiesBody(productID, skuID, country string) []byte {
	s.mu.Lock()
	var offered []catalogItem
	known := false
	for _, item := range catalog {
		if !strings.EqualFold(item.productID, productID) || !strings.EqualFold(item.skuID, skuID) {
			continue
		}
		known = true
		for !s.offeredLocked(item) {
			item, _ = s.catalogItemLocked(s.commerce.retired[item.id()])
		}
		offered = append(offered, item)
	}
	s.mu.Unlock()
	if !known {
		return nil
	}
	self := "/products/" + productID + "/skus/" + skuID + "/availabilities?country=" + country
	col := newCollection(self, len(offered))
	for _, item := range offered {
		var terms []map[string]string
		for _, t := range item.terms {
			terms = append(terms, map[string]string{"duration": t.duration, "billingCycle": t.billingCycle})
		}
		// The Availability resource, as far as a purchase needs it.
		raw, err := marshal(map[string]any{
			"id": item.availabilityID, "productId": item.productID, "skuId": item.skuID, "catalogItemId": item.id(),
			"defaultCurrency": map[string]string{"code": "USD", "symbol": "$"}, "segment": "commercial", "country": country,
			"isPurchasable": true, "isRenewable": true,
			"product": map[string]any{"id": item.productID, "title": item.title,
				"productType": map[string]string{"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"}},
			"sku": map[string]any{"id": item.skuID, "productId": item.productID, "title": item.title,
				"minimumQuantity": 1, "maximumQuantity": item.maxQuantity},
			"terms":      terms,
			"links":      selfLink("/products/" + item.productID + "/skus/" + item.skuID + "/availabilities/" + item.availabilityID + "?country=" + country),
			"attributes": map[string]string{"objectType": "Availability"},
		})
		if err != nil {
			continue // cannot happen: plain strings, numbers and bools
		}
		col.Items = append(col.Items, raw)
	}
	return mustMarshalCollection(col)
}
