package mockpartnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	other := GeneratedCustomerID(0)
	docPath := "/v1/customers/" + DocumentedCustomerID
	tests := []struct {
		name   string
		fault  Fault
		path   string
		check  func(t *testing.T, resp *http.Response, body []byte)
		normal int // requests after the faulted ones that must be normal
	}{
		{"throttle with Retry-After", Fault{Kind: FaultThrottle, Times: 2, RetryAfter: "2"}, docPath, func(t *testing.T, resp *http.Response, body []byte) {
			checkThrottleBody(t, resp, body, "2")
		}, 1},
		{"throttle with HTTP date", Fault{Kind: FaultThrottle, Times: 1, RetryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"}, docPath, func(t *testing.T, resp *http.Response, _ []byte) {
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "Wed, 21 Oct 2015 07:28:00 GMT" {
				t.Fatalf("%d %v", resp.StatusCode, resp.Header)
			}
		}, 1},
		{"throttle without header", Fault{Kind: FaultThrottle, Times: 1}, docPath, func(t *testing.T, resp *http.Response, _ []byte) {
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "" {
				t.Fatalf("%d %v", resp.StatusCode, resp.Header)
			}
		}, 1},
		{"malformed JSON", Fault{Kind: FaultMalformedJSON, Times: 1}, docPath, func(t *testing.T, resp *http.Response, body []byte) {
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || json.Valid(body) || len(body) == 0 {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		}, 1},
		{"malformed JSON list", Fault{Kind: FaultMalformedJSON, Times: 1}, "/v1/customers?size=2", func(t *testing.T, resp *http.Response, body []byte) {
			if resp.StatusCode != 200 || json.Valid(body) {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		}, 1},
		{"wrong id", Fault{Kind: FaultWrongID, Times: 1}, docPath, func(t *testing.T, resp *http.Response, body []byte) {
			var c map[string]any
			decodeJSON(t, body, &c)
			if resp.StatusCode != 200 || c["id"] != other {
				t.Fatalf("%d id=%v", resp.StatusCode, c["id"])
			}
		}, 1},
		{"not found", Fault{Kind: FaultNotFound, Times: 1}, docPath, func(t *testing.T, resp *http.Response, body []byte) {
			if resp.StatusCode != 404 || pcErrorOf(t, body).Code != float64(pcCodeNotFound) {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		}, 1},
		{"MFA required", Fault{Kind: FaultMFARequired, Times: 1}, docPath, func(t *testing.T, resp *http.Response, body []byte) {
			if resp.Status != "401 MFA Required" || len(body) != 0 || resp.Header.Get("MS-RequestId") == "" ||
				!strings.Contains(resp.Header.Get("WWW-Authenticate"), `error_description="Multi-factor authentication is required`) {
				t.Fatalf("%s %v %q", resp.Status, resp.Header, body)
			}
		}, 1},
		{"wrong audience", Fault{Kind: FaultWrongAudience, Times: 1}, docPath, func(t *testing.T, resp *http.Response, body []byte) {
			if resp.StatusCode != 401 || pcErrorOf(t, body).Code != pcCodeWrongAudience {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		}, 1},
		{"unauthorized once", Fault{Kind: FaultUnauthorizedOnce, Times: 5}, docPath, func(t *testing.T, resp *http.Response, body []byte) {
			if resp.StatusCode != 401 || len(body) != 0 || resp.Header.Get("WWW-Authenticate") == "" {
				t.Fatalf("%d %q", resp.StatusCode, body)
			}
		}, 2},
		{"oversized body", Fault{Kind: FaultOversizedBody, Times: 1, Size: 1 << 20}, docPath, func(t *testing.T, resp *http.Response, body []byte) {
			if resp.StatusCode != 200 || len(body) != 1<<20 || !json.Valid(body) || resp.ContentLength != -1 {
				t.Fatalf("%d len=%d valid=%v cl=%d", resp.StatusCode, len(body), json.Valid(body), resp.ContentLength)
			}
		}, 1},
		{"delay", Fault{Kind: FaultDelay, Times: 1, Delay: 30 * time.Millisecond}, docPath, func(t *testing.T, resp *http.Response, _ []byte) {
			if resp.StatusCode != 200 {
				t.Fatalf("%d", resp.StatusCode)
			}
		}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{GeneratedCustomers: 3})
			tok := accessToken(t, ts.URL)
			s.SetFault("", tc.fault)
			times := max(tc.fault.Times, 1)
			if tc.fault.Kind == FaultUnauthorizedOnce {
				times = 1
			}
			for range times {
				start := time.Now()
				resp, body := apiGet(t, ts.URL, tok, tc.path, nil)
				tc.check(t, resp, body)
				if time.Since(start) < tc.fault.Delay {
					t.Fatal("delay not applied")
				}
			}
			for range tc.normal {
				if resp, body := apiGet(t, ts.URL, tok, tc.path, nil); resp.StatusCode != 200 || !json.Valid(body) {
					t.Fatalf("after fault: %d %s", resp.StatusCode, truncate(string(body)))
				}
			}
		})
	}
}

func TestFaultStatusSequence(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	s.SetFault("", Fault{Kind: FaultStatusSequence, Statuses: []int{503, 502, 504, 500, 429, 401, 403}})
	path := "/v1/customers/" + DocumentedCustomerID
	for _, want := range []int{503, 502, 504, 500, 429, 401, 403, 200} {
		resp, body := apiGet(t, ts.URL, tok, path, nil)
		if resp.StatusCode != want {
			t.Fatalf("status %d, want %d", resp.StatusCode, want)
		}
		if resp.Header.Get("MS-RequestId") == "" {
			t.Fatalf("%d lacks MS-RequestId", want)
		}
		switch want {
		case 502, 504, 401:
			if len(body) != 0 {
				t.Fatalf("%d should have no body: %q", want, body)
			}
		case 503:
			if json.Valid(body) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				t.Fatalf("503 should be a gateway text body: %q", body)
			}
		case 500, 403:
			pcErrorOf(t, body)
		case 429:
			checkThrottleBody(t, resp, body, "")
		}
	}
}

func TestFaultPerCustomerWinsOverGlobal(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 2})
	tok := accessToken(t, ts.URL)
	target := GeneratedCustomerID(1)
	s.SetFault("", Fault{Kind: FaultThrottle})
	s.SetFault(strings.ToUpper(target), Fault{Kind: FaultNotFound, Times: 1})

	status := func(path string) int {
		resp, _ := apiGet(t, ts.URL, tok, path, nil)
		return resp.StatusCode
	}
	if got := status("/v1/customers/" + target); got != 404 {
		t.Fatalf("per-customer: %d", got)
	}
	// Once used up, the global fault applies to that customer too.
	if got := status("/v1/customers/" + target); got != 429 {
		t.Fatalf("after per-customer: %d", got)
	}
	if got := status("/v1/customers/" + DocumentedCustomerID); got != 429 {
		t.Fatalf("global: %d", got)
	}
	// Get-only faults do not touch the list and are not used up by it.
	s.SetFault("", Fault{Kind: FaultWrongID, Times: 1})
	if got := status("/v1/customers?size=1"); got != 200 {
		t.Fatalf("list with wrong_id fault: %d", got)
	}
	resp, body := apiGet(t, ts.URL, tok, "/v1/customers/"+target, nil)
	var c map[string]any
	decodeJSON(t, body, &c)
	if resp.StatusCode != 200 || c["id"] == target {
		t.Fatalf("wrong_id not applied after list: %v", c["id"])
	}
	s.SetFault("", Fault{Kind: FaultThrottle})
	s.SetFault("", Fault{}) // FaultNone clears
	if got := status("/v1/customers/" + target); got != 200 {
		t.Fatalf("after clearing: %d", got)
	}
	s.SetFault(target, Fault{Kind: FaultThrottle})
	s.clearFaults()
	if got := status("/v1/customers/" + target); got != 200 {
		t.Fatalf("after clearFaults: %d", got)
	}
}

func TestFaultWrongIDSingleCustomer(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	s.SetFault(DocumentedCustomerID, Fault{Kind: FaultWrongID})
	_, body := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil)
	var c map[string]any
	decodeJSON(t, body, &c)
	if id, _ := c["id"].(string); id == "" || id == DocumentedCustomerID {
		t.Fatalf("id %v", c["id"])
	}
}

func TestFaultHangReleasedByClient(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	s.SetFault("", Fault{Kind: FaultHang})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/v1/customers/"+DocumentedCustomerID, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("hang answered %d", resp.StatusCode)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestFaultHangReleasedByClose(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tok := accessToken(t, s.URL())
	s.SetFault("", Fault{Kind: FaultHang})
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL()+"/v1/customers?size=1", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	time.Sleep(20 * time.Millisecond)
	s.Close()
	select {
	case <-done: // any outcome will do: the point is that it ends
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not release the hanging request")
	}
}

func TestOversizedBodyStopsWhenClientLeaves(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	s.SetFault("", Fault{Kind: FaultOversizedBody}) // default 20 MiB
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+"/v1/customers/"+DocumentedCustomerID, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.CopyN(io.Discard, resp.Body, 1<<20)
	resp.Body.Close() // hang up after 1 MiB: the server must stop streaming
	if n != 1<<20 {
		t.Fatalf("read %d", n)
	}
}

func TestFaultsApplyAfterAuth(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	s.SetFault("", Fault{Kind: FaultThrottle, Times: 1})
	if resp, _ := apiGet(t, ts.URL, "", "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != 401 {
		t.Fatalf("no token: %d", resp.StatusCode)
	}
	tok := accessToken(t, ts.URL)
	if resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != 429 {
		t.Fatalf("fault was used up by an unauthenticated request: %d", resp.StatusCode)
	}
}

func TestFaultKindNames(t *testing.T) {
	seen := map[string]bool{}
	for k, n := range faultKindNames {
		if k.String() != n || seen[n] {
			t.Errorf("%d: String() = %q, name %q (seen before: %v)", int(k), k.String(), n, seen[n])
		}
		seen[n] = true
	}
	if FaultKind(99).String() != "FaultKind(99)" {
		t.Error("unknown kind handling")
	}
}

func TestFaultRepeatContinuation(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 10})
	tok := accessToken(t, ts.URL)
	s.SetFault("", Fault{Kind: FaultRepeatContinuation, Times: 3})
	// Get-by-id is untouched and does not use the fault up.
	if resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != 200 {
		t.Fatalf("get: %d", resp.StatusCode)
	}
	var tokens []string
	path, headers := "/v1/customers?size=4", map[string]string(nil)
	for range 3 {
		_, body := apiGet(t, ts.URL, tok, path, headers)
		var p testPage
		decodeJSON(t, body, &p)
		if p.Links.Next == nil {
			t.Fatalf("no next link: %s", body)
		}
		next := p.Links.Next.Headers[0].Value
		tokens = append(tokens, next)
		path, headers = p.Links.Next.URI, map[string]string{"MS-ContinuationToken": next}
	}
	if tokens[0] != tokens[1] || tokens[1] != tokens[2] {
		t.Fatalf("tokens not repeated: %v", tokens)
	}
	// Used up: paging now ends.
	if pages := listAll(t, ts.URL, tok, "/v1/customers?size=4"); len(pages) != 3 {
		t.Fatalf("pages after fault: %d", len(pages))
	}
}
