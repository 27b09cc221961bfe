package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// appOnlyProviderBlock configures App-only credentials against the mock;
// credential holds the lines that authenticate the application.
func appOnlyProviderBlock(mock *mockpartnercenter.Server, credential string) string {
	return fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %[1]q
  authority_host = %[1]q
  tenant_id      = %[2]q
  client_id      = %[3]q
  %[4]s
}
`, mock.URL(), acctest.MockTenantID, acctest.MockClientID, credential)
}

func appOnlyCustomerConfig(mock *mockpartnercenter.Server, credential string) string {
	return appOnlyProviderBlock(mock, credential) + fmt.Sprintf(`
data "partnercenter_customer" "test" {
  id = %q
}
`, acctest.DocumentedID)
}

var readsDocumentedCustomer = resource.TestCheckResourceAttr("data.partnercenter_customer.test", "company_profile.company_name", "1kl as kjk")

// checkAppOnlyGrants asserts that every token the mock issued came from the
// client credentials grant with the given client authentication, that each
// provider process asked for one token, and returns the grants.
func checkAppOnlyGrants(t *testing.T, mock *mockpartnercenter.Server, clientAuth string) []mockpartnercenter.TokenGrant {
	t.Helper()
	grants := mock.TokenGrants()
	if len(grants) == 0 {
		t.Fatal("no token was granted")
	}
	for i, g := range grants {
		if g.GrantType != "client_credentials" || g.ClientAuth != clientAuth {
			t.Fatalf("grant %d = %s with %s, want client_credentials with %s", i, g.GrantType, g.ClientAuth, clientAuth)
		}
	}
	tokens, reads := mock.TokenRequests(), mock.Requests(mockpartnercenter.RouteGetCustomer)
	if tokens != len(grants) || reads != tokens {
		t.Fatalf("%d token requests, %d grants, %d customer reads: want one token per provider process, each reading the customer once",
			tokens, len(grants), reads)
	}
	return grants
}

func TestAccProvider_appOnlyClientSecret(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: appOnlyCustomerConfig(mock, fmt.Sprintf("client_secret = %q", acctest.MockClientSecret)),
			Check:  readsDocumentedCustomer,
		}},
	})
	checkAppOnlyGrants(t, mock, "client_secret")
}

func TestAccProvider_appOnlyClientCertificate(t *testing.T) {
	cert, key := newTestCertificate(t)
	mock := acctest.StartMock(t, mockpartnercenter.Options{ClientCertificate: cert})
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, "pfx-password")
	if err != nil {
		t.Fatal(err)
	}
	pfxPath := filepath.Join(t.TempDir(), "partner-app.pfx")
	if err := os.WriteFile(pfxPath, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: appOnlyCustomerConfig(mock, fmt.Sprintf("client_certificate_path = %q\n  client_certificate_password = \"pfx-password\"", pfxPath)),
			Check:  readsDocumentedCustomer,
		}},
	})
	checkAppOnlyGrants(t, mock, "certificate")
}

func TestAccProvider_oidcToken(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	idToken := mock.IssueIDToken()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  oidc_token = %q", idToken)),
			Check:  readsDocumentedCustomer,
		}},
	})
	for _, g := range checkAppOnlyGrants(t, mock, "federated") {
		if g.FederatedToken != idToken {
			t.Fatal("a federated token other than oidc_token was presented")
		}
	}
}

// The token file is read again at every renewal: when it is rewritten
// between two renewals in one provider process, the second token request
// presents the new ID token. The first read is held long enough for the
// short-lived access token to need renewal before the second.
func TestAccProvider_oidcTokenFileRereadAtRenewal(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{TokenLifetime: 2 * time.Second})
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultDelay, Delay: 1500 * time.Millisecond, Times: 1})
	first, second := mock.IssueIDToken(), mock.IssueIDToken()
	tokenFile := filepath.Join(t.TempDir(), "azure-identity-token")
	if err := os.WriteFile(tokenFile, []byte(first), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AZURE_FEDERATED_TOKEN_FILE", tokenFile)

	// As a token writer would: replace the file once the first token was taken.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rewritten := make(chan error, 1)
	go func() {
		for mock.TokenRequests() == 0 {
			select {
			case <-ctx.Done():
				rewritten <- ctx.Err()
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
		rewritten <- os.WriteFile(tokenFile+".new", []byte(second), 0o600)
		if err := os.Rename(tokenFile+".new", tokenFile); err != nil {
			t.Error(err)
		}
	}()

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: appOnlyProviderBlock(mock, "use_oidc = true") + fmt.Sprintf(`
data "partnercenter_customer" "first" {
  id = %q
}

data "partnercenter_customer" "second" {
  id = data.partnercenter_customer.first.id
}
`, acctest.DocumentedID),
			Check: resource.TestCheckResourceAttr("data.partnercenter_customer.second", "id", acctest.DocumentedID),
		}},
	})
	if err := <-rewritten; err != nil {
		t.Fatal(err)
	}
	grants := mock.TokenGrants()
	if len(grants) < 2 || grants[0].FederatedToken != first || grants[1].FederatedToken != second {
		t.Fatalf("%d grants; want the first ID token, then at the renewal in the same process the rewritten one", len(grants))
	}
	for i, g := range grants[1:] {
		if g.FederatedToken != second {
			t.Fatalf("grant %d presented the old ID token after the file was rewritten", i+1)
		}
	}
}

// checkIDTokenPerAccessToken asserts that each access token came with an ID
// token freshly requested from the CI endpoint.
func checkIDTokenPerAccessToken(t *testing.T, mock *mockpartnercenter.Server) {
	t.Helper()
	grants := checkAppOnlyGrants(t, mock, "federated")
	if n := mock.Requests(mockpartnercenter.RouteIDToken); n != len(grants) {
		t.Fatalf("%d ID-token requests for %d access tokens: want one each", n, len(grants))
	}
	seen := map[string]bool{}
	for _, g := range grants {
		if seen[g.FederatedToken] {
			t.Fatal("an ID token was presented twice")
		}
		seen[g.FederatedToken] = true
	}
}

// GitHub Actions: the job's variables alone, as azurerm reads them.
func TestAccProvider_oidcGitHubActions(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	t.Setenv("ARM_USE_OIDC", "true")
	t.Setenv("ARM_TENANT_ID", acctest.MockTenantID)
	t.Setenv("ARM_CLIENT_ID", acctest.MockClientID)
	t.Setenv("ACTIONS_ID_TOKEN_REQUEST_URL", mock.GitHubActionsRequestURL())
	t.Setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", mockpartnercenter.DefaultOIDCRequestToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %[1]q
  authority_host = %[1]q
}

data "partnercenter_customer" "test" {
  id = %[2]q
}
`, mock.URL(), acctest.DocumentedID),
			Check: readsDocumentedCustomer,
		}},
	})
	checkIDTokenPerAccessToken(t, mock)
}

// Azure DevOps: the request URL and System.AccessToken from the job, the
// service connection in the provider block.
func TestAccProvider_oidcAzureDevOps(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	t.Setenv("SYSTEM_OIDCREQUESTURI", mock.AzureDevOpsRequestURL())
	t.Setenv("SYSTEM_ACCESSTOKEN", mockpartnercenter.DefaultOIDCRequestToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  ado_pipeline_service_connection_id = %q",
				mockpartnercenter.DefaultServiceConnectionID)),
			Check: readsDocumentedCustomer,
		}},
	})
	checkIDTokenPerAccessToken(t, mock)
}

// Each partly configured or refused credential fails with what to do, and
// before any API request.
func TestAccProvider_appOnlyCredentialErrors(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{IDTokenLifetime: time.Second})
	expired := mock.IssueIDToken()
	// GitHub issues a token for the repository owner when no audience is asked
	// for: Entra ID matches it to no federated credential.
	wrongAudience := gitHubIDTokenWithoutAudience(t, mock)
	tests := []struct {
		name, config string
		env          map[string]string
		planOnly     bool
		want         string
	}{
		{name: "use_oidc without a token source", config: appOnlyCustomerConfig(mock, "use_oidc = true"),
			want: `Incomplete Partner Center federated \(OIDC\) credentials.*oidc_token.*oidc_token_file_path.*GitHub Actions.*Azure DevOps`},
		{name: "request URL without request token",
			config: appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  oidc_request_url = %q", mock.GitHubActionsRequestURL())),
			want:   `Still missing:.*oidc_request_token.*the bearer token for oidc_request_url \(from argument "oidc_request_url"\)`},
		{name: "secret without the tenant", config: fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %[1]q
  authority_host = %[1]q
  client_id      = %[2]q
  client_secret  = "s"
}

data "partnercenter_customer" "test" {
  id = %[3]q
}
`, mock.URL(), acctest.MockClientID, acctest.DocumentedID), want: `Incomplete Partner Center App-only credentials.*tenant_id`},
		{name: "request URL over plain http", planOnly: true,
			config: appOnlyCustomerConfig(mock, "use_oidc = true\n  oidc_request_url = \"http://ci.example.com/idtoken?api-version=2.0\"\n  oidc_request_token = \"t\""),
			want:   `Invalid URL.*oidc_request_url.*only https is allowed`},
		{name: "request token refused by GitHub Actions",
			config: appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  oidc_request_url = %q\n  oidc_request_token = \"wrong-request-token\"",
				mock.GitHubActionsRequestURL())),
			want: `GitHub Actions' ID-token endpoint refused to issue an ID token.*Bad credentials.*HTTP 401.*id-token: write`},
		{name: "unknown service connection",
			config: appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  ado_pipeline_service_connection_id = \"44444444-4444-4444-4444-444444444444\"\n  oidc_request_url = %q\n  oidc_request_token = %q",
				mock.AzureDevOpsRequestURL(), mockpartnercenter.DefaultOIDCRequestToken)),
			want: `Azure DevOps' ID-token endpoint refused to issue an ID token.*was not found.*HTTP 404.*ado_pipeline_service_connection_id`},
		{name: "oidc_token for another audience", config: appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  oidc_token = %q", wrongAudience)),
			want: `Partner Center authentication failed.*matches no federated credential.*AADSTS700212`},
		{name: "expired oidc_token", config: appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  oidc_token = %q", expired)),
			want: `Partner Center authentication failed.*federated token.*validity period.*AADSTS700024`},
		{name: "use_cli wins over a secret from ARM_CLIENT_SECRET",
			config: fmt.Sprintf("provider \"partnercenter\" {\n  endpoint = %q\n  use_cli = true\n}\n\ndata \"partnercenter_customer\" \"test\" {\n  id = %q\n}\n", mock.URL(), acctest.DocumentedID),
			env:    map[string]string{"ARM_TENANT_ID": acctest.MockTenantID, "ARM_CLIENT_ID": acctest.MockClientID, "ARM_CLIENT_SECRET": acctest.MockClientSecret},
			want:   `Azure CLI`},
	}
	time.Sleep(time.Second) // expire the ID tokens
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps:                    []resource.TestStep{{Config: tt.config, PlanOnly: tt.planOnly, ExpectError: acctest.ErrorPattern(tt.want)}},
			})
		})
	}
	if n := mock.TotalAPIRequests(); n != 0 {
		t.Fatalf("%d API requests were sent without a token", n)
	}
	if grants := mock.TokenGrants(); len(grants) != 0 {
		t.Fatalf("%d tokens were granted", len(grants))
	}
}

// App-only keeps one token request per provider process, and a federated
// credential one ID-token request per token, however many customers a
// process reads.
func TestAccProvider_appOnlyOneTokenRequestPerProcess(t *testing.T) {
	const customers = 12
	tests := []struct {
		name       string
		credential func(mock *mockpartnercenter.Server) string
		federated  bool
	}{
		{"client secret", func(*mockpartnercenter.Server) string {
			return fmt.Sprintf("client_secret = %q", acctest.MockClientSecret)
		}, false},
		{"GitHub Actions", func(mock *mockpartnercenter.Server) string {
			return fmt.Sprintf("use_oidc = true\n  oidc_request_url = %q\n  oidc_request_token = %q",
				mock.GitHubActionsRequestURL(), mockpartnercenter.DefaultOIDCRequestToken)
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: customers})
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{{
					Config: appOnlyProviderBlock(mock, tt.credential(mock)) + acctest.CustomersByIDConfig("each", acctest.GeneratedCustomerIDs(customers)),
					Check:  resource.TestCheckResourceAttr("data.partnercenter_customer.each.3", "id", mockpartnercenter.GeneratedCustomerID(3)),
				}},
			})
			tokens, reads, idTokens := mock.TokenRequests(), mock.Requests(mockpartnercenter.RouteGetCustomer), mock.Requests(mockpartnercenter.RouteIDToken)
			if tokens < 1 || reads != customers*tokens {
				t.Fatalf("%d token requests and %d customer reads: want one token per provider process and %d reads per token", tokens, reads, customers)
			}
			if tt.federated && idTokens != tokens {
				t.Fatalf("%d ID-token requests for %d token requests", idTokens, tokens)
			}
			t.Logf("%d token requests, %d ID-token requests, %d customer reads", tokens, idTokens, reads)
		})
	}
}

// A hostile ID-token endpoint cannot move the request token elsewhere: its
// redirect is not followed, and the token it echoes back never reaches the
// diagnostic.
func TestAccProvider_oidcRequestTokenStaysOnItsHost(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const requestToken = "request-token-0d9e4c1b"
	var collected atomic.Int32
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		collected.Add(1)
		_, _ = w.Write([]byte(`{"value":"collected"}`))
	}))
	defer collector.Close()
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/redirect") {
			http.Redirect(w, r, collector.URL+"/steal", http.StatusTemporaryRedirect)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"message":"rejected ` + r.Header.Get("Authorization") + `"}`))
	}))
	defer hostile.Close()
	config := func(path string) string {
		return appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  oidc_request_url = %q\n  oidc_request_token = %q", hostile.URL+path, requestToken))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: config("/redirect?api-version=2.0"), ExpectError: acctest.ErrorPattern(`answered with a redirect, which is not followed`)},
			{Config: config("/echo?api-version=2.0"), ExpectError: acctest.ErrorPattern(`refused to issue an ID token.*rejected Bearer \[redacted\].*HTTP 400`)},
		},
	})
	if n := collected.Load(); n != 0 {
		t.Fatalf("the redirect was followed: %d requests reached the other host", n)
	}
	if grants := mock.TokenGrants(); len(grants) != 0 {
		t.Fatalf("%d tokens were granted", len(grants))
	}
}

func gitHubIDTokenWithoutAudience(t *testing.T, mock *mockpartnercenter.Server) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, mock.GitHubActionsRequestURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+mockpartnercenter.DefaultOIDCRequestToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Value string `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Value == "" {
		t.Fatalf("no ID token from the mock (status %d): %v", resp.StatusCode, err)
	}
	return body.Value
}
