package customers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// writeRequests counts the requests that could change something in
// Partner Center: anything but GET and HEAD.
func writeRequests(mock *mockpartnercenter.Server) int {
	n := 0
	for _, r := range mock.RecordedRequests() {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			n++
		}
	}
	return n
}

// storedAt is the string at the dotted path in a stored document, "" when
// absent.
func storedAt(doc map[string]any, path string) string {
	var v any = doc
	for _, key := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[key]
	}
	s, _ := v.(string)
	return s
}

// checkStored checks members of the mock's stored customer that the state
// at CustomerAddress names: each path ("billingProfile.companyName") holds
// want.
func checkStored(mock *mockpartnercenter.Server, want map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[acctest.CustomerAddress]
		if !ok {
			return fmt.Errorf("%s is not in the state", acctest.CustomerAddress)
		}
		body := mock.StoredCustomer(rs.Primary.ID)
		if body == nil {
			return fmt.Errorf("the mock has no customer %s", rs.Primary.ID)
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			return err
		}
		for path, value := range want {
			if got := storedAt(doc, path); got != value {
				return fmt.Errorf("the mock's customer %s has %s = %q, want %q", rs.Primary.ID, path, got, value)
			}
		}
		return nil
	}
}

// noWriteRequests checks that nothing but reads reached the mock.
func noWriteRequests(mock *mockpartnercenter.Server) resource.TestCheckFunc {
	return acctest.CheckMock(func() error {
		if n := writeRequests(mock); n != 0 {
			return fmt.Errorf("%d write requests, want none", n)
		}
		return nil
	})
}

func tenantsCreated(mock *mockpartnercenter.Server, want int) resource.TestCheckFunc {
	return acctest.CheckMock(func() error {
		if got := mock.CustomersCreated(); got != want {
			return fmt.Errorf("the mock created %d tenants, want %d", got, want)
		}
		return nil
	})
}

// Create, read back, update the billing profile in place, import, and
// abandon on destroy: the customer stays in Partner Center.
func TestAccCustomerResource_lifecycle(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	var createdID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		CheckDestroy: acctest.CheckMock(func() error {
			if len(mock.CustomerIDs()) != 2 {
				return fmt.Errorf("abandon removed the customer: %d customers left", len(mock.CustomerIDs()))
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: acctest.OnboardingConfig(mock, "onboarded.onmicrosoft.com", "Contoso Retail", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.CustomerAddress, "company_profile.domain", knownvalue.StringExact("onboarded.onmicrosoft.com")),
					acctest.StateAttr(acctest.CustomerAddress, "domains", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("onboarded.onmicrosoft.com")})),
					acctest.StateAttr(acctest.CustomerAddress, "relationship_to_partner", knownvalue.StringExact("reseller")),
					acctest.StateAttr(acctest.CustomerAddress, "billing_profile.id", knownvalue.NotNull()),
					acctest.StateAttr(acctest.CustomerAddress, "billing_profile.default_address.phone_number", knownvalue.Null()),
					acctest.StateAttr(acctest.CustomerAddress, "admin_user_name", knownvalue.StringExact("admin")),
					acctest.StateAttr(acctest.CustomerAddress, "admin_password", knownvalue.NotNull()),
					acctest.StateAttr(acctest.CustomerAddress, "on_destroy", knownvalue.StringExact("abandon")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					tenantsCreated(mock, 1),
					checkStored(mock, map[string]string{
						"companyProfile.domain":                    "onboarded.onmicrosoft.com",
						"billingProfile.companyName":               "Contoso Retail",
						"billingProfile.email":                     "billing@contoso.example",
						"billingProfile.culture":                   "en-US",
						"billingProfile.defaultAddress.country":    "US",
						"billingProfile.defaultAddress.postalCode": "98052",
					}),
					func(s *terraform.State) error {
						createdID = s.RootModule().Resources[acctest.CustomerAddress].Primary.ID
						if ids := mock.CustomerIDs(); ids[len(ids)-1] != createdID {
							return fmt.Errorf("state id %s is not the new tenant %s", createdID, ids[len(ids)-1])
						}
						return nil
					},
				),
			},
			{
				// The billing profile changes in place: same tenant, new
				// etag, the admin password kept.
				Config: acctest.OnboardingConfig(mock, "onboarded.onmicrosoft.com", "Contoso Retail Group", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.CustomerAddress, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.CustomerAddress, "admin_password", knownvalue.NotNull()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					tenantsCreated(mock, 1),
					checkStored(mock, map[string]string{
						"billingProfile.companyName":         "Contoso Retail Group",
						"billingProfile.defaultAddress.city": "Redmond",
					}),
					acctest.CheckMock(func() error {
						if mock.Requests(mockpartnercenter.RouteUpdateBillingProfile) != 1 {
							return fmt.Errorf("%d billing profile updates, want 1", mock.Requests(mockpartnercenter.RouteUpdateBillingProfile))
						}
						return nil
					}),
				),
			},
			{
				ResourceName:  acctest.CustomerAddress,
				ImportState:   true,
				ImportStateId: "onboarded.onmicrosoft.com",
				ExpectError:   acctest.ErrorPattern(`Invalid import ID.*tenant ID, a GUID`),
			},
			{
				ResourceName:                         acctest.CustomerAddress,
				ImportState:                          true,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
				// Returned only at creation: an import cannot know them.
				ImportStateVerifyIgnore: []string{"admin_password", "admin_user_name", "adopted"},
			},
		},
	})
}

// Import brings an existing customer under management without creating one;
// its admin password stays null.
func TestAccCustomerResource_import(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
import {
  to = partnercenter_customer.test
  id = %[1]q
}

resource "partnercenter_customer" "test" {
  domain = %[2]q
  billing_profile = {
    email        = "a@a.com"
    culture      = "en-US"
    language     = "en"
    company_name = "1kl as kjkAAAAAAAAAAAAAAAJJJJJJJJJJJAAAAAJJJJJJJJJJJAAJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJAJJJJJAJJAAAAJAJJAAAAAAAAAAAAAAAAAAAA"
    default_address = {
      country       = "US"
      city          = "redmond"
      state         = "WA"
      address_line1 = "1 ms way"
      postal_code   = "98052"
      first_name    = "1kl as"
      last_name     = "kjk"
      phone_number  = "1234567890"
    }
  }
}
`, acctest.DocumentedID, mockpartnercenter.DocumentedCustomerDomain)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.CustomerAddress, plancheck.ResourceActionNoop)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(acctest.CustomerAddress, "id", knownvalue.StringExact(acctest.DocumentedID)),
				acctest.StateAttr(acctest.CustomerAddress, "admin_password", knownvalue.Null()),
				acctest.StateAttr(acctest.CustomerAddress, "admin_user_name", knownvalue.Null()),
				acctest.StateAttr(acctest.CustomerAddress, "company_profile.company_name", knownvalue.StringExact("1kl as kjk")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				tenantsCreated(mock, 0),
				acctest.CheckMock(func() error {
					if n := writeRequests(mock); n != 0 {
						return fmt.Errorf("import sent %d write requests", n)
					}
					return nil
				}),
			),
		}},
	})
}

// on_destroy = "delete" deletes the customer in an integration sandbox;
// production's refusal is shown as it comes and the state is kept.
func TestAccCustomerResource_onDestroyDelete(t *testing.T) {
	t.Run("sandbox", func(t *testing.T) {
		mock := acctest.StartMock(t, mockpartnercenter.Options{IntegrationSandbox: true})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.TestAccProviders,
			CheckDestroy: acctest.CheckMock(func() error {
				if ids := mock.CustomerIDs(); len(ids) != 1 || mock.Requests(mockpartnercenter.RouteDeleteCustomer) != 1 {
					return fmt.Errorf("customers left %v after %d deletes", ids, mock.Requests(mockpartnercenter.RouteDeleteCustomer))
				}
				return nil
			}),
			Steps: []resource.TestStep{{
				Config: acctest.OnboardingConfig(mock, "sandboxed", "Sandbox Ltd", `on_destroy = "delete"`),
				Check:  tenantsCreated(mock, 1),
			}},
		})
	})
	// A sandbox partner without the Admin agent role is refused too: the
	// error gives both explanations, the sandbox one not alone.
	t.Run("sandbox, role missing", func(t *testing.T) {
		mock := acctest.StartMock(t, mockpartnercenter.Options{IntegrationSandbox: true})
		config := acctest.OnboardingConfig(mock, "roleless", "Roleless Ltd", `on_destroy = "delete"`)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.TestAccProviders,
			Steps: []resource.TestStep{
				{Config: config},
				{
					PreConfig: func() {
						mock.SetFault("", mockpartnercenter.Fault{Route: mockpartnercenter.RouteDeleteCustomer,
							Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{http.StatusForbidden}})
					},
					Config:  config,
					Destroy: true,
					ExpectError: acctest.ErrorPattern(`Deleting the customer was refused.*HTTP 403.*If this is a production account.*` +
						`on_destroy = "abandon".*Otherwise \(an integration sandbox account\).*Admin agent role`),
				},
				{
					Config: config,
					Check: acctest.CheckMock(func() error {
						if len(mock.CustomerIDs()) != 2 || mock.Requests(mockpartnercenter.RouteDeleteCustomer) != 1 {
							return fmt.Errorf("customers %v after %d deletes: the refused delete removed the customer",
								mock.CustomerIDs(), mock.Requests(mockpartnercenter.RouteDeleteCustomer))
						}
						return nil
					}),
				},
			},
		})
	})
	t.Run("production", func(t *testing.T) {
		mock := acctest.StartMock(t, mockpartnercenter.Options{})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.TestAccProviders,
			Steps: []resource.TestStep{
				{Config: acctest.OnboardingConfig(mock, "production", "Production Ltd", `on_destroy = "delete"`)},
				{
					Config:  acctest.OnboardingConfig(mock, "production", "Production Ltd", `on_destroy = "delete"`),
					Destroy: true,
					ExpectError: acctest.ErrorPattern(`Customers can be deleted only in an integration sandbox.*HTTP 403.*` +
						`in production a customer cannot be deleted.*on_destroy = "abandon", apply, then destroy.*removed block`),
				},
				{
					// Still managed: switching to abandon lets the test's own
					// destroy succeed, without a request.
					Config: acctest.OnboardingConfig(mock, "production", "Production Ltd", `on_destroy = "abandon"`),
					Check: acctest.CheckMock(func() error {
						if len(mock.CustomerIDs()) != 2 || mock.Requests(mockpartnercenter.RouteDeleteCustomer) != 1 {
							return fmt.Errorf("the refused delete removed the customer, or was sent %d times",
								mock.Requests(mockpartnercenter.RouteDeleteCustomer))
						}
						return nil
					}),
				},
			},
		})
	})
}

// A plan refuses a domain another tenant has, a missing registration number
// or postal code, malformed arguments and a change of domain, all before any
// write request.
func TestAccCustomerResource_planTimeRefusals(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	mock.TakeDomain("takenelsewhere")
	noWrites := func(want int) resource.TestCheckFunc {
		return acctest.CheckMock(func() error {
			if n := writeRequests(mock); n != want {
				return fmt.Errorf("%d write requests, want %d", n, want)
			}
			return nil
		})
	}
	refused := func(config, pattern string) resource.TestStep {
		return resource.TestStep{Config: config, PlanOnly: true, ExpectError: acctest.ErrorPattern(pattern)}
	}
	valid := acctest.OnboardingConfig(mock, "wellformed", "Wellformed Ltd", "")
	longPrefix := strings.Repeat("a", 28)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			refused(acctest.OnboardingConfig(mock, "takenelsewhere", "Taken Ltd", ""),
				`takenelsewhere.onmicrosoft.com.*taken by a tenant that is not listed among your customers.*choose another domain`),
			refused(acctest.OnboardingConfigIn(mock, "polska", "Polska Sp. z o.o.", "PL", ""),
				`Organization registration number required.*billed in PL`),
			refused(acctest.OnboardingConfigIn(mock, "polska", "Polska Sp. z o.o.", "PL", `organization_registration_number = ""`),
				`organization_registration_number.*at least 1`),
			refused(acctest.OnboardingConfig(mock, "not_valid", "Invalid Ltd", ""), `Invalid domain.*letters, digits, hyphens`),
			refused(acctest.OnboardingConfig(mock, longPrefix, "Long Ltd", ""),
				`Invalid domain for a new tenant.*`+longPrefix+`.*28 characters long.*at most 27`),
			refused(acctest.OnboardingConfig(mock, "hy-phen", "Hyphen Ltd", ""), `new tenant.*only letters and digits`),
			refused(acctest.OnboardingConfigIn(mock, "usa", "USA Inc", "USA", ""), `Invalid country.*"USA".*ISO 3166-1 alpha-2`),
			refused(acctest.OnboardingConfigIn(mock, "xx", "XX Inc", "XX", ""), `Invalid country.*"XX"`),
			refused(strings.Replace(valid, "billing@contoso.example", "not an email", 1), `"not an email".*email address`),
			refused(strings.Replace(valid, `"en-US"`, `"not-a-culture"`, 1), `"not-a-culture".*culture name`),
			refused(strings.Replace(valid, `postal_code   = "98052"`, "", 1), `Postal code required.*set\s+billing_profile.default_address.postal_code`),
			{Config: acctest.OnboardingConfig(mock, "renamed", "Renamed Ltd", ""), Check: noWrites(1)},
			refused(acctest.OnboardingConfig(mock, "renamedagain", "Renamed Ltd", ""), `domain.*cannot change.*new tenant`),
			{
				// The prefix and the full name are the same domain.
				Config:   acctest.OnboardingConfig(mock, "renamed.onmicrosoft.com", "Renamed Ltd", ""),
				PlanOnly: true,
			},
		},
	})
	if n := writeRequests(mock); n != 1 || mock.CustomersCreated() != 1 {
		t.Errorf("%d write requests, %d tenants in all, want the one creation", n, mock.CustomersCreated())
	}
}

// The service's registration-number refusals come through with their code
// and what they say.
func TestAccCustomerResource_registrationNumberFormat(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:      acctest.OnboardingConfigIn(mock, "polska", "Polska Sp. z o.o.", "PL", `organization_registration_number = "12-34"`),
			ExpectError: acctest.ErrorPattern(`600050.*expected pattern`),
		}},
	})
	if mock.CustomersCreated() != 0 {
		t.Errorf("created %d tenants", mock.CustomersCreated())
	}
}

// A domain one of the partner's own customers has is adopted: a warning at
// plan time, no new tenant at apply, and the billing profile set to the
// configuration's in the same apply (one PUT), so the next plan is empty.
func TestAccCustomerResource_adoptsOwnCustomer(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := acctest.OnboardingConfig(mock, mockpartnercenter.DocumentedCustomerDomain, "Adopted", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.CustomerAddress, "id", knownvalue.StringExact(acctest.DocumentedID)),
					acctest.StateAttr(acctest.CustomerAddress, "admin_password", knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 0),
					checkStored(mock, map[string]string{
						"billingProfile.companyName":         "Adopted",
						"billingProfile.email":               "billing@contoso.example",
						"billingProfile.defaultAddress.city": "Redmond",
					}),
					acctest.CheckMock(func() error {
						if n, puts := writeRequests(mock), mock.Requests(mockpartnercenter.RouteUpdateBillingProfile); n != 1 || puts != 1 {
							return fmt.Errorf("adoption sent %d write requests, %d of them profile updates; want the one update", n, puts)
						}
						return nil
					})),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: acctest.CheckMock(func() error {
					if n := writeRequests(mock); n != 1 {
						return fmt.Errorf("%d write requests, want still the one update", n)
					}
					return nil
				}),
			},
		},
	})
}

// A customer whose domain has a hyphen (which no new tenant may have) is
// adopted, and imported, like any other: the new-tenant rule is for
// creation only.
func TestAccCustomerResource_adoptsHyphenatedDomain(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const id = "4b1a2c3d-0000-4000-8000-00000000beef"
	addNorthwind(t, mock, id)
	config := acctest.OnboardingConfig(mock, "northwind-traders.onmicrosoft.com", "Northwind Traders", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config:             config,
				ConfigStateChecks:  []statecheck.StateCheck{acctest.StateAttr(acctest.CustomerAddress, "id", knownvalue.StringExact(id))},
				Check:              resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 0), noWriteRequests(mock)),
				ExpectNonEmptyPlan: false,
			},
			{
				ResourceName:            acctest.CustomerAddress,
				ImportState:             true,
				ImportStateId:           id,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"admin_password", "admin_user_name", "adopted"},
			},
		},
	})
}

// Every interruption of the creation after the tenant exists ends, after a
// second apply at most, with exactly one tenant in the state.
func TestAccCustomerResource_interruptedCreate(t *testing.T) {
	for _, tc := range []struct {
		name string
		// fault loses the creation's answer after the tenant exists.
		fault    mockpartnercenter.Fault
		timeouts string
		// lookupFails makes the recovery's list requests fail, so the first
		// apply saves nothing and the second one adopts the tenant.
		lookupFails  bool
		wantPassword bool
	}{
		// A retry with the same MS-RequestId gets the first answer.
		{name: "response dropped once", fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultDropConnection, Times: 1}, wantPassword: true},
		{name: "server error once", fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultServerError, AfterCommit: true, Times: 1}, wantPassword: true},
		// Every retry fails too: the customer is found by its domain.
		{name: "response always dropped", fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultDropConnection}},
		{name: "server errors after the retries", fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultServerError, AfterCommit: true}},
		{name: "slow past the create timeout", fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang, AfterCommit: true}, timeouts: "timeouts {\n    create = \"3s\"\n  }"},
		// The look-up fails as well: nothing is saved, the next plan warns
		// and the next apply adopts.
		{name: "response dropped, look-up failed", fault: mockpartnercenter.Fault{Kind: mockpartnercenter.FaultDropConnection}, lookupFails: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{})
			tc.fault.Route = mockpartnercenter.RouteCreateCustomer
			uninterrupted := mockpartnercenter.Fault{Route: mockpartnercenter.RouteCreateCustomer}
			config := acctest.OnboardingConfig(mock, "interrupted", "Interrupted Ltd", "max_retries_placeholder")
			config = strings.Replace(config, "max_retries_placeholder", tc.timeouts, 1)
			var password knownvalue.Check = knownvalue.Null()
			if tc.wantPassword {
				password = knownvalue.NotNull()
			}
			var steps []resource.TestStep
			if tc.lookupFails {
				steps = append(steps, resource.TestStep{
					PreConfig: func() {
						mock.SetFault("", tc.fault)
						mock.SetFault("", mockpartnercenter.Fault{Kind: mockpartnercenter.FaultRepeatContinuation})
					},
					Config:      config,
					ExpectError: acctest.ErrorPattern(`interrupted.onmicrosoft.com.*may have been created.*apply again`),
				})
			}
			steps = append(steps, resource.TestStep{
				PreConfig: func() {
					if tc.lookupFails {
						mock.SetFault("", uninterrupted)
						mock.SetFault("", mockpartnercenter.Fault{})
						return
					}
					mock.SetFault("", tc.fault)
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.CustomerAddress, "company_profile.domain", knownvalue.StringExact("interrupted.onmicrosoft.com")),
					acctest.StateAttr(acctest.CustomerAddress, "admin_password", password),
				},
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1),
					checkStored(mock, map[string]string{
						"companyProfile.domain":      "interrupted.onmicrosoft.com",
						"billingProfile.companyName": "Interrupted Ltd",
					})),
			}, resource.TestStep{
				// The second apply: nothing left to do, still one tenant.
				PreConfig: func() { mock.SetFault("", uninterrupted) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1), acctest.CheckMock(func() error {
					if got := len(mock.CustomerIDs()); got != 2 {
						return fmt.Errorf("%d customers, want the documented one and one new", got)
					}
					return nil
				})),
			})
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.TestAccProviders, Steps: steps})
			// Every attempt of the creation carried one MS-RequestId, the
			// service's idempotency key.
			requestIDs := map[string]bool{}
			for _, r := range mock.RecordedRequests() {
				if r.Method == http.MethodPost && r.Path == "/v1/customers" {
					requestIDs[r.Header.Get("MS-RequestId")] = true
				}
			}
			if len(requestIDs) != 1 || requestIDs[""] {
				t.Errorf("creation attempts carried %d MS-RequestIds, want one", len(requestIDs))
			}
			t.Logf("tenants created: %d, creation attempts: %d", mock.CustomersCreated(), mock.Requests(mockpartnercenter.RouteCreateCustomer))
		})
	}
}

// The first admin's password never reaches a TRACE log or an error, raw,
// form-encoded or JSON-escaped.
func TestAccCustomerResource_adminPasswordNeverLogged(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	logPath := acctest.CaptureTraceLog(t)
	hidden := func() []string { return acctest.SecretForms(mock.IssuedAdminPasswords()...) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		ErrorCheck: func(err error) error {
			return acctest.ErrorWithout(regexp.MustCompile(`domain`), hidden()...)(err)
		},
		Steps: []resource.TestStep{
			{Config: acctest.OnboardingConfig(mock, "secretive", "Secretive Ltd", "")},
			{Config: acctest.OnboardingConfig(mock, "secretive", "Secretive Group", "")},
			// An error after the password is known must not show it either.
			acctest.FailingStep(acctest.OnboardingConfig(mock, "secretiveagain", "Secretive Group", "")),
		},
	})
	if len(mock.IssuedAdminPasswords()) != 1 {
		t.Fatalf("passwords issued: %d", len(mock.IssuedAdminPasswords()))
	}
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) == 0 {
		t.Fatal("empty TRACE log")
	}
	for _, form := range hidden() {
		if strings.Contains(string(logs), form) {
			t.Fatalf("the TRACE log holds the admin password (as %d characters)", len(form))
		}
	}
}

// A customer deleted outside Terraform (twice not found, its domain free)
// leaves the state at the next refresh, and the plan creates it again: the
// apply makes a second tenant with the same domain, as the plan showed.
func TestAccCustomerResource_deletedOutsideTerraform(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{IntegrationSandbox: true})
	config := acctest.OnboardingConfig(mock, "vanishing", "Vanishing Ltd", "")
	var firstID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: config, Check: func(*terraform.State) error { firstID = lastCustomerID(mock); return nil }},
			{
				PreConfig: func() { deleteOutsideTerraform(t, mock, firstID) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.CustomerAddress, plancheck.ResourceActionCreate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					tenantsCreated(mock, 2),
					checkStored(mock, map[string]string{
						"companyProfile.domain":      "vanishing.onmicrosoft.com",
						"billingProfile.companyName": "Vanishing Ltd",
					}),
					resource.TestCheckResourceAttrWith(acctest.CustomerAddress, "id", func(id string) error {
						if id == firstID || mock.StoredCustomer(firstID) != nil {
							return fmt.Errorf("the state holds %s; want a new tenant, the deleted %s gone", id, firstID)
						}
						return nil
					}),
				),
			},
		},
	})
}

// Two resources with one free domain: the plan shows two creations, the
// apply makes one tenant, and the other resource, whose plan did not say
// it adopts, takes nothing over and writes no billing profile over it.
// Applied side by side, the second creation is refused (409) or finds the
// domain taken; one after the other, its re-plan during the apply finds it
// taken, which Terraform refuses as a change from the plan.
func TestAccCustomerResource_domainTakenSincePlanNotAdopted(t *testing.T) {
	for name, dependsOn := range map[string]string{"side by side": "", "one after the other": "depends_on = [partnercenter_customer.test]"} {
		t.Run(name, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{})
			first := acctest.OnboardingConfig(mock, "dupdomain", "First Ltd", "")
			second := strings.Replace(acctest.OnboardingConfig(mock, "dupdomain", "Second Ltd", dependsOn), `"partnercenter_customer" "test"`,
				`"partnercenter_customer" "second"`, 1)
			second = second[strings.Index(second, `resource "partnercenter_customer"`):]
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{{
					Config: first + second,
					ExpectError: acctest.ErrorPattern(`(Domain taken since the plan.*dupdomain.onmicrosoft.com.*nothing was written.*ONE|` +
						`inconsistent final plan|'dupdomain.onmicrosoft.com' is already in use)`),
				}},
			})
			if got := mock.CustomersCreated(); got != 1 {
				t.Fatalf("the mock created %d tenants, want 1", got)
			}
			if puts := mock.Requests(mockpartnercenter.RouteUpdateBillingProfile); puts != 0 {
				t.Fatalf("%d billing profile PUTs, want none", puts)
			}
			if stored := storedCompanyName(mock, lastCustomerID(mock)); stored != "First Ltd" && stored != "Second Ltd" {
				t.Errorf("the new customer's profile is %q", stored)
			}
			t.Logf("write requests %d, creation attempts %d", writeRequests(mock), mock.Requests(mockpartnercenter.RouteCreateCustomer))
		})
	}
}

// An adopted customer keeps the enable_gdap_by_default it was created with:
// a configuration that says otherwise is refused at plan time with nothing
// written; without the argument, the plan takes the customer's value, so
// the apply is consistent and nothing is tainted or replaced.
func TestAccCustomerResource_adoptionKeepsCreationOnlyGDAP(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const id = "4b1a2c3d-0000-4000-8000-00000000cafe"
	profile := map[string]any{
		"id": "9a7e1d55-0000-4000-8000-000000000002", "email": "billing@contoso.example", "culture": "en-US", "language": "en",
		"companyName": "Gdap Ltd",
		"defaultAddress": map[string]any{
			"firstName": "Avery", "lastName": "Howard", "addressLine1": "One Microsoft Way", "city": "Redmond",
			"state": "WA", "postalCode": "98052", "country": "US", "phoneNumber": "",
		},
		"attributes": map[string]any{"etag": "1", "objectType": "CustomerBillingProfile"},
	}
	if err := mock.AddCustomer(map[string]any{
		"id": id, "relationshipToPartner": "reseller", "billingProfile": profile, "enableGDAPByDefault": true,
		"companyProfile": map[string]any{"tenantId": id, "domain": "gdapadopt.onmicrosoft.com", "companyName": "Gdap Ltd"},
	}); err != nil {
		t.Fatal(err)
	}
	config := acctest.OnboardingConfig(mock, "gdapadopt", "Gdap Ltd", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      acctest.OnboardingConfig(mock, "gdapadopt", "Gdap Ltd", "enable_gdap_by_default = false"),
				ExpectError: acctest.ErrorPattern(`adopt your customer "` + id + `", whose enable_gdap_by_default is true.*Set enable_gdap_by_default = true`),
				Check:       resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 0), noWriteRequests(mock)),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(acctest.CustomerAddress, tfjsonpath.New("enable_gdap_by_default"), knownvalue.Bool(true)),
					plancheck.ExpectKnownValue(acctest.CustomerAddress, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					plancheck.ExpectKnownValue(acctest.CustomerAddress, tfjsonpath.New("adopted"), knownvalue.Bool(true)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.CustomerAddress, "id", knownvalue.StringExact(id)),
					acctest.StateAttr(acctest.CustomerAddress, "enable_gdap_by_default", knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 0), noWriteRequests(mock)),
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 0), noWriteRequests(mock)),
			},
		},
	})
	if n := writeRequests(mock); n != 0 {
		t.Errorf("%d write requests, want none", n)
	}
}

// enable_gdap_by_default and organization_registration_number are sent
// only at creation: a later change fails the plan, with nothing written,
// instead of a plan Terraform would refuse or a state that pretends.
func TestAccCustomerResource_creationOnlyArgumentsRefusedLater(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: acctest.OnboardingConfig(mock, "creationonly", "Creation Only Ltd", "enable_gdap_by_default = true")},
			{
				PreConfig:   func() { mock.ResetCounters() },
				Config:      acctest.OnboardingConfig(mock, "creationonly", "Creation Only Ltd", "enable_gdap_by_default = false"),
				ExpectError: acctest.ErrorPattern(`enable_gdap_by_default is sent to Partner Center only when the customer is created.*Set it back to true`),
			},
			{
				Config:      acctest.OnboardingConfig(mock, "creationonly", "Creation Only Ltd", `organization_registration_number = "123456789"`),
				ExpectError: acctest.ErrorPattern(`organization_registration_number is sent to Partner Center only when the customer is created.*Remove it`),
			},
			{
				Config:           acctest.OnboardingConfig(mock, "creationonly", "Creation Only Ltd", "enable_gdap_by_default = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: acctest.CheckMock(func() error {
					if n := writeRequests(mock); n != 0 {
						return fmt.Errorf("%d write requests after the creation, want none", n)
					}
					return nil
				}),
			},
		},
	})
}

// addNorthwind adds to the mock the customer id, northwind-traders.onmicrosoft.com,
// whose billing profile is that of acctest.OnboardingConfig for Northwind Traders.
func addNorthwind(t *testing.T, mock *mockpartnercenter.Server, id string) {
	t.Helper()
	profile := map[string]any{
		"id": "9a7e1d55-0000-4000-8000-000000000001", "email": "billing@contoso.example", "culture": "en-US", "language": "en",
		"companyName": "Northwind Traders",
		"defaultAddress": map[string]any{
			"firstName": "Avery", "lastName": "Howard", "addressLine1": "One Microsoft Way", "city": "Redmond",
			"state": "WA", "postalCode": "98052", "country": "US", "phoneNumber": "",
		},
		"attributes": map[string]any{"etag": "1", "objectType": "CustomerBillingProfile"},
	}
	if err := mock.AddCustomer(map[string]any{
		"id": id, "relationshipToPartner": "reseller", "billingProfile": profile,
		"companyProfile": map[string]any{"tenantId": id, "domain": "northwind-traders.onmicrosoft.com", "companyName": "Northwind Traders"},
	}); err != nil {
		t.Fatal(err)
	}
}
