package mockpartnercenter

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestBillingProfileUpdateWithETags(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	path := "/v1/customers/" + DocumentedCustomerID + "/profiles/billing"
	_, body := apiGet(t, ts.URL, tok, path, nil)
	var profile map[string]any
	decodeJSON(t, body, &profile)
	first := stringAt(profile, "attributes", "etag")
	if first == "" || stringAt(profile, "id") == "" {
		t.Fatalf("profile: %s", body)
	}

	profile["companyName"] = "Renamed Ltd"
	update, _ := json.Marshal(profile)
	resp, body := mustSend(t, http.MethodPut, ts.URL+path, tok, map[string]string{"If-Match": `"` + first + `"`}, update)
	var updated map[string]any
	decodeJSON(t, body, &updated)
	second := stringAt(updated, "attributes", "etag")
	if resp.StatusCode != http.StatusOK || second == "" || second == first || stringAt(updated, "companyName") != "Renamed Ltd" {
		t.Fatalf("update: %d %s", resp.StatusCode, body)
	}
	if stringAt(updated, "id") != stringAt(profile, "id") {
		t.Errorf("the profile's id changed: %s", body)
	}
	_, byID := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil)
	if !strings.Contains(string(byID), "Renamed Ltd") || !strings.Contains(string(byID), second) {
		t.Errorf("the customer read does not show the update: %s", byID)
	}

	for name, headers := range map[string]map[string]string{
		"stale etag":  {"If-Match": first},
		"no If-Match": nil,
	} {
		resp, body := mustSend(t, http.MethodPut, ts.URL+path, tok, headers, update)
		want := float64(pcCodeStaleETag)
		if headers == nil {
			want = pcCodeInvalidInput
		}
		if resp.StatusCode != http.StatusBadRequest || pcErrorOf(t, body).Code != want {
			t.Errorf("%s: %d %s", name, resp.StatusCode, body)
		}
	}
	if _, body := apiGet(t, ts.URL, tok, path, nil); !strings.Contains(string(body), second) {
		t.Errorf("a refused update changed the profile: %s", body)
	}
	if s.Requests(RouteUpdateBillingProfile) != 3 || s.Requests(RouteGetBillingProfile) != 2 {
		t.Errorf("counted %d updates, %d reads", s.Requests(RouteUpdateBillingProfile), s.Requests(RouteGetBillingProfile))
	}
}

func TestBillingProfileOfUnknownCustomer(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	resp, body := apiGet(t, ts.URL, tok, "/v1/customers/"+GeneratedCustomerID(3)+"/profiles/billing", nil)
	if resp.StatusCode != http.StatusNotFound || pcErrorOf(t, body).Code != pcCodeTenantNotFound {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

// A connection dropped after a billing profile update or a sandbox delete
// loses only the answer: the write was done, as Partner Center would have.
func TestDroppedAnswerAfterProfileWrites(t *testing.T) {
	s, ts := newTestServer(t, Options{IntegrationSandbox: true})
	tok := accessToken(t, ts.URL)
	path := "/v1/customers/" + DocumentedCustomerID + "/profiles/billing"
	_, body := apiGet(t, ts.URL, tok, path, nil)
	var profile map[string]any
	decodeJSON(t, body, &profile)
	etag := stringAt(profile, "attributes", "etag")
	profile["companyName"] = "Renamed Ltd"
	update, _ := json.Marshal(profile)

	s.SetFault(DocumentedCustomerID, Fault{Kind: FaultDropConnection, Route: RouteUpdateBillingProfile, Times: 1})
	if resp, _, err := sendRequest(t.Context(), http.MethodPut, ts.URL+path, tok, map[string]string{"If-Match": etag}, update); err == nil {
		t.Fatalf("the update was answered %d", resp.StatusCode)
	}
	_, body = apiGet(t, ts.URL, tok, path, nil)
	var after map[string]any
	decodeJSON(t, body, &after)
	if stringAt(after, "companyName") != "Renamed Ltd" || stringAt(after, "attributes", "etag") == etag {
		t.Errorf("the dropped update was not done: %s", body)
	}

	s.SetFault(DocumentedCustomerID, Fault{Kind: FaultDropConnection, Route: RouteDeleteCustomer, Times: 1})
	if resp, _, err := sendRequest(t.Context(), http.MethodDelete, ts.URL+"/v1/customers/"+DocumentedCustomerID, tok, nil, nil); err == nil {
		t.Fatalf("the delete was answered %d", resp.StatusCode)
	}
	if _, ok := s.lookupCustomer(DocumentedCustomerID); ok {
		t.Error("the dropped delete was not done")
	}
}
