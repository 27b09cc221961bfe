package partnercenter

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// A token endpoint that echoes the request shows the secret and the refresh
// token form-encoded; neither may reach the error in any encoding.
func TestRefreshTokenSourceRedactsEchoedCredentials(t *testing.T) {
	const (
		secret  = "Qx8~abc+def/ghi=="
		refresh = "0.AXoA+rt/part=two"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		// The body as sent, form-encoded, and a JSON-escaped copy.
		_, _ = io.WriteString(w, `{"error":"invalid_client","error_description":"AADSTS7000215: bad request `+
			strings.ReplaceAll(string(body), `"`, ``)+` raw `+strings.ReplaceAll(secret, "/", `\/`)+` `+refresh+`","error_codes":[7000215]}`)
	}))
	defer srv.Close()
	cfg := testRefreshConfig(srv.URL)
	cfg.ClientSecret, cfg.RefreshToken = secret, refresh
	src, err := NewRefreshTokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(t.Context())
	if err == nil {
		t.Fatal("expected an error")
	}
	msg := err.Error()
	if !strings.Contains(msg, "[redacted]") {
		t.Fatalf("the echo was not kept with redactions: %s", msg)
	}
	for _, value := range []string{secret, refresh} {
		for _, form := range []string{value, url.QueryEscape(value), url.PathEscape(value), strings.ReplaceAll(value, "/", `\/`)} {
			if strings.Contains(msg, form) {
				t.Errorf("the error holds %q: %s", form, msg)
			}
		}
	}
}

// An API error that quotes the Authorization header, or the token alone,
// shows neither the issued token nor a configured one.
func TestAPIErrorRedactsAccessTokens(t *testing.T) {
	const configured = "opaque+access/token=="
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token := strings.TrimPrefix(auth, "Bearer ")
		writeJSON(w, http.StatusUnauthorized, `{"code":900420,"description":"Authorization: `+auth+` refused; token `+
			url.QueryEscape(token)+`","data":["`+token+`","Bearer something-else"]}`)
	})
	t.Run("issued token", func(t *testing.T) {
		env := newAPITestClient(t, echo)
		_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
			t.Fatalf("err = %v", err)
		}
		if msg := err.Error(); strings.Contains(msg, "token-1") || strings.Contains(msg, "token-2") ||
			strings.Contains(msg, "something-else") || !strings.Contains(msg, "[redacted]") {
			t.Errorf("the error shows a token: %s", msg)
		}
	})
	t.Run("configured token", func(t *testing.T) {
		env := newAPITestClient(t, echo, func(cfg *Config) { cfg.TokenSource = NewStaticTokenSource(configured) })
		_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
		if err == nil {
			t.Fatal("expected an error")
		}
		for _, form := range []string{configured, url.QueryEscape(configured), "access/token", "access%2Ftoken"} {
			if strings.Contains(err.Error(), form) {
				t.Errorf("the error holds %q: %s", form, err)
			}
		}
	})
}

// Every client made for a request carries the policy, and one without a
// transport gets the shared one, whose proxy rule knows loopback.
func TestRedirectPolicyClients(t *testing.T) {
	own := &http.Client{}
	for name, c := range map[string]*http.Client{
		"token, nil": tokenEndpointClient(nil), "token, own": tokenEndpointClient(own),
		"api, nil": apiClient(nil), "api, own": apiClient(own),
	} {
		if c.Transport != SharedHTTPClient().Transport || c.CheckRedirect == nil || c == own {
			t.Errorf("%s: transport %T, policy set %t", name, c.Transport, c.CheckRedirect != nil)
		}
	}
	if own.CheckRedirect != nil || own.Transport != nil {
		t.Error("the caller's client was changed")
	}
}
