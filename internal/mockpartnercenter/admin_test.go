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
	_, ts := newTestServer(t, Options{GeneratedCustomers: 2})
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

	if resp, body := adminDo(t, http.MethodGet, ts.URL+"/_mock/nothing", ""); resp.StatusCode != 404 {
		t.Fatalf("unknown admin endpoint: %d %s", resp.StatusCode, body)
	}
	if resp, body := adminDo(t, http.MethodPost, ts.URL+"/_mock/faults", `{"kind":"throttle"}`); resp.StatusCode != 404 {
		t.Fatalf("faults are set in process, not over HTTP: %d %s", resp.StatusCode, body)
	}
}

func TestAdminLoopbackOnly(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/_mock/stats", nil) // RemoteAddr 192.0.2.1
	s.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("non-loopback admin: %d", rec.Code)
	}
}

func TestAdminApprovesGDAPRelationship(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	id, err := s.AddGDAPRelationship(map[string]any{
		"displayName": "approval over HTTP", "duration": "P30D", "status": "approvalPending",
		"accessDetails": map[string]any{"unifiedRoles": []any{map[string]any{"roleDefinitionId": "f2ef992c-3afb-46b9-b7cf-a126ee74c451"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := adminDo(t, http.MethodPost, ts.URL+"/_mock/gdap/relationships/"+id+"/approve", ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("approve: %d %s", resp.StatusCode, body)
	}
	if got := s.GDAPRelationships()[0]["status"]; got != "active" {
		t.Fatalf("status after approval = %v, want active", got)
	}
	// A second approval finds it active: refused, naming the status.
	if resp, body := adminDo(t, http.MethodPost, ts.URL+"/_mock/gdap/relationships/"+id+"/approve", ""); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "active") {
		t.Fatalf("second approval: %d %s", resp.StatusCode, body)
	}
}
