package customers_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// queryTestCase is a test case of terraform query (Terraform 1.14+, not
// OpenTofu, whose versions SkipBelow also skips): a first step that writes
// the configuration terraform query needs beside its query file, then steps.
func queryTestCase(mock *mockpartnercenter.Server, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: append([]resource.TestStep{{
			Config: acctest.ProviderBlock(mock, ""),
			// The provider's configuration costs no request; the query
			// steps count from here.
			Check: func(*terraform.State) error { mock.ResetCounters(); return nil },
		}}, steps...),
	}
}

// queryStep lists with the given list blocks, under the provider block of
// the first step's configuration.
func queryStep(lists string, checks ...querycheck.QueryResultCheck) resource.TestStep {
	return resource.TestStep{Query: true, Config: lists, QueryResultChecks: checks}
}

// expectListRequests checks, before the next step, that the steps since
// the last check asked Partner Center for want pages of customers, and
// that nothing was written.
func expectListRequests(t *testing.T, mock *mockpartnercenter.Server, want int) func() {
	return func() {
		t.Helper()
		if got := mock.Requests(mockpartnercenter.RouteListCustomers); got != want {
			t.Errorf("%d requests for pages of customers, want %d", got, want)
		}
		if got, pages := mock.TotalAPIRequests(), mock.Requests(mockpartnercenter.RouteListCustomers); got != pages {
			t.Errorf("%d API requests besides the %d pages, want none", got-pages, pages)
		}
		mock.ResetCounters()
	}
}

func byCustomerID(id string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"customer_id": knownvalue.StringExact(id)})
}

// 1,201 customers at 500 to a page: every one listed from three pages,
// named by company name and domain; the limit stops the pages.
func TestAccCustomerListResource_everyCustomerAndTheLimit(t *testing.T) {
	const generated = 1200
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: generated})
	last := generated - 1
	resource.Test(t, queryTestCase(mock,
		queryStep(`
list "partnercenter_customer" "all" {
  provider = partnercenter
  limit    = 5000
}
`,
			querycheck.ExpectLength("partnercenter_customer.all", generated+1),
			querycheck.ExpectResourceDisplayName("partnercenter_customer.all", byCustomerID(acctest.DocumentedID),
				knownvalue.StringExact("1kl as kjk ("+mockpartnercenter.DocumentedCustomerDomain+")")),
			querycheck.ExpectResourceDisplayName("partnercenter_customer.all", byCustomerID(mockpartnercenter.GeneratedCustomerID(last)),
				knownvalue.StringExact(fmt.Sprintf("%s (%s)", mockpartnercenter.GeneratedCustomerCompanyName(last), mockpartnercenter.GeneratedCustomerDomain(last)))),
		),
		// A limit within the first page costs that page alone; Terraform's
		// default limit is 100.
		func() resource.TestStep {
			s := queryStep(`
list "partnercenter_customer" "first" {
  provider = partnercenter
  limit    = 500
}

list "partnercenter_customer" "default" {
  provider = partnercenter
}
`,
				querycheck.ExpectLength("partnercenter_customer.first", 500),
				querycheck.ExpectLength("partnercenter_customer.default", 100),
			)
			s.PreConfig = expectListRequests(t, mock, 3)
			return s
		}(),
		// One more than a page: two pages.
		func() resource.TestStep {
			s := queryStep(`
list "partnercenter_customer" "more" {
  provider = partnercenter
  limit    = 501
}
`, querycheck.ExpectLength("partnercenter_customer.more", 501))
			s.PreConfig = expectListRequests(t, mock, 2)
			return s
		}(),
	))
	expectListRequests(t, mock, 2)()
}

func TestAccCustomerListResource_filters(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 5})
	acctest.AddCustomer(t, mock, "a1b2c3d4-0000-4000-8000-000000000001", "zetawidgets.onmicrosoft.com", "Zeta Widgets")
	acctest.AddCustomer(t, mock, "a1b2c3d4-0000-4000-8000-000000000002", "zetaparts.onmicrosoft.com", "Omega Parts")
	acctest.AddCustomer(t, mock, "a1b2c3d4-0000-4000-8000-000000000003", "omegatools.onmicrosoft.com", "Zeta Tools")
	resource.Test(t, queryTestCase(mock,
		queryStep(`
list "partnercenter_customer" "by_domain" {
  provider = partnercenter
  config {
    domain_prefix = "ZETA"
  }
}

list "partnercenter_customer" "by_name" {
  provider = partnercenter
  config {
    company_name_prefix = "zeta "
  }
}

list "partnercenter_customer" "none" {
  provider = partnercenter
  config {
    domain_prefix = "no-such-prefix"
  }
}
`,
			querycheck.ExpectLength("partnercenter_customer.by_domain", 2),
			querycheck.ExpectResourceDisplayName("partnercenter_customer.by_domain", byCustomerID("a1b2c3d4-0000-4000-8000-000000000001"),
				knownvalue.StringExact("Zeta Widgets (zetawidgets.onmicrosoft.com)")),
			querycheck.ExpectResourceDisplayName("partnercenter_customer.by_domain", byCustomerID("a1b2c3d4-0000-4000-8000-000000000002"),
				knownvalue.StringExact("Omega Parts (zetaparts.onmicrosoft.com)")),
			querycheck.ExpectLength("partnercenter_customer.by_name", 2),
			querycheck.ExpectResourceDisplayName("partnercenter_customer.by_name", byCustomerID("a1b2c3d4-0000-4000-8000-000000000003"),
				knownvalue.StringExact("Zeta Tools (omegatools.onmicrosoft.com)")),
			querycheck.ExpectLength("partnercenter_customer.none", 0),
		),
		resource.TestStep{
			PreConfig: expectListRequests(t, mock, 3),
			Query:     true,
			Config: `
list "partnercenter_customer" "both" {
  provider = partnercenter
  config {
    domain_prefix       = "zeta"
    company_name_prefix = "zeta"
  }
}
`,
			ExpectError: regexp.MustCompile(`(?s)domain_prefix.*company_name_prefix|company_name_prefix.*domain_prefix`),
		},
	))
	expectListRequests(t, mock, 0)()
}

// include_resource: each result is the customer as an import reads it,
// for one more request a customer (the documented customer's record
// carries its billing profile).
func TestAccCustomerListResource_includeResource(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 3})
	attr := func(name string, want knownvalue.Check) querycheck.KnownValueCheck {
		return querycheck.KnownValueCheck{Path: tfjsonpath.New(name), KnownValue: want}
	}
	resource.Test(t, queryTestCase(mock,
		queryStep(`
list "partnercenter_customer" "documented" {
  provider         = partnercenter
  include_resource = true
  config {
    domain_prefix = "abcdefgh1234"
  }
}
`,
			querycheck.ExpectLength("partnercenter_customer.documented", 1),
			querycheck.ExpectIdentity("partnercenter_customer.documented", map[string]knownvalue.Check{
				"customer_id": knownvalue.StringExact(acctest.DocumentedID),
			}),
			querycheck.ExpectResourceKnownValues("partnercenter_customer.documented", byCustomerID(acctest.DocumentedID), []querycheck.KnownValueCheck{
				attr("id", knownvalue.StringExact(acctest.DocumentedID)),
				attr("domain", knownvalue.StringExact(mockpartnercenter.DocumentedCustomerDomain)),
				attr("on_destroy", knownvalue.StringExact("abandon")),
				attr("admin_user_name", knownvalue.Null()),
				attr("relationship_to_partner", knownvalue.StringExact("reseller")),
				attr("company_profile", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"company_name": knownvalue.StringExact("1kl as kjk"),
				})),
				attr("billing_profile", knownvalue.NotNull()),
			}),
		),
	))
	pages, reads := mock.Requests(mockpartnercenter.RouteListCustomers), mock.Requests(mockpartnercenter.RouteGetCustomer)
	if pages != 1 || reads != 1 || mock.TotalAPIRequests() != 2 {
		t.Errorf("%d pages, %d reads of a customer, %d API requests in all; want 1, 1 and 2", pages, reads, mock.TotalAPIRequests())
	}
}

// The live service throttles; the client waits as Retry-After says, and
// the list completes.
func TestAccCustomerListResource_rateLimited(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{
		GeneratedCustomers: 1200,
		RateLimit:          mockpartnercenter.RateLimit{Requests: 1, Window: time.Second},
	})
	resource.Test(t, queryTestCase(mock,
		queryStep(`
list "partnercenter_customer" "all" {
  provider = partnercenter
  limit    = 5000
}
`, querycheck.ExpectLength("partnercenter_customer.all", 1201)),
	))
	if mock.ThrottledRequests() == 0 {
		t.Error("the mock throttled no request: the test proves nothing")
	}
}

// The estate's adoption: terraform query writes a resource and an import
// block for each customer; the plan that follows imports them all with no
// other change and writes nothing; the apply imports; the next plan is
// empty.
func TestAccCustomerListResource_generatedConfigImportsWithoutChange(t *testing.T) {
	const generated = 19 // and the documented customer
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: generated})
	k := customerQuery(t, mock)
	mock.ResetCounters()
	if out, ok := k.Run("query", "-generate-config-out=customers.tf"); !ok {
		t.Fatalf("terraform query failed:\n%s", out)
	}
	// One page, and each customer read as an import reads it: the mock's
	// customers carry their billing profile, so one read each.
	pages, reads, profiles := mock.Requests(mockpartnercenter.RouteListCustomers), mock.Requests(mockpartnercenter.RouteGetCustomer),
		mock.Requests(mockpartnercenter.RouteGetBillingProfile)
	if pages != 1 || reads != generated+1 || profiles != 0 || mock.TotalAPIRequests() != pages+reads {
		t.Errorf("terraform query asked for %d pages, %d customers, %d billing profiles, %d requests in all; want 1, %d, 0 and %d",
			pages, reads, profiles, mock.TotalAPIRequests(), generated+1, generated+2)
	}
	generatedConfig := k.ReadFile("customers.tf")
	if n := strings.Count(generatedConfig, `resource "partnercenter_customer"`); n != generated+1 {
		t.Fatalf("%d resource blocks generated, want %d:\n%s", n, generated+1, generatedConfig)
	}
	mock.ResetCounters()

	if out, ok := k.Run("plan", "-out=adopt.tfplan", "-detailed-exitcode"); ok || strings.Contains(out, "Error") {
		t.Fatalf("terraform plan: want exit code 2 (changes: the imports):\n%s", out)
	}
	imports := k.PlannedImports("adopt.tfplan")
	if imports != generated+1 {
		t.Errorf("%d imports planned, want %d", imports, generated+1)
	}
	if writes := mock.WriteRequests(); writes != 0 {
		t.Errorf("the plan sent %d writes to Partner Center, want none", writes)
	}

	if out, ok := k.Run("apply", "adopt.tfplan"); !ok {
		t.Fatalf("terraform apply failed:\n%s", out)
	}
	if out, ok := k.Run("plan", "-detailed-exitcode"); !ok {
		t.Fatalf("the plan after the imports: want no change (exit code 0):\n%s", out)
	}
	if writes := mock.WriteRequests(); writes != 0 {
		t.Errorf("the imports sent %d writes to Partner Center, want none", writes)
	}
}

// A customer billed where there are no postal codes has none in its billing
// profile: the generated configuration leaves postal_code out, and the plan
// that follows imports it with no other change.
func TestAccCustomerListResource_customerWithoutPostalCode(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	if err := mock.ChangeBillingProfile(acctest.DocumentedID, "defaultAddress.postalCode", ""); err != nil {
		t.Fatal(err)
	}
	k := customerQuery(t, mock)
	if out, ok := k.Run("query", "-generate-config-out=customers.tf"); !ok {
		t.Fatalf("terraform query failed:\n%s", out)
	}
	generated := k.ReadFile("customers.tf")
	if !strings.Contains(generated, acctest.DocumentedID) || strings.Contains(generated, "postal_code") {
		t.Errorf("want the customer generated without postal_code:\n%s", generated)
	}
	mock.ResetCounters()
	if out, ok := k.Run("plan", "-detailed-exitcode"); ok || strings.Contains(out, "Error") ||
		!strings.Contains(out, "1 to import, 0 to add, 0 to change, 0 to destroy") {
		t.Fatalf("terraform plan: want the import and nothing else:\n%s", out)
	}
	if writes := mock.WriteRequests(); writes != 0 {
		t.Errorf("the plan sent %d writes to Partner Center, want none", writes)
	}
}

// customerQuery is Terraform, 1.14 or later, initialised in a directory
// whose query file lists every customer of mock (up to 1,000).
func customerQuery(t *testing.T, mock *mockpartnercenter.Server) *acctest.KillableTerraform {
	t.Helper()
	k := acctest.NewKillableTerraform(t)
	k.SkipBelow("1.14.0")
	k.Write(acctest.ProviderBlock(mock, ""))
	k.WriteFile("customers.tfquery.hcl", `
list "partnercenter_customer" "all" {
  provider = partnercenter
  limit    = 1000
}
`)
	if out, ok := k.Run("init"); !ok {
		t.Fatalf("terraform init failed:\n%s", out)
	}
	return k
}
