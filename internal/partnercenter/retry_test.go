package partnercenter

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{" 0 ", 0, true},
		{"-3", 0, false},
		{"99999999999999", 24 * time.Hour, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.value != "" {
			h.Set("Retry-After", tt.value)
		}
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("retryAfter(%q) = %s, %t; want %s, %t", tt.value, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	c := &Client{waitMin: time.Second, waitMax: 30 * time.Second}
	c.randN = func(n int64) int64 { return n - 1 } // the largest wait
	for retry, seconds := range []int{1, 2, 4, 8, 16, 30, 30} {
		want := time.Duration(seconds) * time.Second
		if got := c.backoff(retry); got != want {
			t.Errorf("largest backoff(%d) = %s, want %s", retry, got, want)
		}
	}
	if got := c.backoff(1000); got != 30*time.Second {
		t.Errorf("backoff(1000) = %s, want the cap", got)
	}
	c.randN = func(int64) int64 { return 0 } // the smallest wait
	for retry := range 10 {
		if got := c.backoff(retry); got != time.Second {
			t.Errorf("smallest backoff(%d) = %s, want RetryWaitMin", retry, got)
		}
	}
}

func TestIsRetryableTransportError(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&url.Error{Op: "Get", URL: "u", Err: io.EOF}, true},
		{&url.Error{Op: "Get", URL: "u", Err: io.ErrUnexpectedEOF}, true},
		{&url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}, true},
		{&url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}, true},
		{&url.Error{Op: "Get", URL: "u", Err: &net.DNSError{Err: "timeout", IsTimeout: true}}, true},
		{&url.Error{Op: "Get", URL: "u", Err: &net.DNSError{Err: "no such host", IsNotFound: true}}, false},
		{&url.Error{Op: "Get", URL: "u", Err: timeoutErr{}}, true},
		{&url.Error{Op: "Get", URL: "u", Err: context.Canceled}, false},
		{&url.Error{Op: "Get", URL: "u", Err: context.DeadlineExceeded}, false},
		{&url.Error{Op: "Get", URL: "u", Err: x509.UnknownAuthorityError{}}, false},
		{&url.Error{Op: "Get", URL: "u", Err: errTooManyRedirects}, false},
		{errors.New("unsupported protocol scheme"), false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := isRetryableTransportError(tt.err); got != tt.want {
			t.Errorf("isRetryableTransportError(%v) = %t, want %t", tt.err, got, tt.want)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// failingThenOK answers status for the first failures requests, then the
// fixture.
func failingThenOK(t *testing.T, status, failures int, header http.Header) (http.Handler, *atomic.Int32) {
	fixture := apiFixture(t)
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if int(n.Add(1)) <= failures {
			for k, v := range header {
				w.Header()[k] = v
			}
			writeJSON(w, status, `{"code":"`+fmt.Sprint(status)+`","description":"try later"}`)
			return
		}
		writeJSON(w, http.StatusOK, string(fixture))
	}), &n
}

func TestRetriedStatuses(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			h, n := failingThenOK(t, status, 2, nil)
			env := newAPITestClient(t, h)
			if _, err := env.client.GetCustomer(t.Context(), fixtureCustomerID); err != nil {
				t.Fatal(err)
			}
			if n.Load() != 3 || len(env.waits()) != 2 {
				t.Errorf("%d requests, %d waits; want 3 and 2", n.Load(), len(env.waits()))
			}
			for _, w := range env.waits() {
				if w < time.Millisecond || w > 5*time.Millisecond {
					t.Errorf("wait %s outside RetryWaitMin..RetryWaitMax", w)
				}
			}
		})
	}
}

func TestNotRetriedStatuses(t *testing.T) {
	for _, status := range []int{400, 403, 404, 409} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			h, n := failingThenOK(t, status, 1, nil)
			env := newAPITestClient(t, h)
			_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Attempts != 1 {
				t.Fatalf("err = %v, want a %d *APIError after 1 attempt", err, status)
			}
			if n.Load() != 1 || len(env.waits()) != 0 {
				t.Errorf("%d requests, %d waits; want 1 and 0", n.Load(), len(env.waits()))
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, value string
		want        time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"HTTP date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := failingThenOK(t, http.StatusTooManyRequests, 1, http.Header{"Retry-After": {tt.value}})
			env := newAPITestClient(t, h)
			env.client.now = func() time.Time { return now }
			if _, err := env.client.GetCustomer(t.Context(), fixtureCustomerID); err != nil {
				t.Fatal(err)
			}
			// Retry-After wins over RetryWaitMax (5ms here).
			if got := env.waits(); len(got) != 1 || got[0] != tt.want {
				t.Errorf("waits = %v, want [%s]", got, tt.want)
			}
			debug := env.log.byLevel("debug")
			if len(debug) != 1 {
				t.Fatalf("%d debug entries, want 1", len(debug))
			}
			f := debug[0].fields
			if f["status"] != 429 || f["attempt"] != 1 || f["wait"] != tt.want.String() ||
				f["request_id"] == "" || !strings.HasPrefix(fmt.Sprint(f["operation"]), "get customer") {
				t.Errorf("debug fields = %v", f)
			}
		})
	}
}

func TestRetriesGiveUp(t *testing.T) {
	h, n := failingThenOK(t, http.StatusServiceUnavailable, 100, nil)
	env := newAPITestClient(t, h, func(c *Config) { c.MaxRetries = new(2) })
	_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 3 {
		t.Fatalf("err = %v, want a 503 after 3 attempts", err)
	}
	if !strings.Contains(err.Error(), "3 attempts") || n.Load() != 3 {
		t.Errorf("message %q, %d requests", err, n.Load())
	}

	h, n = failingThenOK(t, http.StatusServiceUnavailable, 100, nil)
	env = newAPITestClient(t, h, func(c *Config) { c.MaxRetries = new(0) })
	if _, err := env.client.GetCustomer(t.Context(), fixtureCustomerID); err == nil || n.Load() != 1 {
		t.Errorf("with retries disabled: err %v after %d requests, want an error after 1", err, n.Load())
	}
}

func TestRetryAfterPastDeadlineFailsNow(t *testing.T) {
	h, n := failingThenOK(t, http.StatusTooManyRequests, 100, http.Header{"Retry-After": {"60"}})
	env := newAPITestClient(t, h)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := env.client.GetCustomer(ctx, fixtureCustomerID)
	if !errors.Is(err, ErrThrottled) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the 429 itself", err)
	}
	if len(env.waits()) != 0 || n.Load() != 1 {
		t.Errorf("%d waits, %d requests; want 0 and 1", len(env.waits()), n.Load())
	}
}

func TestCancelDuringRetryWait(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	h, _ := failingThenOK(t, http.StatusTooManyRequests, 100, nil)
	env := newAPITestClient(t, h, func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = time.Hour, time.Hour })
	env.client.sleep = func(ctx context.Context, d time.Duration) error {
		cancel() // as if the user pressed Ctrl-C an instant into an hour's wait
		return sleepContext(ctx, d)
	}
	_, err := env.client.GetCustomer(ctx, fixtureCustomerID)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrThrottled) {
		t.Fatalf("err = %v, want context.Canceled and the last 429", err)
	}
	if !strings.HasPrefix(err.Error(), `get customer "`+fixtureCustomerID+`"`) {
		t.Errorf("message %q does not start with the operation", err)
	}
}

// hijackThenOK drops the connection of the first drops requests without
// answering.
func hijackThenOK(t *testing.T, drops int) (http.Handler, *atomic.Int32) {
	fixture := apiFixture(t)
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if int(n.Add(1)) <= drops {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			_ = conn.Close()
			return
		}
		writeJSON(w, http.StatusOK, string(fixture))
	}), &n
}

func TestTransportErrorsAreRetried(t *testing.T) {
	h, n := hijackThenOK(t, 1)
	env := newAPITestClient(t, h)
	if _, err := env.client.GetCustomer(t.Context(), fixtureCustomerID); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 || len(env.waits()) != 1 {
		t.Errorf("%d requests, %d waits; want 2 and 1", n.Load(), len(env.waits()))
	}
	if debug := env.log.byLevel("debug"); len(debug) != 1 || debug[0].fields["error"] == nil {
		t.Errorf("debug entries %v, want one naming the error", debug)
	}

	h, n = hijackThenOK(t, 100)
	env = newAPITestClient(t, h, func(c *Config) { c.MaxRetries = new(1) })
	_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
	if !errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "2 attempts") || n.Load() != 2 {
		t.Errorf("err = %v after %d requests, want EOF after 2 attempts", err, n.Load())
	}
}

func TestSleepContext(t *testing.T) {
	if err := sleepContext(t.Context(), time.Microsecond); err != nil {
		t.Errorf("short sleep: %v", err)
	}
	ctx, cancel := context.WithCancelCause(t.Context())
	cause := errors.New("provider stopping")
	cancel(cause)
	if err := sleepContext(ctx, time.Hour); !errors.Is(err, cause) {
		t.Errorf("cancelled sleep = %v, want the cause", err)
	}
	if err := sleepContext(ctx, 0); err == nil {
		t.Error("a zero wait on a done context should report it")
	}
}
