package customers

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// The documented customer of Microsoft's "Get a customer by ID" page, every
// attribute, including those the payload leaves out (null).
func TestAccCustomerDataSource_documentedCustomer(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const ds = "data.partnercenter_customer.test"
	domain := mockpartnercenter.DocumentedCustomerDomain
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.CustomerConfig(mock, acctest.DocumentedID),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(ds, "id", knownvalue.StringExact(acctest.DocumentedID)),
				acctest.StateAttr(ds, "commerce_id", knownvalue.StringExact("99e6a635-48e7-424d-9059-c9db944e3c54")),
				acctest.StateAttr(ds, "relationship_to_partner", knownvalue.StringExact("reseller")),
				acctest.StateAttr(ds, "allow_delegated_access", knownvalue.Bool(true)),
				acctest.StateAttr(ds, "associated_partner_id", knownvalue.Null()),
				acctest.StateAttr(ds, "domain", knownvalue.Null()),
				acctest.StateAttr(ds, "custom_domains", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(domain)})),
				// The company domain is also the custom domain: listed once.
				acctest.StateAttr(ds, "domains", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(domain)})),
				acctest.StateAttr(ds, "company_profile", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"tenant_id":    knownvalue.StringExact(acctest.DocumentedID),
					"domain":       knownvalue.StringExact(domain),
					"company_name": knownvalue.StringExact("1kl as kjk"),
					"email":        knownvalue.StringExact("a@a.com"),
					// Documented, but the sample leaves it out.
					"organization_registration_number": knownvalue.Null(),
					"address": addressExact(map[string]string{
						"country": "US", "region": "wa", "city": "redmond", "address_line1": "1 ms way",
						"postal_code": "98052", "phone_number": "1234567890",
					}),
				})),
				acctest.StateAttr(ds, "billing_profile", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":           knownvalue.StringExact("eeada110-69d6-4cc9-b093-75feb7ca9d3f"),
					"first_name":   knownvalue.StringExact("Jasond0d89d776d03471c819bf772191ed728"),
					"last_name":    knownvalue.StringExact("kjkAJJAAAAAAAAAAAAAAAAAAAA"),
					"email":        knownvalue.StringExact("a@a.com"),
					"culture":      knownvalue.StringExact("en-US"),
					"language":     knownvalue.StringExact("en"),
					"company_name": knownvalue.StringExact("1kl as kjkAAAAAAAAAAAAAAAJJJJJJJJJJJAAAAAJJJJJJJJJJJAAJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJAJJJJJAJJAAAAJAJJAAAAAAAAAAAAAAAAAAAA"),
					"default_address": addressExact(map[string]string{
						"country": "US", "city": "redmond", "state": "WA", "address_line1": "1 ms way", "postal_code": "98052",
						"first_name": "1kl as", "last_name": "kjk", "phone_number": "1234567890",
					}),
				})),
				// Documented fields the sample leaves out.
				acctest.StateAttr(ds, "tags", knownvalue.Null()),
				acctest.StateAttr(ds, "enable_gdap_by_default", knownvalue.Null()),
			},
		}},
	})
}

// addressExact is an address with the given attributes set and every other
// attribute of the schema's address null.
func addressExact(set map[string]string) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for _, name := range []string{"country", "region", "city", "state", "district", "address_line1", "address_line2",
		"address_line3", "postal_code", "first_name", "middle_name", "last_name", "email_address", "phone_number"} {
		checks[name] = knownvalue.Null()
		if v, ok := set[name]; ok {
			checks[name] = knownvalue.StringExact(v)
		}
	}
	return knownvalue.ObjectExact(checks)
}

// The documented fields beyond the sample reach state under the snake_case of
// their JSON names.
func TestAccCustomerDataSource_documentedFieldsBeyondTheSample(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const ds = "data.partnercenter_customer.test"
	const gb = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
	if err := mock.AddCustomer(map[string]any{
		"id": gb,
		"companyProfile": map[string]any{
			"tenantId": gb, "domain": "fabrikam.onmicrosoft.com", "companyName": "Fabrikam Ltd", "email": "it@fabrikam.example",
			"organizationRegistrationNumber": "GB123456789",
			"address": map[string]any{
				"country": "GB", "city": "london", "district": "Westminster", "addressLine1": "2 Kingdom Street",
				"firstName": "Ada", "middleName": "K.", "lastName": "Byron", "emailAddress": "ada@fabrikam.example",
			},
		},
		"billingProfile":      map[string]any{"defaultAddress": map[string]any{"country": "GB", "middleName": ""}},
		"customDomains":       []any{"fabrikam.co.uk"},
		"tags":                []any{"managed", "tier-1"},
		"enableGDAPByDefault": true,
	}); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.CustomerConfig(mock, gb),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(ds, "tags", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("managed"), knownvalue.StringExact("tier-1")})),
				acctest.StateAttr(ds, "enable_gdap_by_default", knownvalue.Bool(true)),
				acctest.StateAttr(ds, "company_profile.organization_registration_number", knownvalue.StringExact("GB123456789")),
				acctest.StateAttr(ds, "company_profile.address.district", knownvalue.StringExact("Westminster")),
				acctest.StateAttr(ds, "company_profile.address.middle_name", knownvalue.StringExact("K.")),
				acctest.StateAttr(ds, "company_profile.address.email_address", knownvalue.StringExact("ada@fabrikam.example")),
				// Present but empty stays an empty string.
				acctest.StateAttr(ds, "billing_profile.default_address.middle_name", knownvalue.StringExact("")),
				acctest.StateAttr(ds, "billing_profile.default_address.district", knownvalue.Null()),
			},
		}},
	})
}

// domains lists the company domain, then custom domains, each once, and
// feeds another resource; an id in upper case is kept as written.
func TestAccCustomerDataSource_domainsFeedForEach(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
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
	const ds = "data.partnercenter_customer.test"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.CustomerConfig(mock, upper) + `
# The test framework cannot read for_each instances back; count stands in.
# make demo runs the same with for_each.
resource "terraform_data" "per_domain" {
  count = length(data.partnercenter_customer.test.domains)
  input = data.partnercenter_customer.test.domains[count.index]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(ds, "id", knownvalue.StringExact(upper)),
				acctest.StateAttr(ds, "domains", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("contoso.onmicrosoft.com"), knownvalue.StringExact("contoso.com"), knownvalue.StringExact("mail.contoso.com"),
				})),
				acctest.StateAttr(ds, "custom_domains", knownvalue.ListSizeExact(3)),
				acctest.StateAttr(ds, "billing_profile", knownvalue.Null()),
				acctest.StateAttr(ds, "commerce_id", knownvalue.Null()),
				acctest.StateAttr("terraform_data.per_domain[2]", "output", knownvalue.StringExact("mail.contoso.com")),
			},
		}},
	})
}

func TestAccCustomerDataSource_notFound(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const missing = "0f0e0d0c-0b0a-4909-8807-060504030201"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.CustomerConfig(mock, missing),
			ExpectError: acctest.ErrorPattern(`Customer not found.*` + missing + `.*HTTP 404 Not Found.*` +
				`error code: 60003.*Tenant not found.*MS-RequestId: [0-9a-f-]{36}.*MS-CorrelationId: [0-9a-f-]{36}.*` +
				`credentials belong to the partner that manages the customer`),
		}},
	})
}

// A malformed GUID fails at plan time and costs no request at all.
func TestAccCustomerDataSource_invalidID(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:      acctest.CustomerConfig(mock, "eebd1b55-5360-4438-a11d-5c06918c301"),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(`Invalid Attribute Value Match.*must be a GUID`),
		}},
	})
	if n, tokens := mock.TotalAPIRequests(), mock.TokenRequests(); n != 0 || tokens != 0 {
		t.Fatalf("an invalid id sent %d API and %d token requests; want none", n, tokens)
	}
}

func TestAccCustomerDataSource_idAndDomainConflict(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + `
data "partnercenter_customer" "test" {
  id     = "eebd1b55-5360-4438-a11d-5c06918c3014"
  domain = "abcdefgh1234.ccsctp.net"
}
`,
			ExpectError: acctest.ErrorPattern(`Invalid Attribute Combination.*Exactly one of these attributes must be configured`),
		}},
	})
}

// An id known only after apply defers the read to apply, as Terraform expects.
func TestAccCustomerDataSource_unknownIDDefersRead(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
resource "terraform_data" "customer" {
  input = %q
}

data "partnercenter_customer" "test" {
  id = terraform_data.customer.output
}

output "company_name" {
  value = data.partnercenter_customer.test.company_profile.company_name
}
`, acctest.DocumentedID),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownOutputValue("company_name")},
			},
			Check: resource.TestCheckOutput("company_name", "1kl as kjk"),
		}},
	})
}

// warningRecorder keeps the warnings of the provider's data source reads,
// which the test framework cannot check, while the real CLI drives it.
type warningRecorder struct {
	mu       sync.Mutex
	warnings []*tfprotov6.Diagnostic
}

func (r *warningRecorder) providers() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"partnercenter": func() (tfprotov6.ProviderServer, error) {
			return warningRecordingServer{ProviderServer: acctest.UnderTest.Server("test")(), recorder: r}, nil
		},
	}
}

// matching returns the recorded warnings whose summary and detail match pattern.
func (r *warningRecorder) matching(pattern string) []*tfprotov6.Diagnostic {
	re := acctest.ErrorPattern(pattern)
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*tfprotov6.Diagnostic
	for _, w := range r.warnings {
		if re.MatchString(w.Summary + "\n" + w.Detail) {
			out = append(out, w)
		}
	}
	return out
}

func (r *warningRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.warnings)
}

type warningRecordingServer struct {
	tfprotov6.ProviderServer
	recorder *warningRecorder
}

func (s warningRecordingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		s.recorder.mu.Lock()
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityWarning {
				s.recorder.warnings = append(s.recorder.warnings, d)
			}
		}
		s.recorder.mu.Unlock()
	}
	return resp, err
}

// A customer the partner's GDAP roles do not cover comes without custom
// domains, address and email: the read succeeds with the initial domain and
// warns, naming the customer and the roles that would help; by id and by
// domain alike.
func TestAccCustomerDataSource_withheldDetailsWarn(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 10})
	uncovered := mockpartnercenter.GeneratedCustomerID(9)
	if mockpartnercenter.GeneratedCustomerCoveredByGDAP(9) {
		t.Fatal("generated customer 9 should lack GDAP coverage")
	}
	var recorder warningRecorder
	const byID, byDomain = "data.partnercenter_customer.by_id", "data.partnercenter_customer.by_domain"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: recorder.providers(),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_customer" "by_id" {
  id = %q
}

data "partnercenter_customer" "by_domain" {
  domain = %q
}
`, uncovered, mockpartnercenter.GeneratedCustomerDomain(9)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(byID, "domains", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(mockpartnercenter.GeneratedCustomerDomain(9))})),
				acctest.StateAttr(byID, "custom_domains", knownvalue.Null()),
				acctest.StateAttr(byID, "company_profile.email", knownvalue.Null()),
				acctest.StateAttr(byID, "company_profile.address", knownvalue.Null()),
				acctest.StateAttr(byID, "company_profile.company_name", knownvalue.StringExact(mockpartnercenter.GeneratedCustomerCompanyName(9))),
				acctest.StateAttr(byDomain, "id", knownvalue.StringExact(uncovered)),
				acctest.StateAttr(byDomain, "domains", knownvalue.ListSizeExact(1)),
			},
		}},
	})
	common := `Partner Center withheld the customer's custom domains, address and email \(GDAP\).*%s.*` +
		regexp.QuoteMeta(mockpartnercenter.GeneratedCustomerCompanyName(9)) + `.*GDAP.*` +
		`initial domain "` + regexp.QuoteMeta(mockpartnercenter.GeneratedCustomerDomain(9)) + `".*` +
		`Directory Readers, Directory Writers, Global Reader or Domain Name Administrator`
	if len(recorder.matching(fmt.Sprintf(common, `Reading customer "`+uncovered+`"`))) == 0 {
		t.Errorf("no GDAP warning for the read by id; warnings: %d", recorder.count())
	}
	if len(recorder.matching(fmt.Sprintf(common, `Reading customer with domain`))) == 0 {
		t.Errorf("no GDAP warning for the read by domain; warnings: %d", recorder.count())
	}
}

// A customer whose customDomains is present but empty simply has none: no
// warning.
func TestAccCustomerDataSource_emptyCustomDomainsDoNotWarn(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const id = "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a"
	if err := mock.AddCustomer(map[string]any{
		"id":             id,
		"companyProfile": map[string]any{"tenantId": id, "domain": "plain.onmicrosoft.com", "companyName": "Plain"},
		"customDomains":  []any{},
	}); err != nil {
		t.Fatal(err)
	}
	var recorder warningRecorder
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: recorder.providers(),
		Steps: []resource.TestStep{{
			Config: acctest.CustomerConfig(mock, id),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr("data.partnercenter_customer.test", "custom_domains", knownvalue.ListSizeExact(0)),
				acctest.StateAttr("data.partnercenter_customer.test", "domains", knownvalue.ListSizeExact(1)),
			},
		}},
	})
	if mock.Requests(mockpartnercenter.RouteGetCustomer) == 0 {
		t.Fatal("the customer was never read")
	}
	if n := recorder.count(); n != 0 {
		t.Errorf("%d warnings for a customer with no custom domains; want none: %v", n, recorder.matching(""))
	}
}
