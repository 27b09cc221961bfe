package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEntra is a token endpoint that records each form it receives and
// answers with whatever respond returns.
type fakeEntra struct {
	srv     *httptest.Server
	respond func(form url.Values) (status int, body any)

	mu    sync.Mutex
	paths []string
	forms []url.Values
}

func newFakeEntra(t *testing.T, respond func(form url.Values) (int, any)) *fakeEntra {
	t.Helper()
	f := &fakeEntra{respond: respond}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("token request form: %v", err)
		}
		f.mu.Lock()
		f.paths = append(f.paths, r.Method+" "+r.URL.Path)
		f.forms = append(f.forms, r.PostForm)
		f.mu.Unlock()
		status, body := f.respond(r.PostForm)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeEntra) form(i int) url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.forms[i]
}

func entraToken(access, refresh string) map[string]any {
	body := map[string]any{
		"token_type":     "Bearer",
		"scope":          "https://api.partnercenter.microsoft.com/user_impersonation",
		"expires_in":     3600,
		"ext_expires_in": 3600,
		"access_token":   access,
	}
	if refresh != "" {
		body["refresh_token"] = refresh
	}
	return body
}

func testRefreshConfig(authority string) RefreshTokenConfig {
	return RefreshTokenConfig{
		AuthorityHost: authority,
		TenantID:      "tenant-1",
		ClientID:      "client-1",
		ClientSecret:  "secret-value-1",
		RefreshToken:  "refresh-token-1",
		Audience:      "https://api.partnercenter.microsoft.com/",
	}
}

func TestNewRefreshTokenSourceValidation(t *testing.T) {
	a, b, _ := authTestCerts(t)
	tests := []struct {
		name    string
		edit    func(*RefreshTokenConfig)
		wantErr string
	}{
		{"valid secret", func(*RefreshTokenConfig) {}, ""},
		{"valid certificate", func(c *RefreshTokenConfig) { c.ClientSecret, c.ClientCertificate = "", a.clientCertificate() }, ""},
		{"no authority", func(c *RefreshTokenConfig) { c.AuthorityHost = "" }, "AuthorityHost must be set"},
		{"no tenant", func(c *RefreshTokenConfig) { c.TenantID = " " }, "TenantID must be set"},
		{"no client", func(c *RefreshTokenConfig) { c.ClientID = "" }, "ClientID must be set"},
		{"no refresh token", func(c *RefreshTokenConfig) { c.RefreshToken = "" }, "RefreshToken must be set"},
		{"no audience", func(c *RefreshTokenConfig) { c.Audience = "" }, "Audience must be set"},
		{"several missing", func(c *RefreshTokenConfig) { c.TenantID, c.ClientID = "", "" }, "TenantID, ClientID must be set"},
		{"no credential", func(c *RefreshTokenConfig) { c.ClientSecret = "" }, "set ClientSecret or ClientCertificate"},
		{"both credentials", func(c *RefreshTokenConfig) { c.ClientCertificate = a.clientCertificate() }, "only one of"},
		{"bad certificate", func(c *RefreshTokenConfig) {
			c.ClientSecret, c.ClientCertificate = "", &ClientCertificate{Certificate: a.cert, PrivateKey: b.key}
		}, "does not belong"},
		{"http authority", func(c *RefreshTokenConfig) { c.AuthorityHost = "http://login.example.com" }, "only https"},
		{"tenant with slash", func(c *RefreshTokenConfig) { c.TenantID = "a/b" }, "not a tenant GUID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testRefreshConfig("https://login.example.com")
			tt.edit(&cfg)
			src, err := NewRefreshTokenSource(cfg)
			if tt.wantErr == "" {
				if err != nil || src == nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), cfg.ClientSecret) && cfg.ClientSecret != "" || strings.Contains(err.Error(), cfg.RefreshToken) && cfg.RefreshToken != "" {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}
}

func TestRefreshTokenSourceClientSecret(t *testing.T) {
	entra := newFakeEntra(t, func(url.Values) (int, any) { return http.StatusOK, entraToken("access-1", "") })
	src, err := NewRefreshTokenSource(testRefreshConfig(entra.srv.URL + "/"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "access-1" || tok.TokenType != "Bearer" {
		t.Errorf("token = %+v", tok)
	}
	if d := time.Until(tok.Expiry); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("expiry in %v, want about 1h", d)
	}
	if tok.RefreshToken != "" || tok.Extra("refresh_token") != nil {
		t.Error("the returned token carries the refresh token")
	}
	if entra.paths[0] != "POST /tenant-1/oauth2/v2.0/token" {
		t.Errorf("request %q", entra.paths[0])
	}
	want := map[string]string{
		"grant_type":    "refresh_token",
		"client_id":     "client-1",
		"client_secret": "secret-value-1",
		"refresh_token": "refresh-token-1",
		"scope":         "https://api.partnercenter.microsoft.com/user_impersonation offline_access",
	}
	form := entra.form(0)
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, form.Get(k), v)
		}
	}
	if form.Has("client_assertion") || form.Has("client_assertion_type") {
		t.Error("a client assertion was sent with a secret")
	}
}

func TestRefreshTokenSourceClientCertificate(t *testing.T) {
	a, _, _ := authTestCerts(t)
	entra := newFakeEntra(t, func(url.Values) (int, any) { return http.StatusOK, entraToken("access-cert", "") })
	cfg := testRefreshConfig(entra.srv.URL)
	cfg.ClientSecret, cfg.ClientCertificate = "", a.clientCertificate()
	src, err := NewRefreshTokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if tok, err := src.Token(t.Context()); err != nil || tok.AccessToken != "access-cert" {
			t.Fatalf("Token() = %v, %v", tok, err)
		}
	}
	first, second := entra.form(0), entra.form(1)
	if first.Has("client_secret") {
		t.Error("client_secret sent with a certificate")
	}
	if first.Get("client_assertion_type") != clientAssertionType || first.Get("refresh_token") != "refresh-token-1" || first.Get("client_id") != "client-1" {
		t.Errorf("form = %v", first)
	}
	verifyClientAssertion(t, first.Get("client_assertion"), a, "client-1", entra.srv.URL+"/tenant-1/oauth2/v2.0/token")
	if first.Get("client_assertion") == second.Get("client_assertion") {
		t.Error("the assertion was reused: each token request needs a fresh one")
	}
}

func TestRefreshTokenSourceRotation(t *testing.T) {
	// The first and third answers rotate the refresh token, the second
	// keeps it (no refresh_token field).
	answers := []string{"refresh-token-2", "", "refresh-token-3", ""}
	var n int
	entra := newFakeEntra(t, func(url.Values) (int, any) {
		rt := answers[n]
		n++
		return http.StatusOK, entraToken("access", rt)
	})
	src, err := NewRefreshTokenSource(testRefreshConfig(entra.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	for range answers {
		if _, err := src.Token(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"refresh-token-1", "refresh-token-2", "refresh-token-2", "refresh-token-3"}
	for i, w := range want {
		if got := entra.form(i).Get("refresh_token"); got != w {
			t.Errorf("request %d sent %q, want %q", i, got, w)
		}
	}
}

func TestRefreshTokenSourceKeepsTokenAfterFailure(t *testing.T) {
	fail := true
	entra := newFakeEntra(t, func(url.Values) (int, any) {
		if fail {
			return http.StatusServiceUnavailable, map[string]any{"error": "temporarily_unavailable"}
		}
		return http.StatusOK, entraToken("access", "")
	})
	src, err := NewRefreshTokenSource(testRefreshConfig(entra.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Token(t.Context()); err == nil {
		t.Fatal("expected an error")
	}
	fail = false
	if _, err := src.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := entra.form(1).Get("refresh_token"); got != "refresh-token-1" {
		t.Errorf("after a failure the source sent %q", got)
	}
}

func TestRefreshTokenSourceUsesHTTPClient(t *testing.T) {
	entra := newFakeEntra(t, func(url.Values) (int, any) { return http.StatusOK, entraToken("access", "") })
	var calls int
	cfg := testRefreshConfig(entra.srv.URL)
	cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return http.DefaultTransport.RoundTrip(r)
	})}
	src, err := NewRefreshTokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("the configured HTTP client made %d calls, want 1", calls)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRefreshTokenSourceCancellation(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the whole body lets the server notice the client
		// hanging up, which cancels r.Context().
		_, _ = io.Copy(io.Discard, r.Body)
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release) // runs before Close, so the handler cannot block it
	src, err := NewRefreshTokenSource(testRefreshConfig(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-arrived
		cancel()
	}()
	start := time.Now()
	_, err = src.Token(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if errors.Is(err, ErrAuthentication) {
		t.Error("a cancellation was reported as an authentication failure")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to notice the cancellation", d)
	}
}

func TestRefreshTokenSourceNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	authority := srv.URL
	srv.Close() // nothing listens there any more
	cfg := testRefreshConfig(authority)
	src, err := NewRefreshTokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(t.Context())
	if err == nil {
		t.Fatal("expected an error")
	}
	if errors.Is(err, ErrAuthentication) {
		t.Errorf("a network error was reported as an authentication failure: %v", err)
	}
	if !strings.Contains(err.Error(), authority+"/tenant-1/oauth2/v2.0/token") {
		t.Errorf("error does not name the token URL: %v", err)
	}
	for _, secret := range []string{cfg.ClientSecret, cfg.RefreshToken} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error leaks %q", secret)
		}
	}
}
