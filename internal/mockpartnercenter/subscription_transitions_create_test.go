package mockpartnercenter

import (
	"fmt"
	"net/http"
	"testing"
)

// A transition is checked against the source and its upgrade, recorded in
// progress without an id, and completed by the history's reads or by
// CompleteTransitions: the seats move into a new subscription of the
// target on the source's term and dates, and the source ends once it has
// none left.
func TestCreateTransition(t *testing.T) {
	s, srv := newTestServer(t, Options{})
	token := accessToken(t, srv.URL)
	source := buy(t, srv.URL, token, DocumentedCustomerID, 3)
	path := subscriptionsPath(DocumentedCustomerID) + "/" + source + "/transitions"
	post := func(body string) (int, map[string]any) {
		resp, out := apiSend(t, http.MethodPost, srv.URL, token, path, body, nil)
		var doc map[string]any
		decodeJSON(t, out, &doc)
		return resp.StatusCode, doc
	}
	history := func() []any {
		_, out := apiGet(t, srv.URL, token, path, nil)
		var doc struct{ Transition []any }
		decodeJSON(t, out, &doc)
		return doc.Transition
	}
	const e5 = "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5"
	body := func(target string, quantity int, kind, into string) string {
		return fmt.Sprintf(`{"toCatalogItemId":%q,"quantity":%d,"transitionType":%q,"toSubscriptionId":%q}`, target, quantity, kind, into)
	}
	for name, refused := range map[string]string{
		"no upgrade path":      body(businessBasicItem, 1, "transition_only", ""),
		"no seat":              body(e5, 0, "transition_only", ""),
		"more seats than held": body(e5, 4, "transition_only", ""),
		"unknown type":         body(e5, 1, "upgrade", ""),
		"unknown target":       body(e5, 1, "transition_only", "00000000-0000-0000-0000-000000000000"),
	} {
		if status, doc := post(refused); status != http.StatusBadRequest {
			t.Errorf("%s: %d %v, want 400", name, status, doc)
		}
	}
	if got := history(); len(got) != 0 {
		t.Fatalf("refused transitions recorded: %v", got)
	}
	status, started := post(body(e5, 2, "transition_with_license_transfer", ""))
	events, _ := started["events"].([]any)
	first, _ := events[0].(map[string]any)
	if status != http.StatusOK || len(events) != 1 || first["name"] != "Conversion" || first["status"] != "InProgress" ||
		started["id"] != nil || started["fromSubscriptionId"] != source || started["quantity"] != 2.0 {
		t.Fatalf("transition: %d %v", status, started)
	}
	target, _ := started["toSubscriptionId"].(string)
	for read, want := range []int{1, 3} { // the licence transfer adds a SeatReassignment event
		got, _ := history()[0].(map[string]any)["events"].([]any)
		if len(got) != want {
			t.Fatalf("read %d of the history shows %d events, want %d: %v", read+1, len(got), want, got)
		}
	}
	src, moved := readSubscription(t, srv.URL, token, DocumentedCustomerID, source), readSubscription(t, srv.URL, token, DocumentedCustomerID, target)
	if src["quantity"] != 1.0 || src["status"] != "active" || moved["quantity"] != 2.0 || moved["offerId"] != e5 ||
		moved["commitmentEndDate"] != src["commitmentEndDate"] || moved["termDuration"] != "P1Y" || moved["status"] != "active" {
		t.Errorf("after the partial upgrade: source %v, target %v", src, moved)
	}
	// The target is still within its cancellation window: not a subscription
	// a transition can go into.
	if status, doc := post(body(e5, 1, "transition_only", target)); status != http.StatusBadRequest {
		t.Errorf("into a new subscription: %d %v, want 400", status, doc)
	}
	s.SetFailedOperations(DocumentedCustomerID, 1)
	if status, _ := post(body(e5, 1, "transition_only", "")); status != http.StatusOK {
		t.Fatalf("the failing transition was refused: %d", status)
	}
	history()
	failed, _ := history()[1].(map[string]any)["events"].([]any)
	if last, _ := failed[len(failed)-1].(map[string]any); last["status"] != "Failed" {
		t.Errorf("the switched transition ended %v", failed)
	}
	if post(body(e5, 1, "transition_only", "")); len(history()) != 3 {
		t.Fatal("the last transition was not recorded")
	}
	s.CompleteTransitions(DocumentedCustomerID) // no read of the history
	if src := readSubscription(t, srv.URL, token, DocumentedCustomerID, source); src["quantity"] != 0.0 || src["status"] != "expired" {
		t.Errorf("the emptied source: quantity %v, status %v", src["quantity"], src["status"])
	}
}
