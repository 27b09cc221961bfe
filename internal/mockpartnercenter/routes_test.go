package mockpartnercenter

import (
	"cmp"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestEveryRouteIsCounted sends each declared route's example request, with
// the route's method, and expects it counted under the route's Route,
// recorded, and in /_mock/stats.
func TestEveryRouteIsCounted(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	gs := httptest.NewServer(s.graphHandler)
	t.Cleanup(gs.Close)
	countRoutes(t, s, apiRoutes, ts.URL, accessToken(t, ts.URL), func(t *testing.T, b []byte) { pcErrorOf(t, b) })
	countRoutes(t, s, graphRoutes, gs.URL, graphToken(t, ts.URL), func(t *testing.T, b []byte) { graphErrorOf(t, b) })
}

// countRoutes is TestEveryRouteIsCounted for one listener's routes; errorOf
// checks a refusal is the handler's own, in its service's shape.
func countRoutes(t *testing.T, s *Server, routes []apiRoute, base, tok string, errorOf func(*testing.T, []byte)) {
	t.Helper()
	for _, rt := range routes {
		method, _, _ := strings.Cut(rt.pattern, " ")
		before, total := s.Requests(rt.route), s.TotalAPIRequests()
		ex := routeExamples[rt.route]
		var body []byte
		var headers map[string]string
		if ex.body != nil {
			body = ex.body(t)
		}
		if ex.headers != nil {
			headers = ex.headers(s)
		}
		resp, answer := mustSend(t, method, base+rt.example, tok, headers, body)
		if want := cmp.Or(ex.methodStatus[method], ex.status, http.StatusOK); resp.StatusCode != want {
			t.Errorf("%s: status %d, want %d", rt.pattern, resp.StatusCode, want)
		} else if want >= http.StatusBadRequest && method != http.MethodHead {
			errorOf(t, answer) // the handler's own refusal, not the front door's
		}
		if got := s.Requests(rt.route); got != before+1 {
			t.Errorf("%s: %s counted %d times, want %d", rt.pattern, rt.route, got, before+1)
		}
		if s.TotalAPIRequests() != total+1 {
			t.Errorf("%s: total %d, want %d", rt.pattern, s.TotalAPIRequests(), total+1)
		}
		rec := s.RecordedRequests()
		if last := rec[len(rec)-1]; last.Method != method || last.Path != rt.example {
			t.Errorf("%s: recorded %s %s", rt.pattern, last.Method, last.Path)
		}
		if got := s.stats().Routes[string(rt.route)]; got != s.Requests(rt.route) {
			t.Errorf("%s: stats say %d", rt.route, got)
		}
	}
}

// TestRouteMisses checks what the front door answers outside the table: a
// known path with another method, an unknown resource, and the v1 token
// endpoint the client never calls. API misses are authenticated first and
// counted in the total but under no route.
func TestRouteMisses(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	subscriptions := subscriptionsPath(DocumentedCustomerID)

	if resp, _ := apiRequest(t, http.MethodPost, ts.URL, "", subscriptions, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST without a token: %d, want 401 before 405", resp.StatusCode)
	}
	resp, _ := apiRequest(t, http.MethodPut, ts.URL, tok, subscriptions, nil)
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" || resp.Header.Get("MS-RequestId") == "" {
		t.Errorf("PUT: %d Allow=%q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	if s.Requests(RouteListSubscriptions) != 0 || s.TotalAPIRequests() != 2 {
		t.Errorf("wrong methods counted as the route (%d) or not in the total (%d)", s.Requests(RouteListSubscriptions), s.TotalAPIRequests())
	}
	for _, path := range []string{"/v1", "/v1/customers/", "/v1/customers/" + DocumentedCustomerID + "/invoices", "/v1/customers//" + DocumentedCustomerID, "/v1/x/../customers"} {
		if resp, body := apiGet(t, ts.URL, tok, path, nil); resp.StatusCode != http.StatusNotFound || len(body) != 0 {
			t.Errorf("%s: %d with %q, want the bare 404", path, resp.StatusCode, body)
		}
	}
	before := s.TokenRequests()
	if resp, _ := postForm(t, ts.URL+"/"+DefaultTenantID+"/oauth2/token", validTokenForm()); resp.StatusCode != http.StatusNotFound {
		t.Errorf("v1 token endpoint: %d, want 404", resp.StatusCode)
	}
	if s.TokenRequests() != before {
		t.Error("the v1 token path was counted as a token request")
	}
}
