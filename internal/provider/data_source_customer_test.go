package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

const documentedID = mockpartnercenter.DocumentedCustomerID

func customerConfig(mock *mockpartnercenter.Server, id string) string {
	return providerBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_customer" "test" {
  id = %q
}
`, id)
}

// The documented customer of Microsoft's "Get a customer by ID" page, every
// attribute, including those the payload leaves out (null).
func TestAccCustomerDataSource_documentedCustomer(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	const ds = "data.partnercenter_customer.test"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: customerConfig(mock, documentedID),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "id", documentedID),
				resource.TestCheckResourceAttr(ds, "commerce_id", "99e6a635-48e7-424d-9059-c9db944e3c54"),
				resource.TestCheckResourceAttr(ds, "relationship_to_partner", "reseller"),
				resource.TestCheckResourceAttr(ds, "allow_delegated_access", "true"),
				resource.TestCheckNoResourceAttr(ds, "associated_partner_id"),
				resource.TestCheckNoResourceAttr(ds, "domain"),
				resource.TestCheckResourceAttr(ds, "custom_domains.#", "1"),
				resource.TestCheckResourceAttr(ds, "custom_domains.0", "abcdefgh1234.ccsctp.net"),
				// The company domain is also the custom domain: listed once.
				resource.TestCheckResourceAttr(ds, "domains.#", "1"),
				resource.TestCheckResourceAttr(ds, "domains.0", "abcdefgh1234.ccsctp.net"),

				resource.TestCheckResourceAttr(ds, "company_profile.tenant_id", documentedID),
				resource.TestCheckResourceAttr(ds, "company_profile.domain", "abcdefgh1234.ccsctp.net"),
				resource.TestCheckResourceAttr(ds, "company_profile.company_name", "1kl as kjk"),
				resource.TestCheckResourceAttr(ds, "company_profile.email", "a@a.com"),
				resource.TestCheckResourceAttr(ds, "company_profile.address.country", "US"),
				resource.TestCheckResourceAttr(ds, "company_profile.address.region", "wa"),
				resource.TestCheckResourceAttr(ds, "company_profile.address.city", "redmond"),
				resource.TestCheckResourceAttr(ds, "company_profile.address.address_line1", "1 ms way"),
				resource.TestCheckResourceAttr(ds, "company_profile.address.postal_code", "98052"),
				resource.TestCheckResourceAttr(ds, "company_profile.address.phone_number", "1234567890"),
				resource.TestCheckNoResourceAttr(ds, "company_profile.address.state"),
				resource.TestCheckNoResourceAttr(ds, "company_profile.address.address_line2"),
				resource.TestCheckNoResourceAttr(ds, "company_profile.address.address_line3"),
				resource.TestCheckNoResourceAttr(ds, "company_profile.address.first_name"),
				resource.TestCheckNoResourceAttr(ds, "company_profile.address.last_name"),

				resource.TestCheckResourceAttr(ds, "billing_profile.id", "eeada110-69d6-4cc9-b093-75feb7ca9d3f"),
				resource.TestCheckResourceAttr(ds, "billing_profile.first_name", "Jasond0d89d776d03471c819bf772191ed728"),
				resource.TestCheckResourceAttr(ds, "billing_profile.last_name", "kjkAJJAAAAAAAAAAAAAAAAAAAA"),
				resource.TestCheckResourceAttr(ds, "billing_profile.email", "a@a.com"),
				resource.TestCheckResourceAttr(ds, "billing_profile.culture", "en-US"),
				resource.TestCheckResourceAttr(ds, "billing_profile.language", "en"),
				resource.TestCheckResourceAttr(ds, "billing_profile.company_name", "1kl as kjkAAAAAAAAAAAAAAAJJJJJJJJJJJAAAAAJJJJJJJJJJJAAJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJAJJJJJAJJAAAAJAJJAAAAAAAAAAAAAAAAAAAA"),
				resource.TestCheckResourceAttr(ds, "billing_profile.default_address.country", "US"),
				resource.TestCheckResourceAttr(ds, "billing_profile.default_address.city", "redmond"),
				resource.TestCheckResourceAttr(ds, "billing_profile.default_address.state", "WA"),
				resource.TestCheckResourceAttr(ds, "billing_profile.default_address.address_line1", "1 ms way"),
				resource.TestCheckResourceAttr(ds, "billing_profile.default_address.postal_code", "98052"),
				resource.TestCheckResourceAttr(ds, "billing_profile.default_address.first_name", "1kl as"),
				resource.TestCheckResourceAttr(ds, "billing_profile.default_address.last_name", "kjk"),
				resource.TestCheckResourceAttr(ds, "billing_profile.default_address.phone_number", "1234567890"),
				resource.TestCheckNoResourceAttr(ds, "billing_profile.default_address.region"),
			),
		}},
	})
}

// domains lists the company domain, then custom domains, each once, and
// feeds another resource; an id in upper case is kept as written.
func TestAccCustomerDataSource_domainsFeedForEach(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	const id = "7d9f3a52-0c1e-4b8a-9e0f-1a2b3c4d5e6f"
	if err := mock.AddCustomer(map[string]any{
		"id":                    id,
		"companyProfile":        map[string]any{"tenantId": id, "domain": "contoso.onmicrosoft.com", "companyName": "Contoso"},
		"customDomains":         []any{"contoso.com", "CONTOSO.onmicrosoft.com", "mail.contoso.com"},
		"relationshipToPartner": "reseller",
	}); err != nil {
		t.Fatal(err)
	}
	upper := strings.ToUpper(id)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: customerConfig(mock, upper) + `
# The test framework cannot read for_each instances back; count stands in.
# make demo runs the same with for_each.
resource "terraform_data" "per_domain" {
  count = length(data.partnercenter_customer.test.domains)
  input = data.partnercenter_customer.test.domains[count.index]
}
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.partnercenter_customer.test", "id", upper),
				resource.TestCheckResourceAttr("data.partnercenter_customer.test", "domains.#", "3"),
				resource.TestCheckResourceAttr("data.partnercenter_customer.test", "domains.0", "contoso.onmicrosoft.com"),
				resource.TestCheckResourceAttr("data.partnercenter_customer.test", "domains.1", "contoso.com"),
				resource.TestCheckResourceAttr("data.partnercenter_customer.test", "domains.2", "mail.contoso.com"),
				resource.TestCheckResourceAttr("data.partnercenter_customer.test", "custom_domains.#", "3"),
				resource.TestCheckNoResourceAttr("data.partnercenter_customer.test", "billing_profile"),
				resource.TestCheckNoResourceAttr("data.partnercenter_customer.test", "commerce_id"),
				resource.TestCheckResourceAttr("terraform_data.per_domain.2", "output", "mail.contoso.com"),
			),
		}},
	})
}

func TestAccCustomerDataSource_notFound(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	const missing = "0f0e0d0c-0b0a-4909-8807-060504030201"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: customerConfig(mock, missing),
			ExpectError: errorPattern(`Customer not found.*` + missing + `.*HTTP 404.*` +
				`error code: 3000.*MS-RequestId: [0-9a-f-]{36}.*MS-CorrelationId: [0-9a-f-]{36}.*not a customer of this partner`),
		}},
	})
}

// A malformed GUID fails at plan time and costs no request at all.
func TestAccCustomerDataSource_invalidID(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      customerConfig(mock, "eebd1b55-5360-4438-a11d-5c06918c301"),
			PlanOnly:    true,
			ExpectError: errorPattern(`Invalid Attribute Value Match.*must be a GUID`),
		}},
	})
	if n, tokens := mock.TotalAPIRequests(), mock.TokenRequests(); n != 0 || tokens != 0 {
		t.Fatalf("an invalid id sent %d API and %d token requests; want none", n, tokens)
	}
}

func TestAccCustomerDataSource_idAndDomainConflict(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(mock, "") + `
data "partnercenter_customer" "test" {
  id     = "eebd1b55-5360-4438-a11d-5c06918c3014"
  domain = "abcdefgh1234.ccsctp.net"
}
`,
			ExpectError: errorPattern(`Invalid Attribute Combination.*Exactly one of these attributes must be configured`),
		}},
	})
}

// An id known only after apply defers the read to apply, as Terraform expects.
func TestAccCustomerDataSource_unknownIDDefersRead(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(mock, "") + fmt.Sprintf(`
resource "terraform_data" "customer" {
  input = %q
}

data "partnercenter_customer" "test" {
  id = terraform_data.customer.output
}

output "company_name" {
  value = data.partnercenter_customer.test.company_profile.company_name
}
`, documentedID),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownOutputValue("company_name")},
			},
			Check: resource.TestCheckOutput("company_name", "1kl as kjk"),
		}},
	})
}
