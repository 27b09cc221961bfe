package mockpartnercenter

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTokenErrors(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	formWith := func(mod func(url.Values)) url.Values {
		f := validTokenForm()
		mod(f)
		return f
	}
	tests := []struct {
		name      string
		path      string
		form      url.Values
		status    int
		errName   string
		code      int
		forbidden []string // must not be echoed
	}{
		{"unknown tenant", "/22222222-2222-2222-2222-222222222222/oauth2/v2.0/token", validTokenForm(), 400, "invalid_request", 90002, nil},
		{"wrong client id", "", formWith(func(f url.Values) { f.Set("client_id", "bad-client") }), 400, "unauthorized_client", 700016, nil},
		{"wrong secret", "", formWith(func(f url.Values) { f.Set("client_secret", "s3cret-guess") }), 401, "invalid_client", 7000215, []string{"s3cret-guess"}},
		{"no credentials", "", formWith(func(f url.Values) { f.Del("client_secret") }), 401, "invalid_client", 7000218, nil},
		{"unknown refresh token", "", formWith(func(f url.Values) { f.Set("refresh_token", "stolen-rt-value") }), 400, "invalid_grant", 70000, []string{"stolen-rt-value", DefaultClientSecret}},
		{"missing refresh token", "", formWith(func(f url.Values) { f.Del("refresh_token") }), 400, "invalid_request", 900144, nil},
		{"wrong scope", "", formWith(func(f url.Values) { f.Set("scope", "https://management.azure.com/.default") }), 400, "invalid_scope", 70011, nil},
		{"missing scope", "", formWith(func(f url.Values) { f.Del("scope") }), 400, "invalid_scope", 70011, nil},
		{"unsupported grant", "", formWith(func(f url.Values) { f.Set("grant_type", "password") }), 400, "unsupported_grant_type", 70003, nil},
		{"missing grant", "", formWith(func(f url.Values) { f.Del("grant_type") }), 400, "invalid_request", 900144, nil},
		{"secret and assertion", "", formWith(func(f url.Values) {
			f.Set("client_assertion", "a.b.c")
			f.Set("client_assertion_type", jwtBearerAssertionType)
		}), 400, "invalid_request", 7000218, []string{"a.b.c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = "/" + DefaultTenantID + "/oauth2/v2.0/token"
			}
			resp, body := postForm(t, ts.URL+path, tc.form)
			checkEntraError(t, resp, body, tc.status, tc.errName, tc.code)
			mustNotContain(t, body, append(tc.forbidden, DefaultClientSecret, DefaultRefreshToken)...)
		})
	}
}

func checkEntraError(t *testing.T, resp *http.Response, body []byte, status int, errName string, code int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d: %s", resp.StatusCode, status, body)
	}
	var e entraError
	decodeJSON(t, body, &e)
	if e.Error != errName || len(e.Codes) != 1 || e.Codes[0] != code {
		t.Fatalf("error = %s %v, want %s [%d]: %s", e.Error, e.Codes, errName, code, body)
	}
	prefix := "AADSTS" + strconv.Itoa(code) + ": "
	if !strings.HasPrefix(e.Description, prefix) || !strings.Contains(e.Description, "\r\nTrace ID: "+e.TraceID+"\r\nCorrelation ID: "+e.CorrelationID+"\r\nTimestamp: ") {
		t.Fatalf("description not Entra-shaped: %q", e.Description)
	}
	if e.Timestamp == "" || e.TraceID == "" || e.CorrelationID == "" {
		t.Fatalf("missing trace fields: %s", body)
	}
}

func TestTokenGETRejected(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	resp, err := http.Get(tokenURL(ts.URL)) //nolint:noctx // test
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e entraError
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 400 || e.Codes[0] != 900561 {
		t.Fatalf("got %d %v", resp.StatusCode, e.Codes)
	}
}

func TestTokenSuccessV2(t *testing.T) {
	s, ts := newTestServer(t, Options{TokenLifetime: 90 * time.Minute})
	resp, body := postForm(t, tokenURL(ts.URL), validTokenForm())
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var tok map[string]any
	decodeJSON(t, body, &tok)
	if tok["token_type"] != "Bearer" || tok["expires_in"] != float64(5400) || tok["ext_expires_in"] != float64(5400) ||
		tok["scope"] != DefaultAudience+"/user_impersonation" || tok["refresh_token"] != DefaultRefreshToken {
		t.Fatalf("unexpected token response: %s", body)
	}
	if got := s.IssuedAccessTokens(); len(got) != 1 || got[0] != tok["access_token"] {
		t.Fatalf("IssuedAccessTokens = %v", got)
	}
	if resp.Header.Get("Cache-Control") == "" {
		t.Error("token response should not be cacheable")
	}
}

func TestTokenSuccessVariants(t *testing.T) {
	tests := []struct {
		name string
		send func(base string) (*http.Response, []byte)
	}{
		{"v2 .default scope", func(base string) (*http.Response, []byte) {
			f := validTokenForm()
			f.Set("scope", DefaultAudience+"/.default")
			return postForm(t, tokenURL(base), f)
		}},
		{"basic auth", func(base string) (*http.Response, []byte) {
			f := validTokenForm()
			f.Del("client_id")
			f.Del("client_secret")
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, tokenURL(base), strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(url.QueryEscape(DefaultClientID), url.QueryEscape(DefaultClientSecret))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp, body
		}},
		{"tenant case-insensitive", func(base string) (*http.Response, []byte) {
			return postForm(t, base+"/"+strings.ToUpper(DefaultTenantID)+"/oauth2/v2.0/token", validTokenForm())
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ts := newTestServer(t, Options{})
			resp, body := tc.send(ts.URL)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
		})
	}
}

func TestTokenRotation(t *testing.T) {
	_, ts := newTestServer(t, Options{RotateRefreshToken: true})
	first := refreshOnce(t, ts.URL, DefaultRefreshToken)
	if first == DefaultRefreshToken || first == "" {
		t.Fatalf("refresh token not rotated: %q", first)
	}
	second := refreshOnce(t, ts.URL, first)
	if second == first {
		t.Fatal("second rotation returned the same token")
	}
	// Old refresh tokens stay valid.
	refreshOnce(t, ts.URL, DefaultRefreshToken)
}

func refreshOnce(t *testing.T, base, rt string) string {
	t.Helper()
	f := validTokenForm()
	f.Set("refresh_token", rt)
	resp, body := postForm(t, tokenURL(base), f)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	decodeJSON(t, body, &tok)
	return tok.RefreshToken
}

func TestTokenRequestsCounted(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	postForm(t, tokenURL(ts.URL), validTokenForm())
	bad := validTokenForm()
	bad.Set("client_secret", "nope")
	postForm(t, tokenURL(ts.URL), bad)
	if got := s.TokenRequests(); got != 2 {
		t.Fatalf("TokenRequests = %d, want 2", got)
	}
	if got := s.Requests(RouteToken); got != 2 {
		t.Fatalf("Requests(RouteToken) = %d, want 2", got)
	}
}
