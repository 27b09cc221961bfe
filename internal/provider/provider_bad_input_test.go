package provider

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Careless input is refused at plan time with an error that says what to
// fix, sends no request, and never prints a secret.

// Terraform prints the configuration line a diagnostic points at. A
// credential error must point at the argument that caused it, and never at a
// sensitive argument, whose line may hold the secret itself.
func TestAccProvider_credentialErrorsPointAtTheirCause(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const (
		refreshToken = "literal-refresh-token-7e3f"
		pfxPassword  = "literal-pfx-password-2b8d"
	)
	cert, key := newTestCertificate(t)
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, "the-right-password")
	if err != nil {
		t.Fatal(err)
	}
	pfxPath := filepath.Join(t.TempDir(), "app.pfx")
	if err := os.WriteFile(pfxPath, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
	bogusCertificate := base64.StdEncoding.EncodeToString([]byte("this is not a certificate at all"))
	block := func(tenantID, credential string) string {
		return fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %[1]q
  authority_host = %[1]q
  tenant_id      = %[2]q
  client_id      = %[3]q
  refresh_token  = %[4]q
  %[5]s
}
`, mock.URL(), tenantID, acctest.MockClientID, refreshToken, credential) + customerByID
	}
	secret := fmt.Sprintf("client_secret = %q", acctest.MockClientSecret)
	for name, tt := range map[string]struct{ config, pattern string }{
		"malformed tenant_id": {
			block("not a tenant/../x", secret),
			`Invalid tenant ID.*tenant_id = "not a tenant/../x"`,
		},
		"wrong PKCS#12 password": {
			block(acctest.MockTenantID, fmt.Sprintf("client_certificate_path = %q\n  client_certificate_password = %q", pfxPath, pfxPassword)),
			`Invalid Partner Center credentials.*The client_certificate_password argument: .*password is wrong`,
		},
		"bogus client_certificate": {
			block(acctest.MockTenantID, fmt.Sprintf("client_certificate = %q", bogusCertificate)),
			`Invalid Partner Center credentials.*The client_certificate argument: client certificate: the data is neither PEM nor`,
		},
		"bogus client_certificate_path": {
			block(acctest.MockTenantID, fmt.Sprintf("client_certificate_path = %q", filepath.Join(t.TempDir(), "missing.pfx"))),
			`Unreadable client certificate.*client_certificate_path = `,
		},
		"client_secret beside client_certificate": {
			block(acctest.MockTenantID, secret+fmt.Sprintf("\n  client_certificate = %q", bogusCertificate)),
			`Conflicting client credentials.*Keep one`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			expectErrorWithout(t, tt.config, acctest.ErrorPattern(tt.pattern), refreshToken, pfxPassword, bogusCertificate, acctest.MockClientSecret)
		})
	}
	if n := mock.TokenRequests() + mock.TotalAPIRequests(); n != 0 {
		t.Errorf("%d requests were sent for configurations with errors", n)
	}
}

// A URL that cannot be parsed is quoted without its user information.
func TestAccProvider_unparsableURLHidesPassword(t *testing.T) {
	acctest.StartMock(t, mockpartnercenter.Options{}) // skips without TF_ACC
	t.Setenv("PARTNERCENTER_ENDPOINT", "https://user:hunter2-endpoint-pw@host:8x")
	expectErrorWithout(t, "provider \"partnercenter\" {\n  access_token = \"unused-token\"\n}\n"+customerByID,
		acctest.ErrorPattern(`Invalid URL.*"https://\[redacted\]@host:8x" is not a valid URL.*PARTNERCENTER_ENDPOINT`),
		"hunter2-endpoint-pw")
}

// refusedAtPlanTime runs each config, which must fail with its pattern,
// and checks that no request was sent.
func refusedAtPlanTime(t *testing.T, mock *mockpartnercenter.Server, cases map[string]string) {
	t.Helper()
	var steps []resource.TestStep
	for config, pattern := range cases {
		steps = append(steps, resource.TestStep{Config: config, ExpectError: acctest.ErrorPattern(pattern)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.TestAccProviders, Steps: steps})
	if n := mock.TokenRequests() + mock.TotalAPIRequests(); n != 0 {
		t.Errorf("%d requests were sent for invalid values; want none", n)
	}
}

func customerWith(mock *mockpartnercenter.Server, arguments string) string {
	return acctest.ProviderBlock(mock, "") + fmt.Sprintf("\ndata \"partnercenter_customer\" \"test\" {\n  %s\n}\n", arguments)
}

// A megabyte of domain would become a megabyte of query string, echoed back
// twice: domain must be a DNS name.
func TestAccCustomerDataSource_invalidDomainRefused(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	refusedAtPlanTime(t, mock, map[string]string{
		customerWith(mock, fmt.Sprintf("domain = %q", strings.Repeat("a", 1<<20)+".com")): `Invalid domain name.*1048580 characters long; a DNS name has at most 253`,
		customerWith(mock, fmt.Sprintf("domain = %q", strings.Repeat("a", 64)+".com")):    `Invalid domain name.*a label of 64 characters`,
		customerWith(mock, `domain = "contoso..com"`):                                     `Invalid domain name.*empty label`,
		customerWith(mock, `domain = "contoso.com/../x"`):                                 `Invalid domain name.*other than letters, digits`,
		customerWith(mock, `domain = "contoso"`):                                          `Invalid domain name.*not a domain name`,
	})
}

// A prefix goes into the list request's query: an endless one is refused
// before any request.
func TestAccCustomersDataSource_longPrefixRefused(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	long := strings.Repeat("a", 257)
	refusedAtPlanTime(t, mock, map[string]string{
		acctest.ProviderBlock(mock, "") + fmt.Sprintf("data \"partnercenter_customers\" \"c\" {\n  domain_prefix = %q\n}\n", long):       `Invalid Attribute Value Length.*between 1 and 256`,
		acctest.ProviderBlock(mock, "") + fmt.Sprintf("data \"partnercenter_customers\" \"c\" {\n  company_name_prefix = %q\n}\n", long): `Invalid Attribute Value Length.*between 1 and 256`,
	})
}

// max_retries = 1.5 is the user's mistake, and the error says so.
func TestAccProvider_maxRetriesMustBeWhole(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	refusedAtPlanTime(t, mock, map[string]string{
		acctest.ProviderBlock(mock, "max_retries = 1.5") + customerByID: `Invalid number.*1.5 must be a whole number from 0 to 20`,
		acctest.ProviderBlock(mock, "max_retries = 21") + customerByID:  `Invalid number.*21 must be a whole number from 0 to 20`,
	})
}

// A read given no time at all could only end as a time-out.
func TestAccCustomerDataSource_nonPositiveTimeoutRefused(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	withTimeout := func(d string) string {
		return customerWith(mock, fmt.Sprintf("id = %q\n  timeouts {\n    read = %q\n  }", acctest.DocumentedID, d))
	}
	refusedAtPlanTime(t, mock, map[string]string{
		withTimeout("0s"):  `Invalid timeout.*"0s" must be a duration longer than zero`,
		withTimeout("-5s"): `Invalid timeout.*"-5s" must be a duration longer than zero`,
	})
}
