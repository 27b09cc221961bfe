package partnercenter

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestSharedHTTPClient(t *testing.T) {
	c := SharedHTTPClient()
	if c != SharedHTTPClient() {
		t.Fatal("SharedHTTPClient must return one client per process")
	}
	if c.Timeout != 0 {
		t.Errorf("Timeout = %s; the read's context should bound requests instead", c.Timeout)
	}
	if c.CheckRedirect == nil {
		t.Error("no CheckRedirect")
	}
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport is %T", c.Transport)
	}
	if tr.Proxy == nil || tr.DialContext == nil {
		t.Error("the transport must use the environment's proxy and a dialer with a timeout")
	}
	if tr.TLSHandshakeTimeout != 10*time.Second || tr.ResponseHeaderTimeout != 60*time.Second ||
		tr.ExpectContinueTimeout != time.Second || tr.IdleConnTimeout != 90*time.Second {
		t.Errorf("timeouts: handshake %s, header %s, continue %s, idle %s",
			tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, tr.ExpectContinueTimeout, tr.IdleConnTimeout)
	}
	if tr.TLSClientConfig == nil || tr.TLSClientConfig.MinVersion != tls.VersionTLS12 {
		t.Error("TLS 1.2 must be the minimum")
	}
	if !tr.ForceAttemptHTTP2 || tr.MaxIdleConnsPerHost != 32 || tr.DisableCompression {
		t.Errorf("HTTP/2 %t, idle per host %d, compression disabled %t", tr.ForceAttemptHTTP2, tr.MaxIdleConnsPerHost, tr.DisableCompression)
	}
}

func TestRedirectAuthorization(t *testing.T) {
	fixture := apiFixture(t)
	tests := []struct {
		name     string
		sameHost bool
		wantAuth string
	}{
		{"to another host the token is dropped", false, ""},
		{"on the same host the token is kept", true, "Bearer token-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotAuth atomic.Value
			target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotAuth.Store(r.Header.Get("Authorization"))
				writeJSON(w, http.StatusOK, string(fixture))
			}))
			defer target.Close()
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/moved") {
					gotAuth.Store(r.Header.Get("Authorization"))
					writeJSON(w, http.StatusOK, string(fixture))
					return
				}
				to := target.URL + "/moved"
				if tt.sameHost {
					to = "/moved"
				}
				http.Redirect(w, r, to, http.StatusTemporaryRedirect)
			}))
			if _, err := env.client.GetCustomer(t.Context(), fixtureCustomerID); err != nil {
				t.Fatal(err)
			}
			if got, _ := gotAuth.Load().(string); got != tt.wantAuth {
				t.Errorf("Authorization after the redirect = %q, want %q", got, tt.wantAuth)
			}
		})
	}
}

func TestRedirectLoopStops(t *testing.T) {
	var requests atomic.Int32
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}))
	_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
	if !errors.Is(err, errTooManyRedirects) {
		t.Fatalf("err = %v, want the redirect limit", err)
	}
	if n := requests.Load(); n != maxRedirects {
		t.Errorf("%d requests, want %d: a redirect loop is not worth retrying", n, maxRedirects)
	}
}
