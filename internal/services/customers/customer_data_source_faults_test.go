package customers

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// The fault matrix of the README's troubleshooting section: what Partner
// Center (the mock) does, and what the user sees.
func TestAccCustomerDataSource_faults(t *testing.T) {
	tests := []struct {
		name       string
		id         string // the customer read; the documented one when empty
		fault      mockpartnercenter.Fault
		tokenFault *mockpartnercenter.TokenFault
		extra      string // provider arguments
		dataExtra  string // data source arguments
		wantError  string // regexp; empty means the read succeeds
	}{
		{
			name:  "throttled twice with Retry-After, then served",
			fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultThrottle, Times: 2, RetryAfter: "1"},
		},
		{
			name:  "gateway errors 503, 502, 504, then served",
			fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{503, 502, 504}},
		},
		{
			name:  "token rejected once, renewed, then served",
			fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultUnauthorizedOnce},
		},
		{
			name:  "slow answer within the timeout",
			fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultDelay, Delay: 300 * time.Millisecond},
		},
		{
			name:      "throttled on every attempt",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultThrottle, RetryAfter: "0"},
			extra:     "max_retries = 1",
			wantError: `Partner Center throttled the request.*HTTP 429 Too Many Requests after 2 attempts.*MS-RequestId: [0-9a-f-]{36}.*fewer parallel reads`,
		},
		{
			name:      "throttled with retries switched off",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultThrottle, RetryAfter: "0"},
			extra:     "max_retries = 0",
			wantError: `Partner Center throttled the request.*HTTP 429 Too Many Requests\.`,
		},
		{
			name:      "server error persists",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{500, 500}},
			extra:     "max_retries = 1",
			wantError: `Partner Center request failed.*HTTP 500 Internal Server Error after 2 attempts.*support request`,
		},
		{
			name:      "token rejected twice",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{401, 401}},
			wantError: `Partner Center rejected the credentials.*HTTP 401.*App\+User`,
		},
		{
			name:      "forbidden",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{403}},
			wantError: `Partner Center denied access.*HTTP 403.*Admin agent.*GDAP`,
		},
		{
			name:      "malformed JSON",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultMalformedJSON},
			wantError: `Unexpected response from Partner Center.*` + acctest.DocumentedID + `.*[0-9a-f-]{36}`,
		},
		{
			name:      "oversized body",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultOversizedBody},
			wantError: `Unexpected response from Partner Center.*16 MiB`,
		},
		{
			name:      "another customer's record",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultWrongID},
			wantError: `Unexpected response from Partner Center.*` + acctest.DocumentedID,
		},
		{
			name:      "no answer before the read timeout",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang},
			dataExtra: "timeouts {\n    read = \"2s\"\n  }",
			wantError: `Partner Center read timed out.*within 2s.*timeouts.read`,
		},
		{
			name:  "App+User token without MFA, refused without a body",
			fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultMFARequired},
			wantError: `Partner Center requires multi-factor authentication.*HTTP 401 MFA Required.*` +
				`WWW-Authenticate: Multi-factor authentication is required.*since 2026-04-01.*sign in with MFA.*App-only.*use_oidc`,
		},
		{
			name:  "token for another audience",
			fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultWrongAudience},
			wantError: `Partner Center refused the token's audience.*HTTP 401 Unauthorized.*error code: 900420.*` +
				`audience is its API: https://api\.partnercenter\.microsoft\.com \(environment public`,
		},
		{
			name:      "customer not found, numeric code",
			fault:     mockpartnercenter.Fault{Kind: mockpartnercenter.FaultNotFound},
			wantError: `Customer not found.*HTTP 404 Not Found.*error code: 1000.*Description: Not found`,
		},
		{
			name: "tenant that is not a customer of the partner",
			id:   mockpartnercenter.NonCustomerTenantID,
			wantError: `Not a customer of this partner.*` + mockpartnercenter.NonCustomerTenantID + `.*HTTP 403 Forbidden.*` +
				`error code: 20002.*No relationship between caller and account.*not a customer of this partner`,
		},
		{
			name:       "refresh token revoked",
			tokenFault: &mockpartnercenter.TokenFault{Kind: mockpartnercenter.TokenFaultRevokedRefreshToken},
			wantError:  `Partner Center authentication failed.*refresh token.*AADSTS50173`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{})
			id := acctest.DocumentedID
			if tt.id != "" {
				id = tt.id
			}
			mock.SetFault(id, tt.fault)
			if tt.tokenFault != nil {
				mock.SetTokenFault(*tt.tokenFault)
			}
			step := resource.TestStep{
				Config: acctest.ProviderBlock(mock, tt.extra) + fmt.Sprintf(`
data "partnercenter_customer" "test" {
  id = %q
  %s
}
`, id, tt.dataExtra),
			}
			if tt.wantError != "" {
				step.ExpectError = acctest.ErrorPattern(tt.wantError)
			} else {
				step.Check = resource.TestCheckResourceAttr("data.partnercenter_customer.test", "company_profile.company_name", "1kl as kjk")
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.TestAccProviders, Steps: []resource.TestStep{step}})
		})
	}
}

// Every attempt of one read carries the same MS-RequestId; reads differ.
func TestAccCustomerDataSource_retriesKeepRequestID(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{503, 503}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.CustomerConfig(mock, acctest.DocumentedID),
			Check:  resource.TestCheckResourceAttr("data.partnercenter_customer.test", "id", acctest.DocumentedID),
		}},
	})
	recorded := mock.RecordedRequests()
	if len(recorded) < 4 {
		t.Fatalf("%d requests recorded; want the 3 attempts of the first read and later reads", len(recorded))
	}
	first, correlation := recorded[0].Header.Get("MS-RequestId"), recorded[0].Header.Get("MS-CorrelationId")
	for i := 1; i < 3; i++ {
		if got := recorded[i].Header.Get("MS-RequestId"); got != first {
			t.Errorf("attempt %d carried MS-RequestId %q, want %q as the first attempt", i+1, got, first)
		}
		if got := recorded[i].Header.Get("MS-CorrelationId"); got != correlation {
			t.Errorf("attempt %d carried MS-CorrelationId %q, want the provider's %q", i+1, got, correlation)
		}
	}
	if recorded[3].Header.Get("MS-RequestId") == first {
		t.Errorf("a later read reused MS-RequestId %q", first)
	}
	for i, r := range recorded {
		if r.Header.Get("MS-CorrelationId") == "" || r.Header.Get("Accept") != "application/json" ||
			r.Header.Get("MS-PartnerCenter-Application") != "terraform-provider-partnercenter" ||
			r.Header.Get("MS-Contract-Version") != "v1" {
			t.Errorf("request %d lacks MS-CorrelationId, Accept, MS-PartnerCenter-Application or MS-Contract-Version v1: %v", i, r.Header)
		}
		if ua := r.Header.Get("User-Agent"); !regexp.MustCompile(`^terraform-provider-partnercenter/test .*Terraform/\d+\.\d+`).MatchString(ua) {
			t.Errorf("request %d User-Agent = %q", i, ua)
		}
	}
}

// Thirty reads under the live service's kind of rate limit (10 requests per
// second, answered with 429, Retry-After and the limiter's own body): every
// read waits as told and none fails.
func TestAccCustomerDataSource_rateLimitedReads(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{
		GeneratedCustomers: 29,
		RateLimit:          mockpartnercenter.RateLimit{Requests: 10, Window: time.Second},
	})
	checks := []resource.TestCheckFunc{resource.TestCheckResourceAttr("data.partnercenter_customer.all.0", "id", acctest.DocumentedID)}
	for i := range 29 {
		checks = append(checks, resource.TestCheckResourceAttr(fmt.Sprintf("data.partnercenter_customer.all.%d", i+1),
			"company_profile.company_name", mockpartnercenter.GeneratedCustomerCompanyName(i)))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + acctest.CustomersByIDConfig("all", mock.CustomerIDs()),
			Check:  resource.ComposeAggregateTestCheckFunc(checks...),
		}},
	})
	if mock.ThrottledRequests() == 0 {
		t.Error("no request was throttled: the test did not exercise the rate limit")
	}
}
