package partnercenter

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
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

// A read follows a redirect on its own scheme and host, keeping the token,
// and refuses one to another host or from https to http: the token and the
// answer would come from someone else. The error names both ends.
func TestAPIRedirects(t *testing.T) {
	fixture := apiFixture(t)
	var elsewhere atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		writeJSON(w, http.StatusOK, string(fixture))
	}))
	defer target.Close()
	redirecting := func(to string, gotAuth *atomic.Value) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/moved") {
				gotAuth.Store(r.Header.Get("Authorization"))
				writeJSON(w, http.StatusOK, string(fixture))
				return
			}
			http.Redirect(w, r, to, http.StatusFound)
		})
	}

	t.Run("same scheme and host", func(t *testing.T) {
		var gotAuth atomic.Value
		env := newAPITestClient(t, redirecting("/moved", &gotAuth))
		if _, err := env.client.GetCustomer(t.Context(), fixtureCustomerID); err != nil {
			t.Fatal(err)
		}
		if got, _ := gotAuth.Load().(string); got != "Bearer token-1" {
			t.Errorf("Authorization after the redirect = %q", got)
		}
	})
	t.Run("another host", func(t *testing.T) {
		var gotAuth atomic.Value
		env := newAPITestClient(t, redirecting(target.URL+"/moved", &gotAuth))
		_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
		var re *redirectError
		if !errors.As(err, &re) || re.StatusCode != http.StatusFound || re.From != env.srv.URL || re.To != target.URL ||
			!strings.Contains(err.Error(), target.URL) || !strings.Contains(err.Error(), env.srv.URL) {
			t.Fatalf("err = %v; want a refused redirect naming both hosts", err)
		}
		if len(env.sleeps) != 0 {
			t.Error("a refused redirect was retried")
		}
	})
	t.Run("https to http", func(t *testing.T) {
		var gotAuth atomic.Value
		tlsSrv := httptest.NewTLSServer(redirecting(target.URL+"/v1/customers/"+fixtureCustomerID, &gotAuth))
		defer tlsSrv.Close()
		env := newAPITestClient(t, http.NotFoundHandler(), func(cfg *Config) {
			cfg.BaseURL, cfg.HTTPClient = tlsSrv.URL, tlsSrv.Client()
		})
		_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
		var re *redirectError
		if !errors.As(err, &re) || !strings.HasPrefix(re.From, "https://") || !strings.HasPrefix(re.To, "http://") {
			t.Fatalf("err = %v; want a refused downgrade", err)
		}
	})
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
}

// The loopback rule decides which requests bypass the proxy: the same rule
// that allows plain http, so that no plain-http credential meets a proxy.
func TestBypassProxyForLoopback(t *testing.T) {
	proxyURL, _ := url.Parse("http://proxy.example:3128")
	proxy := bypassProxyForLoopback(func(*http.Request) (*url.URL, error) { return proxyURL, nil })
	for host, wantProxy := range map[string]bool{
		"localhost": false, "LOCALHOST": false, "localhost.": false, "LocalHost.": false,
		"127.0.0.1": false, "127.8.9.10": false, "[::1]": false,
		"localhost..": true, "localhost.example": true, "mylocalhost": true, "128.0.0.1": true,
		"[::2]": true, "api.partnercenter.microsoft.com": true,
	} {
		req := httptest.NewRequest(http.MethodPost, "http://"+host+":8080/token", nil)
		got, err := proxy(req)
		if err != nil || (got != nil) != wantProxy {
			t.Errorf("proxy for %s = %v, %v; want proxied %t", host, got, err, wantProxy)
		}
	}
}

// Through the shared client with HTTP_PROXY set, as read once per process:
// requests to loopback aliases reach the target on this machine, never the
// proxy, and no resolver is asked where "localhost." is.
func TestSharedClientNeverProxiesLoopback(t *testing.T) {
	if target := os.Getenv("PARTNERCENTER_TEST_LOOPBACK_TARGET"); target != "" {
		resp, err := SharedHTTPClient().Post(target, "application/x-www-form-urlencoded", strings.NewReader("client_secret=s"))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return
	}
	var proxied, direct atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { proxied.Add(1) }))
	defer proxy.Close()
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { direct.Add(1) }))
	defer target.Close()
	port := target.URL[strings.LastIndex(target.URL, ":")+1:]
	for _, host := range []string{"LOCALHOST", "localhost."} {
		// A child process, because net/http reads the proxy variables once.
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestSharedClientNeverProxiesLoopback$", "-test.count=1")
		cmd.Env = append(os.Environ(), "HTTP_PROXY="+proxy.URL, "http_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=",
			"PARTNERCENTER_TEST_LOOPBACK_TARGET=http://"+host+":"+port+"/token")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", host, err, out)
		}
	}
	if proxied.Load() != 0 || direct.Load() != 2 {
		t.Errorf("%d requests went through the proxy and %d directly; want 0 and 2", proxied.Load(), direct.Load())
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
