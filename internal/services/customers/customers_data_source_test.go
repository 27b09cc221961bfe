package customers

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// 1,201 customers at 500 a page: three pages, three requests.
func TestAccCustomersDataSource_allPages(t *testing.T) {
	const generated = 1200
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: generated})
	last := mockpartnercenter.GeneratedCustomerID(generated - 1)
	const all = "data.partnercenter_customers.all"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + `data "partnercenter_customers" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(all, "customers", knownvalue.ListSizeExact(generated+1)),
				// API order: the documented customer first, then the generated
				// ones. Items carry what the list returns, nothing more.
				acctest.StateAttr(all, "customers.0", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":                      knownvalue.StringExact(acctest.DocumentedID),
					"relationship_to_partner": knownvalue.StringExact("reseller"),
					"domains":                 knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(mockpartnercenter.DocumentedCustomerDomain)}),
					"company_profile": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"tenant_id":    knownvalue.StringExact(acctest.DocumentedID),
						"domain":       knownvalue.StringExact(mockpartnercenter.DocumentedCustomerDomain),
						"company_name": knownvalue.StringExact("1kl as kjk"),
					}),
				})),
				acctest.StateAttr(all, fmt.Sprintf("customers.%d.id", generated), knownvalue.StringExact(last)),
			},
		}},
	})
	pages, tokens := mock.Requests(mockpartnercenter.RouteListCustomers), mock.TokenRequests()
	if tokens < 1 || pages != 3*tokens {
		t.Fatalf("%d list requests for %d token requests (provider processes): want 3 pages each", pages, tokens)
	}
}

func TestAccCustomersDataSource_filters(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 5})
	acctest.AddCustomer(t, mock, "a1b2c3d4-0000-4000-8000-000000000001", "zetawidgets.onmicrosoft.com", "Zeta Widgets")
	acctest.AddCustomer(t, mock, "a1b2c3d4-0000-4000-8000-000000000002", "zetaparts.onmicrosoft.com", "Omega Parts")
	acctest.AddCustomer(t, mock, "a1b2c3d4-0000-4000-8000-000000000003", "omegatools.onmicrosoft.com", "Zeta Tools")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + `
data "partnercenter_customers" "by_domain" {
  domain_prefix = "ZETA"
}

data "partnercenter_customers" "by_name" {
  company_name_prefix = "zeta "
}

data "partnercenter_customers" "none" {
  domain_prefix = "no-such-prefix"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr("data.partnercenter_customers.by_domain", "customers", knownvalue.ListSizeExact(2)),
				acctest.StateAttr("data.partnercenter_customers.by_domain", "customers.0.company_profile.domain", knownvalue.StringExact("zetawidgets.onmicrosoft.com")),
				acctest.StateAttr("data.partnercenter_customers.by_domain", "customers.1.company_profile.domain", knownvalue.StringExact("zetaparts.onmicrosoft.com")),
				acctest.StateAttr("data.partnercenter_customers.by_name", "customers", knownvalue.ListSizeExact(2)),
				acctest.StateAttr("data.partnercenter_customers.by_name", "customers.0.company_profile.company_name", knownvalue.StringExact("Zeta Widgets")),
				acctest.StateAttr("data.partnercenter_customers.by_name", "customers.1.company_profile.company_name", knownvalue.StringExact("Zeta Tools")),
				// Never null: an empty list, ready for for_each.
				acctest.StateAttr("data.partnercenter_customers.none", "customers", knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}

func TestAccCustomersDataSource_filtersConflict(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + `
data "partnercenter_customers" "both" {
  domain_prefix       = "a"
  company_name_prefix = "b"
}
`,
			ExpectError: acctest.ErrorPattern(`Invalid Attribute Combination.*cannot be configured together`),
		}},
	})
}

func TestAccCustomerDataSource_byDomain(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 3})
	// Same domain twice, and a domain that only starts like the one sought.
	acctest.AddCustomer(t, mock, "a1b2c3d4-0000-4000-8000-000000000011", "twins.onmicrosoft.com", "Twin One")
	acctest.AddCustomer(t, mock, "a1b2c3d4-0000-4000-8000-000000000012", "TWINS.onmicrosoft.com", "Twin Two")
	acctest.AddCustomer(t, mock, "a1b2c3d4-0000-4000-8000-000000000013", "solo.onmicrosoft.com.example", "Solo Lookalike")
	lookup := func(domain string) string {
		return acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_customer" "test" {
  domain = %q
}
`, domain)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				// One match, in another letter case: the full record is read by id.
				Config: lookup("ABCDEFGH1234.ccsctp.net"),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr("data.partnercenter_customer.test", "id", knownvalue.StringExact(acctest.DocumentedID)),
					acctest.StateAttr("data.partnercenter_customer.test", "domain", knownvalue.StringExact("ABCDEFGH1234.ccsctp.net")),
					acctest.StateAttr("data.partnercenter_customer.test", "billing_profile.culture", knownvalue.StringExact("en-US")),
				},
			},
			{
				Config:      lookup("solo.onmicrosoft.com"),
				ExpectError: acctest.ErrorPattern(`Customer not found.*solo\.onmicrosoft\.com`),
			},
			{
				Config: lookup("twins.onmicrosoft.com"),
				ExpectError: acctest.ErrorPattern(`More than one customer has this domain.*` +
					`a1b2c3d4-0000-4000-8000-000000000011.*a1b2c3d4-0000-4000-8000-000000000012.*Use .id. to choose one`),
			},
		},
	})
}

// The list's own timeouts.read bounds it, and its errors say what was listed.
func TestAccCustomersDataSource_timeout(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	mock.SetFault("", mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + `
data "partnercenter_customers" "slow" {
  company_name_prefix = "Contoso"
  timeouts {
    read = "1s"
  }
}
`,
			ExpectError: acctest.ErrorPattern(`Partner Center read timed out.*Listing customers with company name prefix "Contoso" did not finish within 1s`),
		}},
	})
}
