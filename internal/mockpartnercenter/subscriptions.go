package mockpartnercenter

import (
	"encoding/json"
	"html"
	"net/http"
	"slices"
	"strings"
)

// The routes of this file, counted under these names.
const (
	RouteListSubscriptions Route = "list_subscriptions"
	RouteGetSubscription   Route = "get_subscription"
	RouteAzureEntitlements Route = "azure_entitlements"
)

var _ = declareRoutes(
	apiRoute{RouteListSubscriptions, "GET " + customerPattern + "/subscriptions", exampleCustomer + "/subscriptions", (*Server).serveListSubscriptions},
	apiRoute{RouteGetSubscription, "GET " + subscriptionPattern, exampleSubscription, (*Server).serveGetSubscription},
	apiRoute{RouteAzureEntitlements, "GET " + subscriptionPattern + "/azureEntitlements", exampleSubscription + "/azureEntitlements", (*Server).serveAzureEntitlements},
	apiRoute{RouteAzureEntitlements, "GET " + subscriptionPattern + "/azureentitlements", exampleSubscription + "/azureentitlements", (*Server).serveAzureEntitlements},
)

// Partner Center error codes of the subscription routes, as documented: a
// subscription that is not the customer's, and Azure entitlements asked of a
// subscription that is not an Azure plan.
const (
	pcCodeSubscriptionNotFound = 20003
	pcCodeNotAzurePlan         = 800011
)

// checkIDs answers 400 for ids that are not GUIDs, as get-by-id does.
func checkIDs(w http.ResponseWriter, customerID, subscriptionID string) bool {
	if !isGUID(customerID) {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidID, "The customer tenant id &#39;"+html.EscapeString(sanitize(customerID))+"&#39; is not a valid GUID.")
		return false
	}
	if subscriptionID != "" && !isGUID(subscriptionID) {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidID, "The subscription id &#39;"+html.EscapeString(sanitize(subscriptionID))+"&#39; is not a valid GUID.")
		return false
	}
	return true
}

// serveListSubscriptions answers GET /v1/customers/{customerID}/subscriptions.
// The documentation shows the collection in one piece; with
// Options.SubscriptionPageSize set the mock pages it the way the customer
// list is paged.
func (s *Server) serveListSubscriptions(w http.ResponseWriter, r *http.Request) {
	customerID := r.PathValue("customerID")
	if orderID := r.URL.Query().Get("order_id"); orderID != "" {
		s.serveSubscriptionsOfOrder(w, r, customerID, orderID)
		return
	}
	offset, ok := s.subscriptionOffset(w, r)
	if !ok {
		return
	}
	page := func() []byte { return s.subscriptionPage(customerID, offset) }
	if s.applyFault(w, r, customerID, routeFaults{body: page, notFound: writeNotFound}) {
		return
	}
	body := page()
	if body == nil {
		writeNoSuchCustomer(w, customerID)
		return
	}
	writeRawJSON(w, http.StatusOK, body)
}

// subscriptionOffset reads the continuation of a next-page request.
func (s *Server) subscriptionOffset(w http.ResponseWriter, r *http.Request) (int, bool) {
	seek := r.URL.Query().Get("seekOperation")
	switch {
	case seek == "":
		return 0, true
	case !strings.EqualFold(seek, "Next"):
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The seek operation '"+sanitize(seek)+"' is not supported.")
		return 0, false
	}
	st, err := s.decodeContinuation(r.Header.Get("MS-ContinuationToken"))
	if err != nil {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The continuation token is invalid.")
		return 0, false
	}
	return st.Offset, true
}

// subscriptionPage renders the customer's subscriptions from offset, nil
// when the customer does not exist. Next links alternate between the two
// uri forms Partner Center uses, without and with /v1, so that a client
// must handle both.
func (s *Server) subscriptionPage(customerID string, offset int) []byte {
	subs, ok := s.lookupSubscriptions(customerID)
	if !ok {
		return nil
	}
	subs = s.listedSubscriptions(subs, offset == 0)
	items := subs[min(offset, len(subs)):]
	size := s.opts.SubscriptionPageSize
	more := size > 0 && len(items) > size
	if more {
		items = items[:size]
	}
	self := "/customers/" + customerID + "/subscriptions"
	col := newCollection(self, len(items))
	for _, sub := range items {
		col.Items = append(col.Items, sub.body())
	}
	if more {
		uri := self + "?seekOperation=Next"
		if (offset/size)%2 == 1 {
			uri = "/v1" + uri
		}
		tok := s.encodeContinuation(continuation{Offset: offset + size})
		col.Links.Next = &link{URI: uri, Method: http.MethodGet, Headers: []keyValue{{Key: "MS-ContinuationToken", Value: tok}}}
	}
	return mustMarshalCollection(col)
}

// listedSubscriptions leaves out the new subscriptions the list does not
// show yet (Options.PurchaseListLag); a read of the list's first page
// counts as one read of the list.
func (s *Server) listedSubscriptions(subs []*subscription, firstPage bool) []*subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.DeleteFunc(subs, func(sub *subscription) bool {
		n := s.commerce.unlistedSubscriptions[sub.id()]
		if n <= 0 {
			return false
		}
		if firstPage {
			if n == 1 {
				delete(s.commerce.unlistedSubscriptions, sub.id())
			} else {
				s.commerce.unlistedSubscriptions[sub.id()] = n - 1
			}
		}
		return true
	})
}

// serveGetSubscription answers with the subscription.
func (s *Server) serveGetSubscription(w http.ResponseWriter, r *http.Request) {
	s.serveSubscriptionRead(w, r, true, func(sub *subscription) answer {
		return answer{status: http.StatusOK, body: sub.body()}
	})
}

// serveAzureEntitlements answers with the Azure plan's entitlements.
func (s *Server) serveAzureEntitlements(w http.ResponseWriter, r *http.Request) {
	customerID, subscriptionID := r.PathValue("customerID"), r.PathValue("subscriptionID")
	s.serveSubscriptionRead(w, r, false, func(sub *subscription) answer {
		if !sub.azurePlan() {
			return pcErrorAnswer(http.StatusBadRequest, pcCodeNotAzurePlan,
				"Subscription "+sanitize(subscriptionID)+" is not an Azure plan subscription; only an Azure plan has Azure entitlements.")
		}
		col := newCollection("/customers/"+customerID+"/subscriptions/"+subscriptionID+"/azureEntitlements", len(sub.entitlements))
		for _, e := range sub.entitlements {
			raw, _ := marshal(e) // decoded JSON or the mock's strings
			col.Items = append(col.Items, raw)
		}
		return answer{status: http.StatusOK, body: mustMarshalCollection(col)}
	})
}

// serveSubscriptionRead answers a read of one subscription, or of what lies
// below it, with read's answer for the subscription. wrongID lets
// FaultWrongID answer with another of the customer's subscriptions.
func (s *Server) serveSubscriptionRead(w http.ResponseWriter, r *http.Request, wrongID bool, read func(sub *subscription) answer) {
	customerID, subscriptionID := r.PathValue("customerID"), r.PathValue("subscriptionID")
	readLocked := func() answer {
		if _, sub := s.storedSubscriptionLocked(customerID, subscriptionID); sub != nil {
			return read(sub)
		}
		return subscriptionNotFound(customerID, subscriptionID)
	}
	rf := routeFaults{
		body:     func() []byte { return withLock(s, readLocked).body },
		notFound: subscriptionNotFound(customerID, subscriptionID).write,
	}
	if wrongID {
		rf.wrongID = func() []byte { return s.otherSubscriptionBody(customerID, subscriptionID) }
	}
	s.answerCustomer(w, r, customerID, false, rf, readLocked)
}

func subscriptionNotFound(customerID, subscriptionID string) answer {
	return pcErrorAnswer(http.StatusNotFound, pcCodeSubscriptionNotFound,
		"Subscription "+sanitize(subscriptionID)+" was not found for customer "+sanitize(customerID)+".")
}

// otherSubscriptionBody is a subscription of the customer other than
// subscriptionID, for FaultWrongID, or nil when it has no other.
func (s *Server) otherSubscriptionBody(customerID, subscriptionID string) []byte {
	subs, _ := s.lookupSubscriptions(customerID)
	for _, sub := range subs {
		if !strings.EqualFold(sub.id(), subscriptionID) {
			return sub.body()
		}
	}
	return nil
}

// newCollection starts a Collection whose self link is self.
func newCollection(self string, n int) collection {
	return collection{
		TotalCount: n,
		Items:      make([]json.RawMessage, 0, n),
		Links:      collectionLinks{Self: link{URI: self, Method: http.MethodGet, Headers: []keyValue{}}},
		Attributes: objectType{ObjectType: "Collection"},
	}
}

func mustMarshalCollection(col collection) []byte {
	body, err := marshal(col)
	if err != nil {
		return []byte(`{"totalCount":0,"items":[],"attributes":{"objectType":"Collection"}}`)
	}
	return body
}
