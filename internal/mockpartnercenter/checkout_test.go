package mockpartnercenter

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCheckoutIsIdempotentPerCart(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	before := len(s.SubscriptionIDs(DocumentedCustomerID))

	c := createCart(t, ts.URL, tok, DocumentedCustomerID, cartBody(businessBasicItem, 3, "P1Y", "monthly"))
	status, first := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, c.ID)
	if status != http.StatusCreated {
		t.Fatalf("checkout: %d %s", status, first)
	}
	status, again := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, c.ID)
	if status != http.StatusCreated || !bytes.Equal(first, again) {
		t.Errorf("second checkout of the cart: %d %s, want the first result %s", status, again, first)
	}
	if got := s.Purchases(DocumentedCustomerID); got != 1 {
		t.Errorf("Purchases = %d after two checkouts of one cart, want 1", got)
	}
	var res testCheckout
	decodeJSON(t, first, &res)
	if len(res.Orders) != 1 || res.Orders[0].Status != "pending" || res.Orders[0].LineItems[0].SubscriptionID != "" {
		t.Errorf("checkout result %s: want one pending order without subscription ids", first)
	}

	resp, out := apiGet(t, ts.URL, tok, cartsPath(DocumentedCustomerID)+"/"+c.ID, nil)
	var read testCart
	decodeJSON(t, out, &read)
	if resp.StatusCode != http.StatusOK || read.Status != "Ordered" {
		t.Errorf("cart after checkout: %d %s", resp.StatusCode, out)
	}

	buy(t, ts.URL, tok, DocumentedCustomerID, 1) // another cart buys again
	if got, subs := s.Purchases(DocumentedCustomerID), len(s.SubscriptionIDs(DocumentedCustomerID)); got != 2 || subs != before+1 {
		t.Errorf("after a second cart: %d purchases, %d subscriptions (was %d); want 2 and one more (the first order is still pending)", got, subs, before)
	}
	if st := s.stats(); st.Purchases[customerKey(DocumentedCustomerID)] != 2 || st.WriteRequests != s.WriteRequests() || st.WriteRequests != 5 {
		t.Errorf("/_mock/stats counts %d purchases and %d writes, want 2 and 5 (2 carts, 3 checkouts)", st.Purchases[customerKey(DocumentedCustomerID)], st.WriteRequests)
	}
}

func TestCheckoutRefusals(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(s *Server)
		cartItem string
		cartID   string // instead of the created cart's
		status   int
		code     float64
	}{
		{"customer without the customer agreement", func(s *Server) { s.SetCustomerAgreement(DocumentedCustomerID, false) }, businessBasicItem, "", http.StatusBadRequest, pcCodeNoCustomerAgreement},
		{"stale availability", func(s *Server) { s.RetireAvailability(businessBasicItem) }, businessBasicItem, "", http.StatusBadRequest, pcCodeStaleAvailability},
		{"unknown cart", func(*Server) {}, businessBasicItem, unknownID, http.StatusNotFound, pcCodeNotFound},
		{"cart being processed", func(s *Server) { s.SetCheckoutConflicts(DocumentedCustomerID, 1) }, businessBasicItem, "", http.StatusConflict, pcCodeCartInProcess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{})
			tok := accessToken(t, ts.URL)
			c := createCart(t, ts.URL, tok, DocumentedCustomerID, cartBody(tt.cartItem, 1, "P1Y", "monthly"))
			tt.setup(s)
			id := c.ID
			if tt.cartID != "" {
				id = tt.cartID
			}
			status, out := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, id)
			if e := pcErrorOf(t, out); status != tt.status || e.Code != tt.code {
				t.Errorf("checkout: %d %s, want %d code %v", status, out, tt.status, tt.code)
			}
			if s.Purchases(DocumentedCustomerID) != 0 || s.Requests(RouteCheckout) != 1 {
				t.Errorf("a refused checkout counted as a purchase (%d) or not as a request (%d)", s.Purchases(DocumentedCustomerID), s.Requests(RouteCheckout))
			}
		})
	}
}

func TestCheckoutAfterAgreementAccepted(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 1})
	tok := accessToken(t, ts.URL)
	customer := GeneratedCustomerID(0)
	s.SetCustomerAgreement(customer, false)
	c := createCart(t, ts.URL, tok, customer, cartBody(businessBasicItem, 1, "P1M", "monthly"))
	if status, _ := checkoutCart(t, ts.URL, tok, customer, c.ID); status != http.StatusBadRequest {
		t.Fatalf("checkout without the agreement: %d", status)
	}
	s.SetCustomerAgreement(customer, true)
	if status, out := checkoutCart(t, ts.URL, tok, customer, c.ID); status != http.StatusCreated {
		t.Errorf("the same cart once accepted: %d %s", status, out)
	}
	if s.Purchases(customer) != 1 || s.Purchases(DocumentedCustomerID) != 0 {
		t.Errorf("purchases counted against the wrong customer")
	}
}

func TestCheckoutConflictsThenBuysOnce(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	c := createCart(t, ts.URL, tok, DocumentedCustomerID, cartBody(businessBasicItem, 1, "P1M", "monthly"))
	s.SetCheckoutConflicts(DocumentedCustomerID, 2)
	for i, want := range []int{http.StatusConflict, http.StatusConflict, http.StatusCreated, http.StatusCreated} {
		if status, out := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, c.ID); status != want {
			t.Errorf("checkout %d: %d %s, want %d", i+1, status, out, want)
		}
	}
	if s.Purchases(DocumentedCustomerID) != 1 || s.Requests(RouteCheckout) != 4 {
		t.Errorf("%d purchases in %d checkouts, want 1 in 4", s.Purchases(DocumentedCustomerID), s.Requests(RouteCheckout))
	}
}

// TestDropConnectionAfterCheckout loses the checkout's answer after the
// order is placed: the client sees the connection close, the purchase is
// made once, and checking out the same cart again returns that order.
func TestDropConnectionAfterCheckout(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	c := createCart(t, ts.URL, tok, DocumentedCustomerID, cartBody(businessBasicItem, 2, "P1Y", "annual"))
	s.SetFault(DocumentedCustomerID, Fault{Kind: FaultDropConnection, Times: 1})

	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, ts.URL+cartsPath(DocumentedCustomerID)+"/"+c.ID+"/checkout", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		t.Fatalf("checkout answered %d %s; want the connection dropped", resp.StatusCode, body)
	}
	if s.Purchases(DocumentedCustomerID) != 1 {
		t.Fatalf("Purchases = %d after the dropped checkout, want 1 (committed)", s.Purchases(DocumentedCustomerID))
	}
	status, out := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, c.ID)
	var res testCheckout
	decodeJSON(t, out, &res)
	if status != http.StatusCreated || len(res.Orders) != 1 || s.Purchases(DocumentedCustomerID) != 1 {
		t.Errorf("retry of the same cart: %d %s, %d purchases; want the committed order and still 1", status, out, s.Purchases(DocumentedCustomerID))
	}
}

func TestOrderStaysPendingForReads(t *testing.T) {
	tests := []struct {
		name         string
		pendingReads int
		wantPending  int
	}{
		{"default", 0, DefaultOrderPendingReads},
		{"one read", 1, 1},
		{"completed at once", -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{OrderPendingReads: tt.pendingReads})
			tok := accessToken(t, ts.URL)
			c := createCart(t, ts.URL, tok, DocumentedCustomerID, cartBody(businessBasicItem, 4, "P1Y", "monthly"))
			_, out := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, c.ID)
			var res testCheckout
			decodeJSON(t, out, &res)
			orderID := res.Orders[0].ID
			before := s.SubscriptionIDs(DocumentedCustomerID)
			for i := range tt.wantPending {
				o := readOrder(t, ts.URL, tok, DocumentedCustomerID, orderID)
				if o.Status != "pending" || o.LineItems[0].SubscriptionID != "" {
					t.Fatalf("read %d: %+v, want pending without a subscription id", i+1, o)
				}
				if len(s.SubscriptionIDs(DocumentedCustomerID)) != len(before) {
					t.Fatalf("read %d: the subscription is listed before the order completed", i+1)
				}
			}
			o := readOrder(t, ts.URL, tok, DocumentedCustomerID, orderID)
			sid := o.LineItems[0].SubscriptionID
			if o.Status != "completed" || sid == "" || !slices.Contains(s.SubscriptionIDs(DocumentedCustomerID), sid) {
				t.Fatalf("read %d: %+v; want completed, naming a listed subscription", tt.wantPending+1, o)
			}
			resp, body := apiGet(t, ts.URL, tok, subscriptionsPath(DocumentedCustomerID)+"/"+sid, nil)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"orderId":"`+orderID+`"`) || !strings.Contains(string(body), `"quantity":4`) {
				t.Errorf("the new subscription: %d %s", resp.StatusCode, body)
			}
			resp, body = apiGet(t, ts.URL, tok, subscriptionsPath(DocumentedCustomerID)+"?order_id="+orderID, nil)
			var col subscriptionCollection
			decodeJSON(t, body, &col)
			if resp.StatusCode != http.StatusOK || col.TotalCount != 1 || !strings.Contains(string(col.Items[0]), sid) {
				t.Errorf("subscriptions of the order: %d %s", resp.StatusCode, body)
			}
		})
	}
}

func TestSubscriptionsOfPendingOrderAreEmpty(t *testing.T) {
	_, ts := newTestServer(t, Options{OrderPendingReads: 2})
	tok := accessToken(t, ts.URL)
	c := createCart(t, ts.URL, tok, DocumentedCustomerID, cartBody(businessBasicItem, 1, "P1M", "monthly"))
	_, out := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, c.ID)
	var res testCheckout
	decodeJSON(t, out, &res)
	path := subscriptionsPath(DocumentedCustomerID) + "?order_id=" + res.Orders[0].ID
	for i, want := range []int{0, 0, 1} { // these reads count towards the order's pending reads
		var col subscriptionCollection
		_, body := apiGet(t, ts.URL, tok, path, nil)
		decodeJSON(t, body, &col)
		if col.TotalCount != want {
			t.Errorf("read %d: %d subscriptions, want %d", i+1, col.TotalCount, want)
		}
	}
}

// TestFaultsAfterCommittedCheckout fails the checkout after the order is
// placed: whatever the client saw, the purchase happened once, and the
// same cart checked out again returns it without buying.
func TestFaultsAfterCommittedCheckout(t *testing.T) {
	tests := []struct {
		name   string
		fault  Fault
		status int // what the client gets, 0 for no answer before its deadline
	}{
		{"gateway error", Fault{Kind: FaultStatusSequence, Statuses: []int{http.StatusBadGateway}, AfterCommit: true}, http.StatusBadGateway},
		{"internal error", Fault{Kind: FaultStatusSequence, Statuses: []int{http.StatusInternalServerError}, AfterCommit: true}, http.StatusInternalServerError},
		{"hang", Fault{Kind: FaultHang, Times: 1, AfterCommit: true}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{})
			tok := accessToken(t, ts.URL)
			c := createCart(t, ts.URL, tok, DocumentedCustomerID, cartBody(businessBasicItem, 1, "P1M", "monthly"))
			s.SetFault(DocumentedCustomerID, tt.fault)
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+cartsPath(DocumentedCustomerID)+"/"+c.ID+"/checkout", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			got := 0
			if resp, err := http.DefaultClient.Do(req); err == nil {
				got = resp.StatusCode
				_ = resp.Body.Close()
			}
			if got != tt.status || s.Purchases(DocumentedCustomerID) != 1 {
				t.Fatalf("checkout answered %d with %d purchases, want %d and 1", got, s.Purchases(DocumentedCustomerID), tt.status)
			}
			if status, out := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, c.ID); status != http.StatusCreated || s.Purchases(DocumentedCustomerID) != 1 {
				t.Errorf("the retry: %d %s with %d purchases, want 201 and still 1", status, out, s.Purchases(DocumentedCustomerID))
			}
		})
	}
}
