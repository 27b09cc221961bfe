package mockpartnercenter

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const (
	testScope = DefaultAudience + "/user_impersonation offline_access"
)

// newTestServer starts the mock behind httptest on loopback.
func newTestServer(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(s.handler)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts
}

// validTokenForm is a v2 refresh_token request that succeeds with defaults.
func validTokenForm() url.Values {
	return url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {DefaultClientID},
		"client_secret": {DefaultClientSecret},
		"refresh_token": {DefaultRefreshToken},
		"scope":         {testScope},
	}
}

func tokenURL(base string) string {
	return base + "/" + DefaultTenantID + "/oauth2/v2.0/token"
}

func postForm(t *testing.T, u string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.PostForm(u, form) //nolint:noctx // test helper
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, body
}

// accessToken obtains a token through the real endpoint.
func accessToken(t *testing.T, base string) string {
	t.Helper()
	resp, body := postForm(t, tokenURL(base), validTokenForm())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token: %d %s", resp.StatusCode, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token body %s: %v", body, err)
	}
	return tok.AccessToken
}

// apiGet sends an authenticated GET to the API; headers are extra headers.
func apiGet(t *testing.T, base, token, path string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	return apiRequest(t, http.MethodGet, base, token, path, headers)
}

// apiRequest sends an API request with method, authenticated when token is
// not empty; headers are extra headers.
func apiRequest(t *testing.T, method, base, token, path string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, body
}

func decodeJSON(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode %q: %v", truncate(string(body)), err)
	}
}

// pcErrorOf decodes a Partner Center error body.
func pcErrorOf(t *testing.T, body []byte) pcError {
	t.Helper()
	var e pcError
	decodeJSON(t, body, &e)
	if e.Source != "PartnerFD" || e.Description == "" || e.Data == nil {
		t.Fatalf("not a Partner Center error body: %s", body)
	}
	return e
}

func truncate(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

// mustNotContain fails if body holds any of the secrets.
func mustNotContain(t *testing.T, body []byte, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(string(body), sec) {
			t.Fatalf("body echoes a secret %q: %s", sec, body)
		}
	}
}
