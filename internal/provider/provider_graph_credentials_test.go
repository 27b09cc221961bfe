package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Microsoft Graph's token audience and the scopes the provider asks for it:
// the refresh-token flow adds offline_access to keep getting refresh tokens
// (Microsoft identity platform, "Refresh the access token").
const (
	graphAudience          = mockpartnercenter.DefaultGraphAudience
	graphAppOnlyScope      = graphAudience + "/.default"
	graphRefreshTokenScope = graphAudience + "/.default offline_access"
)

// gdapListType is the data source through which these tests read Microsoft
// Graph: it lists GDAP relationships, optionally of one customer.
const gdapListType = "partnercenter_gdap_relationships"

// seedRelationship gives the mock one GDAP relationship with the documented
// customer and returns its id.
func seedRelationship(t *testing.T, mock *mockpartnercenter.Server) string {
	t.Helper()
	id, err := mock.AddGDAPRelationship(map[string]any{
		"displayName": "Contoso helpdesk", "duration": "P730D",
		"customer":      map[string]any{"tenantId": acctest.DocumentedID, "displayName": "Contoso"},
		"accessDetails": map[string]any{"unifiedRoles": []any{map[string]any{"roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// customerThenGDAP reads the documented customer, then lists its GDAP
// relationships: one read after the other, so that the second token request
// of a provider process follows the first.
const customerThenGDAP = customerByID + `
data "` + gdapListType + `" "all" {
  customer_id = data.partnercenter_customer.test.id
}
`

// gdapThenCustomer lists the GDAP relationships, then reads the customer.
const gdapThenCustomer = `
data "` + gdapListType + `" "all" {}

data "partnercenter_customer" "test" {
  id = length(data.` + gdapListType + `.all.relationships) > 0 ? "` + acctest.DocumentedID + `" : "none"
}
`

func listsSeeded(id string) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(
		resource.TestCheckResourceAttr("data."+gdapListType+".all", "relationships.#", "1"),
		resource.TestCheckResourceAttr("data."+gdapListType+".all", "relationships.0.id", id),
	)
}

// graphRequests are the requests the mock's Graph listener received.
func graphRequests(mock *mockpartnercenter.Server) []mockpartnercenter.RecordedRequest {
	return slices.DeleteFunc(mock.RecordedRequests(), func(r mockpartnercenter.RecordedRequest) bool {
		return !strings.HasPrefix(r.Path, "/v1.0/")
	})
}

// bearerTokens are the distinct bearer tokens of requests.
func bearerTokens(requests []mockpartnercenter.RecordedRequest) []string {
	var out []string
	for _, r := range requests {
		if tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "); !slices.Contains(out, tok) {
			out = append(out, tok)
		}
	}
	return out
}

// checkTokensKeptApart asserts that Graph was read, that the Graph requests
// carried tokens issued for Graph and the Partner Center requests others.
func checkTokensKeptApart(t *testing.T, mock *mockpartnercenter.Server) {
	t.Helper()
	graph := graphRequests(mock)
	if len(graph) == 0 || mock.Requests(mockpartnercenter.RouteGDAPRelationships) != len(graph) {
		t.Fatalf("%d Graph requests, %d GDAP list requests: want the list alone", len(graph), mock.Requests(mockpartnercenter.RouteGDAPRelationships))
	}
	pc := slices.DeleteFunc(mock.RecordedRequests(), func(r mockpartnercenter.RecordedRequest) bool { return strings.HasPrefix(r.Path, "/v1.0/") })
	for _, tok := range bearerTokens(graph) {
		if slices.Contains(bearerTokens(pc), tok) {
			t.Fatal("a token was sent to both Graph and Partner Center")
		}
	}
	for _, r := range graph {
		if r.Header.Get("client-request-id") == "" || r.Header.Get("MS-RequestId") != "" {
			t.Fatalf("a Graph request without Graph's request id header or with Partner Center's: %v", r.Header)
		}
	}
}

// checkRefreshTokenGrants asserts one Partner Center and one Graph token per
// provider process, each with the scope for its API, and that the refresh
// token one answer rotated is the one the next request redeemed. graphFirst
// says which API each process asks first.
func checkRefreshTokenGrants(t *testing.T, mock *mockpartnercenter.Server, clientAuth string, graphFirst bool) {
	t.Helper()
	grants := mock.TokenGrants()
	if len(grants) == 0 || len(grants)%2 != 0 {
		t.Fatalf("%d token grants: want a Partner Center and a Graph token per provider process", len(grants))
	}
	for i, g := range grants {
		wantAudience, wantScope := mockpartnercenter.DefaultAudience, "user_impersonation"
		if (i%2 == 0) == graphFirst {
			wantAudience, wantScope = graphAudience, graphRefreshTokenScope
		}
		if g.GrantType != "refresh_token" || g.ClientAuth != clientAuth || g.Audience != wantAudience || !strings.Contains(g.Scope, wantScope) {
			t.Fatalf("grant %d: %s with %s for %s, scope %q; want refresh_token with %s for %s, scope with %q",
				i, g.GrantType, g.ClientAuth, g.Audience, g.Scope, clientAuth, wantAudience, wantScope)
		}
		if g.IssuedRefreshToken == g.RefreshToken {
			t.Fatalf("grant %d: the mock did not rotate the refresh token", i)
		}
		if i%2 == 0 && g.RefreshToken != acctest.MockRefreshToken {
			t.Fatalf("grant %d, the first of a process, redeemed another refresh token than the configured one", i)
		}
		if i%2 == 1 && g.RefreshToken != grants[i-1].IssuedRefreshToken {
			t.Fatalf("grant %d redeemed a refresh token other than the one grant %d rotated", i, i-1)
		}
	}
	t.Logf("%d provider processes, %d token grants", len(grants)/2, len(grants))
}

func pkcs12File(t *testing.T) (*mockpartnercenter.Options, string) {
	t.Helper()
	cert, key := newTestCertificate(t)
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, "pfx-password")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "partner-app.pfx")
	if err := os.WriteFile(path, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
	return &mockpartnercenter.Options{ClientCertificate: cert}, fmt.Sprintf("client_certificate_path = %q\n  client_certificate_password = \"pfx-password\"", path)
}

// App+User: each provider process redeems the refresh token once for
// Partner Center and once for Graph, whichever it reads first, and passes
// the rotated refresh token from one request to the next.
func TestAccProvider_graphAppUserTokens(t *testing.T) {
	for _, tt := range []struct {
		name       string
		config     string
		graphFirst bool
	}{{"customer first", customerThenGDAP, false}, {"GDAP first", gdapThenCustomer, true}} {
		for _, auth := range []string{"client_secret", "certificate"} {
			t.Run(tt.name+" with "+auth, func(t *testing.T) {
				opts, credential := &mockpartnercenter.Options{}, fmt.Sprintf("client_secret = %q", acctest.MockClientSecret)
				if auth == "certificate" {
					opts, credential = pkcs12File(t)
				}
				opts.RotateRefreshToken = true
				mock := acctest.StartMock(t, *opts)
				id := seedRelationship(t, mock)
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: acctest.TestAccProviders,
					Steps: []resource.TestStep{{
						Config: acctest.RefreshTokenProviderBlock(mock, credential) + tt.config,
						Check:  resource.ComposeAggregateTestCheckFunc(listsSeeded(id), readsDocumentedCustomer),
					}},
				})
				checkRefreshTokenGrants(t, mock, auth, tt.graphFirst)
				checkTokensKeptApart(t, mock)
			})
		}
	}
}

// checkAppOnlyGraphGrants asserts that the Graph tokens came from the client
// credentials grant with scope {graph}/.default, one per provider process
// like the Partner Center ones.
func checkAppOnlyGraphGrants(t *testing.T, mock *mockpartnercenter.Server, clientAuth string) {
	t.Helper()
	var graph, pc int
	for i, g := range mock.TokenGrants() {
		if g.GrantType != "client_credentials" || g.ClientAuth != clientAuth {
			t.Fatalf("grant %d: %s with %s; want client_credentials with %s", i, g.GrantType, g.ClientAuth, clientAuth)
		}
		switch {
		case g.Audience == graphAudience && g.Scope == graphAppOnlyScope:
			graph++
		case g.Audience == mockpartnercenter.DefaultAudience && g.Scope == mockpartnercenter.DefaultAudience+"/.default":
			pc++
		default:
			t.Fatalf("grant %d: scope %q for %s", i, g.Scope, g.Audience)
		}
	}
	if graph == 0 || graph != pc {
		t.Fatalf("%d Graph and %d Partner Center tokens: want one of each per provider process", graph, pc)
	}
	checkTokensKeptApart(t, mock)
}

// App-only with a secret, a certificate and federated tokens from GitHub
// Actions and Azure DevOps: Graph tokens through client_credentials.
func TestAccProvider_graphAppOnlyTokens(t *testing.T) {
	tests := []struct {
		name, clientAuth string
		setup            func(t *testing.T) (mockpartnercenter.Options, func(mock *mockpartnercenter.Server) string)
	}{
		{"client secret", "client_secret", func(*testing.T) (mockpartnercenter.Options, func(*mockpartnercenter.Server) string) {
			return mockpartnercenter.Options{}, func(*mockpartnercenter.Server) string {
				return fmt.Sprintf("client_secret = %q", acctest.MockClientSecret)
			}
		}},
		{"certificate", "certificate", func(t *testing.T) (mockpartnercenter.Options, func(*mockpartnercenter.Server) string) {
			opts, credential := pkcs12File(t)
			return *opts, func(*mockpartnercenter.Server) string { return credential }
		}},
		{"GitHub Actions", "federated", func(t *testing.T) (mockpartnercenter.Options, func(*mockpartnercenter.Server) string) {
			return mockpartnercenter.Options{}, func(mock *mockpartnercenter.Server) string {
				t.Setenv("ACTIONS_ID_TOKEN_REQUEST_URL", mock.GitHubActionsRequestURL())
				t.Setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", mockpartnercenter.DefaultOIDCRequestToken)
				return "use_oidc = true"
			}
		}},
		{"Azure DevOps", "federated", func(t *testing.T) (mockpartnercenter.Options, func(*mockpartnercenter.Server) string) {
			return mockpartnercenter.Options{}, func(mock *mockpartnercenter.Server) string {
				t.Setenv("SYSTEM_OIDCREQUESTURI", mock.AzureDevOpsRequestURL())
				t.Setenv("SYSTEM_ACCESSTOKEN", mockpartnercenter.DefaultOIDCRequestToken)
				return fmt.Sprintf("use_oidc = true\n  ado_pipeline_service_connection_id = %q", mockpartnercenter.DefaultServiceConnectionID)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, credential := tt.setup(t)
			mock := acctest.StartMock(t, opts)
			id := seedRelationship(t, mock)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{{
					Config: appOnlyProviderBlock(mock, credential(mock)+fmt.Sprintf("\n  graph_endpoint = %q", mock.GraphURL())) + customerThenGDAP,
					Check:  resource.ComposeAggregateTestCheckFunc(listsSeeded(id), readsDocumentedCustomer),
				}},
			})
			checkAppOnlyGraphGrants(t, mock, tt.clientAuth)
			if tt.clientAuth == "federated" && mock.Requests(mockpartnercenter.RouteIDToken) != len(mock.TokenGrants()) {
				t.Fatalf("%d ID-token requests for %d access tokens: want a fresh ID token for each", mock.Requests(mockpartnercenter.RouteIDToken), len(mock.TokenGrants()))
			}
		})
	}
}

// issueMockToken redeems a refresh token by hand for scope, as a pipeline
// step would before handing the access token to Terraform.
func issueMockToken(t *testing.T, mock *mockpartnercenter.Server, secret, refreshToken, scope string) string {
	t.Helper()
	resp, err := http.PostForm(mock.URL()+"/"+acctest.MockTenantID+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"refresh_token"}, "client_id": {acctest.MockClientID}, "client_secret": {secret},
		"refresh_token": {refreshToken}, "scope": {scope},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("no access token from the mock (status %d): %v", resp.StatusCode, err)
	}
	return body.AccessToken
}

// The Azure CLI: the Graph token comes from az account get-access-token
// with --resource set to Graph, the Partner Center token with Partner
// Center's. The fake az hands out tokens the mock issued for each API.
func TestAccProvider_graphAzureCLI(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	id := seedRelationship(t, mock)
	pcToken := issueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken, mockpartnercenter.DefaultAudience+"/user_impersonation offline_access")
	graphToken := issueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken, graphRefreshTokenScope)
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	expiry := time.Now().Add(time.Hour).Unix()
	script := fmt.Sprintf(`#!/bin/sh
echo "$*" >> %[1]q
case "$*" in
*"--resource %[2]s"*) tok=%[3]q ;;
*) tok=%[4]q ;;
esac
printf '{"accessToken":"%%s","expires_on":%[5]d,"tokenType":"Bearer"}\n' "$tok"
`, calls, graphAudience, graphToken, pcToken, expiry)
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"partnercenter\" {\n  endpoint = %q\n  graph_endpoint = %q\n  use_cli = true\n}\n", mock.URL(), mock.GraphURL()) + customerThenGDAP,
			Check:  resource.ComposeAggregateTestCheckFunc(listsSeeded(id), readsDocumentedCustomer),
		}},
	})
	raw, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	var graphCalls, pcCalls int
	for _, call := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		switch {
		case strings.Contains(call, "--resource "+graphAudience+" "), strings.HasSuffix(call, "--resource "+graphAudience):
			graphCalls++
		case strings.Contains(call, "--resource "+mockpartnercenter.DefaultAudience):
			pcCalls++
		default:
			t.Fatalf("az was run as %q", call)
		}
	}
	if graphCalls == 0 || graphCalls != pcCalls {
		t.Fatalf("az ran %d times for Graph and %d for Partner Center: want once each per provider process", graphCalls, pcCalls)
	}
	if got := bearerTokens(graphRequests(mock)); !slices.Equal(got, []string{graphToken}) {
		t.Fatal("the Graph requests did not carry the token az gave for Graph")
	}
	checkTokensKeptApart(t, mock)
}

// access_token alone gives no Graph token: reading GDAP fails, naming
// graph_access_token, before any Graph request. graph_access_token is sent
// to Graph as it is; a Partner Center token there is refused, and the error
// names Microsoft Graph, the status, the code and the request id.
func TestAccProvider_graphAccessToken(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	id := seedRelationship(t, mock)
	pcToken := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	graphToken := issueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken, graphRefreshTokenScope)
	config := func(graphAccessToken string) string {
		extra := ""
		if graphAccessToken != "" {
			extra = fmt.Sprintf("graph_access_token = %q", graphAccessToken)
		}
		return fmt.Sprintf("provider \"partnercenter\" {\n  endpoint = %q\n  graph_endpoint = %q\n  access_token = %q\n  %s\n}\n",
			mock.URL(), mock.GraphURL(), pcToken, extra) + customerThenGDAP
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:      config(""),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(`Microsoft Graph is not configured.*graph_access_token \(PARTNERCENTER_GRAPH_ACCESS_TOKEN\)`),
		}},
	})
	if n := len(graphRequests(mock)); n != 0 {
		t.Fatalf("%d Graph requests without a Graph token", n)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: config(graphToken),
			Check:  resource.ComposeAggregateTestCheckFunc(listsSeeded(id), readsDocumentedCustomer, stateHasNone(graphToken)),
		}},
	})
	if got := bearerTokens(graphRequests(mock)); !slices.Equal(got, []string{graphToken}) {
		t.Fatal("the Graph requests did not carry graph_access_token alone")
	}
	checkTokensKeptApart(t, mock)
	mock.ResetCounters()
	expectErrorWithout(t, config(pcToken),
		acctest.ErrorPattern(`Microsoft Graph rejected the credentials.*HTTP 401.*InvalidAuthenticationToken.*request-id: [0-9a-f-]{36}`), acctest.SecretForms(pcToken)...)
	if n := mock.Requests(mockpartnercenter.RouteGDAPRelationships); n == 0 {
		t.Fatal("the Partner Center token never reached Graph: the refusal was not the mock's")
	}
}

// A 429 with Retry-After on the Graph list is waited out and the list read
// again: one list request more than the same step unthrottled.
func TestAccProvider_graphThrottlingRetried(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	id := seedRelationship(t, mock)
	run := func() (lists int, took time.Duration) {
		mock.ResetCounters()
		start := time.Now()
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.TestAccProviders,
			Steps:                    []resource.TestStep{{Config: acctest.ProviderBlock(mock, "") + customerThenGDAP, Check: listsSeeded(id)}},
		})
		return mock.Requests(mockpartnercenter.RouteGDAPRelationships), time.Since(start)
	}
	unthrottled, _ := run()
	mock.SetFault("", mockpartnercenter.Fault{Kind: mockpartnercenter.FaultThrottle, RetryAfter: "3", Times: 1, Route: mockpartnercenter.RouteGDAPRelationships})
	throttled, took := run()
	if throttled != unthrottled+1 {
		t.Fatalf("%d list requests throttled once, %d unthrottled: want the throttled one read again", throttled, unthrottled)
	}
	if took < 3*time.Second {
		t.Fatalf("the step took %s: the Retry-After of 3 seconds was not waited for", took)
	}
}
