package partnercenter

import (
	"net/http"
	"testing"
)

// The documented answer decodes: both targets, their transition types and
// the subscriptions the first could go into, codes sent as numbers kept as
// text.
func TestListTransitionEligibilities_documentedAnswer(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, http.StatusOK, fixture(t, "transition-eligibilities.json"))
	}))
	items, err := env.client.ListTransitionEligibilities(t.Context(), "c1", "s1", "immediate")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || *items[0].CatalogItemID != "CFQ7TTC0KZCR:0001:CFQ7TTC0K71H" || *items[0].Quantity != 1 {
		t.Fatalf("items %+v", items)
	}
	refused := items[0].Eligibilities[1]
	if *refused.TransitionType != "transition_with_license_transfer" || *refused.IsEligible || refused.Errors[0].Code != "3" {
		t.Errorf("second transition type %+v", refused)
	}
	into := items[0].SubscriptionEligibilities
	if len(into) != 2 || *into[1].SubscriptionID != "151467a1-4246-4a00-da7b-3405463d9b78" || *into[1].SubscriptionTermDuration != "P1Y" ||
		into[0].Errors[0].Code != "3" {
		t.Errorf("subscriptions %+v", into)
	}
	if items[1].SubscriptionEligibilities != nil {
		t.Errorf("the second target lists subscriptions %+v, the answer none", items[1].SubscriptionEligibilities)
	}
	if r := rec.all()[0]; r.path != "/v1/customers/c1/subscriptions/s1/transitionEligibilities" || r.query != "eligibilityType=immediate" {
		t.Errorf("request %s?%s", r.path, r.query)
	}
}
