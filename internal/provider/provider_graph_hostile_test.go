package provider

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Graph hosts that misbehave on purpose, and the TRACE log of every flow
// that reads Graph: no Graph token, nor any other secret, leaves the
// provider for a place it was not meant for.

const gdapList = `
data "` + gdapListType + `" "all" {}
`

// graphAt configures the refresh-token flow against the mock, with Graph at
// graphEndpoint; the secrets come from the environment, which the test
// framework does not log as it logs configurations.
func graphAt(mock *mockpartnercenter.Server, graphEndpoint string) string {
	return fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %[1]q
  authority_host = %[1]q
  graph_endpoint = %[2]q
  tenant_id      = %[3]q
  client_id      = %[4]q
}
`, mock.URL(), graphEndpoint, acctest.MockTenantID, acctest.MockClientID) + gdapList
}

// Entra ID secrets and refresh tokens hold +, / and =.
const (
	graphTestSecret       = "Gq8~graph+secret/value="
	graphTestRefreshToken = "0.AXoA+graph/refresh==token"
)

func mockWithGraphSecrets(t *testing.T) *mockpartnercenter.Server {
	t.Helper()
	mock := acctest.StartMock(t, mockpartnercenter.Options{ClientSecret: graphTestSecret, RefreshToken: graphTestRefreshToken, RotateRefreshToken: true})
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", graphTestSecret)
	t.Setenv("PARTNERCENTER_REFRESH_TOKEN", graphTestRefreshToken)
	return mock
}

// allSecretForms are values raw, URL-, form- and JSON-encoded, and
// base64-encoded alone and inside an encoded Authorization header.
func allSecretForms(values ...string) []string {
	out := acctest.SecretForms(values...)
	for _, v := range values {
		if len(v) < 8 {
			continue // empty, as a grant's unused fields are
		}
		header := base64.StdEncoding.EncodeToString([]byte("Bearer " + v))
		// The characters of the header's encoding that encode v alone.
		out = append(out, base64.StdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v)),
			header[len("Bearer ")*8/6+2:(len("Bearer ")+len(v))*8/6])
	}
	return out
}

// mockSecrets are the credential's secrets and every token the mock issued
// or was shown, as known now.
func mockSecrets(mock *mockpartnercenter.Server, extra ...string) []string {
	values := append([]string{graphTestSecret, graphTestRefreshToken}, extra...)
	values = append(values, mock.IssuedAccessTokens()...)
	for _, g := range mock.TokenGrants() {
		values = append(values, g.RefreshToken, g.IssuedRefreshToken, g.FederatedToken)
	}
	return allSecretForms(values...)
}

// A Graph host redirecting the list elsewhere does not get the token
// carried there.
func TestAccProvider_graphRedirectNotFollowed(t *testing.T) {
	mock := mockWithGraphSecrets(t)
	collector := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"value":[]}`)
	})
	graph := startHostile(t, true, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, collector.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	})
	expectErrorWithout(t, graphAt(mock, graph.URL),
		acctest.ErrorPattern(fmt.Sprintf(`Microsoft Graph.*HTTP 307 with a redirect from %s to %s`, regexp.QuoteMeta(graph.URL), regexp.QuoteMeta(collector.URL))))
	if n := collector.requests.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
	if graph.requests.Load() == 0 || len(mock.TokenGrants()) == 0 {
		t.Error("no Graph token was sent to the redirecting host: nothing was tested")
	}
}

// echoingGraph answers every request with Graph's 401 quoting the
// Authorization header and the token JSON-escaped, base64- and URL-encoded.
func echoingGraph(t *testing.T) *hostileServer {
	return startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token := strings.TrimPrefix(auth, "Bearer ")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("request-id", "9a1d5e2c-0b7f-4c3e-8d6a-2f4b1e7c9d05")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"code": "InvalidAuthenticationToken",
			"message": "Authorization: " + auth + " refused; token " + url.QueryEscape(token) + " (" +
				base64.StdEncoding.EncodeToString([]byte(token)) + ", header " + base64.StdEncoding.EncodeToString([]byte(auth)) + ")",
			"innerError": map[string]any{"request-id": "9a1d5e2c-0b7f-4c3e-8d6a-2f4b1e7c9d05", "echo": token},
		}})
	})
}

// A Graph error quoting the token in every encoding shows none of them, in
// the error or in the TRACE log: with a token the provider obtained and with
// graph_access_token.
func TestAccProvider_graphEchoedTokenRedacted(t *testing.T) {
	const graphAccessToken = "opaque+graph/access=token-7c2e"
	mock := mockWithGraphSecrets(t)
	graph := echoingGraph(t)
	logPath := acctest.CaptureTraceLog(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		ErrorCheck: func(err error) error {
			return acctest.ErrorWithout(acctest.ErrorPattern(`Microsoft Graph rejected the credentials.*\[redacted\].*request-id: 9a1d5e2c`),
				mockSecrets(mock, graphAccessToken)...)(err)
		},
		Steps: []resource.TestStep{acctest.FailingStep(graphAt(mock, graph.URL))},
	})
	t.Setenv("PARTNERCENTER_GRAPH_ACCESS_TOKEN", graphAccessToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		ErrorCheck: func(err error) error {
			return acctest.ErrorWithout(acctest.ErrorPattern(`Microsoft Graph rejected the credentials.*\[redacted\]`), mockSecrets(mock, graphAccessToken)...)(err)
		},
		Steps: []resource.TestStep{acctest.FailingStep(graphAt(mock, graph.URL))},
	})
	if graph.requests.Load() < 2 {
		t.Fatalf("the echoing Graph host answered %d requests", graph.requests.Load())
	}
	checkLogHasNone(t, logPath, mockSecrets(mock, graphAccessToken))
}

// A next link to another origin is not followed: the list stops at the
// first page, and the other host sees no request.
func TestAccProvider_graphNextLinkToAnotherOriginRefused(t *testing.T) {
	mock := mockWithGraphSecrets(t)
	collector := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"value":[]}`)
	})
	graph := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"value":[{"id":"rel-1","displayName":"a"}],"@odata.nextLink":%q}`,
			collector.URL+"/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=2")
	})
	expectErrorWithout(t, graphAt(mock, graph.URL),
		acctest.ErrorPattern(`Unexpected response from Microsoft Graph.*next page link.*leaves `+regexp.QuoteMeta(graph.URL)), mockSecrets(mock)...)
	if n := collector.requests.Load(); n != 0 {
		t.Errorf("the other origin received %d requests", n)
	}
	if n := graph.requests.Load(); n != 1 {
		t.Errorf("the Graph host answered %d requests; want the first page only", n)
	}
}

// Plain http to a Graph host other than this machine is refused at plan,
// before any token request.
func TestAccProvider_graphEndpointPlainHTTPRefused(t *testing.T) {
	mock := mockWithGraphSecrets(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:      graphAt(mock, "http://graph.example.com"),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(`Invalid URL.*graph_endpoint.*uses http: only https is allowed`),
		}},
	})
	if n := mock.TokenRequests() + mock.TotalAPIRequests(); n != 0 {
		t.Errorf("%d requests were sent for a configuration with an error", n)
	}
}

func checkLogHasNone(t *testing.T, logPath string, forbidden []string) {
	t.Helper()
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the captured log: %v", err)
	}
	log := string(raw)
	// The log must be the provider's own, with Graph requests in it, or
	// finding nothing proves nothing.
	for _, want := range []string{"Partner Center provider configured", "delegatedAdminRelationships"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the captured log (%d bytes) lacks %q: it is not the provider's TRACE log of a Graph read", len(log), want)
		}
	}
	for _, value := range forbidden {
		if i := strings.Index(log, value); value != "" && i >= 0 {
			t.Errorf("the TRACE log contains a secret value of length %d, here: %q", len(value), excerpt(log, i, value))
		}
	}
}

// At TRACE, reading GDAP with each flow logs no access token (Graph's or
// Partner Center's), refresh token, client secret, request token or
// graph_access_token, in any encoding.
func TestAccProvider_graphSecretsNeverLogged(t *testing.T) {
	const requestToken = "oidc-request-token-1b8f3d5a"
	const graphAccessToken = "opaque+graph/access=token-4d9a"
	tests := []struct {
		name  string
		setup func(t *testing.T, mock *mockpartnercenter.Server) string
	}{
		{"refresh token", func(t *testing.T, mock *mockpartnercenter.Server) string { return graphAt(mock, mock.GraphURL()) }},
		{"App-only", func(t *testing.T, mock *mockpartnercenter.Server) string {
			t.Setenv("PARTNERCENTER_REFRESH_TOKEN", "")
			return graphAt(mock, mock.GraphURL())
		}},
		{"GitHub Actions", func(t *testing.T, mock *mockpartnercenter.Server) string {
			t.Setenv("PARTNERCENTER_REFRESH_TOKEN", "")
			t.Setenv("PARTNERCENTER_CLIENT_SECRET", "")
			t.Setenv("ARM_USE_OIDC", "true")
			t.Setenv("ACTIONS_ID_TOKEN_REQUEST_URL", mock.GitHubActionsRequestURL())
			t.Setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", requestToken)
			return graphAt(mock, mock.GraphURL())
		}},
		{"access_token and graph_access_token", func(t *testing.T, mock *mockpartnercenter.Server) string {
			t.Setenv("PARTNERCENTER_ACCESS_TOKEN", issueMockToken(t, mock, graphTestSecret, graphTestRefreshToken, mockpartnercenter.DefaultAudience+"/user_impersonation offline_access"))
			t.Setenv("PARTNERCENTER_GRAPH_ACCESS_TOKEN", issueMockToken(t, mock, graphTestSecret, graphTestRefreshToken, graphRefreshTokenScope))
			return graphAt(mock, mock.GraphURL())
		}},
		{"refused graph_access_token", func(t *testing.T, mock *mockpartnercenter.Server) string {
			t.Setenv("PARTNERCENTER_GRAPH_ACCESS_TOKEN", graphAccessToken)
			return graphAt(mock, mock.GraphURL())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{ClientSecret: graphTestSecret, RefreshToken: graphTestRefreshToken,
				RotateRefreshToken: true, OIDCRequestToken: requestToken})
			t.Setenv("PARTNERCENTER_CLIENT_SECRET", graphTestSecret)
			t.Setenv("PARTNERCENTER_REFRESH_TOKEN", graphTestRefreshToken)
			seedRelationship(t, mock)
			config := tt.setup(t, mock)
			logPath := acctest.CaptureTraceLog(t)
			tc := resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps:                    []resource.TestStep{{Config: config, Check: resource.TestCheckResourceAttr("data."+gdapListType+".all", "relationships.#", "1")}},
			}
			if tt.name == "refused graph_access_token" {
				tc.ErrorCheck = func(err error) error {
					return acctest.ErrorWithout(acctest.ErrorPattern(`Microsoft Graph rejected the credentials.*HTTP 401`), mockSecrets(mock, requestToken, graphAccessToken)...)(err)
				}
				tc.Steps = []resource.TestStep{acctest.FailingStep(config)}
			}
			resource.Test(t, tc)
			if mock.Requests(mockpartnercenter.RouteGDAPRelationships) == 0 {
				t.Fatal("Graph was not read")
			}
			checkLogHasNone(t, logPath, mockSecrets(mock, requestToken, graphAccessToken))
		})
	}
}
