package mockpartnercenter

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func adminDo(t *testing.T, method, u, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestAdminEndpoints(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 2})
	tok := accessToken(t, ts.URL)
	apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil)
	apiGet(t, ts.URL, tok, "/v1/customers?size=1", nil)
	apiGet(t, ts.URL, tok, "/v1/customers?size=1", nil)

	var st adminStats
	resp, body := adminDo(t, http.MethodGet, ts.URL+"/_mock/stats", "")
	decodeJSON(t, []byte(body), &st)
	if resp.StatusCode != 200 || st.TokenRequests != 1 || st.APIRequests != 3 ||
		st.Routes["get_customer"] != 1 || st.Routes["list_customers"] != 2 || st.Customers != 3 ||
		len(st.Grants) != 1 || st.Grants["refresh_token/client_secret"] != 1 {
		t.Fatalf("stats %d %s", resp.StatusCode, body)
	}

	steps := []struct {
		method, path, body string
		status             int
	}{
		{http.MethodPost, "/_mock/faults", `{"customer_id":"","kind":"throttle","times":1,"retry_after":"1"}`, 204},
		{http.MethodPost, "/_mock/faults", `{"kind":"delay","delay":"5ms","times":1}`, 204},
		{http.MethodPost, "/_mock/faults", `{"kind":"status_sequence","statuses":[503]}`, 204},
		{http.MethodPost, "/_mock/faults", `{"kind":"explode"}`, 400},
		{http.MethodPost, "/_mock/faults", `{"kind":"delay","delay":"soon"}`, 400},
		{http.MethodPost, "/_mock/faults", `{"kind":"throttle","unknown":1}`, 400},
		{http.MethodPost, "/_mock/faults", `not json`, 400},
		{http.MethodPost, "/_mock/token-fault", `{"kind":"server_error","times":1}`, 204},
		{http.MethodPost, "/_mock/token-fault", `{"kind":"nope"}`, 400},
		{http.MethodGet, "/_mock/nothing", "", 404},
	}
	for _, st := range steps {
		resp, body := adminDo(t, st.method, ts.URL+st.path, st.body)
		if resp.StatusCode != st.status {
			t.Fatalf("%s %s %s: %d %s", st.method, st.path, st.body, resp.StatusCode, body)
		}
	}
	// The last API fault set wins: a 503 sequence of one.
	if resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != 503 {
		t.Fatalf("fault via admin: %d", resp.StatusCode)
	}
	if resp, _ := postForm(t, tokenURL(ts.URL), validTokenForm()); resp.StatusCode != 500 {
		t.Fatalf("token fault via admin: %d", resp.StatusCode)
	}
	s.SetFault("", Fault{Kind: FaultThrottle})
	if resp, _ := adminDo(t, http.MethodDelete, ts.URL+"/_mock/faults", ""); resp.StatusCode != 204 {
		t.Fatal("delete faults")
	}
	if resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != 200 {
		t.Fatalf("after delete: %d", resp.StatusCode)
	}
	if resp, _ := adminDo(t, http.MethodPost, ts.URL+"/_mock/reset", ""); resp.StatusCode != 204 {
		t.Fatal("reset")
	}
	if s.TotalAPIRequests() != 0 || s.TokenRequests() != 0 || len(s.RecordedRequests()) != 0 || len(s.IssuedAccessTokens()) != 0 {
		t.Fatal("reset did not reset")
	}
	// Tokens survive a counter reset.
	if resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != 200 {
		t.Fatalf("token after reset: %d", resp.StatusCode)
	}
}

func TestAdminLoopbackOnly(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/_mock/stats", nil) // RemoteAddr 192.0.2.1
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("non-loopback admin: %d", rec.Code)
	}
}
