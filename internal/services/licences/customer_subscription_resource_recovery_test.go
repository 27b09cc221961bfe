package licences

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// renamed gives PurchaseBlocks' resource and data source another name.
func renamed(name string) *strings.Replacer {
	return strings.NewReplacer(`"partnercenter_customer_subscription" "test"`, `"partnercenter_customer_subscription" "`+name+`"`,
		`"partnercenter_product_availabilities" "basic"`, `"partnercenter_product_availabilities" "`+name+`"`,
		"availabilities.basic.", "availabilities."+name+".")
}

// distinctSubscriptions checks that the resources hold different
// subscription ids, each one the mock stores.
func distinctSubscriptions(mock *mockpartnercenter.Server, addresses ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		seen := map[string]string{}
		for _, address := range addresses {
			r, ok := s.RootModule().Resources[address]
			if !ok {
				return fmt.Errorf("%s is not in the state", address)
			}
			id := r.Primary.Attributes["id"]
			if other, taken := seen[id]; taken {
				return fmt.Errorf("%s and %s both hold subscription %q", other, address, id)
			}
			if _, err := storedSubscription(mock, id); err != nil {
				return fmt.Errorf("%s: %w", address, err)
			}
			seen[id] = address
		}
		return nil
	}
}

// A checkout answered 500 after buying and then refused as already
// submitted (800065) looks for its cart's order. An earlier order of the
// same SKU and quantity, which additional_to names as another resource's,
// placed seconds before, is not it: each resource keeps its own
// subscription.
func TestAccCustomerSubscriptionResource_refusedCheckoutSkipsAcknowledgedOrder(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	first := purchaseConfig(mock, "quantity = 1")
	both := first + renamed("second").Replace(acctest.PurchaseBlocks("quantity = 1\n  additional_to = [partnercenter_customer_subscription.test.id]"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: first, Check: purchasesAre(mock, 1)},
			{
				PreConfig: func() {
					mock.SetRepeatedCheckoutRefused(acctest.DocumentedID, true)
					mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultServerError, AfterCommit: true, Times: 1,
						Route: mockpartnercenter.RouteCheckout})
				},
				Config: both,
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 2),
					distinctSubscriptions(mock, acctest.SubscriptionAddress, "partnercenter_customer_subscription.second"),
					stateIsStored(t, mock, "partnercenter_customer_subscription.second", map[string]any{"quantity": 1, "status": "active"}),
					acctest.CheckMock(func() error {
						if got := mock.Requests(mockpartnercenter.RouteGetCart); got != 1 {
							return fmt.Errorf("%d reads of the cart, want the one after the 800065", got)
						}
						return nil
					}),
				),
			},
		},
	})
}

// The first resource's checkout buys but never answers, so its purchase is
// pending when a second resource of the same SKU, created after it in the
// same apply, looks for earlier purchases: the first's order is this
// apply's own, not a reason to refuse the second. The next apply completes
// the first: two purchases, two subscriptions.
func TestAccCustomerSubscriptionResource_lostCheckoutAnswerIsOwnPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	config := purchaseConfig(mock, "quantity = 1\n  timeouts {\n    create = \"3s\"\n  }") +
		renamed("second").Replace(acctest.PurchaseBlocks("quantity = 2\n  depends_on = [partnercenter_customer_subscription.test]"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang, AfterCommit: true, Times: 1,
						Route: mockpartnercenter.RouteCheckout})
				},
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 2),
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "status", "pending"),
					stateIsStored(t, mock, "partnercenter_customer_subscription.second", map[string]any{"quantity": 2, "status": "active"}),
				),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 2),
					distinctSubscriptions(mock, acctest.SubscriptionAddress, "partnercenter_customer_subscription.second"),
					stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"quantity": 1, "status": "active"}),
				),
			},
		},
	})
}

// Partner Center accepts the PATCH that turns auto-renew off after the
// purchase but answers with it still on: the purchase is pending with a
// warning, not tainted, and the next apply makes the change in place
// without buying again.
func TestAccCustomerSubscriptionResource_patchDroppedAfterPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	config := purchaseConfig(mock, "quantity = 2\n  auto_renew = false")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { mock.SetIgnoredPatches(acctest.DocumentedID, 1) },
				Config:    config,
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 1),
					patchesAre(mock, 1),
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "status", "pending"),
					resource.TestCheckResourceAttrSet(acctest.SubscriptionAddress, "order_id"),
				),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 1),
					patchesAre(mock, 2),
					stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"autoRenewEnabled": false, "quantity": 2, "status": "active"}),
				),
			},
		},
	})
}

// Partner Center sells a term other than the cart's: the apply fails, the
// state keeps the subscription, and the advice followed (untaint, then the
// configuration set to Partner Center's term) ends with the one purchase.
func TestAccCustomerSubscriptionResource_otherTermUntaintAdvice(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	tf := acctest.NewKillableTerraform(t)
	config := acctest.ProviderBlock(mock, "") + acctest.PurchaseBlocks("quantity = 1")
	tf.Write(config)
	mock.SetPurchasedTerm(acctest.DocumentedID, "P1M")
	out, ok := tf.Run("apply", "-auto-approve")
	if ok {
		t.Fatal("the apply succeeded although Partner Center sold another term")
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{`term_duration is "P1M" in Partner Center, not "P1Y" as planned`, "terraform untaint ADDRESS"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the error does not say %q:\n%s", want, out)
		}
	}
	if out, ok := tf.Run("untaint", acctest.SubscriptionAddress); !ok {
		t.Fatalf("terraform untaint failed:\n%s", out)
	}
	tf.Write(strings.Replace(config, `term_duration   = "P1Y"`, `term_duration   = "P1M"`, 1))
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the apply after the advice failed:\n%s", out)
	}
	if out, ok := tf.Run("plan", "-detailed-exitcode"); !ok {
		t.Errorf("the plan after the advice is not empty:\n%s", out)
	}
	if got := mock.Purchases(acctest.DocumentedID); got != 1 {
		t.Errorf("%d purchases, want 1", got)
	}
	state := tf.StateValues(acctest.SubscriptionAddress)
	if state["term_duration"] != "P1M" || state["status"] != "active" {
		t.Errorf("state term_duration %v status %v, want P1M active", state["term_duration"], state["status"])
	}
	if _, err := storedSubscription(mock, fmt.Sprint(state["id"])); err != nil {
		t.Error(err)
	}
}

// A pending purchase that completes on the next apply as another term than
// the plan's: the update fails, but the state holds the subscription bought
// (an update is not tainted, so the advice names no untaint), and the advice
// followed ends with the one purchase.
func TestAccCustomerSubscriptionResource_otherTermWhenCompletingPendingPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: 4})
	tf := acctest.NewKillableTerraform(t)
	config := acctest.ProviderBlock(mock, "") + acctest.PurchaseBlocks("quantity = 1\n  timeouts {\n    create = \"2s\"\n  }")
	tf.Write(config)
	mock.SetPurchasedTerm(acctest.DocumentedID, "P1M")
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the first apply failed instead of leaving the purchase pending:\n%s", out)
	}
	if state := tf.StateValues(acctest.SubscriptionAddress); state["status"] != "pending" {
		t.Fatalf("state status %v after the first apply, want pending", state["status"])
	}
	out, ok := tf.Run("apply", "-auto-approve")
	if ok {
		t.Fatal("completing the purchase succeeded although Partner Center sold another term")
	}
	flat := strings.Join(strings.Fields(out), " ")
	if want := `term_duration is "P1M" in Partner Center, not "P1Y" as planned`; !strings.Contains(flat, want) {
		t.Errorf("the error does not say %q:\n%s", want, out)
	}
	if strings.Contains(flat, "untaint") {
		t.Errorf("the error advises untaint, but a failed update is not tainted:\n%s", out)
	}
	state := tf.StateValues(acctest.SubscriptionAddress)
	if state["status"] != "active" || state["term_duration"] != "P1M" || state["id"] == nil {
		t.Fatalf("state after the failed completion: id %v status %v term %v; want the subscription bought, active, P1M",
			state["id"], state["status"], state["term_duration"])
	}
	tf.Write(strings.Replace(config, `term_duration   = "P1Y"`, `term_duration   = "P1M"`, 1))
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the apply after the advice failed:\n%s", out)
	}
	if out, ok := tf.Run("plan", "-detailed-exitcode"); !ok {
		t.Errorf("the plan after the advice is not empty:\n%s", out)
	}
	if got := mock.Purchases(acctest.DocumentedID); got != 1 {
		t.Errorf("%d purchases, want 1", got)
	}
	if _, err := storedSubscription(mock, fmt.Sprint(state["id"])); err != nil {
		t.Error(err)
	}
}

// With count = 2, one element's cart is refused, so the next plan finds the
// other element's subscription: the refusal says first to check whether
// another resource of the configuration manages it, offers additional_to
// for a deliberate purchase before any import block, and additional_to,
// followed, buys the second subscription the configuration asks for.
func TestAccCustomerSubscriptionResource_siblingPurchaseAdvice(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	tf := acctest.NewKillableTerraform(t)
	tf.Write(acctest.ProviderBlock(mock, "") + acctest.PurchaseBlocks("count = 2\n  quantity = 1"))
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{400},
		Route: mockpartnercenter.RouteCreateCart})
	if out, ok := tf.Run("apply", "-auto-approve"); ok || !strings.Contains(out, "Creating a cart") {
		t.Fatalf("the apply with one cart refused did not fail on the cart:\n%s", out)
	}
	ids := mock.SubscriptionIDs(acctest.DocumentedID)
	if got := mock.Purchases(acctest.DocumentedID); got != 1 || len(ids) == 0 {
		t.Fatalf("%d purchases after one cart was refused, want 1", got)
	}
	sibling := ids[len(ids)-1]
	out, ok := tf.Run("plan")
	if ok {
		t.Fatal("the plan did not refuse the element whose cart was refused")
	}
	advice := acctest.ErrorPattern(`Same product bought recently.*` + sibling + `.*terraform state list.*terraform state show ADDRESS.*` +
		`additional_to = \["` + sibling + `"\].*Only if no resource manages it.*import \{`)
	if !advice.MatchString(out) {
		t.Errorf("the refusal does not put the check and additional_to before the import block:\n%s", out)
	}
	state, _ := tf.Run("state", "list")
	if !strings.Contains(state, acctest.SubscriptionAddress+"[") {
		t.Fatalf("terraform state list shows no element:\n%s", state)
	}
	// The check shows the subscription under the other element: the
	// purchase is meant in addition, as additional_to says.
	tf.Write(acctest.ProviderBlock(mock, "") + acctest.PurchaseBlocks(fmt.Sprintf("count = 2\n  quantity = 1\n  additional_to = [%q]", sibling)))
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the apply with additional_to failed:\n%s", out)
	}
	if got := mock.Purchases(acctest.DocumentedID); got != 2 {
		t.Errorf("%d purchases, want 2", got)
	}
	first, second := tf.StateValues(acctest.SubscriptionAddress+"[0]"), tf.StateValues(acctest.SubscriptionAddress+"[1]")
	if first["id"] == nil || first["id"] == second["id"] {
		t.Errorf("the elements hold subscriptions %v and %v, want two different ones", first["id"], second["id"])
	}
}

// Partner Center may list a new order, and its subscription, only minutes
// after the purchase. Within that lag the look-up for earlier purchases
// cannot see it: a purchase that no state records (an apply killed before
// saving, another configuration) does not stop a second one. This is the
// limit the documentation states: after a crash, wait before applying
// again, or check Partner Center first.
func TestAccCustomerSubscriptionResource_listLagHidesRecentPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1, PurchaseListLag: 1000})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps:                    []resource.TestStep{{Config: purchaseConfig(mock, "quantity = 1"), Check: purchasesAre(mock, 1)}},
	})
	lists := mock.Requests(mockpartnercenter.RouteListOrders)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: renamed("other").Replace(purchaseConfig(mock, "quantity = 1")),
			Check: resource.ComposeAggregateTestCheckFunc(
				purchasesAre(mock, 2),
				acctest.CheckMock(func() error {
					if mock.Requests(mockpartnercenter.RouteListOrders) == lists {
						return fmt.Errorf("the second purchase did not look at the order list")
					}
					return nil
				}),
			),
		}},
	})
}

// Partner Center refuses the renewal scheduled right after a purchase (the
// term it sold does not offer the renewal's billing cycle): the apply fails
// naming the refusal instead of leaving the purchase pending, the state
// holds the subscription as bought, and the advice followed ends with the
// one purchase and no refused PATCH sent again.
func TestAccCustomerSubscriptionResource_renewalRefusedAfterPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	tf := acctest.NewKillableTerraform(t)
	config := acctest.ProviderBlock(mock, "") + acctest.PurchaseBlocks("quantity = 1\n  renewal = { billing_cycle = \"annual\" }")
	tf.Write(config)
	mock.SetPurchasedTerm(acctest.DocumentedID, "P1M")
	out, ok := tf.Run("apply", "-auto-approve")
	if ok {
		t.Fatal("the apply succeeded although Partner Center refused the renewal")
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Partner Center refused to schedule renewal", "not offered for the term P1M",
		"or remove renewal", "terraform untaint ADDRESS"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the error does not say %q:\n%s", want, out)
		}
	}
	state := tf.StateValues(acctest.SubscriptionAddress)
	if state["status"] != "active" || state["id"] == nil || state["renewal"] != nil {
		t.Fatalf("state after the refusal: id %v status %v renewal %v; want the subscription bought, active, nothing scheduled",
			state["id"], state["status"], state["renewal"])
	}
	if doc, err := storedSubscription(mock, fmt.Sprint(state["id"])); err != nil || doc["scheduledNextTermInstructions"] != nil {
		t.Errorf("the mock's subscription: %v, scheduled %v; want it stored with nothing scheduled", err, doc["scheduledNextTermInstructions"])
	}
	if out, ok := tf.Run("untaint", acctest.SubscriptionAddress); !ok {
		t.Fatalf("terraform untaint failed:\n%s", out)
	}
	mock.ResetCounters()
	tf.Write(strings.Replace(strings.Replace(config, `term_duration   = "P1Y"`, `term_duration   = "P1M"`, 1),
		"renewal = { billing_cycle = \"annual\" }", "", 1))
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the apply after the advice failed:\n%s", out)
	}
	if out, ok := tf.Run("plan", "-detailed-exitcode"); !ok {
		t.Errorf("the plan after the advice is not empty:\n%s", out)
	}
	if purchases, patches := mock.Purchases(acctest.DocumentedID), mock.Requests(mockpartnercenter.RouteUpdateSubscription); purchases != 1 || patches != 0 {
		t.Errorf("%d purchases and %d PATCHes after the advice, want 1 and none", purchases, patches)
	}
}
