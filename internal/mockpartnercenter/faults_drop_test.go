package mockpartnercenter

import (
	"net/http"
	"testing"
)

// TestDropConnectionOnReads shows the fault on a route with nothing to
// commit: the answer is lost and nothing changes.
func TestDropConnectionOnReads(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	s.SetFault("", Fault{Kind: FaultDropConnection, Times: 1})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+"/v1/customers/"+DocumentedCustomerID, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	// A fresh connection: Go's transport silently resends an idempotent
	// request whose reused connection closes before answering.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := client.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("get customer answered %d; want the connection dropped", resp.StatusCode)
	}
	if resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the fault outlived its one use: %d", resp.StatusCode)
	}
}

// TestFaultConfinedToRoute shows a fault set for one route: the other
// routes pass it by, and it lives beside the fault set for every route.
func TestFaultConfinedToRoute(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	s.SetFault("", Fault{Kind: FaultServerError, Route: RouteGetCustomer})
	s.SetFault("", Fault{Kind: FaultThrottle, Times: 1})
	get := func() int {
		resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil)
		return resp.StatusCode
	}
	list := func() int {
		resp, _ := apiGet(t, ts.URL, tok, "/v1/customers?size=1", nil)
		return resp.StatusCode
	}
	for i, c := range []struct{ got, want int }{
		{get(), http.StatusInternalServerError},
		{list(), http.StatusTooManyRequests},
		{list(), http.StatusOK},
		{get(), http.StatusInternalServerError},
	} {
		if c.got != c.want {
			t.Errorf("request %d: %d, want %d", i+1, c.got, c.want)
		}
	}
	s.SetFault("", Fault{Route: RouteGetCustomer})
	if got := get(); got != http.StatusOK {
		t.Errorf("after clearing the route's fault: %d, want 200", got)
	}
}
