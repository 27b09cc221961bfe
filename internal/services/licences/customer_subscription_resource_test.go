package licences

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// purchaseConfig buys Microsoft 365 Business Basic for the documented
// customer, its catalog item looked up as the docs advise; body holds the
// resource's other arguments.
func purchaseConfig(mock *mockpartnercenter.Server, body string) string {
	return acctest.ProviderBlock(mock, "") + acctest.PurchaseBlocks(body)
}

// purchasesAre checks the mock counted exactly n purchases for the customer.
func purchasesAre(mock *mockpartnercenter.Server, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := mock.Purchases(acctest.DocumentedID); got != n {
			return fmt.Errorf("the mock counted %d purchases for the customer, want %d", got, n)
		}
		return nil
	}
}

// storedSubscription is the subscription as the mock stores it now, read
// without a request.
func storedSubscription(mock *mockpartnercenter.Server, id string) (map[string]any, error) {
	for _, raw := range mock.Subscriptions(acctest.DocumentedID) {
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, err
		}
		if got, _ := doc["id"].(string); strings.EqualFold(got, id) {
			return doc, nil
		}
	}
	return nil, fmt.Errorf("the mock holds no subscription %s", id)
}

// storedIs checks members of the subscription *id as the mock stores it:
// what Partner Center holds, not the state's echo of the configuration.
// Numbers are float64, as JSON decodes them.
func storedIs(mock *mockpartnercenter.Server, id *string, want map[string]any) resource.TestCheckFunc {
	return func(*terraform.State) error {
		doc, err := storedSubscription(mock, *id)
		if err != nil {
			return err
		}
		for member, value := range want {
			if doc[member] != value {
				return fmt.Errorf("the mock's subscription %s has %s = %v, want %v", *id, member, doc[member], value)
			}
		}
		return nil
	}
}

// Buying, then changing seats up and down, renewal and name in place, each
// change one PATCH that leaves the rest of the subscription as it was; then
// bringing the subscription under management again with `terraform import`
// and with an import block, and abandoning it on destroy.
func TestAccCustomerSubscriptionResource_lifecycle(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	var subscriptionID string
	var beforeToggle map[string]any
	patches := func(n int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := mock.Requests(mockpartnercenter.RouteUpdateSubscription); got != n {
				return fmt.Errorf("%d PATCHes so far, want %d", got, n)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: purchaseConfig(mock, "quantity = 2"),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.SubscriptionAddress, "status", knownvalue.StringExact("active")),
					acctest.StateAttr(acctest.SubscriptionAddress, "on_destroy", knownvalue.StringExact("abandon")),
					acctest.StateAttr(acctest.SubscriptionAddress, "offer_name", knownvalue.StringExact("Microsoft 365 Business Basic")),
					acctest.StateAttr(acctest.SubscriptionAddress, "cart_id", knownvalue.NotNull()),
					acctest.StateAttr(acctest.SubscriptionAddress, "order_id", knownvalue.NotNull()),
					acctest.StateAttr(acctest.SubscriptionAddress, "refundable_quantity.total_quantity", knownvalue.Int64Exact(2)),
					acctest.StateAttr(acctest.SubscriptionAddress, "cancellation_allowed_until_date", knownvalue.NotNull()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 1),
					func(s *terraform.State) error {
						added := acctest.NewSubscriptionIDs(mock, before)
						if len(added) != 1 || s.RootModule().Resources[acctest.SubscriptionAddress].Primary.ID != added[0] {
							return fmt.Errorf("the mock holds new subscriptions %v; want exactly the one in state", added)
						}
						subscriptionID = added[0]
						return nil
					},
					storedIs(mock, &subscriptionID, map[string]any{"quantity": 2.0, "autoRenewEnabled": true, "billingCycle": "monthly", "termDuration": "P1Y"}),
				),
			},
			{
				Config: purchaseConfig(mock, "quantity = 5"),
				Check:  resource.ComposeAggregateTestCheckFunc(purchasesAre(mock, 1), patches(1), storedIs(mock, &subscriptionID, map[string]any{"quantity": 5.0})),
			},
			{
				// Within the 7 days, seats may be removed again.
				Config: purchaseConfig(mock, "quantity = 3"),
				Check:  resource.ComposeAggregateTestCheckFunc(purchasesAre(mock, 1), patches(2), storedIs(mock, &subscriptionID, map[string]any{"quantity": 3.0})),
			},
			{
				PreConfig: func() { beforeToggle = acctest.RawSubscription(t, mock, token, subscriptionID) },
				Config:    purchaseConfig(mock, "quantity = 3\n  auto_renew = false"),
				Check: resource.ComposeAggregateTestCheckFunc(patches(3), func(*terraform.State) error {
					after := acctest.RawSubscription(t, mock, token, subscriptionID)
					if after["autoRenewEnabled"] != false {
						return fmt.Errorf("autoRenewEnabled is %v after the toggle", after["autoRenewEnabled"])
					}
					return sameExceptRenewal(beforeToggle, after)
				}),
			},
			{
				Config: purchaseConfig(mock, "quantity = 3\n  auto_renew = false\n  friendly_name = \"Sales team\""),
				Check: resource.ComposeAggregateTestCheckFunc(patches(4), purchasesAre(mock, 1),
					storedIs(mock, &subscriptionID, map[string]any{"friendlyName": "Sales team", "quantity": 3.0, "autoRenewEnabled": false})),
			},
			{
				ResourceName:            acctest.SubscriptionAddress,
				ImportState:             true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return acctest.DocumentedID + "/" + subscriptionID, nil },
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"cart_id", "timeouts"},
			},
			{
				Config:          purchaseConfig(mock, "quantity = 3\n  auto_renew = false\n  friendly_name = \"Sales team\""),
				ResourceName:    acctest.SubscriptionAddress,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateIdFunc: func(*terraform.State) (string, error) {
					return acctest.DocumentedID + "/" + subscriptionID, nil
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if got := acctest.RawSubscription(t, mock, token, subscriptionID)["status"]; got != "active" {
				return fmt.Errorf("after an abandon the subscription is %v, want still active", got)
			}
			return purchasesAre(mock, 1)(nil)
		},
	})
}

// sameExceptRenewal compares a subscription before and after an auto-renew
// toggle: only autoRenewEnabled and the etag may differ.
func sameExceptRenewal(before, after map[string]any) error {
	strip := func(m map[string]any) map[string]any {
		c := maps.Clone(m)
		delete(c, "autoRenewEnabled")
		if attrs, ok := c["attributes"].(map[string]any); ok {
			attrs = maps.Clone(attrs)
			delete(attrs, "etag")
			c["attributes"] = attrs
		}
		return c
	}
	b, _ := json.Marshal(strip(before))
	a, _ := json.Marshal(strip(after))
	if string(a) != string(b) {
		return fmt.Errorf("the toggle changed more than autoRenewEnabled:\nbefore %s\nafter  %s", b, a)
	}
	if before["autoRenewEnabled"] == after["autoRenewEnabled"] {
		return fmt.Errorf("autoRenewEnabled stayed %v", before["autoRenewEnabled"])
	}
	return nil
}

// boughtSubscription records the id of the one subscription the first
// step bought, into id.
func boughtSubscription(mock *mockpartnercenter.Server, before []string, id *string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		added := acctest.NewSubscriptionIDs(mock, before)
		if len(added) != 1 {
			return fmt.Errorf("the mock holds new subscriptions %v, want one", added)
		}
		*id = added[0]
		return nil
	}
}

// Changes that would mean a new purchase or an upgrade Partner Center does
// not allow, a billing cycle the term does not
// allow, an empty name, a seat decrease past its window, and changes to a
// subscription cancelled, suspended or removed outside Terraform fail the
// plan, with not one write request sent after the purchase; a plan that
// leaves such a subscription as it is goes through. The same
// purchase written otherwise (billing cycle in another case, an
// availability Partner Center reissued) is no change.
func TestAccCustomerSubscriptionResource_planRefusals(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	const args = "quantity = 3"
	// with replaces one line of the purchase's arguments.
	with := func(old, replacement string) string {
		return strings.Replace(purchaseConfig(mock, args), old, replacement, 1)
	}
	noWrites := func(t *testing.T) func() {
		return func() {
			if got := mock.WriteRequests(); got != 2 {
				t.Fatalf("%d write requests so far, want the purchase's 2 (cart and checkout) only", got)
			}
		}
	}(t)
	warnings := &resourceWarnings{}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.providers(),
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, args), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: noWrites,
				Config:    with(`term_duration   = "P1Y"`, `term_duration   = "P1M"`),
				ExpectError: acctest.ErrorPattern(`Change would mean a new purchase.*Changing term_duration of subscription .* from "P1Y" to "P1M" would mean buying a new subscription.*` +
					`Restore term_duration in the configuration. A new subscription beside this one is a second purchase, billed in addition`),
			},
			{
				PreConfig:   noWrites,
				Config:      with(`billing_cycle   = "monthly"`, `billing_cycle   = "triennial"`),
				ExpectError: acctest.ErrorPattern(`Billing cycle cannot change.*from "monthly" to "triennial": a P1Y term is billed monthly or annual only.*nothing was sent`),
			},
			{
				PreConfig:   noWrites,
				Config:      purchaseConfig(mock, args+"\n  friendly_name = \"\""),
				ExpectError: acctest.ErrorPattern(`Empty friendly_name.*must not be empty.*leave the argument out.*Nothing was sent`),
			},
			{
				PreConfig: noWrites,
				// Another product that no transition reaches: the
				// upgrade's refusal (an eligible one is an upgrade in place).
				Config: with(`data.partnercenter_product_availabilities.basic.availabilities[0].catalog_item_id`,
					`"CFQ7TTC0LH16:0001:CFQ7TTC0K1LS"`),
				ExpectError: acctest.ErrorPattern(`Upgrade not possible.*cannot move to "CFQ7TTC0LH16:0001:CFQ7TTC0K1LS".*nothing was sent`),
			},
			{
				PreConfig:   noWrites,
				Config:      with(fmt.Sprintf("customer_id     = %q", acctest.DocumentedID), fmt.Sprintf("customer_id     = %q", mockpartnercenter.GeneratedCustomerID(0))),
				ExpectError: acctest.ErrorPattern(`Change would mean a new purchase.*customer_id`),
			},
			{
				// The same billing cycle in another letter case.
				PreConfig: noWrites,
				Config:    with(`billing_cycle   = "monthly"`, `billing_cycle   = "Monthly"`),
				PlanOnly:  true,
			},
			{
				// Partner Center reissues the availability: the data source
				// reads a new id for the same product and SKU.
				PreConfig: func() {
					noWrites()
					if mock.RetireAvailability("CFQ7TTC0LH18:0001:CFQ7TTC0K971") == "" {
						t.Fatal("the mock does not sell the catalog item")
					}
				},
				Config:   purchaseConfig(mock, args),
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					noWrites()
					if err := mock.AgeSubscription(acctest.DocumentedID, subscriptionID, 8*24*time.Hour); err != nil {
						t.Fatal(err)
					}
				},
				Config:      purchaseConfig(mock, "quantity = 1"),
				ExpectError: acctest.ErrorPattern(`Seats can no longer be removed.*Removing 2 seats .* refundable_quantity allows 0 now; the window of 3 seats until 20\d\d-\d\d-\d\dT[^ ]+ has passed. Keep the quantity; nothing was sent`),
			},
			{
				// Suspended outside Terraform: a plan that leaves it as it is
				// goes through (with a warning); one that changes it fails.
				PreConfig: func() {
					noWrites()
					if err := mock.SetSubscriptionStatus(acctest.DocumentedID, subscriptionID, "suspended"); err != nil {
						t.Fatal(err)
					}
				},
				Config:   purchaseConfig(mock, args),
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					noWrites()
					if warnings.matching(`Subscription no longer active.*as "suspended": it was cancelled, suspended or removed outside `+
						`Terraform. The state keeps it with that status and this plan changes nothing of it.*removed. block`) == 0 {
						t.Fatal("the plan of the suspended subscription did not warn")
					}
				},
				Config:      purchaseConfig(mock, "quantity = 4"),
				ExpectError: acctest.ErrorPattern(`Subscription no longer active.*as "suspended".*would change quantity.*removed. block`),
			},
			{
				// Cancelled outside Terraform, which turns auto-renew off:
				// the unchanged configuration (auto_renew left to its
				// default, true) plans nothing and only warns.
				PreConfig: func() {
					noWrites()
					if err := mock.SetSubscriptionStatus(acctest.DocumentedID, subscriptionID, "deleted"); err != nil {
						t.Fatal(err)
					}
					if stored, err := storedSubscription(mock, subscriptionID); err != nil || stored["autoRenewEnabled"] != false {
						t.Fatalf("the mock's cancelled subscription: %v, %v; want autoRenewEnabled false", stored, err)
					}
				},
				Config:   purchaseConfig(mock, args),
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					noWrites()
					if warnings.matching(`Subscription no longer active.*as "deleted": it was cancelled, suspended or removed `+
						`outside Terraform.*this plan changes nothing of it.*auto_renew, which the configuration leaves out, is `+
						`planned as Partner Center has it \(false\): cancelling a subscription turns its auto-renew off`) == 0 {
						t.Fatal("the plan of the cancelled subscription did not warn of the kept auto_renew")
					}
				},
				Config:      purchaseConfig(mock, args+"\n  auto_renew = true"),
				ExpectError: acctest.ErrorPattern(`Subscription no longer active.*as "deleted".*would change auto_renew.*remove auto_renew = true`),
			},
			{
				PreConfig:   noWrites,
				Config:      purchaseConfig(mock, args+"\n  friendly_name = \"Gone\""),
				ExpectError: acctest.ErrorPattern(`Subscription no longer active.*as "deleted".*would change friendly_name.*removed. block`),
			},
			{
				PreConfig: func() {
					noWrites()
					if !mock.RemoveSubscription(acctest.DocumentedID, subscriptionID) {
						t.Fatal("the mock did not remove the subscription")
					}
				},
				Config:      purchaseConfig(mock, "quantity = 5\n  auto_renew = false"),
				ExpectError: acctest.ErrorPattern(`Subscription no longer active.*no longer knows subscription .* 404 Not Found.*would change quantity`),
			},
			{
				// Gone, and the configuration unchanged: the plan warns and
				// goes through.
				PreConfig: noWrites,
				Config:    purchaseConfig(mock, args),
				PlanOnly:  true,
			},
		},
	})
	noWrites()
	if got := mock.Purchases(acctest.DocumentedID); got != 1 {
		t.Errorf("%d purchases, want 1", got)
	}
}

// A billing cycle the term cannot change to mid-term fails the plan with
// nothing sent: any change of a P3Y term's, and annual for a P1M term.
func TestAccCustomerSubscriptionResource_billingCycleRefusedByTerm(t *testing.T) {
	for _, tt := range []struct{ term, cycle, planned, why string }{
		{"P3Y", "annual", "triennial", `Partner Center no longer changes the billing frequency of a triennial \(P3Y\) term mid-term`},
		{"P1M", "monthly", "annual", `a P1M term is billed monthly only`},
	} {
		t.Run(tt.term, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
			before := mock.SubscriptionIDs(acctest.DocumentedID)
			var subscriptionID string
			config := func(cycle string) string {
				return strings.NewReplacer(`term_duration   = "P1Y"`, fmt.Sprintf("term_duration   = %q", tt.term),
					`billing_cycle   = "monthly"`, fmt.Sprintf("billing_cycle   = %q", cycle)).Replace(purchaseConfig(mock, "quantity = 2"))
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{
					{Config: config(tt.cycle), Check: boughtSubscription(mock, before, &subscriptionID)},
					{
						PreConfig: mock.ResetCounters,
						Config:    config(tt.planned),
						ExpectError: acctest.ErrorPattern(fmt.Sprintf(`Billing cycle cannot change.*from %q to %q: %s. Keep billing_cycle = %q; nothing was sent`,
							tt.cycle, tt.planned, tt.why, tt.cycle)),
					},
					{
						PreConfig: func() {
							if got := mock.WriteRequests(); got != 0 {
								t.Fatalf("%d write requests after the refused plan, want 0", got)
							}
							if err := storedIs(mock, &subscriptionID, map[string]any{"billingCycle": tt.cycle, "termDuration": tt.term})(nil); err != nil {
								t.Fatal(err)
							}
						},
						Config:   config(tt.cycle),
						PlanOnly: true,
					},
				},
			})
		})
	}
}

// on_destroy = "cancel" cancels within the window; after it the destroy
// fails naming the date and keeps the resource, which on_destroy =
// "abandon" then lets go without a request.
func TestAccCustomerSubscriptionResource_onDestroy(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	var cancelled, kept string
	var writesBefore int
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	status := func(id *string, want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := acctest.RawSubscription(t, mock, token, *id)["status"]; got != want {
				return fmt.Errorf("subscription %s is %v, want %s", *id, got, want)
			}
			return nil
		}
	}
	withoutResource := acctest.ProviderBlock(mock, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 1\n  on_destroy = \"cancel\""), Check: boughtSubscription(mock, before, &cancelled)},
			{Config: withoutResource, Check: status(&cancelled, "deleted")},
			{
				Config: purchaseConfig(mock, "quantity = 1\n  on_destroy = \"cancel\""),
				Check: func(*terraform.State) error {
					before = append(before, cancelled)
					return boughtSubscription(mock, before, &kept)(nil)
				},
			},
			{
				PreConfig: func() {
					if err := mock.AgeSubscription(acctest.DocumentedID, kept, 8*24*time.Hour); err != nil {
						t.Fatal(err)
					}
				},
				Config: withoutResource,
				ExpectError: acctest.ErrorPattern(`Cancellation window passed.*cannot be cancelled: its cancellation window closed at 20\d\d-.*The resource stays in the ` +
					`state. To stop managing it without cancelling, set on_destroy = "abandon" in its resource block and run terraform apply ` +
					`\(which changes only on_destroy and sends no request\), then destroy; or replace the resource block with a .removed. block.*` +
					`with auto_renew off it moves to a month-to-month extended service term billed at a higher price`),
			},
			{
				// Still in the state: it takes the new on_destroy in place,
				// as the advice says, without a request.
				PreConfig:         func() { writesBefore = mock.WriteRequests() },
				Config:            purchaseConfig(mock, "quantity = 1\n  on_destroy = \"abandon\""),
				ConfigStateChecks: []statecheck.StateCheck{acctest.StateAttr(acctest.SubscriptionAddress, "on_destroy", knownvalue.StringExact("abandon"))},
				Check: resource.ComposeAggregateTestCheckFunc(status(&kept, "active"), func(*terraform.State) error {
					if got := mock.WriteRequests(); got != writesBefore {
						return fmt.Errorf("%d write requests for a change of on_destroy, want none", got-writesBefore)
					}
					return nil
				}),
			},
			{Config: withoutResource, Check: status(&kept, "active")},
		},
	})
	if got := mock.Purchases(acctest.DocumentedID); got != 2 {
		t.Errorf("%d purchases, want 2", got)
	}
}

// A customer who has not accepted the Microsoft Customer Agreement: the
// error points at the agreement step, nothing is bought and nothing is left
// in the state to be bought again.
func TestAccCustomerSubscriptionResource_customerAgreementMissing(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	mock.SetCustomerAgreement(acctest.DocumentedID, false)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      purchaseConfig(mock, "quantity = 1"),
				ExpectError: acctest.ErrorPattern(`Customer agreement missing.*13605.*have the customer accept the agreement .*Nothing was bought`),
			},
			{
				// Nothing in the state: the accepted agreement lets the
				// same configuration buy, once.
				PreConfig: func() { mock.SetCustomerAgreement(acctest.DocumentedID, true) },
				Config:    purchaseConfig(mock, "quantity = 1"),
				Check:     purchasesAre(mock, 1),
			},
		},
	})
}

// The licences example adopts the documented customer's licence
// subscriptions with import blocks, buying nothing and writing nothing,
// then changes one seat count with one PATCH.
func TestAccCustomerSubscriptionResource_adoptWithTheLicencesExample(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	example, err := os.ReadFile("../../../examples/licences/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	const basic = "a4c1340d-6911-4758-bba3-0c4c6007d161" // Microsoft 365 Business Basic, 1 seat
	address := fmt.Sprintf("partnercenter_customer_subscription.licence[%q]", basic)
	// The in-process provider is not the registry's: drop the example's
	// terraform block, which names the registry address.
	exampleConfig := acctest.ProviderBlock(mock, "") + regexp.MustCompile(`(?ms)^terraform \{.*?^\}\n`).ReplaceAllString(string(example), "")
	writes := func(n int) statecheck.StateCheck {
		return acctest.MockCheck(func() error {
			if got := mock.WriteRequests(); got != n || mock.Purchases(acctest.DocumentedID) != 0 {
				return fmt.Errorf("%d write requests and %d purchases, want %d and none", got, mock.Purchases(acctest.DocumentedID), n)
			}
			return nil
		})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)}, // import with for_each, removed blocks
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: exampleConfig,
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(address, "quantity", knownvalue.Int64Exact(1)),
					acctest.StateAttr(address, "catalog_item_id", knownvalue.StringExact("CFQ7TTC0LH18:0001:CFQ7TTC0K971")),
					acctest.StateAttr(address, "on_destroy", knownvalue.StringExact("abandon")),
					acctest.StateAttr(address, "cart_id", knownvalue.Null()),
					statecheck.ExpectKnownOutputValueAtPath("seats", tfjsonpath.New(basic),
						knownvalue.StringExact("Microsoft 365 Business Basic: 1")),
					acctest.StateAttr(address, "id", knownvalue.StringExact(basic)),
					writes(0),
				},
			},
			{
				Config: exampleConfig,
				ConfigVariables: config.Variables{
					"seats": config.MapVariable(map[string]config.Variable{basic: config.IntegerVariable(4)}),
				},
				ConfigStateChecks: []statecheck.StateCheck{writes(1), acctest.MockCheck(func() error {
					id := basic
					return storedIs(mock, &id, map[string]any{"quantity": 4.0})(nil)
				})},
			},
			{
				// Letting go without destroying: a removed block. (The test
				// framework's own clean-up cannot read for_each state.)
				Config: acctest.ProviderBlock(mock, "") + `
removed {
  from = partnercenter_customer_subscription.licence

  lifecycle {
    destroy = false
  }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{writes(1)},
			},
		},
	})
}

// A change Partner Center is not ready for (409, 800082) is waited for, and
// one it accepts to finish later (202 with Location) is followed, within
// timeouts.update.
func TestAccCustomerSubscriptionResource_changesWaitForPartnerCenter(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 1"), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: func() { mock.SetPatchConflicts(acctest.DocumentedID, 2) },
				Config:    purchaseConfig(mock, "quantity = 2"),
				Check:     storedIs(mock, &subscriptionID, map[string]any{"quantity": 2.0}),
			},
			{
				PreConfig: func() { mock.SetPatchAsync(acctest.DocumentedID, 2) },
				Config:    purchaseConfig(mock, "quantity = 2\n  auto_renew = false"),
				Check:     storedIs(mock, &subscriptionID, map[string]any{"autoRenewEnabled": false, "quantity": 2.0}),
			},
		},
	})
	if got, want := mock.Requests(mockpartnercenter.RouteUpdateSubscription), 4; got != want {
		t.Errorf("%d PATCHes, want %d: two refused as not ready, then the quantity, then the renewal", got, want)
	}
	if got := mock.Requests(mockpartnercenter.RouteSubscriptionOperation); got != 2 {
		t.Errorf("%d polls of the accepted change, want 2", got)
	}
}

// Importing a subscription Partner Center does not know fails as Terraform
// reports any import of a missing object, and writes nothing.
func TestAccCustomerSubscriptionResource_importUnknownSubscription(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:        purchaseConfig(mock, "quantity = 1"),
			ResourceName:  acctest.SubscriptionAddress,
			ImportState:   true,
			ImportStateId: acctest.DocumentedID + "/00000000-0000-4000-8000-000000000001",
			ExpectError:   acctest.ErrorPattern(`Cannot import non-existent remote object`),
		}},
	})
	if got := mock.WriteRequests(); got != 0 {
		t.Errorf("%d write requests, want none", got)
	}
}
