package mockpartnercenter

import (
	"net/http"
	"testing"
	"time"
)

func TestSubscriptionChangedOutside(t *testing.T) {
	s, ts := newTestServer(t, Options{OrderPendingReads: -1})
	tok := accessToken(t, ts.URL)
	sid := buy(t, ts.URL, tok, DocumentedCustomerID, 2)
	writes := s.WriteRequests()
	bought := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)

	if err := s.AgeSubscription(DocumentedCustomerID, sid, 8*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	aged := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
	for _, field := range subscriptionDateFields {
		was, errWas := time.Parse(time.RFC3339Nano, stringAt(bought, field))
		now, errNow := time.Parse(time.RFC3339Nano, stringAt(aged, field))
		if errWas != nil || errNow != nil || was.Sub(now) != 8*24*time.Hour {
			t.Errorf("%s: %v -> %v, want eight days earlier", field, bought[field], aged[field])
		}
	}
	if windowOpen(stringAt(aged, "cancellationAllowedUntilDate"), time.Now()) || refundableSeats(aged, time.Now()) != 0 || etagOf(aged) != etagOf(bought) {
		t.Errorf("aged subscription %v: want its windows closed and its etag kept", aged)
	}

	if err := s.SetSubscriptionStatus(DocumentedCustomerID, sid, "deleted"); err != nil {
		t.Fatal(err)
	}
	deleted := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
	if deleted["status"] != "deleted" || deleted["autoRenewEnabled"] != false || etagOf(deleted) == etagOf(aged) {
		t.Errorf("after deletion outside: %v", deleted)
	}
	if !s.RemoveSubscription(DocumentedCustomerID, sid) || s.RemoveSubscription(DocumentedCustomerID, sid) {
		t.Error("RemoveSubscription should report the subscription once")
	}
	if resp, _ := apiGet(t, ts.URL, tok, subscriptionsPath(DocumentedCustomerID)+"/"+sid, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("removed subscription read: %d, want 404", resp.StatusCode)
	}
	for _, err := range []error{
		s.AgeSubscription(DocumentedCustomerID, sid, time.Hour),
		s.SetSubscriptionStatus(DocumentedCustomerID, sid, "active"),
	} {
		if err == nil {
			t.Error("a change to a removed subscription succeeded")
		}
	}
	if s.WriteRequests() != writes {
		t.Errorf("changes outside the API counted as %d write requests", s.WriteRequests()-writes)
	}
}

func TestWriteRequestsCountsWritesOnly(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil)
	apiSend(t, http.MethodPost, ts.URL, tok, cartsPath(DocumentedCustomerID), cartBody(businessBasicItem, 1, "P1M", "monthly"), nil)
	apiSend(t, http.MethodPost, ts.URL, tok, cartsPath(DocumentedCustomerID), "not JSON", nil)
	apiSend(t, http.MethodPut, ts.URL, tok, subscriptionsPath(DocumentedCustomerID), "", nil) // 405, still a write attempt
	if s.WriteRequests() != 3 || s.TotalAPIRequests() != 4 {
		t.Errorf("WriteRequests %d of %d API requests, want 3 of 4", s.WriteRequests(), s.TotalAPIRequests())
	}
}
