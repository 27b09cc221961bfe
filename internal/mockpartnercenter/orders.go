package mockpartnercenter

import (
	"net/http"
	"slices"
	"strings"
)

// The routes of this file, counted under these names.
const (
	RouteListOrders Route = "list_orders"
	RouteGetOrder   Route = "get_order"
)

var _ = declareRoutes(
	apiRoute{RouteListOrders, "GET " + customerPattern + "/orders", exampleCustomer + "/orders", (*Server).serveListOrders},
	apiRoute{RouteGetOrder, "GET " + customerPattern + "/orders/{orderID}", exampleCustomer + "/orders/0123456789ab", (*Server).serveGetOrder},
)

// orderDoc is the Order resource, in the documented field order.
type orderDoc struct {
	ID                  string          `json:"id"`
	AlternateID         string          `json:"alternateId"`
	ReferenceCustomerID string          `json:"referenceCustomerId"`
	BillingCycle        string          `json:"billingCycle"`
	CurrencyCode        string          `json:"currencyCode"`
	CurrencySymbol      string          `json:"currencySymbol"`
	LineItems           []orderLineItem `json:"lineItems"`
	CreationDate        string          `json:"creationDate"`
	Status              string          `json:"status"`
	TransactionType     string          `json:"transactionType"`
	Links               orderLinks      `json:"links"`
	TotalPrice          float64         `json:"totalPrice"`
	Client              struct{}        `json:"client"`
	Attributes          objectType      `json:"attributes"`
}

type orderLineItem struct {
	LineItemNumber  int          `json:"lineItemNumber"`
	OfferID         string       `json:"offerId"`
	SubscriptionID  string       `json:"subscriptionId,omitempty"`
	TermDuration    string       `json:"termDuration"`
	TransactionType string       `json:"transactionType"`
	FriendlyName    string       `json:"friendlyName"`
	Quantity        int          `json:"quantity"`
	Pricing         linePricing  `json:"pricing"`
	Links           productLinks `json:"links"`
}

type orderLinks struct {
	Self               link `json:"self"`
	ProvisioningStatus link `json:"provisioningStatus"`
	PatchOperation     link `json:"patchOperation"`
}

type productLinks struct {
	Product link `json:"product"`
}

// order is a stored order. Its subscriptions exist from checkout on but
// join the customer's subscriptions, and the order names them, only once
// the order has completed.
type order struct {
	doc           orderDoc
	subscriptions []*subscription
	reads         int
	completed     bool
	// unlistedReads is how many more order list reads leave it out.
	unlistedReads int
}

// render is the order as a read shows it: pending orders lack their
// subscription ids.
func (o *order) render(completed bool) orderDoc {
	doc := o.doc
	doc.Status = "completed"
	if !completed {
		doc.Status = "pending"
		doc.LineItems = make([]orderLineItem, len(o.doc.LineItems))
		for i, line := range o.doc.LineItems {
			line.SubscriptionID = ""
			doc.LineItems[i] = line
		}
	}
	return doc
}

// readOrderLocked counts a read of the order (of the order itself or of
// the subscriptions it created) and completes it past the pending reads.
func (s *Server) readOrderLocked(customerID string, o *order) {
	o.reads++
	if o.completed || o.reads <= s.orderPendingReads() {
		return
	}
	o.completed = true
	key := customerKey(customerID)
	s.subscriptions[key] = append(s.subscriptions[key], o.subscriptions...)
}

// findOrderLocked looks an order up, its id compared ignoring letter case.
func (s *Server) findOrderLocked(customerID, orderID string) (*order, bool) {
	o, ok := s.commerce.orders[commerceKey(customerID, strings.ToLower(orderID))]
	return o, ok
}

// serveGetOrder answers GET /v1/customers/{customerID}/orders/{orderID}.
// The first Options.OrderPendingReads reads answer "pending" without
// subscription ids; later ones "completed" with them.
func (s *Server) serveGetOrder(w http.ResponseWriter, r *http.Request) {
	customerID, orderID := r.PathValue("customerID"), r.PathValue("orderID")
	s.answerCustomer(w, r, customerID, false, routeFaults{notFound: writeNotFound}, func() answer {
		o, found := s.findOrderLocked(customerID, orderID)
		if !found {
			return notFoundFor("Order", orderID, customerID)
		}
		s.readOrderLocked(customerID, o)
		return jsonAnswer(http.StatusOK, o.render(o.completed))
	})
}

// serveSubscriptionsOfOrder answers
// GET /v1/customers/{customerID}/subscriptions?order_id={orderID}: the
// order's subscriptions once it has completed, an empty collection before
// (and for an order the mock does not know, as the service's filter would).
// The read counts towards the order's pending reads.
func (s *Server) serveSubscriptionsOfOrder(w http.ResponseWriter, r *http.Request, customerID, orderID string) {
	s.answerCustomer(w, r, customerID, false, routeFaults{notFound: writeNotFound}, func() answer {
		var subs []*subscription
		if o, found := s.findOrderLocked(customerID, orderID); found {
			s.readOrderLocked(customerID, o)
			if o.completed {
				subs = s.currentSubscriptionsLocked(customerID, o.subscriptions)
			}
		}
		col := newCollection("/customers/"+customerID+"/subscriptions?order_id="+orderID, len(subs))
		for _, sub := range subs {
			col.Items = append(col.Items, sub.body())
		}
		return answer{status: http.StatusOK, body: mustMarshalCollection(col)}
	})
}

// currentSubscriptionsLocked returns the stored versions of subs (a PATCH
// replaces a stored subscription), in the order of subs.
func (s *Server) currentSubscriptionsLocked(customerID string, subs []*subscription) []*subscription {
	out := make([]*subscription, 0, len(subs))
	for _, want := range subs {
		for _, stored := range s.subscriptions[customerKey(customerID)] {
			if stored.id() == want.id() {
				out = append(out, stored)
			}
		}
	}
	return out
}

// serveListOrders answers GET /v1/customers/{customerID}/orders: every
// order of the customer, oldest first, each as a read of it would show it
// (pending orders without subscription ids). Listing does not count as a
// read of the orders.
func (s *Server) serveListOrders(w http.ResponseWriter, r *http.Request) {
	customerID := r.PathValue("customerID")
	s.answerCustomer(w, r, customerID, false, routeFaults{notFound: writeNotFound}, func() answer {
		var docs []orderDoc
		prefix := customerKey(customerID) + "/"
		for key, o := range s.commerce.orders {
			if !strings.HasPrefix(key, prefix) {
				continue
			}
			if o.unlistedReads > 0 {
				o.unlistedReads--
				continue
			}
			docs = append(docs, o.render(o.completed))
		}
		slices.SortFunc(docs, func(a, b orderDoc) int { return strings.Compare(a.CreationDate+a.ID, b.CreationDate+b.ID) })
		col := newCollection("/customers/"+customerID+"/orders", len(docs))
		for _, doc := range docs {
			raw, _ := marshal(doc) // strings and numbers only
			col.Items = append(col.Items, raw)
		}
		return answer{status: http.StatusOK, body: mustMarshalCollection(col)}
	})
}
