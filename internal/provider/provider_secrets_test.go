package provider

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func stateHasNone(secrets ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, module := range s.Modules {
			for name, rs := range module.Resources {
				for attr, value := range rs.Primary.Attributes {
					for _, secret := range secrets {
						if strings.Contains(value, secret) {
							return fmt.Errorf("state of %s.%s holds a secret", name, attr)
						}
					}
				}
			}
		}
		return nil
	}
}

// Secrets and tokens never reach the log, even at TRACE, nor the state nor a
// diagnostic, in any encoding: a read through the refresh-token flow, one
// with an access token, one failing authentication, reads against servers
// that echo the credentials back (a token endpoint quoting the form, an API
// quoting the Authorization header), and reads with a federated token given
// as oidc_token, read from a file, and fetched from GitHub Actions and Azure
// DevOps with a request token, with every secret value, every ID token
// included, searched for raw, form-encoded and JSON-escaped.
func TestAccProvider_secretsNeverLogged(t *testing.T) {
	const (
		secret       = "client-secret-5f1c9e7a"
		refreshToken = "refresh-token-8b2d4c6e"
		wrongSecret  = "wrong-secret-3a7e9b1d"
		requestToken = "oidc-request-token-6e0f2a9c"
		// Entra ID secrets and refresh tokens hold +, / and =.
		echoedSecret       = "Qz8~echoed+secret/value="
		echoedRefreshToken = "0.AXoA+echoed/refresh==token"
	)
	mock := acctest.StartMock(t, mockpartnercenter.Options{ClientSecret: secret, RefreshToken: refreshToken, RotateRefreshToken: true, OIDCRequestToken: requestToken})
	echoingToken, echoingEndpoint := echoingAuthority(t), echoingAPI(t)
	collector := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) })
	redirecting := startHostile(t, true, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, collector.URL+"/collect", http.StatusPermanentRedirect)
	})
	logPath := acctest.CaptureTraceLog(t)
	accessToken := acctest.IssueMockToken(t, mock, secret, refreshToken)
	oidcToken := mock.IssueIDToken()
	tokenFile := filepath.Join(t.TempDir(), "federated-token")
	if err := os.WriteFile(tokenFile, []byte(mock.IssueIDToken()), 0o600); err != nil {
		t.Fatal(err)
	}

	// Secrets reach Terraform as sensitive variables, as users should pass
	// them: the test framework logs the configuration text itself.
	t.Setenv("TF_VAR_client_secret", secret)
	t.Setenv("TF_VAR_wrong_secret", wrongSecret)
	t.Setenv("TF_VAR_refresh_token", refreshToken)
	t.Setenv("TF_VAR_access_token", accessToken)
	t.Setenv("TF_VAR_echoed_secret", echoedSecret)
	t.Setenv("TF_VAR_echoed_refresh_token", echoedRefreshToken)
	t.Setenv("TF_VAR_oidc_token", oidcToken)
	t.Setenv("TF_VAR_request_token", requestToken)
	// A subscription resource too: bought in the first step, refreshed in
	// every later one, the echoing servers included.
	customerBlock := fmt.Sprintf(`
data "partnercenter_customer" "test" {
  id = %[1]q
}

resource "partnercenter_customer_subscription" "test" {
  customer_id     = %[1]q
  catalog_item_id = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"
  term_duration   = "P1Y"
  billing_cycle   = "monthly"
  quantity        = 1
}
`, acctest.DocumentedID)
	// One provider configuration per step: in-process test providers share
	// one server, so aliases in one configuration would share a client.
	variables := `
variable "client_secret" {
  type      = string
  sensitive = true
}

variable "wrong_secret" {
  type      = string
  sensitive = true
}

variable "refresh_token" {
  type      = string
  sensitive = true
}

variable "access_token" {
  type      = string
  sensitive = true
}

variable "echoed_secret" {
  type      = string
  sensitive = true
}

variable "oidc_token" {
  type      = string
  sensitive = true
}

variable "echoed_refresh_token" {
  type      = string
  sensitive = true
}

variable "request_token" {
  type      = string
  sensitive = true
}
`
	refreshFlowTo := func(endpoint, authority, secretVariable, refreshVariable string) string {
		return variables + fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %[1]q
  authority_host = %[2]q
  tenant_id      = %[3]q
  client_id      = %[4]q
  client_secret  = var.%[5]s
  refresh_token  = var.%[6]s
}
`, endpoint, authority, acctest.MockTenantID, acctest.MockClientID, secretVariable, refreshVariable) + customerBlock
	}
	refreshFlow := func(secretVariable string) string {
		return refreshFlowTo(mock.URL(), mock.URL(), secretVariable, "refresh_token")
	}
	accessTokenFlowTo := func(endpoint string) string {
		return variables + fmt.Sprintf(`
provider "partnercenter" {
  endpoint     = %q
  access_token = var.access_token
}
`, endpoint) + customerBlock
	}
	// Every value that must stay hidden, as known when a step ends: the
	// configured secrets, every access token issued and every federated ID
	// token presented.
	hidden := func() []string {
		values := append([]string{secret, refreshToken, wrongSecret, accessToken, echoedSecret, echoedRefreshToken, oidcToken, requestToken},
			mock.IssuedAccessTokens()...)
		for _, g := range mock.TokenGrants() {
			if g.FederatedToken != "" {
				values = append(values, g.FederatedToken)
			}
		}
		return acctest.SecretForms(values...)
	}

	federatedFlow := func(credential string) string {
		return variables + appOnlyProviderBlock(mock, "use_oidc = true\n  "+credential) + customerBlock
	}

	check := resource.ComposeAggregateTestCheckFunc(
		resource.TestCheckResourceAttr("data.partnercenter_customer.test", "id", acctest.DocumentedID),
		resource.TestCheckResourceAttr("partnercenter_customer_subscription.test", "status", "active"),
		stateHasNone(secret, refreshToken, accessToken, oidcToken, requestToken),
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		ErrorCheck: func(err error) error {
			return acctest.ErrorWithout(regexp.MustCompile(`Partner Center (authentication failed|rejected the credentials)`), hidden()...)(err)
		},
		Steps: []resource.TestStep{
			{Config: refreshFlow("client_secret"), Check: check},
			{Config: accessTokenFlowTo(mock.URL()), Check: check},
			acctest.FailingStep(refreshFlow("wrong_secret")),
			acctest.FailingStep(refreshFlowTo(mock.URL(), echoingToken.URL, "echoed_secret", "echoed_refresh_token")),
			acctest.FailingStep(accessTokenFlowTo(echoingEndpoint.URL)),
			acctest.FailingStep(refreshFlowTo(echoingEndpoint.URL, mock.URL(), "client_secret", "refresh_token")),
			acctest.FailingStep(refreshFlowTo(mock.URL(), redirecting.URL, "echoed_secret", "echoed_refresh_token")),
			{Config: federatedFlow("oidc_token = var.oidc_token"), Check: check},
			{Config: federatedFlow(fmt.Sprintf("oidc_token_file_path = %q", tokenFile)), Check: check},
			{Config: federatedFlow(fmt.Sprintf("oidc_request_url = %q\n  oidc_request_token = var.request_token", mock.GitHubActionsRequestURL())), Check: check},
			{Config: federatedFlow(fmt.Sprintf("oidc_request_url = %q\n  oidc_request_token = var.request_token\n  ado_pipeline_service_connection_id = %q",
				mock.AzureDevOpsRequestURL(), mockpartnercenter.DefaultServiceConnectionID)), Check: check},
		},
	})
	if mock.Purchases(acctest.DocumentedID) != 1 || mock.Requests(mockpartnercenter.RouteCheckout) != 1 {
		t.Fatalf("the mock counted %d purchases in %d checkouts; want the resource's one", mock.Purchases(acctest.DocumentedID),
			mock.Requests(mockpartnercenter.RouteCheckout))
	}
	if collector.requests.Load() != 0 || redirecting.requests.Load() == 0 {
		t.Fatalf("the redirecting token endpoint answered %d requests and its target %d; want some and none",
			redirecting.requests.Load(), collector.requests.Load())
	}
	if echoingToken.requests.Load() == 0 || echoingEndpoint.requests.Load() < 2 {
		t.Fatalf("the echoing servers answered %d token and %d API requests: the echoes were not exercised",
			echoingToken.requests.Load(), echoingEndpoint.requests.Load())
	}

	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the captured log: %v", err)
	}
	log := string(raw)
	// The log must be the provider's own at TRACE, or finding nothing proves nothing.
	for _, want := range []string{"Partner Center provider configured", "Partner Center request", acctest.DocumentedID, "/checkout",
		"App-only, federated token from GitHub Actions", "App-only, federated token from Azure DevOps"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the captured log (%d bytes) lacks %q: it is not the provider's TRACE log", len(log), want)
		}
	}
	issued := mock.IssuedAccessTokens()
	if len(issued) < 2 {
		t.Fatalf("the mock issued %d access tokens; want at least 2", len(issued))
	}
	presented := map[string]bool{}
	for _, g := range mock.TokenGrants() {
		if g.FederatedToken != "" {
			presented[g.FederatedToken] = true
		}
	}
	if len(presented) < 4 {
		t.Fatalf("%d federated tokens were presented; want at least one per federated step", len(presented))
	}
	for _, value := range hidden() {
		if i := strings.Index(log, value); i >= 0 {
			t.Errorf("the TRACE log contains a secret value of length %d, here: %q", len(value), excerpt(log, i, value))
		}
	}
}

// excerpt shows where a secret was found, with the secret itself replaced.
func excerpt(log string, at int, secret string) string {
	start, end := max(at-300, 0), min(at+len(secret)+100, len(log))
	return strings.ReplaceAll(log[start:end], secret, "<SECRET>")
}
