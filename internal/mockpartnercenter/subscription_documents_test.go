package mockpartnercenter

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// Subscriptions hands out what a read would answer, changes outside the API
// included, and counts no request.
func TestSubscriptionsAsServed(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 4})
	customer := GeneratedCustomerID(3) // a suspended licence and an Azure plan
	tok := accessToken(t, ts.URL)
	ids := s.SubscriptionIDs(customer)
	if err := s.SetSubscriptionStatus(customer, ids[0], "active"); err != nil {
		t.Fatal(err)
	}
	requests := s.TotalAPIRequests()
	docs := s.Subscriptions(customer)
	if s.TotalAPIRequests() != requests || len(docs) != len(ids) {
		t.Fatalf("%d documents for %d subscriptions, %d requests counted", len(docs), len(ids), s.TotalAPIRequests()-requests)
	}
	for i, id := range ids {
		resp, body := apiGet(t, ts.URL, tok, subscriptionsPath(customer)+"/"+id, nil)
		var served, handed bytes.Buffer
		if resp.StatusCode != http.StatusOK || json.Compact(&served, body) != nil || json.Compact(&handed, docs[i]) != nil ||
			served.String() != handed.String() {
			t.Errorf("subscription %s: served %d %s, handed out %s", id, resp.StatusCode, body, docs[i])
		}
	}
	var first struct{ Status string }
	if err := json.Unmarshal(docs[0], &first); err != nil || first.Status != "active" {
		t.Errorf("the status set outside the API is not in %s", docs[0])
	}
	if docs := s.Subscriptions(NonCustomerTenantID); len(docs) != 0 {
		t.Errorf("documents for a tenant that is no customer: %s", docs)
	}
}
