package acctest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// TestAccProviders serves the provider in-process to the real Terraform CLI.
var TestAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"partnercenter": func() (tfprotov6.ProviderServer, error) { return UnderTest.Server("test")(), nil },
}

// Credentials the mock Partner Center accepts by default.
const (
	MockTenantID     = mockpartnercenter.DefaultTenantID
	MockClientID     = mockpartnercenter.DefaultClientID
	MockClientSecret = mockpartnercenter.DefaultClientSecret
	MockRefreshToken = mockpartnercenter.DefaultRefreshToken
)

// StartMock starts a mock Partner Center on loopback for one test and clears
// the provider's environment variables.
func StartMock(t *testing.T, opts mockpartnercenter.Options) *mockpartnercenter.Server {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc)")
	}
	for _, vars := range UnderTest.EnvVars {
		for _, name := range vars {
			t.Setenv(name, "")
		}
	}
	mock, err := mockpartnercenter.Start(opts)
	if err != nil {
		t.Fatalf("starting the mock Partner Center: %v", err)
	}
	t.Cleanup(mock.Close)
	return mock
}

// StateAttr checks one attribute of a resource or data source in state; attr
// is a dotted path such as "company_profile.address.city" or "domains.0".
func StateAttr(address, attr string, want knownvalue.Check) statecheck.StateCheck {
	steps := strings.Split(attr, ".")
	p := tfjsonpath.New(steps[0])
	for _, step := range steps[1:] {
		if i, err := strconv.Atoi(step); err == nil {
			p = p.AtSliceIndex(i)
		} else {
			p = p.AtMapKey(step)
		}
	}
	return statecheck.ExpectKnownValue(address, p, want)
}

// ProviderBlock configures the refresh-token flow against the mock with its
// client secret, with extra HCL lines appended inside the block.
func ProviderBlock(mock *mockpartnercenter.Server, extra string) string {
	return RefreshTokenProviderBlock(mock, fmt.Sprintf("client_secret = %q\n  %s", MockClientSecret, extra))
}

// RefreshTokenProviderBlock configures the refresh-token flow against the
// mock; credential holds the lines that authenticate the application.
func RefreshTokenProviderBlock(mock *mockpartnercenter.Server, credential string) string {
	return fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %[1]q
  graph_endpoint = %[6]q
  authority_host = %[1]q
  tenant_id      = %[2]q
  client_id      = %[3]q
  refresh_token  = %[4]q
  %[5]s
}
`, mock.URL(), MockTenantID, MockClientID, MockRefreshToken, credential, mock.GraphURL())
}

// CustomersByIDConfig reads each of ids with one partnercenter_customer data
// source named name, through count: the way of reading many customers one by
// one whose instances the test framework can check.
func CustomersByIDConfig(name string, ids []string) string {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = strconv.Quote(id)
	}
	return fmt.Sprintf(`
locals {
  ids = [%s]
}

data "partnercenter_customer" %q {
  count = length(local.ids)
  id    = local.ids[count.index]
}
`, strings.Join(quoted, ", "), name)
}

// GeneratedCustomerIDs are the ids of the mock's first n generated customers.
func GeneratedCustomerIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = mockpartnercenter.GeneratedCustomerID(i)
	}
	return ids
}

// IssueMockToken redeems the mock's refresh token by hand, as a pipeline step
// would before handing the access token to Terraform.
func IssueMockToken(t *testing.T, mock *mockpartnercenter.Server, clientSecret, refreshToken string) string {
	t.Helper()
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {MockClientID},
		"client_secret": {clientSecret},
		"refresh_token": {refreshToken},
		"scope":         {"https://api.partnercenter.microsoft.com/user_impersonation offline_access"},
	}
	resp, err := http.PostForm(mock.URL()+"/"+MockTenantID+"/oauth2/v2.0/token", form)
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

// ErrorPattern compiles an expected-error pattern in which each space also
// matches the line breaks Terraform inserts when it wraps a diagnostic.
func ErrorPattern(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}
