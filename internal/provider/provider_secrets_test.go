package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// captureTraceLog sends the logs of Terraform and of the provider under test
// to a file at TRACE level for the rest of the test, and returns its path.
func captureTraceLog(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	return filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "__")+".log")
}

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
// diagnostic: a read through the refresh-token flow, one with an access token,
// one failing authentication, and reads with a federated token given as
// oidc_token, read from a file, and fetched from GitHub Actions and Azure
// DevOps with a request token, with every secret value searched for, every ID
// token included.
func TestAccProvider_secretsNeverLogged(t *testing.T) {
	const (
		secret       = "client-secret-5f1c9e7a"
		refreshToken = "refresh-token-8b2d4c6e"
		wrongSecret  = "wrong-secret-3a7e9b1d"
		requestToken = "oidc-request-token-6e0f2a9c"
	)
	mock := startMock(t, mockpartnercenter.Options{ClientSecret: secret, RefreshToken: refreshToken, RotateRefreshToken: true, OIDCRequestToken: requestToken})
	logPath := captureTraceLog(t)
	accessToken := issueMockToken(t, mock, secret, refreshToken)
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
	t.Setenv("TF_VAR_oidc_token", oidcToken)
	t.Setenv("TF_VAR_request_token", requestToken)
	customerBlock := fmt.Sprintf(`
data "partnercenter_customer" "test" {
  id = %q
}
`, documentedID)
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

variable "oidc_token" {
  type      = string
  sensitive = true
}

variable "request_token" {
  type      = string
  sensitive = true
}
`
	refreshFlow := func(secretVariable string) string {
		return variables + fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %[1]q
  authority_host = %[1]q
  tenant_id      = %[2]q
  client_id      = %[3]q
  client_secret  = var.%[4]s
  refresh_token  = var.refresh_token
}
`, mock.URL(), mockTenantID, mockClientID, secretVariable) + customerBlock
	}
	accessTokenFlow := variables + fmt.Sprintf(`
provider "partnercenter" {
  endpoint     = %q
  access_token = var.access_token
}
`, mock.URL()) + customerBlock

	federatedFlow := func(credential string) string {
		return variables + appOnlyProviderBlock(mock, "use_oidc = true\n  "+credential) + customerBlock
	}

	check := resource.ComposeAggregateTestCheckFunc(
		resource.TestCheckResourceAttr("data.partnercenter_customer.test", "id", documentedID),
		stateHasNone(secret, refreshToken, accessToken, oidcToken, requestToken),
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: refreshFlow("client_secret"), Check: check},
			{Config: accessTokenFlow, Check: check},
			{Config: refreshFlow("wrong_secret"), ExpectError: regexp.MustCompile(`Partner Center authentication failed`)},
			{Config: federatedFlow("oidc_token = var.oidc_token"), Check: check},
			{Config: federatedFlow(fmt.Sprintf("oidc_token_file_path = %q", tokenFile)), Check: check},
			{Config: federatedFlow(fmt.Sprintf("oidc_request_url = %q\n  oidc_request_token = var.request_token", mock.GitHubActionsRequestURL())), Check: check},
			{Config: federatedFlow(fmt.Sprintf("oidc_request_url = %q\n  oidc_request_token = var.request_token\n  ado_pipeline_service_connection_id = %q",
				mock.AzureDevOpsRequestURL(), mockpartnercenter.DefaultServiceConnectionID)), Check: check},
		},
	})

	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the captured log: %v", err)
	}
	log := string(raw)
	// The log must be the provider's own at TRACE, or finding nothing proves nothing.
	for _, want := range []string{"Partner Center provider configured", "Partner Center request", documentedID,
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
	values := append([]string{secret, refreshToken, wrongSecret, accessToken, oidcToken, requestToken}, issued...)
	for tok := range presented {
		values = append(values, tok)
	}
	for _, value := range values {
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
