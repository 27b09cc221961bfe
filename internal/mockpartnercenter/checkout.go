package mockpartnercenter

import (
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

const RouteCheckout Route = "checkout_cart" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteCheckout, "POST " + customerPattern + "/carts/{cartID}/checkout", exampleCustomer + "/carts/" + exampleUnknownID + "/checkout", (*Server).serveCheckout})

// checkoutResult is the CartCheckoutResult of "Checkout a cart".
type checkoutResult struct {
	Orders      []orderDoc   `json:"orders"`
	OrderErrors []orderError `json:"orderErrors"`
}

type orderError struct {
	OrderGroupID string `json:"orderGroupId"`
	Code         int    `json:"code"`
	Description  string `json:"description"`
}

// serveCheckout answers POST /v1/customers/{customerID}/carts/{cartID}/checkout.
// Checkout is idempotent per cart: checking out a cart again answers the
// first checkout's result and buys nothing.
func (s *Server) serveCheckout(w http.ResponseWriter, r *http.Request) {
	customerID, cartID := r.PathValue("customerID"), strings.ToLower(r.PathValue("cartID"))
	s.answerCustomer(w, r, customerID, true, routeFaults{}, func() answer { return s.checkoutLocked(customerID, cartID) })
}

// checkoutLocked buys a cart's valid lines as one order. A refusal (13605,
// 400019) leaves the cart as it was, so it can be checked out once the
// cause is gone.
func (s *Server) checkoutLocked(customerID, cartID string) answer {
	key := customerKey(customerID)
	c, ok := s.commerce.carts[commerceKey(customerID, cartID)]
	switch {
	case !ok:
		return notFoundFor("Cart", cartID, customerID)
	case s.commerce.checkoutConflicts[key] > 0:
		s.commerce.checkoutConflicts[key]--
		return pcErrorAnswer(http.StatusConflict, pcCodeCartInProcess,
			"Cart "+sanitize(cartID)+" is being processed by another request. Please try again later.")
	case c.checkout != nil && s.commerce.submittedCartRefused[key]:
		return pcErrorAnswer(http.StatusConflict, pcCodeCartSubmitted, "Cart "+sanitize(cartID)+" has already been submitted.")
	case c.checkout != nil:
		return *c.checkout
	case s.commerce.withoutAgreement[key]:
		return pcErrorAnswer(http.StatusBadRequest, pcCodeNoCustomerAgreement,
			"Customer "+sanitize(customerID)+" has not accepted the Microsoft Customer Agreement; the purchase needs its acceptance first.")
	}
	var lines []cartLineItem
	result := checkoutResult{Orders: []orderDoc{}, OrderErrors: []orderError{}}
	for _, line := range c.doc.LineItems {
		if line.Error != nil {
			result.OrderErrors = append(result.OrderErrors, orderError{line.OrderGroup, line.Error.ErrorCode, line.Error.ErrorDescription})
			continue
		}
		item, _ := s.catalogItemLocked(line.CatalogItemID)
		if !s.offeredLocked(item) {
			return pcErrorAnswer(http.StatusBadRequest, pcCodeStaleAvailability,
				"The availability of catalog item "+sanitize(line.CatalogItemID)+" is no longer offered; look the SKU's availabilities up again.")
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		o := s.placeOrderLocked(customerID, lines)
		result.Orders = append(result.Orders, o.render(false))
		s.commerce.purchases[key]++
	}
	done := jsonAnswer(http.StatusCreated, result)
	c.checkout = &done
	c.doc.Status = "Ordered"
	c.doc.LastModifiedTimestamp = time.Now().UTC().Format(pcTimeLayout)
	return done
}

// placeOrderLocked creates the order of a cart's lines and, for each line,
// the subscription the order will name once it completes.
func (s *Server) placeOrderLocked(customerID string, lines []cartLineItem) *order {
	// Order ids are twelve hex digits, as the service's are.
	id := strings.ReplaceAll(uuid.NewString(), "-", "")[:12]
	now := time.Now().UTC()
	self := "/customers/" + customerID + "/orders/" + id
	doc := orderDoc{
		ID: id, AlternateID: id, ReferenceCustomerID: customerID,
		BillingCycle: lines[0].BillingCycle, CurrencyCode: "USD", CurrencySymbol: "US$",
		CreationDate: now.Format(pcTimeLayout), TransactionType: "UserPurchase",
		Links: orderLinks{
			Self:               link{URI: self, Method: http.MethodGet, Headers: []keyValue{}},
			ProvisioningStatus: link{URI: self + "/provisioningstatus", Method: http.MethodGet, Headers: []keyValue{}},
			PatchOperation:     link{URI: self, Method: http.MethodPatch, Headers: []keyValue{}},
		},
		Client:     struct{}{},
		Attributes: objectType{ObjectType: "Order"},
	}
	o := &order{}
	for i, line := range lines {
		item, _ := s.catalogItemLocked(line.CatalogItemID)
		if term := s.commerce.purchasedTerms[customerKey(customerID)]; term != "" {
			line.TermDuration = term
		}
		name := line.FriendlyName
		if name == "" {
			name = item.title
		}
		sub := newPurchasedSubscription(customerID, id, item, line, name, now)
		o.subscriptions = append(o.subscriptions, sub)
		doc.LineItems = append(doc.LineItems, orderLineItem{
			LineItemNumber: i, OfferID: item.id(), SubscriptionID: sub.id(), TermDuration: line.TermDuration,
			TransactionType: "New", FriendlyName: name, Quantity: line.Quantity, Pricing: *line.Pricing,
			Links: productLinks{Product: link{URI: "/products/" + item.productID + "?country=US", Method: http.MethodGet, Headers: []keyValue{}}},
		})
		doc.TotalPrice += line.Pricing.ExtendedPrice
	}
	doc.TotalPrice = math.Round(doc.TotalPrice*100) / 100
	o.doc = doc
	if lag := s.opts.PurchaseListLag; lag > 0 {
		o.unlistedReads = lag
		for _, sub := range o.subscriptions {
			s.commerce.unlistedSubscriptions[sub.id()] = lag
		}
	}
	s.commerce.orders[commerceKey(customerID, id)] = o
	return o
}
