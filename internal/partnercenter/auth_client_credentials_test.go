package partnercenter

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

func testClientCredentialsConfig(authority string) ClientCredentialsConfig {
	return ClientCredentialsConfig{
		AuthorityHost: authority,
		TenantID:      "tenant-1",
		ClientID:      "app-only-client",
		ClientSecret:  "secret-value-1",
		Audience:      "https://api.partnercenter.microsoft.com/",
	}
}

func TestNewClientCredentialsSourceValidation(t *testing.T) {
	a, _, _ := authTestCerts(t)
	tests := []struct {
		name    string
		edit    func(*ClientCredentialsConfig)
		wantErr string
	}{
		{"secret", func(*ClientCredentialsConfig) {}, ""},
		{"certificate", func(c *ClientCredentialsConfig) { c.ClientSecret, c.ClientCertificate = "", a.clientCertificate() }, ""},
		{"federated token", func(c *ClientCredentialsConfig) {
			c.ClientSecret, c.FederatedToken = "", &FederatedToken{Token: "id-token"}
		}, ""},
		{"GitHub Actions", func(c *ClientCredentialsConfig) {
			c.ClientSecret, c.FederatedToken = "", &FederatedToken{RequestURL: "https://ci.example.com/idtoken?api-version=2.0", RequestToken: "rt"}
		}, ""},
		{"no credential", func(c *ClientCredentialsConfig) { c.ClientSecret = "" }, "set exactly one of ClientSecret"},
		{"secret and federated token", func(c *ClientCredentialsConfig) { c.FederatedToken = &FederatedToken{Token: "id-token"} }, "set exactly one of ClientSecret"},
		{"two federated sources", func(c *ClientCredentialsConfig) {
			c.ClientSecret, c.FederatedToken = "", &FederatedToken{Token: "id-token", File: "/tmp/token"}
		}, "exactly one of Token, File and RequestURL"},
		{"request URL without request token", func(c *ClientCredentialsConfig) {
			c.ClientSecret, c.FederatedToken = "", &FederatedToken{RequestURL: "https://ci.example.com/idtoken"}
		}, "RequestToken must be set"},
		{"plain http request URL", func(c *ClientCredentialsConfig) {
			c.ClientSecret, c.FederatedToken = "", &FederatedToken{RequestURL: "http://ci.example.com/idtoken?x=1", RequestToken: "rt"}
		}, "only https is allowed"},
		{"no tenant", func(c *ClientCredentialsConfig) { c.TenantID = "" }, "TenantID must be set"},
		{"http authority", func(c *ClientCredentialsConfig) { c.AuthorityHost = "http://login.example.com" }, "only https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testClientCredentialsConfig("https://login.example.com")
			tt.edit(&cfg)
			_, err := NewClientCredentialsSource(cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestCheckRequestURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://pipelines.actions.githubusercontent.com/abc/idtoken?api-version=2.0":               true,
		"https://dev.azure.com/contoso/1/_apis/distributedtask/hubs/build/plans/2/jobs/3/oidctoken": true,
		"http://127.0.0.1:8080/idtoken?api-version=2.0":                                             true,
		"http://ci.example.com/idtoken":                                                             false,
		"https://user:pass@ci.example.com/idtoken":                                                  false,
		"ftp://ci.example.com/idtoken":                                                              false,
		"/idtoken":                                                                                  false,
	} {
		if err := CheckRequestURL(raw); (err == nil) != ok {
			t.Errorf("CheckRequestURL(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}

// The grant: client_credentials with scope {audience}/.default, the
// application's proof in the form, no refresh token anywhere.
func TestClientCredentialsSourceGrant(t *testing.T) {
	a, _, _ := authTestCerts(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("id-token-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		edit  func(*ClientCredentialsConfig)
		check func(t *testing.T, form url.Values, tokenURL string)
	}{
		{"secret", func(*ClientCredentialsConfig) {}, func(t *testing.T, form url.Values, _ string) {
			if form.Get("client_secret") != "secret-value-1" || form.Has("client_assertion") {
				t.Errorf("form = %v", form)
			}
		}},
		{"certificate", func(c *ClientCredentialsConfig) { c.ClientSecret, c.ClientCertificate = "", a.clientCertificate() },
			func(t *testing.T, form url.Values, tokenURL string) {
				if form.Has("client_secret") || form.Get("client_assertion_type") != clientAssertionType {
					t.Errorf("form = %v", form)
				}
				verifyClientAssertion(t, form.Get("client_assertion"), a, "app-only-client", tokenURL)
			}},
		{"federated token", func(c *ClientCredentialsConfig) {
			c.ClientSecret, c.FederatedToken = "", &FederatedToken{Token: "the-id-token"}
		},
			func(t *testing.T, form url.Values, _ string) {
				if form.Has("client_secret") || form.Get("client_assertion") != "the-id-token" || form.Get("client_assertion_type") != clientAssertionType {
					t.Errorf("form = %v", form)
				}
			}},
		{"federated token file", func(c *ClientCredentialsConfig) {
			c.ClientSecret, c.FederatedToken = "", &FederatedToken{File: tokenFile}
		},
			func(t *testing.T, form url.Values, _ string) {
				if form.Get("client_assertion") != "id-token-from-file" {
					t.Errorf("client_assertion = %q", form.Get("client_assertion"))
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entra := newFakeEntra(t, func(url.Values) (int, any) { return http.StatusOK, entraToken("access-1", "") })
			cfg := testClientCredentialsConfig(entra.srv.URL)
			tt.edit(&cfg)
			src, err := NewClientCredentialsSource(cfg)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := src.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken != "access-1" {
				t.Errorf("token = %+v", tok)
			}
			form := entra.form(0)
			if form.Get("grant_type") != "client_credentials" || form.Get("client_id") != "app-only-client" ||
				form.Get("scope") != "https://api.partnercenter.microsoft.com/.default" || form.Has("refresh_token") {
				t.Errorf("form = %v", form)
			}
			if entra.paths[0] != "POST /tenant-1/oauth2/v2.0/token" {
				t.Errorf("path = %q", entra.paths[0])
			}
			tt.check(t, form, entra.srv.URL+"/tenant-1/oauth2/v2.0/token")
		})
	}
}

// A token file is read again for every access token: whoever writes it
// replaces the token before it expires.
func TestClientCredentialsSourceRereadsTokenFile(t *testing.T) {
	entra := newFakeEntra(t, func(url.Values) (int, any) { return http.StatusOK, entraToken("access", "") })
	tokenFile := filepath.Join(t.TempDir(), "token")
	cfg := testClientCredentialsConfig(entra.srv.URL)
	cfg.ClientSecret, cfg.FederatedToken = "", &FederatedToken{File: tokenFile}
	src, err := NewClientCredentialsSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, tok := range []string{"first-id-token", "second-id-token"} {
		if err := os.WriteFile(tokenFile, []byte(tok), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := src.Token(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := entra.form(i).Get("client_assertion"); got != tok {
			t.Errorf("request %d: client_assertion = %q, want %q", i, got, tok)
		}
	}
	if err := os.Remove(tokenFile); err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(t.Context())
	if !errors.Is(err, ErrAuthentication) || !strings.Contains(err.Error(), "federated token file cannot be read") {
		t.Fatalf("err = %v", err)
	}
}

// ciServer is a GitHub Actions or Azure DevOps ID-token endpoint that counts
// its requests and answers with answer.
type ciServer struct {
	srv      *httptest.Server
	requests atomic.Int32
	last     atomic.Pointer[http.Request]
}

func newCIServer(t *testing.T, handler http.HandlerFunc) *ciServer {
	t.Helper()
	c := &ciServer{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.requests.Add(1)
		c.last.Store(r.Clone(r.Context()))
		handler(w, r)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

// Each access token gets a new ID token from the CI system, requested as
// GitHub Actions and Azure DevOps expect.
func TestClientCredentialsSourceCIRequests(t *testing.T) {
	tests := []struct {
		name         string
		path         string
		connectionID string
		check        func(t *testing.T, r *http.Request)
		answer       func(n int32) string
	}{
		{
			name: "GitHub Actions", path: "/idtoken?api-version=2.0",
			check: func(t *testing.T, r *http.Request) {
				q := r.URL.Query()
				if r.Method != http.MethodGet || q.Get("api-version") != "2.0" || q.Get("audience") != "api://AzureADTokenExchange" {
					t.Errorf("%s %s", r.Method, r.URL)
				}
			},
			answer: func(n int32) string { return `{"count":1,"value":"gh-id-token-` + strconv.Itoa(int(n)) + `"}` },
		},
		{
			name: "Azure DevOps", path: "/oidctoken", connectionID: "conn-1",
			check: func(t *testing.T, r *http.Request) {
				q := r.URL.Query()
				if r.Method != http.MethodPost || q.Get("api-version") != "7.1" || q.Get("serviceConnectionId") != "conn-1" {
					t.Errorf("%s %s", r.Method, r.URL)
				}
			},
			answer: func(n int32) string { return `{"oidcToken":"gh-id-token-` + strconv.Itoa(int(n)) + `"}` },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ci *ciServer
			ci = newCIServer(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer request-token-1" {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				tt.check(t, r)
				_, _ = w.Write([]byte(tt.answer(ci.requests.Load())))
			})
			entra := newFakeEntra(t, func(url.Values) (int, any) { return http.StatusOK, entraToken("access", "") })
			cfg := testClientCredentialsConfig(entra.srv.URL)
			cfg.ClientSecret = ""
			cfg.FederatedToken = &FederatedToken{RequestURL: ci.srv.URL + tt.path, RequestToken: "request-token-1", ServiceConnectionID: tt.connectionID}
			src, err := NewClientCredentialsSource(cfg)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				if _, err := src.Token(t.Context()); err != nil {
					t.Fatal(err)
				}
				want := "gh-id-token-" + strconv.Itoa(i+1)
				if got := entra.form(i).Get("client_assertion"); got != want {
					t.Errorf("access token %d: client_assertion = %q, want %q (a fresh ID token)", i, got, want)
				}
			}
			if n := ci.requests.Load(); n != 2 {
				t.Errorf("%d ID-token requests, want 2", n)
			}
		})
	}
}

// The request token goes to the configured host only: a redirect from the
// ID-token endpoint is not followed, and nothing reaches the other host.
func TestClientCredentialsSourceRequestTokenNotRedirected(t *testing.T) {
	elsewhere := newCIServer(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"value":"stolen"}`)) })
	ci := newCIServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.srv.URL+"/collect", http.StatusTemporaryRedirect)
	})
	entra := newFakeEntra(t, func(url.Values) (int, any) { return http.StatusOK, entraToken("access", "") })
	cfg := testClientCredentialsConfig(entra.srv.URL)
	cfg.ClientSecret = ""
	cfg.FederatedToken = &FederatedToken{RequestURL: ci.srv.URL + "/idtoken?api-version=2.0", RequestToken: "request-token-7f3a"}
	src, err := NewClientCredentialsSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(t.Context())
	if !errors.Is(err, ErrAuthentication) || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("err = %v", err)
	}
	if n := elsewhere.requests.Load(); n != 0 {
		t.Fatalf("the redirect was followed: %d requests reached the other host", n)
	}
	if len(entra.forms) != 0 {
		t.Fatal("a token request was sent without an ID token")
	}
}

// Servers that echo what they were sent never get a secret into an error.
func TestClientCredentialsSourceErrorsHideSecrets(t *testing.T) {
	ci := newCIServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"bad token ` + r.Header.Get("Authorization") + `"}`))
	})
	entra := newFakeEntra(t, func(form url.Values) (int, any) {
		return http.StatusUnauthorized, map[string]any{
			"error":             "invalid_client",
			"error_description": "AADSTS70021: No matching federated identity record found for presented assertion " + form.Get("client_assertion") + ".",
			"error_codes":       []int{70021},
		}
	})
	tests := []struct {
		name, want string
		fed        FederatedToken
		secrets    []string
	}{
		{"ID-token endpoint echoes the request token", "refused to issue an ID token",
			FederatedToken{RequestURL: ci.srv.URL + "/idtoken", RequestToken: "request-token-9c2e"}, []string{"request-token-9c2e"}},
		{"Entra ID echoes the federated token", "matches no federated credential",
			FederatedToken{Token: "federated-token-4d1b"}, []string{"federated-token-4d1b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testClientCredentialsConfig(entra.srv.URL)
			cfg.ClientSecret, cfg.FederatedToken = "", &tt.fed
			src, err := NewClientCredentialsSource(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.Token(t.Context())
			if !errors.Is(err, ErrAuthentication) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			for _, secret := range tt.secrets {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("the error holds a secret: %v", err)
				}
			}
		})
	}
}

// The ID-token request's query may carry run identifiers: it is shown
// neither by the provider nor by the wrapped *url.Error.
func TestFederatedTokenRequestErrorHidesQuery(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	fed := &FederatedToken{RequestURL: closed.URL + "/idtoken?run=run-identifier-42", RequestToken: "request-token"}
	_, err := fed.idToken(t.Context(), tokenEndpointClient(nil))
	if err == nil || strings.Contains(err.Error(), "run-identifier-42") || !strings.Contains(err.Error(), closed.URL+"/idtoken") {
		t.Errorf("got %v", err)
	}
}
