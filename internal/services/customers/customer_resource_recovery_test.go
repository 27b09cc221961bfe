package customers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// lastCustomerID is the id of the customer the mock stored last.
func lastCustomerID(mock *mockpartnercenter.Server) string {
	ids := mock.CustomerIDs()
	return ids[len(ids)-1]
}

// passwordKept checks that the state holds the one administrator password
// the mock issued.
func passwordKept(mock *mockpartnercenter.Server) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		issued := mock.IssuedAdminPasswords()
		if len(issued) != 1 {
			return fmt.Errorf("the mock issued %d passwords, want 1", len(issued))
		}
		if got := s.RootModule().Resources[acctest.CustomerAddress].Primary.Attributes["admin_password"]; got != issued[0] {
			return fmt.Errorf("the state's admin_password (%d characters) is not the one issued", len(got))
		}
		return nil
	}
}

// A final dot and letter case do not make another tenant: the mock stores
// the name without them, the next plan is empty, and a second resource with
// the plain name adopts the same customer.
func TestAccCustomerResource_domainNormalised(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	dotted := acctest.OnboardingConfig(mock, "Trail.onmicrosoft.com.", "Trail Ltd", "")
	plain := strings.TrimPrefix(acctest.OnboardingConfig(mock, "trail.onmicrosoft.com", "Trail Ltd", ""), acctest.ProviderBlock(mock, ""))
	second := dotted + strings.Replace(plain, `"test"`, `"again"`, 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: dotted,
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1),
					checkStored(mock, map[string]string{"companyProfile.domain": "trail.onmicrosoft.com"})),
			},
			{
				Config:           acctest.OnboardingConfig(mock, "trail", "Trail Ltd", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: second,
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1),
					resource.TestCheckResourceAttrPair(acctest.CustomerAddress, "id", "partnercenter_customer.again", "id")),
			},
		},
	})
}

// A creation whose answer is lost while the partner's customer list does
// not show the new customer yet: a short lag is waited out within the
// apply; a longer one fails saying the customer was probably created (never
// that the domain is someone else's), and the next apply adopts it. One
// tenant either way.
func TestAccCustomerResource_lostAnswerWhileListingLags(t *testing.T) {
	dropped := mockpartnercenter.Fault{Kind: mockpartnercenter.FaultDropConnection, Route: mockpartnercenter.RouteCreateCustomer}
	cleared := mockpartnercenter.Fault{Route: mockpartnercenter.RouteCreateCustomer}
	t.Run("short lag", func(t *testing.T) {
		mock := acctest.StartMock(t, mockpartnercenter.Options{})
		config := acctest.OnboardingConfig(mock, "lagging", "Lagging Ltd", "")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.TestAccProviders,
			Steps: []resource.TestStep{{
				PreConfig: func() {
					mock.SetNewCustomerListLag(2)
					mock.SetFault("", dropped)
				},
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1), resource.TestCheckResourceAttrWith(acctest.CustomerAddress, "id", func(id string) error {
					if id != lastCustomerID(mock) {
						return fmt.Errorf("state id %s, want the new tenant %s", id, lastCustomerID(mock))
					}
					return nil
				})),
			}},
		})
	})
	t.Run("long lag", func(t *testing.T) {
		mock := acctest.StartMock(t, mockpartnercenter.Options{})
		config := acctest.OnboardingConfig(mock, "lagging", "Lagging Ltd", "")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.TestAccProviders,
			Steps: []resource.TestStep{
				{
					PreConfig: func() {
						mock.SetNewCustomerListLag(4)
						mock.SetFault("", dropped)
					},
					Config: config,
					ExpectError: acctest.ErrorPattern(`The customer was probably created: the domain "lagging.onmicrosoft.com" is taken.*` +
						`does not list a customer with it yet.*apply again in a few minutes.*adopts it instead of creating a second tenant`),
				},
				{
					PreConfig: func() { mock.SetFault("", cleared) },
					Config:    config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.CustomerAddress, plancheck.ResourceActionCreate)},
					},
					ConfigStateChecks: []statecheck.StateCheck{acctest.StateAttr(acctest.CustomerAddress, "admin_password", knownvalue.Null())},
					Check:             resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1)),
				},
			},
		})
		if n := mock.Requests(mockpartnercenter.RouteCreateCustomer); n < 2 {
			t.Errorf("%d creation attempts; the fault should have made the client retry", n)
		}
		t.Logf("creation attempts %d, look-ups by domain %d, domain checks %d, writes %d",
			mock.Requests(mockpartnercenter.RouteCreateCustomer), mock.Requests(mockpartnercenter.RouteListCustomers),
			mock.Requests(mockpartnercenter.RouteDomainAvailability), mock.WriteRequests())
	})
}

// A refusal that follows an attempt whose outcome was unknown is not taken
// as "not created": the first attempt made the tenant and lost its answer
// (500), the retry was refused (409); the customer is found and adopted.
func TestAccCustomerResource_refusalAfterUnknownAttempt(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	mock.SetFault("", mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, AfterCommit: true,
		Statuses: []int{http.StatusInternalServerError, http.StatusConflict}, Route: mockpartnercenter.RouteCreateCustomer})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.OnboardingConfig(mock, "refusedlater", "Refused Later Ltd", ""),
			Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1),
				checkStored(mock, map[string]string{"companyProfile.domain": "refusedlater.onmicrosoft.com"}),
				acctest.CheckMock(func() error {
					if n := mock.Requests(mockpartnercenter.RouteCreateCustomer); n != 2 {
						return fmt.Errorf("%d creation attempts, want 2", n)
					}
					return nil
				})),
		}},
	})
}

// An answer to the creation that carries the password but an id of the
// wrong type keeps the password: the customer is found by its domain and
// the state holds the password the mock issued.
func TestAccCustomerResource_oddCreationAnswerKeepsPassword(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	mock.SetOddCreationAnswers(true)
	config := acctest.OnboardingConfig(mock, "oddanswer", "Odd Answer Ltd", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1), passwordKept(mock),
					checkStored(mock, map[string]string{"companyProfile.domain": "oddanswer.onmicrosoft.com"})),
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1), passwordKept(mock)),
			},
		},
	})
}

// One 404 does not drop a customer: the refresh reads it again and keeps
// it, password included. A customer Partner Center no longer finds whose
// domain is still taken is kept too, not planned anew.
func TestAccCustomerResource_refreshLooksTwice(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{IntegrationSandbox: true})
	config := acctest.OnboardingConfig(mock, "flickering", "Flickering Ltd", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: config, Check: tenantsCreated(mock, 1)},
			{
				PreConfig: func() {
					mock.SetFault(lastCustomerID(mock), mockpartnercenter.Fault{Kind: mockpartnercenter.FaultNotFound, Times: 1,
						Route: mockpartnercenter.RouteGetCustomer})
				},
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1), passwordKept(mock)),
			},
			{
				// Gone from the partner's customers, its domain still a
				// tenant's: kept as it was, nothing planned.
				PreConfig: func() {
					mock.TakeDomain("flickering")
					deleteOutsideTerraform(t, mock, lastCustomerID(mock))
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
	if mock.CustomersCreated() != 1 {
		t.Errorf("%d tenants created, want 1", mock.CustomersCreated())
	}
	t.Logf("customer reads %d, domain checks %d, writes %d", mock.Requests(mockpartnercenter.RouteGetCustomer),
		mock.Requests(mockpartnercenter.RouteDomainAvailability), mock.WriteRequests())
}

// deleteOutsideTerraform deletes the customer through the mock's API, as
// someone else would in an integration sandbox.
func deleteOutsideTerraform(t *testing.T, mock *mockpartnercenter.Server, id string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodDelete, mock.URL()+"/v1/customers/"+id, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("deleting outside Terraform: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("deleting outside Terraform: %s", resp.Status)
	}
}

// A billing profile changed by someone else after the plan read it is not
// written over: the apply fails with no PUT and asks for a new plan, which
// shows the change; applying that plan writes it.
func TestAccCustomerResource_billingProfileChangedAfterPlan(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	renamed := acctest.OnboardingConfig(mock, "contested", "Contested Group", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: acctest.OnboardingConfig(mock, "contested", "Contested Ltd", "")},
			{
				PreConfig:   func() { mock.ChangeBillingProfileAtNextRead(lastCustomerID(mock), "defaultAddress.city", "Bellevue") },
				Config:      renamed,
				ExpectError: acctest.ErrorPattern(`Billing profile changed since the plan.*nothing was written.*Run terraform plan again`),
			},
			{
				PreConfig: func() {
					if n := mock.Requests(mockpartnercenter.RouteUpdateBillingProfile); n != 0 {
						t.Errorf("%d billing profile PUTs after the refused apply, want 0", n)
					}
				},
				Config: renamed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.CustomerAddress, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStored(mock, map[string]string{
						"billingProfile.companyName":         "Contested Group",
						"billingProfile.defaultAddress.city": "Redmond",
					}),
					acctest.CheckMock(func() error {
						if n := mock.Requests(mockpartnercenter.RouteUpdateBillingProfile); n != 1 {
							return fmt.Errorf("%d billing profile PUTs, want 1", n)
						}
						return nil
					})),
			},
		},
	})
}

// A member the configuration leaves out keeps Partner Center's value
// through an update: it is sent as read, never as "".
func TestAccCustomerResource_unsetMembersKeptThroughUpdate(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: acctest.OnboardingConfig(mock, "keeper", "Keeper Ltd", "")},
			{
				PreConfig: func() {
					if err := mock.ChangeBillingProfile(lastCustomerID(mock), "defaultAddress.region", "Puget Sound"); err != nil {
						t.Fatal(err)
					}
				},
				Config: acctest.OnboardingConfig(mock, "keeper", "Keeper Group", ""),
				Check: checkStored(mock, map[string]string{
					"billingProfile.companyName":           "Keeper Group",
					"billingProfile.defaultAddress.region": "Puget Sound",
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.CustomerAddress, "billing_profile.default_address.region", knownvalue.StringExact("Puget Sound")),
				},
			},
		},
	})
}

// A customer whose reads leave the billing profile out is compared with the
// profile's own read: the plan is empty, run after run, and nothing is
// written.
func TestAccCustomerResource_readWithoutBillingProfileConverges(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := acctest.OnboardingConfig(mock, "profileless", "Profileless Ltd", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:        func() { mock.SetReadsWithoutBillingProfile(lastCustomerID(mock), true) },
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: acctest.CheckMock(func() error {
					if n := mock.Requests(mockpartnercenter.RouteUpdateBillingProfile); n != 0 {
						return fmt.Errorf("%d billing profile PUTs, want 0", n)
					}
					if n := mock.Requests(mockpartnercenter.RouteGetBillingProfile); n == 0 {
						return fmt.Errorf("the profile's own route was never read")
					}
					return nil
				}),
			},
		},
	})
}

// A billing profile update whose first attempt was stored but answered with
// a server error is retried; the retry's stale-etag refusal is about the
// update's own write: the profile read afterwards holds what was sent, so
// the apply succeeds, with the value in the mock and in the state.
func TestAccCustomerResource_retriedProfileUpdateRecognisesItsOwnWrite(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	renamed := acctest.OnboardingConfig(mock, "retried", "Retried Group", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: acctest.OnboardingConfig(mock, "retried", "Retried Ltd", "")},
			{
				PreConfig: func() {
					mock.SetFault("", mockpartnercenter.Fault{Route: mockpartnercenter.RouteUpdateBillingProfile,
						Kind: mockpartnercenter.FaultServerError, AfterCommit: true, Times: 1})
				},
				Config: renamed,
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.CustomerAddress, "billing_profile.company_name", knownvalue.StringExact("Retried Group")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStored(mock, map[string]string{"billingProfile.companyName": "Retried Group"}),
					acctest.CheckMock(func() error {
						if n := mock.Requests(mockpartnercenter.RouteUpdateBillingProfile); n != 2 {
							return fmt.Errorf("%d billing profile PUTs, want the stored one and its refused retry", n)
						}
						return nil
					})),
			},
			{
				Config:           renamed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// An answer to the creation that is partly unreadable but names the
// customer by a GUID keeps the password even when neither the read by that
// id nor the look-up by domain finds the customer yet: the state is built
// from the answer, and the next refresh fills in the rest.
func TestAccCustomerResource_oddAnswerWithIDKeepsPasswordWhileUnreadable(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := acctest.OnboardingConfig(mock, "oddunread", "Odd Unread Ltd", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					mock.SetOddCreationAnswersKeepingTenantID(true)
					mock.SetNewCustomerListLag(4)
					mock.SetFault("", mockpartnercenter.Fault{Route: mockpartnercenter.RouteGetCustomer,
						Kind: mockpartnercenter.FaultNotFound, Times: 1})
				},
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1), passwordKept(mock),
					resource.TestCheckResourceAttrWith(acctest.CustomerAddress, "id", func(id string) error {
						if id != lastCustomerID(mock) {
							return fmt.Errorf("state id %s, want the new tenant %s", id, lastCustomerID(mock))
						}
						return nil
					}),
					checkStored(mock, map[string]string{"companyProfile.domain": "oddunread.onmicrosoft.com"})),
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1), passwordKept(mock)),
			},
		},
	})
}

// An adoption whose billing profile replacement fails leaves a state that
// shows the configuration's profile (Terraform takes nothing else after a
// create, and the customer must not be tainted), marked unsettled: the
// next plan, without a refresh, sends the profile again, and applying it
// writes the configuration's.
func TestAccCustomerResource_unsettledProfileSentAgain(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := acctest.OnboardingConfig(mock, mockpartnercenter.DocumentedCustomerDomain, "Unsettled Ltd", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		// Every plan runs with -refresh=false, so that only the unsettled
		// mark can show the profile still to be sent.
		AdditionalCLIOptions: &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: true}},
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					mock.SetFault("", mockpartnercenter.Fault{Route: mockpartnercenter.RouteUpdateBillingProfile,
						Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{http.StatusBadRequest}})
				},
				Config: config,
				// The post-apply plan runs with -refresh=false: only the
				// unsettled mark makes it send the profile again.
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.CustomerAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 0), acctest.CheckMock(func() error {
					if n := mock.Requests(mockpartnercenter.RouteUpdateBillingProfile); n != 1 {
						return fmt.Errorf("%d billing profile PUTs, want the one refused", n)
					}
					if stored := storedCompanyName(mock, acctest.DocumentedID); stored == "Unsettled Ltd" {
						return fmt.Errorf("the refused PUT stored %q", stored)
					}
					return nil
				})),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.CustomerAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStored(mock, map[string]string{"billingProfile.companyName": "Unsettled Ltd"}),
					acctest.CheckMock(func() error {
						if n := mock.Requests(mockpartnercenter.RouteUpdateBillingProfile); n != 2 {
							return fmt.Errorf("%d billing profile PUTs, want the refused one and the update", n)
						}
						return nil
					})),
			},
		},
	})
}

// storedCompanyName is the billing profile's company name of the mock's
// customer id.
func storedCompanyName(mock *mockpartnercenter.Server, id string) string {
	var doc map[string]any
	if json.Unmarshal(mock.StoredCustomer(id), &doc) != nil {
		return ""
	}
	return storedAt(doc, "billingProfile.companyName")
}
