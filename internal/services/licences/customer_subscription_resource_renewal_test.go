package licences

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// scheduledIs checks the renewal instructions the mock stores for the
// subscription *id: want is product:sku:availability, term, billing cycle
// and quantity; "" wants none stored.
func scheduledIs(mock *mockpartnercenter.Server, id *string, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		doc, err := storedSubscription(mock, *id)
		if err != nil {
			return err
		}
		var got string
		if instructions, ok := doc["scheduledNextTermInstructions"].(map[string]any); ok {
			product, _ := instructions["product"].(map[string]any)
			got = fmt.Sprintf("%v:%v:%v %v %v %v", product["productId"], product["skuId"], product["availabilityId"],
				product["termDuration"], product["billingCycle"], instructions["quantity"])
		}
		if got != want {
			return fmt.Errorf("the mock's subscription %s has scheduled %q, want %q", *id, got, want)
		}
		return nil
	}
}

const basicItem = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"

// Scheduling seats for the renewal is one PATCH whose instructions keep
// what renewal leaves out as the subscription has it; changing them is
// one more; changes made outside Terraform show in the plan and the apply
// restores them; removing renewal deletes them.
func TestAccCustomerSubscriptionResource_renewalSchedule(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	fewer := purchaseConfig(mock, "quantity = 3\n  renewal = { quantity = 1 }")
	annual := purchaseConfig(mock, "quantity = 3\n  renewal = {\n    quantity = 2\n    billing_cycle = \"Annual\"\n  }")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 3"), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: mock.ResetCounters,
				Config:    fewer,
				Check: resource.ComposeAggregateTestCheckFunc(
					patchesAre(mock, 1),
					scheduledIs(mock, &subscriptionID, basicItem+" P1Y monthly 1"),
					storedIs(mock, &subscriptionID, map[string]any{"quantity": 3.0, "autoRenewEnabled": true}),
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "renewal.quantity", "1"),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "renewal.billing_cycle"),
					resource.TestCheckResourceAttrWith(acctest.SubscriptionAddress, "scheduled_renewal_changes", func(v string) error {
						if !strings.Contains(v, `"quantity":1`) {
							return fmt.Errorf("scheduled_renewal_changes %s, want the instructions read", v)
						}
						return nil
					}),
				),
			},
			{
				PreConfig: mock.ResetCounters,
				Config:    annual,
				Check: resource.ComposeAggregateTestCheckFunc(
					patchesAre(mock, 1),
					scheduledIs(mock, &subscriptionID, basicItem+" P1Y annual 2"),
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "renewal.billing_cycle", "Annual"),
				),
			},
			{
				// Changed in the Partner Center portal: the plan shows it.
				PreConfig: func() {
					if err := mock.SetScheduledInstructions(acctest.DocumentedID, subscriptionID, map[string]any{"product": map[string]any{
						"productId": "CFQ7TTC0LH18", "skuId": "0001", "availabilityId": "CFQ7TTC0K971", "termDuration": "P3Y",
						"billingCycle": "triennial"}, "quantity": 7}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             annual,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: mock.ResetCounters,
				Config:    annual,
				Check:     resource.ComposeAggregateTestCheckFunc(patchesAre(mock, 1), scheduledIs(mock, &subscriptionID, basicItem+" P1Y annual 2")),
			},
			{
				// Deleted in the portal: the plan schedules it again.
				PreConfig: func() {
					if err := mock.SetScheduledInstructions(acctest.DocumentedID, subscriptionID, nil); err != nil {
						t.Fatal(err)
					}
					mock.ResetCounters()
				},
				Config: annual,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.SubscriptionAddress, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(patchesAre(mock, 1), scheduledIs(mock, &subscriptionID, basicItem+" P1Y annual 2")),
			},
			{
				PreConfig: mock.ResetCounters,
				Config:    purchaseConfig(mock, "quantity = 3"),
				Check: resource.ComposeAggregateTestCheckFunc(
					patchesAre(mock, 1),
					scheduledIs(mock, &subscriptionID, ""),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "renewal"),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "scheduled_renewal_changes"),
				),
			},
		},
	})
}

// Instructions whose product has only null members, as Partner Center may
// send once nothing is scheduled, are no schedule for renewal either (as
// for scheduled_renewal_changes): removing renewal then plans nothing and
// sends nothing, instead of deleting a schedule that is not there.
func TestAccCustomerSubscriptionResource_renewalHoldingNothing(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: purchaseConfig(mock, "quantity = 3\n  renewal = { quantity = 1 }"),
				Check:  resource.ComposeAggregateTestCheckFunc(boughtSubscription(mock, before, &subscriptionID), scheduledIs(mock, &subscriptionID, basicItem+" P1Y monthly 1")),
			},
			{
				PreConfig: func() {
					if err := mock.SetScheduledInstructions(acctest.DocumentedID, subscriptionID, map[string]any{"product": map[string]any{
						"productId": nil, "skuId": nil, "availabilityId": nil, "termDuration": nil, "billingCycle": nil}, "quantity": nil}); err != nil {
						t.Fatal(err)
					}
					mock.ResetCounters()
				},
				Config: purchaseConfig(mock, "quantity = 3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					patchesAre(mock, 0),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "renewal"),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "scheduled_renewal_changes"),
				),
			},
		},
	})
}

// A subscription cancelled outside Terraform loses what was scheduled for
// its renewal: the plan with renewal still configured fails saying to
// remove it, and without it the plan changes nothing; nothing is sent.
func TestAccCustomerSubscriptionResource_renewalDroppedByCancellation(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	scheduled := purchaseConfig(mock, "quantity = 3\n  renewal = { quantity = 1 }")
	noWrites := func() {
		if got := mock.WriteRequests(); got != 0 {
			t.Fatalf("%d writes, want none", got)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: scheduled, Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: func() {
					if err := mock.SetSubscriptionStatus(acctest.DocumentedID, subscriptionID, "deleted"); err != nil {
						t.Fatal(err)
					}
					mock.ResetCounters()
				},
				Config: scheduled,
				ExpectError: acctest.ErrorPattern(`Subscription no longer active.*as "deleted".*would change renewal.*drops the ` +
					`changes scheduled for the renewal of a subscription it cancels.*remove renewal from the configuration`),
			},
			{
				PreConfig: noWrites,
				Config:    purchaseConfig(mock, "quantity = 3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						if got := mock.WriteRequests(); got != 0 {
							return fmt.Errorf("%d writes, want none", got)
						}
						return nil
					},
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "status", "deleted"),
					scheduledIs(mock, &subscriptionID, ""),
				),
			},
		},
	})
}

// A seat increase deletes what is scheduled for the renewal: the plan
// says that the apply schedules it again, and the apply does, last.
func TestAccCustomerSubscriptionResource_renewalRescheduledAfterSeatIncrease(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	warnings := &resourceWarnings{}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.providers(),
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 3\n  renewal = { quantity = 1 }"), Check: resource.ComposeAggregateTestCheckFunc(
				boughtSubscription(mock, before, &subscriptionID),
				scheduledIs(mock, &subscriptionID, basicItem+" P1Y monthly 1"),
			)},
			{
				PreConfig: mock.ResetCounters,
				Config:    purchaseConfig(mock, "quantity = 4\n  renewal = { quantity = 1 }"),
				Check: resource.ComposeAggregateTestCheckFunc(
					warnings.warned(`Applying this plan schedules the renewal changes again.*changes quantity mid-term, on which `+
						`Partner Center deletes the changes scheduled for its renewal. This apply schedules renewal again`),
					func(*terraform.State) error {
						if n := warnings.matching(`Applying this plan deletes the changes scheduled for renewal`); n != 0 {
							return fmt.Errorf("%d warnings that the schedule is deleted, want them replaced", n)
						}
						return nil
					},
					patchesAre(mock, 2),
					storedIs(mock, &subscriptionID, map[string]any{"quantity": 4.0}),
					scheduledIs(mock, &subscriptionID, basicItem+" P1Y monthly 1"),
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "renewal.quantity", "1"),
				),
			},
		},
	})
}

// What Partner Center would refuse fails the plan with nothing sent:
// renewal with auto-renew off, a renewal setting nothing, a term billed as
// it cannot be, and a product the subscription cannot renew into (one
// read of its eligibilities). A renewal into its eligible upgrade is
// scheduled. Past the seat-decrease window, the refusal names renewal,
// and following it works.
func TestAccCustomerSubscriptionResource_renewalRefusals(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	none := 0
	// noWrites checks that the step before wrote nothing, then counts anew.
	noWrites := func() {
		if err := writesAre(mock, &none)(nil); err != nil {
			t.Fatal(err)
		}
		mock.ResetCounters()
	}
	refused := func(body, pattern string) resource.TestStep {
		return resource.TestStep{PreConfig: noWrites, Config: purchaseConfig(mock, "quantity = 3\n  "+body), ExpectError: acctest.ErrorPattern(pattern)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 3"), Check: resource.ComposeAggregateTestCheckFunc(
				boughtSubscription(mock, before, &subscriptionID),
				func(*terraform.State) error { mock.ResetCounters(); return nil },
			)},
			refused("auto_renew = false\n  renewal = { quantity = 1 }", `Renewal changes need auto-renew on.*Remove auto_renew = false`),
			refused("renewal = {}", `Renewal changes nothing`),
			refused(`renewal = { billing_cycle = "triennial" }`, `Renewal term cannot be billed so.*a P1Y term billed triennial.*a P1Y term is billed monthly, annual`),
			refused(`renewal = { term_duration = "P1M", billing_cycle = "Annual" }`, `Renewal term cannot be billed so.*a P1M term billed annual`),
			refused(`renewal = { catalog_item_id = "CFQ7TTC0LF8R:0001:CFQ7TTC0K971" }`, `Subscription cannot renew into this catalog item.*`+
				`cannot renew into "CFQ7TTC0LF8R:0001:CFQ7TTC0K971".*Eligible: "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5" \(Office 365 E5 without `+
				`Audio Conferencing\).*nothing was sent`),
			{
				PreConfig: func() {
					if got := mock.Requests(mockpartnercenter.RouteTransitionEligibilities); got != 1 {
						t.Fatalf("%d eligibility reads, want 1", got)
					}
					noWrites()
				},
				Config: purchaseConfig(mock, `quantity = 3
  renewal = {
    catalog_item_id = "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5"
    quantity        = 2
  }`),
				Check: resource.ComposeAggregateTestCheckFunc(
					patchesAre(mock, 1),
					scheduledIs(mock, &subscriptionID, "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5 P1Y monthly 2"),
				),
			},
			{
				PreConfig: func() {
					mock.ResetCounters() // after the upgrade's PATCH
					if err := mock.AgeSubscription(acctest.DocumentedID, subscriptionID, 8*24*time.Hour); err != nil {
						t.Fatal(err)
					}
				},
				Config: purchaseConfig(mock, "quantity = 1"),
				ExpectError: acctest.ErrorPattern(`Seats can no longer be removed.*nothing was sent. To have 1 seats from the renewal ` +
					`instead, keep quantity = 3 and set renewal = \{ quantity = 1 \}.*at commitment_end_date`),
			},
			{
				// Turning auto-renew off too: the advice says to keep it on,
				// which renewal requires.
				PreConfig: noWrites,
				Config:    purchaseConfig(mock, "quantity = 1\n  auto_renew = false"),
				ExpectError: acctest.ErrorPattern(`Seats can no longer be removed.*keep quantity = 3 and set renewal = \{ quantity = 1 \}, ` +
					`and remove auto_renew = false \(changes are scheduled for the renewal only while auto-renew is on\)`),
			},
			{
				// With renewal configured, the advice keeps its other changes.
				PreConfig: noWrites,
				Config:    purchaseConfig(mock, "quantity = 1\n  renewal = { billing_cycle = \"Annual\" }"),
				ExpectError: acctest.ErrorPattern(`Seats can no longer be removed.*To have 1 seats from the renewal instead, keep ` +
					`quantity = 3 and set quantity = 1 in renewal, keeping its other arguments.*at commitment_end_date`),
			},
			{
				PreConfig: noWrites,
				Config:    purchaseConfig(mock, "quantity = 3\n  renewal = { quantity = 1 }"),
				Check: resource.ComposeAggregateTestCheckFunc(
					storedIs(mock, &subscriptionID, map[string]any{"quantity": 3.0}),
					scheduledIs(mock, &subscriptionID, basicItem+" P1Y monthly 1"),
				),
			},
		},
	})
}

// A purchase with renewal configured schedules it after buying; a renewal
// into another product cannot be planned with the purchase.
func TestAccCustomerSubscriptionResource_renewalWithPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      purchaseConfig(mock, "quantity = 2\n  renewal = { catalog_item_id = \"CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5\" }"),
				ExpectError: acctest.ErrorPattern(`Renewal into another product cannot be planned with the purchase`),
			},
			{
				PreConfig: func() {
					if got := mock.WriteRequests(); got != 0 {
						t.Fatalf("%d writes, want none", got)
					}
				},
				Config: purchaseConfig(mock, "quantity = 2\n  renewal = {\n    quantity = 1\n    term_duration = \"P3Y\"\n    billing_cycle = \"triennial\"\n  }"),
				Check: resource.ComposeAggregateTestCheckFunc(
					boughtSubscription(mock, before, &subscriptionID),
					purchasesAre(mock, 1),
					scheduledIs(mock, &subscriptionID, basicItem+" P3Y triennial 1"),
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "renewal.term_duration", "P3Y"),
				),
			},
		},
	})
}

// Read keeps renewal in the configuration's form: a child left out stays
// null while the schedule keeps the subscription's current value, and
// shows the schedule's value otherwise; a child written in another letter
// case keeps it.
func TestNormalizedRenewal(t *testing.T) {
	current := partnercenter.NextTermInstructions{Quantity: 5, Product: partnercenter.NextTermProduct{ProductID: "CFQ7TTC0LH18",
		SkuID: "0001", AvailabilityID: "CFQ7TTC0K971", TermDuration: "P1Y", BillingCycle: "monthly"}}
	scheduled := current
	scheduled.Quantity, scheduled.Product.BillingCycle = 2, "annual"
	written := renewalModel{Quantity: types.NumberValue(big.NewFloat(2)), BillingCycle: types.StringValue("Annual")}
	if got := normalizedRenewal(written, scheduled, current); !got.value().Equal(written.value()) {
		t.Errorf("as configured: got %v, want %v", got.value(), written.value())
	}
	drifted := scheduled
	drifted.Product.TermDuration, drifted.Product.AvailabilityID = "P3Y", "OTHER"
	got := normalizedRenewal(renewalModel{Quantity: types.NumberValue(big.NewFloat(2))}, drifted, current)
	if got.TermDuration.ValueString() != "P3Y" || got.BillingCycle.ValueString() != "annual" ||
		got.CatalogItemID.ValueString() != "CFQ7TTC0LH18:0001:OTHER" || quantityOf(got.Quantity) != 2 {
		t.Errorf("changed outside: got %v, want the schedule's values", got.value())
	}
	if got := normalizedRenewal(renewalModel{TermDuration: types.StringValue("P1Y")}, current, current); !got.Quantity.IsNull() ||
		!got.BillingCycle.IsNull() || !got.CatalogItemID.IsNull() || got.TermDuration.ValueString() != "P1Y" {
		t.Errorf("as now: got %v, want only term_duration", got.value())
	}
	var s partnercenter.Subscription
	if err := json.Unmarshal([]byte(`{"offerId":"CFQ7TTC0LH18:0001:CFQ7TTC0K971","quantity":5,"termDuration":"P1Y",`+
		`"billingCycle":"monthly","scheduledNextTermInstructions":{"quantity":3}}`), &s); err != nil {
		t.Fatal(err)
	}
	if got := renewalState(types.ObjectNull(renewalTypes), &s); !got.IsNull() {
		t.Errorf("not managed: got %v, want null", got)
	}
	if got := renewalOf(renewalState(written.value(), &s)); quantityOf(got.Quantity) != 3 || got.BillingCycle.ValueString() != "monthly" {
		t.Errorf("partial instructions: got %v, want quantity 3 and the current billing cycle", got.value())
	}
	s.ScheduledNextTermInstructions = json.RawMessage(`null`)
	if got := renewalState(written.value(), &s); !got.IsNull() {
		t.Errorf("none scheduled: got %v, want null", got)
	}
}
