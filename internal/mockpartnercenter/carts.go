package mockpartnercenter

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The routes of this file, counted under these names.
const (
	RouteCreateCart Route = "create_cart"
	RouteGetCart    Route = "get_cart"
)

var _ = declareRoutes(
	apiRoute{RouteCreateCart, "POST " + customerPattern + "/carts", exampleCustomer + "/carts", (*Server).serveCreateCart},
	apiRoute{RouteGetCart, "GET " + customerPattern + "/carts/{cartID}", exampleCustomer + "/carts/" + exampleUnknownID, (*Server).serveGetCart},
)

// pcTimeLayout is how Partner Center writes commerce timestamps: UTC with
// seven fractional digits.
const pcTimeLayout = "2006-01-02T15:04:05.0000000Z07:00"

// cartLifetime is how long a cart can be checked out after its creation.
const cartLifetime = 7 * 24 * time.Hour

// cartRequest is the body of "Create a cart". Go's decoder matches keys
// ignoring letter case, so the documentation's PascalCase also works.
type cartRequest struct {
	LineItems []struct {
		CatalogItemID     string `json:"catalogItemId"`
		Quantity          int    `json:"quantity"`
		TermDuration      string `json:"termDuration"`
		BillingCycle      string `json:"billingCycle"`
		FriendlyName      string `json:"friendlyName"`
		CustomTermEndDate string `json:"customTermEndDate"` // a date "Get custom term end dates" allows
	} `json:"lineItems"`
}

// cartDoc is the Cart resource, in the documented field order.
type cartDoc struct {
	ID                    string         `json:"id"`
	CreationTimestamp     string         `json:"creationTimestamp"`
	LastModifiedTimestamp string         `json:"lastModifiedTimestamp"`
	ExpirationTimestamp   string         `json:"expirationTimestamp"`
	LastModifiedUser      string         `json:"lastModifiedUser"`
	Status                string         `json:"status"`
	LineItems             []cartLineItem `json:"lineItems"`
	Links                 map[string]any `json:"links"`
	Attributes            objectType     `json:"attributes"`
}

type cartLineItem struct {
	ID                  int               `json:"id"`
	CatalogItemID       string            `json:"catalogItemId"`
	FriendlyName        string            `json:"friendlyName,omitempty"`
	Quantity            int               `json:"quantity"`
	CurrencyCode        string            `json:"currencyCode"`
	BillingCycle        string            `json:"billingCycle"`
	TermDuration        string            `json:"termDuration"`
	CustomTermEndDate   string            `json:"customTermEndDate,omitempty"`
	ProvisioningContext map[string]string `json:"provisioningContext"`
	OrderGroup          string            `json:"orderGroup"`
	Pricing             *linePricing      `json:"pricing,omitempty"`
	Error               *lineItemError    `json:"error,omitempty"`
}

type linePricing struct {
	ListPrice       float64 `json:"listPrice"`
	DiscountedPrice float64 `json:"discountedPrice"`
	ProratedPrice   float64 `json:"proratedPrice"`
	Price           float64 `json:"price"`
	ExtendedPrice   float64 `json:"extendedPrice"`
}

// lineItemError is how a cart reports a line it cannot sell, inside the
// cart rather than as the request's error.
type lineItemError struct {
	ErrorCode        int    `json:"errorCode"`
	ErrorDescription string `json:"errorDescription"`
}

// cart is a stored cart; checkout holds the first checkout's answer, which
// a repeated checkout returns.
type cart struct {
	doc      cartDoc
	checkout *answer
}

// serveCreateCart answers POST /v1/customers/{customerID}/carts.
func (s *Server) serveCreateCart(w http.ResponseWriter, r *http.Request) {
	customerID := r.PathValue("customerID")
	var req cartRequest
	const invalid = "The cart must be a JSON object with at least one line item."
	if !decodeWriteBody(w, r, maxWriteBody, &req, invalid) {
		return
	}
	if len(req.LineItems) == 0 {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, invalid)
		return
	}
	for _, line := range req.LineItems {
		if line.Quantity < 1 {
			writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The quantity of catalog item "+sanitize(line.CatalogItemID)+" must be at least 1.")
			return
		}
	}
	s.answerCustomer(w, r, customerID, true, routeFaults{}, func() answer { return s.createCartLocked(customerID, req) })
}

// createCartLocked stores a new cart priced from the catalog.
func (s *Server) createCartLocked(customerID string, req cartRequest) answer {
	now := time.Now().UTC()
	id := uuid.NewString()
	doc := cartDoc{
		ID:                    id,
		CreationTimestamp:     now.Format(pcTimeLayout),
		LastModifiedTimestamp: now.Format(pcTimeLayout),
		ExpirationTimestamp:   now.Add(cartLifetime).Format(pcTimeLayout),
		LastModifiedUser:      s.opts.ClientID,
		Status:                "Active",
		Links:                 selfLink("/customers/" + customerID + "/carts/" + id),
		Attributes:            objectType{ObjectType: "Cart"},
	}
	for i, line := range req.LineItems {
		item := cartLineItem{
			ID: i, CatalogItemID: line.CatalogItemID, FriendlyName: line.FriendlyName, Quantity: line.Quantity,
			CurrencyCode: "USD", BillingCycle: strings.ToLower(line.BillingCycle), TermDuration: strings.ToUpper(line.TermDuration),
			ProvisioningContext: map[string]string{}, OrderGroup: "0",
		}
		if day, ok := parseDay(line.CustomTermEndDate); line.CustomTermEndDate != "" {
			if !ok || !slices.ContainsFunc(s.customTermEndDatesLocked(customerID, item.TermDuration, today(), ""), func(d endDate) bool {
				return strings.HasPrefix(d.Date, day.Format(time.DateOnly))
			}) { // no page gives this refusal a code: the request's 400 says why
				return pcErrorAnswer(http.StatusBadRequest, pcCodeInvalidInput, "The custom term end date "+sanitize(line.CustomTermEndDate)+
					" is not one Get custom term end dates allows for a "+sanitize(item.TermDuration)+" term bought today.")
			}
			item.CustomTermEndDate = day.Format(time.RFC3339)
		}
		catalogItem, known := s.catalogItemLocked(line.CatalogItemID)
		term, offered := catalogItem.term(line.TermDuration, line.BillingCycle)
		switch {
		case !known || !s.offeredLocked(catalogItem):
			item.Error = &lineItemError{pcCodeInvalidCatalogItem, "The catalog item " + sanitize(line.CatalogItemID) + " is not valid."}
		case !offered:
			item.Error = &lineItemError{pcCodeInvalidCatalogItem, "The catalog item " + sanitize(line.CatalogItemID) +
				" is not offered on term " + sanitize(line.TermDuration) + " billed " + sanitize(line.BillingCycle) + "."}
		case line.Quantity > catalogItem.maxQuantity:
			item.Error = &lineItemError{pcCodeTooManySeats, "The quantity exceeds the maximum of " + strconv.Itoa(catalogItem.maxQuantity) + " seats for this offer."}
		default:
			item.Pricing = priceOf(term, line.Quantity)
		}
		doc.LineItems = append(doc.LineItems, item)
	}
	s.commerce.carts[commerceKey(customerID, id)] = &cart{doc: doc}
	return jsonAnswer(http.StatusCreated, doc)
}

// priceOf prices quantity seats on term: the unit price per month, the
// extended price for the whole term.
func priceOf(term catalogTerm, quantity int) *linePricing {
	extended := math.Round(term.monthlyPrice*float64(quantity*termMonths(term.duration))*100) / 100
	p := term.monthlyPrice
	return &linePricing{ListPrice: p, DiscountedPrice: p, ProratedPrice: p, Price: p, ExtendedPrice: extended}
}

// serveGetCart answers GET /v1/customers/{customerID}/carts/{cartID}.
func (s *Server) serveGetCart(w http.ResponseWriter, r *http.Request) {
	customerID, cartID := r.PathValue("customerID"), r.PathValue("cartID")
	read := func() answer {
		if c, ok := s.commerce.carts[commerceKey(customerID, strings.ToLower(cartID))]; ok {
			return jsonAnswer(http.StatusOK, c.doc)
		}
		return notFoundFor("Cart", cartID, customerID)
	}
	body := func() []byte {
		s.mu.Lock()
		defer s.mu.Unlock()
		return read().body
	}
	s.answerCustomer(w, r, customerID, false, routeFaults{body: body, notFound: writeNotFound}, read)
}

// notFoundFor is the 404 for a customer's object that does not exist.
func notFoundFor(kind, id, customerID string) answer {
	return pcErrorAnswer(http.StatusNotFound, pcCodeNotFound, kind+" "+sanitize(id)+" was not found for customer "+sanitize(customerID)+".")
}
