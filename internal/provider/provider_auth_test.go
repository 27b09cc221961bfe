package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func TestAccProvider_wrongClientSecret(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{ClientSecret: "the-real-secret"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: customerConfig(mock, documentedID),
			ExpectError: errorPattern(`Partner Center authentication failed.*` + documentedID +
				`.*client secret.*AADSTS7000215`),
		}},
	})
	if n := mock.TotalAPIRequests(); n != 0 {
		t.Fatalf("%d API requests were sent without a token; want 0", n)
	}
}

func TestAccProvider_expiredRefreshToken(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	mock.SetTokenFault(mockpartnercenter.TokenFault{Kind: mockpartnercenter.TokenFaultExpiredRefreshToken})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      customerConfig(mock, documentedID),
			ExpectError: errorPattern(`Partner Center authentication failed.*refresh token has expired.*AADSTS700082`),
		}},
	})
}

func TestAccProvider_missingCredentials(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "partnercenter" {
  endpoint = %q
}

data "partnercenter_customer" "test" {
  id = %q
}
`, mock.URL(), documentedID),
			ExpectError: errorPattern(`No Partner Center credentials.*access_token \(PARTNERCENTER_ACCESS_TOKEN\).*` +
				`tenant_id \(PARTNERCENTER_TENANT_ID or ARM_TENANT_ID\).*refresh_token \(PARTNERCENTER_REFRESH_TOKEN\).*use_cli`),
		}},
	})
}

func TestAccProvider_partialRefreshTokenSettings(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "partnercenter" {
  endpoint      = %q
  refresh_token = "a-refresh-token"
  client_id     = %q
}

data "partnercenter_customer" "test" {
  id = %q
}
`, mock.URL(), mockClientID, documentedID),
			ExpectError: errorPattern(`Incomplete Partner Center refresh-token credentials.*tenant_id.*client_secret`),
		}},
	})
}

// Everything from the environment, nothing in the provider block.
func TestAccProvider_configurationFromEnvironment(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	t.Setenv("PARTNERCENTER_ENDPOINT", mock.URL())
	t.Setenv("PARTNERCENTER_AUTHORITY_HOST", mock.URL())
	t.Setenv("ARM_TENANT_ID", mockTenantID)
	t.Setenv("PARTNERCENTER_CLIENT_ID", mockClientID)
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", mockClientSecret)
	t.Setenv("PARTNERCENTER_REFRESH_TOKEN", mockRefreshToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "partnercenter" {}

data "partnercenter_customer" "test" {
  id = %q
}
`, documentedID),
			Check: resource.TestCheckResourceAttr("data.partnercenter_customer.test", "company_profile.company_name", "1kl as kjk"),
		}},
	})
}

// Configuration wins over the environment: a wrong secret in the environment
// does not matter when the block sets the right one.
func TestAccProvider_configurationWinsOverEnvironment(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", "wrong-secret-from-environment")
	t.Setenv("PARTNERCENTER_ENDPOINT", "https://partnercenter.invalid")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: customerConfig(mock, documentedID),
			Check:  resource.TestCheckResourceAttr("data.partnercenter_customer.test", "id", documentedID),
		}},
	})
}

func TestAccProvider_accessToken(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	token := issueMockToken(t, mock, mockClientSecret, mockRefreshToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "partnercenter" {
  endpoint     = %q
  access_token = %q
}

data "partnercenter_customer" "test" {
  id = %q
}
`, mock.URL(), token, documentedID),
			Check: resource.TestCheckResourceAttr("data.partnercenter_customer.test", "relationship_to_partner", "reseller"),
		}},
	})
}

// Many data sources in one configuration: one token request per provider
// process and one API request per customer read. The test framework starts a
// provider process for each Terraform command it runs, so every process must
// have read all customers with a single token.
func TestAccProvider_oneTokenRequestPerProcess(t *testing.T) {
	const customers = 12
	mock := startMock(t, mockpartnercenter.Options{GeneratedCustomers: customers})
	third := mockpartnercenter.GeneratedCustomerID(3)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(mock, "") + customersByIDConfig("each", generatedCustomerIDs(customers)),
			Check:  resource.TestCheckResourceAttr("data.partnercenter_customer.each.3", "id", third),
		}},
	})
	tokens, reads := mock.TokenRequests(), mock.Requests(mockpartnercenter.RouteGetCustomer)
	if tokens < 1 || reads != customers*tokens {
		t.Fatalf("%d token requests and %d customer reads: want one token per provider process and %d reads per token", tokens, reads, customers)
	}
	t.Logf("%d Terraform commands read %d customers each with one token each", tokens, customers)
}

// Plain http is refused at plan time except to loopback, before any request.
func TestAccProvider_plainHTTPRefused(t *testing.T) {
	startMock(t, mockpartnercenter.Options{}) // for the environment it clears
	for _, attr := range []string{"endpoint", "authority_host"} {
		t.Run(attr, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "partnercenter" {
  %s = "http://partnercenter.example.com"
}

data "partnercenter_customer" "test" {
  id = %q
}
`, attr, documentedID),
					PlanOnly:    true,
					ExpectError: errorPattern(`Invalid URL.*` + attr + `.*uses http: only https is allowed, except for loopback hosts`),
				}},
			})
		})
	}
}
