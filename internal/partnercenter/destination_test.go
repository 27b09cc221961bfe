package partnercenter

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCheckEndpointURLLoopbackRule(t *testing.T) {
	for _, raw := range []string{
		"http://localhost:8080", "http://LOCALHOST:8080", "http://localhost.:8080", "http://127.0.0.1", "http://127.255.0.9:1",
		"http://[::1]:8080", "https://api.example.com",
	} {
		if err := CheckEndpointURL(raw); err != nil {
			t.Errorf("CheckEndpointURL(%q) = %v", raw, err)
		}
	}
	for _, raw := range []string{
		"http://localhost..:8080", "http://localhost.example.com", "http://128.0.0.1", "http://[::2]", "http://0.0.0.0",
		"http://10.0.0.1", "ftp://localhost",
	} {
		if err := CheckEndpointURL(raw); err == nil {
			t.Errorf("CheckEndpointURL(%q) accepted", raw)
		}
	}
}

// A URL the parser rejects is quoted with its password hidden.
func TestCheckEndpointURLNeverQuotesPasswords(t *testing.T) {
	for _, raw := range []string{
		"https://user:pa55word@host:8x", "https://user:pa55word@host/%zz", "https://u:pa55word@[::1:80",
		"user:pa55word@host:8x", "https://user:pa/55word@host:8x", "https://user:pa55word@host",
	} {
		err := CheckEndpointURL(raw)
		if err == nil {
			t.Errorf("CheckEndpointURL(%q) accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "pa55word") || strings.Contains(err.Error(), "55word") {
			t.Errorf("CheckEndpointURL(%q) = %v: it quotes the password", raw, err)
		}
	}
	if err := CheckEndpointURL("https://host:8x"); err == nil || !strings.Contains(err.Error(), `invalid port ":8x"`) {
		t.Errorf("without user information the parser's reason should be kept: %v", err)
	}
}

// Token requests never follow a redirect, whatever its status: a 307 or
// 308 would re-send the secret and the refresh token to the Location.
func TestRefreshTokenSourceNeverFollowsRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer other.Close()
	otherHost := strings.TrimPrefix(other.URL, "http://")
	redirect := func(status int) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/collect", status)
		})
	}
	plain := httptest.NewServer(redirect(http.StatusTemporaryRedirect))
	defer plain.Close()
	secure := httptest.NewTLSServer(redirect(http.StatusPermanentRedirect))
	defer secure.Close()
	sameHost := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer sameHost.Close()

	for _, tt := range []struct {
		name, authority string
		client          *http.Client
		status          int
		to              string
	}{
		{"307 to another host", plain.URL, nil, http.StatusTemporaryRedirect, otherHost},
		{"308 from https to http", secure.URL, secure.Client(), http.StatusPermanentRedirect, otherHost},
		{"302 on the same host", sameHost.URL, nil, http.StatusFound, strings.TrimPrefix(sameHost.URL, "http://")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testRefreshConfig(tt.authority)
			cfg.HTTPClient = tt.client
			src, err := NewRefreshTokenSource(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.Token(t.Context())
			var ae *AuthenticationError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || !strings.Contains(err.Error(), tt.to) ||
				!strings.Contains(err.Error(), "never followed") {
				t.Fatalf("err = %v; want an authentication error naming HTTP %d and %s", err, tt.status, tt.to)
			}
		})
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect target received %d token requests", n)
	}
}

// Every client made for a request carries the policy, and one without a
// transport gets the shared one, whose proxy rule knows loopback.
func TestRedirectPolicyClients(t *testing.T) {
	own := &http.Client{}
	for name, c := range map[string]*http.Client{
		"token, nil": tokenEndpointClient(nil), "token, own": tokenEndpointClient(own),
		"api, nil": apiClient(nil, false), "api, own": apiClient(own, false),
	} {
		if c.Transport != SharedHTTPClient().Transport || c.CheckRedirect == nil || c == own {
			t.Errorf("%s: transport %T, policy set %t", name, c.Transport, c.CheckRedirect != nil)
		}
	}
	if own.CheckRedirect != nil || own.Transport != nil {
		t.Error("the caller's client was changed")
	}
}
