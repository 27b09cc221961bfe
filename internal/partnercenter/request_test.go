package partnercenter

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestRequestHeaders(t *testing.T) {
	fixture := apiFixture(t)
	var (
		mu      sync.Mutex
		headers []http.Header
	)
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		headers = append(headers, r.Header.Clone())
		n := len(headers)
		mu.Unlock()
		if n == 1 { // the first read is throttled once
			writeJSON(w, http.StatusTooManyRequests, `{"code":429}`)
			return
		}
		writeJSON(w, http.StatusOK, string(fixture))
	}), func(c *Config) {
		c.UserAgent = "terraform-provider-partnercenter/1.2.3 Terraform/1.11.4"
		c.ApplicationName = "cspkit"
	})
	for range 2 {
		if _, err := env.client.GetCustomer(t.Context(), fixtureCustomerID); err != nil {
			t.Fatal(err)
		}
	}
	if len(headers) != 3 {
		t.Fatalf("%d requests, want 3 (one retry, then a second read)", len(headers))
	}
	for i, h := range headers {
		want := map[string]string{
			"Authorization":                "Bearer token-1",
			"Accept":                       "application/json",
			"MS-Contract-Version":          "v1",
			"MS-CorrelationId":             env.client.CorrelationID(),
			"User-Agent":                   "terraform-provider-partnercenter/1.2.3 Terraform/1.11.4",
			"MS-PartnerCenter-Application": "cspkit",
			"X-Locale":                     "", // no locale is configured
		}
		for k, v := range want {
			if got := h.Get(k); got != v {
				t.Errorf("request %d: %s = %q, want %q", i, k, got, v)
			}
		}
		if !strings.Contains(h.Get("Accept-Encoding"), "gzip") {
			t.Errorf("request %d: Accept-Encoding = %q, want gzip offered", i, h.Get("Accept-Encoding"))
		}
		if err := uuid.Validate(h.Get("MS-RequestId")); err != nil {
			t.Errorf("request %d: MS-RequestId %q is not a GUID", i, h.Get("MS-RequestId"))
		}
	}
	if headers[0].Get("MS-RequestId") != headers[1].Get("MS-RequestId") {
		t.Error("a retry must reuse the MS-RequestId of its read")
	}
	if headers[1].Get("MS-RequestId") == headers[2].Get("MS-RequestId") {
		t.Error("a new read must get a new MS-RequestId")
	}
}

func TestGzipResponseIsDecoded(t *testing.T) {
	fixture := apiFixture(t)
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("gzip not offered")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = zw.Write(fixture)
		_ = zw.Close()
	}))
	c, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
	if err != nil {
		t.Fatal(err)
	}
	if *c.CompanyProfile.CompanyName != "1kl as kjk" {
		t.Errorf("company name %q", *c.CompanyProfile.CompanyName)
	}
}

func TestUnauthorizedRenewsTokenOnce(t *testing.T) {
	fixture := apiFixture(t)
	tests := []struct {
		name          string
		accepted      string // the token the server accepts
		refusal       string // the 401's body, if any
		wantErr       bool
		wantRequests  int
		wantTokenGets int
	}{
		{name: "renewed token accepted", accepted: "Bearer token-2", wantRequests: 2, wantTokenGets: 2},
		{name: "renewed token rejected too", accepted: "Bearer none", wantErr: true, wantRequests: 2, wantTokenGets: 2},
		{name: "first token accepted", accepted: "Bearer token-1", wantRequests: 1, wantTokenGets: 1},
		// A new token would be refused for the same reason.
		{name: "missing MFA is not renewed", accepted: "Bearer token-2", refusal: `{"code":900421,"description":"MFA required"}`,
			wantErr: true, wantRequests: 1, wantTokenGets: 1},
		{name: "wrong audience is not renewed", accepted: "Bearer token-2", refusal: `{"code":"900420","description":"bad audience"}`,
			wantErr: true, wantRequests: 1, wantTokenGets: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if r.Header.Get("Authorization") != tt.accepted {
					if tt.refusal != "" {
						writeJSON(w, http.StatusUnauthorized, tt.refusal)
						return
					}
					w.WriteHeader(http.StatusUnauthorized) // the edge sends no body
					return
				}
				writeJSON(w, http.StatusOK, string(fixture))
			}), func(c *Config) { c.MaxRetries = new(0) }) // renewal must not need the retry budget
			_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
			if tt.wantErr {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || !errors.Is(err, ErrUnauthorized) || apiErr.Attempts != tt.wantRequests {
					t.Fatalf("err = %v, want a 401 *APIError after %d attempts", err, tt.wantRequests)
				}
				if !strings.Contains(err.Error(), "401 Unauthorized") {
					t.Errorf("message %q lacks the status text", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := int(requests.Load()); got != tt.wantRequests {
				t.Errorf("%d requests, want %d", got, tt.wantRequests)
			}
			if got := env.tokens.count(); got != tt.wantTokenGets {
				t.Errorf("%d token fetches, want %d", got, tt.wantTokenGets)
			}
		})
	}
}

func TestConcurrentUnauthorizedRenewsOnce(t *testing.T) {
	const readers = 8
	fixture := apiFixture(t)
	var rejected atomic.Int32
	allRejected := make(chan struct{})
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer token-1" {
			// Hold every 401 until all readers have sent the old token, so
			// that they all race to renew it.
			if rejected.Add(1) == readers {
				close(allRejected)
			}
			<-allRejected
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		writeJSON(w, http.StatusOK, string(fixture))
	}))
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	for range readers {
		wg.Go(func() {
			_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := env.tokens.count(); got != 2 {
		t.Errorf("%d token fetches, want 2 (one initial, one renewal)", got)
	}
}

func TestTokenSourceFailureStopsTheRead(t *testing.T) {
	var requests atomic.Int32
	env := newAPITestClient(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { requests.Add(1) }))
	env.tokens.err = &AuthenticationError{Reason: "the refresh token has expired"}
	_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
	if !errors.Is(err, ErrAuthentication) || !strings.Contains(err.Error(), "get customer") {
		t.Fatalf("err = %v, want an authentication error naming the operation", err)
	}
	if requests.Load() != 0 {
		t.Error("no request may be sent without a token")
	}
}

func TestTraceLogsEveryRequestWithoutSecrets(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, `{"code":3000,"description":"not found"}`)
	}))
	_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	traces := env.log.byLevel("trace")
	if len(traces) != 1 {
		t.Fatalf("%d trace entries, want 1", len(traces))
	}
	f := traces[0].fields
	if f["method"] != "GET" || f["status"] != 404 || f["url"] != env.srv.URL+"/v1/customers/"+fixtureCustomerID ||
		f["request_id"] == "" || f["duration"] == nil {
		t.Errorf("trace fields = %v", f)
	}
	all := fmt.Sprint(env.log.entries) + err.Error()
	if strings.Contains(all, "token-1") || strings.Contains(all, "Bearer") {
		t.Errorf("a log entry or the error shows the token: %s", all)
	}
}

func TestInvalidResponses(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		maxBytes    int64
		wantReason  string
	}{
		{"malformed JSON", "application/json", `{"id": "eebd`, 0, "malformed JSON"},
		{"HTML page", "text/html", "<html>maintenance</html>", 0, `content type "text/html" is not JSON`},
		{"empty body", "application/json", "", 0, "empty body"},
		{"two documents", "application/json", `{"id":"a"} {"id":"b"}`, 0, "unexpected data after the JSON value"},
		{"body over the cap", "application/json", `{"id":"` + strings.Repeat("x", 2000) + `"}`, 1024, "response body exceeds 1 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.Header().Set("MS-RequestId", "resp-request-id")
				_, _ = w.Write([]byte(tt.body))
			}), func(c *Config) { c.MaxResponseBytes = tt.maxBytes })
			_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
			var ire *InvalidResponseError
			if !errors.As(err, &ire) {
				t.Fatalf("err = %v, want *InvalidResponseError", err)
			}
			if !strings.Contains(err.Error(), tt.wantReason) {
				t.Errorf("message %q, want it to contain %q", err, tt.wantReason)
			}
			if ire.RequestID != "resp-request-id" || ire.CorrelationID != env.client.CorrelationID() || ire.StatusCode != 200 {
				t.Errorf("ids %q/%q status %d", ire.RequestID, ire.CorrelationID, ire.StatusCode)
			}
			if msg := err.Error(); !strings.Contains(msg, `get customer "`+fixtureCustomerID+`"`) || !strings.Contains(msg, "resp-request-id") {
				t.Errorf("message %q lacks the operation or the request id", msg)
			}
		})
	}
}

func TestDeadlineWhileReadingTheBody(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"` + fixtureCustomerID))
		_ = http.NewResponseController(w).Flush()
		<-r.Context().Done() // the rest never comes
	}))
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := env.client.GetCustomer(ctx, fixtureCustomerID)
	var ire *InvalidResponseError
	if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ire) {
		t.Fatalf("err = %v, want the deadline, not an invalid response", err)
	}
}
