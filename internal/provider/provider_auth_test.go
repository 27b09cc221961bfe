package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func TestAccProvider_wrongClientSecret(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{ClientSecret: "the-real-secret"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.CustomerConfig(mock, acctest.DocumentedID),
			ExpectError: acctest.ErrorPattern(`Partner Center authentication failed.*` + acctest.DocumentedID +
				`.*client secret.*AADSTS7000215`),
		}},
	})
	if n := mock.TotalAPIRequests(); n != 0 {
		t.Fatalf("%d API requests were sent without a token; want 0", n)
	}
}

func TestAccProvider_expiredRefreshToken(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	mock.SetTokenFault(mockpartnercenter.TokenFault{Kind: mockpartnercenter.TokenFaultExpiredRefreshToken})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:      acctest.CustomerConfig(mock, acctest.DocumentedID),
			ExpectError: acctest.ErrorPattern(`Partner Center authentication failed.*refresh token has expired.*AADSTS700082`),
		}},
	})
}

func TestAccProvider_missingCredentials(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "partnercenter" {
  endpoint = %q
}

data "partnercenter_customer" "test" {
  id = %q
}
`, mock.URL(), acctest.DocumentedID),
			ExpectError: acctest.ErrorPattern(`No Partner Center credentials.*access_token \(PARTNERCENTER_ACCESS_TOKEN\).*` +
				`tenant_id \(PARTNERCENTER_TENANT_ID or ARM_TENANT_ID\).*refresh_token \(PARTNERCENTER_REFRESH_TOKEN\).*use_cli`),
		}},
	})
}

func TestAccProvider_partialRefreshTokenSettings(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
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
`, mock.URL(), acctest.MockClientID, acctest.DocumentedID),
			ExpectError: acctest.ErrorPattern(`Incomplete Partner Center refresh-token credentials.*tenant_id.*client_secret`),
		}},
	})
}

// Everything from the environment, nothing in the provider block.
func TestAccProvider_configurationFromEnvironment(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	t.Setenv("PARTNERCENTER_ENDPOINT", mock.URL())
	t.Setenv("PARTNERCENTER_AUTHORITY_HOST", mock.URL())
	t.Setenv("ARM_TENANT_ID", acctest.MockTenantID)
	t.Setenv("PARTNERCENTER_CLIENT_ID", acctest.MockClientID)
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", acctest.MockClientSecret)
	t.Setenv("PARTNERCENTER_REFRESH_TOKEN", acctest.MockRefreshToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "partnercenter" {}

data "partnercenter_customer" "test" {
  id = %q
}
`, acctest.DocumentedID),
			Check: resource.TestCheckResourceAttr("data.partnercenter_customer.test", "company_profile.company_name", "1kl as kjk"),
		}},
	})
}

// Configuration wins over the environment: a wrong secret in the environment
// does not matter when the block sets the right one.
func TestAccProvider_configurationWinsOverEnvironment(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", "wrong-secret-from-environment")
	t.Setenv("PARTNERCENTER_ENDPOINT", "https://partnercenter.invalid")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.CustomerConfig(mock, acctest.DocumentedID),
			Check:  resource.TestCheckResourceAttr("data.partnercenter_customer.test", "id", acctest.DocumentedID),
		}},
	})
}

func TestAccProvider_accessToken(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "partnercenter" {
  endpoint     = %q
  access_token = %q
}

data "partnercenter_customer" "test" {
  id = %q
}
`, mock.URL(), token, acctest.DocumentedID),
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
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: customers})
	third := mockpartnercenter.GeneratedCustomerID(3)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + acctest.CustomersByIDConfig("each", acctest.GeneratedCustomerIDs(customers)),
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
	acctest.StartMock(t, mockpartnercenter.Options{}) // for the environment it clears
	for _, attr := range []string{"endpoint", "authority_host", "graph_endpoint"} {
		t.Run(attr, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "partnercenter" {
  %s = "http://partnercenter.example.com"
}

data "partnercenter_customer" "test" {
  id = %q
}
`, attr, acctest.DocumentedID),
					PlanOnly:    true,
					ExpectError: acctest.ErrorPattern(`Invalid URL.*` + attr + `.*uses http: only https is allowed, except for loopback hosts`),
				}},
			})
		})
	}
}
