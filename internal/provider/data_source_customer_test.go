package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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

				// Documented fields the sample leaves out.
				resource.TestCheckNoResourceAttr(ds, "tags"),
				resource.TestCheckNoResourceAttr(ds, "enable_gdap_by_default"),
				resource.TestCheckNoResourceAttr(ds, "company_profile.organization_registration_number"),
				resource.TestCheckNoResourceAttr(ds, "company_profile.address.district"),
				resource.TestCheckNoResourceAttr(ds, "company_profile.address.email_address"),
				resource.TestCheckNoResourceAttr(ds, "billing_profile.default_address.middle_name"),
			),
		}},
	})
}

// The documented fields beyond the sample reach state under the snake_case of
// their JSON names.
func TestAccCustomerDataSource_documentedFieldsBeyondTheSample(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
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
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: customerConfig(mock, gb),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "tags.#", "2"),
				resource.TestCheckResourceAttr(ds, "tags.0", "managed"),
				resource.TestCheckResourceAttr(ds, "tags.1", "tier-1"),
				resource.TestCheckResourceAttr(ds, "enable_gdap_by_default", "true"),
				resource.TestCheckResourceAttr(ds, "company_profile.organization_registration_number", "GB123456789"),
				resource.TestCheckResourceAttr(ds, "company_profile.address.district", "Westminster"),
				resource.TestCheckResourceAttr(ds, "company_profile.address.middle_name", "K."),
				resource.TestCheckResourceAttr(ds, "company_profile.address.email_address", "ada@fabrikam.example"),
				// Present but empty stays an empty string.
				resource.TestCheckResourceAttr(ds, "billing_profile.default_address.middle_name", ""),
				resource.TestCheckNoResourceAttr(ds, "billing_profile.default_address.district"),
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
			ExpectError: errorPattern(`Customer not found.*` + missing + `.*HTTP 404 Not Found.*` +
				`error code: 60003.*Tenant not found.*MS-RequestId: [0-9a-f-]{36}.*MS-CorrelationId: [0-9a-f-]{36}.*` +
				`credentials belong to the partner that manages the customer`),
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

// warningRecorder keeps the warnings of the provider's data source reads,
// which the test framework cannot check, while the real CLI drives it.
type warningRecorder struct {
	mu       sync.Mutex
	warnings []*tfprotov6.Diagnostic
}

func (r *warningRecorder) providers() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"partnercenter": func() (tfprotov6.ProviderServer, error) {
			return warningRecordingServer{ProviderServer: ProtocolServer("test")(), recorder: r}, nil
		},
	}
}

// matching returns the recorded warnings whose summary and detail match pattern.
func (r *warningRecorder) matching(pattern string) []*tfprotov6.Diagnostic {
	re := errorPattern(pattern)
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
	mock := startMock(t, mockpartnercenter.Options{GeneratedCustomers: 10})
	uncovered := mockpartnercenter.GeneratedCustomerID(9)
	if mockpartnercenter.GeneratedCustomerCoveredByGDAP(9) {
		t.Fatal("generated customer 9 should lack GDAP coverage")
	}
	var recorder warningRecorder
	const byID, byDomain = "data.partnercenter_customer.by_id", "data.partnercenter_customer.by_domain"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: recorder.providers(),
		Steps: []resource.TestStep{{
			Config: providerBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_customer" "by_id" {
  id = %q
}

data "partnercenter_customer" "by_domain" {
  domain = %q
}
`, uncovered, mockpartnercenter.GeneratedCustomerDomain(9)),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(byID, "domains.#", "1"),
				resource.TestCheckResourceAttr(byID, "domains.0", mockpartnercenter.GeneratedCustomerDomain(9)),
				resource.TestCheckNoResourceAttr(byID, "custom_domains"),
				resource.TestCheckNoResourceAttr(byID, "company_profile.email"),
				resource.TestCheckNoResourceAttr(byID, "company_profile.address"),
				resource.TestCheckResourceAttr(byID, "company_profile.company_name", mockpartnercenter.GeneratedCustomerCompanyName(9)),
				resource.TestCheckResourceAttr(byDomain, "id", uncovered),
				resource.TestCheckResourceAttr(byDomain, "domains.#", "1"),
			),
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
	mock := startMock(t, mockpartnercenter.Options{})
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
			Config: customerConfig(mock, id),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.partnercenter_customer.test", "custom_domains.#", "0"),
				resource.TestCheckResourceAttr("data.partnercenter_customer.test", "domains.#", "1"),
			),
		}},
	})
	if mock.Requests(mockpartnercenter.RouteGetCustomer) == 0 {
		t.Fatal("the customer was never read")
	}
	if n := recorder.count(); n != 0 {
		t.Errorf("%d warnings for a customer with no custom domains; want none: %v", n, recorder.matching(""))
	}
}
