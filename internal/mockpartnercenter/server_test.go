package mockpartnercenter

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStartAndClose(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL %q", s.URL())
	}
	tok := accessToken(t, s.URL())
	if resp, _ := apiGet(t, s.URL(), tok, "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	s.Close()
	s.Close()                                                     // idempotent
	if _, err := http.Get(s.URL() + "/_mock/stats"); err == nil { //nolint:noctx // test
		t.Fatal("server still answers after Close")
	}
	n, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n.URL() != "" {
		t.Fatal("URL of unstarted server")
	}
	n.Close()
}

func TestListenRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "192.0.2.1:0", "example.com:0", "nonsense"} {
		if s, err := Listen(Options{}, addr); err == nil {
			s.Close()
			t.Errorf("Listen(%q) accepted", addr)
		}
	}
	for _, addr := range []string{"localhost:0", "[::1]:0"} {
		s, err := Listen(Options{}, addr)
		if err != nil {
			if strings.Contains(err.Error(), "non-loopback") {
				t.Errorf("Listen(%q): %v", addr, err)
			}
			continue // e.g. no IPv6 on this machine
		}
		s.Close()
	}
}

func TestLatency(t *testing.T) {
	_, ts := newTestServer(t, Options{Latency: 40 * time.Millisecond})
	start := time.Now()
	tok := accessToken(t, ts.URL)
	apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil)
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("two requests took %v, want >= 80ms", d)
	}
	// A cancelled request leaves during the latency rather than after it.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/v1/customers", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("expected timeout")
	}
}

func TestNeverPanics(t *testing.T) {
	s, err := New(Options{GeneratedCustomers: 2})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{
		"/", "/v1", "/v1/", "/v1/customers/", "/v1/customers//x", "/v1/customers/%00", "//oauth2/token",
		"/x/oauth2/v2.0/token", "/" + DefaultTenantID + "/oauth2/v2.0/token?x=%zz", "/_mock/", "/v1/customers?size=%zz&filter=%7B",
	}
	for _, p := range paths {
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodHead, "BREW"} {
			req := httptest.NewRequest(m, "http://127.0.0.1"+strings.ReplaceAll(p, "%00", ""), strings.NewReader("a=%zz&b"))
			req.RemoteAddr = "127.0.0.1:1"
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer")
			req.Header.Set("Accept", ";;;")
			s.handler.ServeHTTP(httptest.NewRecorder(), req)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 30, RotateRefreshToken: true})
	var wg sync.WaitGroup
	const workers, perWorker = 8, 10
	for w := range workers {
		wg.Go(func() {
			tok := accessToken(t, ts.URL)
			for i := range perWorker {
				id := GeneratedCustomerID((w*perWorker + i) % 30)
				if i%3 == 0 {
					s.SetFault(id, Fault{Kind: FaultThrottle, Times: 1})
				}
				resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+id, nil)
				if resp.StatusCode != 200 && resp.StatusCode != 429 {
					t.Errorf("status %d", resp.StatusCode)
				}
				listAll(t, ts.URL, tok, "/v1/customers?size=7")
				_ = s.Requests(RouteGetCustomer)
				_ = s.RecordedRequests()
				if i == 5 {
					_ = s.AddCustomer(map[string]any{"id": GeneratedCustomerID(1000 + w)})
				}
			}
		})
	}
	wg.Wait()
	if got := s.Requests(RouteGetCustomer); got != workers*perWorker {
		t.Fatalf("get requests %d", got)
	}
	if s.TokenRequests() != workers || len(s.IssuedAccessTokens()) != workers {
		t.Fatalf("tokens %d/%d", s.TokenRequests(), len(s.IssuedAccessTokens()))
	}
	if got, want := s.TotalAPIRequests(), len(s.RecordedRequests()); got != want {
		t.Fatalf("total %d, recorded %d", got, want)
	}
}
