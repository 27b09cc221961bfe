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

// stateIsStored checks that the state of address holds what the mock
// stores for its subscription, and that the mock stores want (members of
// Partner Center's JSON).
func stateIsStored(t *testing.T, mock *mockpartnercenter.Server, address string, want map[string]any) resource.TestCheckFunc {
	t.Helper()
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	return func(s *terraform.State) error {
		r, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in the state", address)
		}
		state := r.Primary.Attributes
		if state["id"] == "" {
			return fmt.Errorf("%s has no subscription id in the state", address)
		}
		stored := acctest.RawSubscription(t, mock, token, state["id"])
		var problems []string
		for attr, member := range map[string]string{"quantity": "quantity", "auto_renew": "autoRenewEnabled",
			"friendly_name": "friendlyName", "status": "status", "order_id": "orderId", "term_duration": "termDuration"} {
			if state[attr] != fmt.Sprint(stored[member]) {
				problems = append(problems, fmt.Sprintf("state %s = %q, Partner Center's %s = %v", attr, state[attr], member, stored[member]))
			}
		}
		for member, value := range want {
			if fmt.Sprint(stored[member]) != fmt.Sprint(value) {
				problems = append(problems, fmt.Sprintf("Partner Center's %s = %v, want %v", member, stored[member], value))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s", strings.Join(problems, "; "))
		}
		return nil
	}
}

// patchesAre checks the mock received exactly n subscription PATCHes.
func patchesAre(mock *mockpartnercenter.Server, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := mock.Requests(mockpartnercenter.RouteUpdateSubscription); got != n {
			return fmt.Errorf("%d subscription PATCHes, want %d", got, n)
		}
		return nil
	}
}

// A cart carries no renewal setting: auto_renew = false at purchase is one
// PATCH after the order, and Partner Center then holds it.
func TestAccCustomerSubscriptionResource_autoRenewOffAtPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: purchaseConfig(mock, "quantity = 2\n  auto_renew = false\n  friendly_name = \"Sales team\""),
			Check: resource.ComposeAggregateTestCheckFunc(
				purchasesAre(mock, 1),
				// The name travels in the cart: only auto_renew needs a PATCH.
				patchesAre(mock, 1),
				stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"autoRenewEnabled": false, "quantity": 2, "friendlyName": "Sales team"}),
			),
		}},
	})
	t.Logf("requests: %d in all, %d writes (%d carts, %d checkouts, %d PATCHes); look-ups: %d subscription lists, %d order lists",
		mock.TotalAPIRequests(), mock.WriteRequests(), mock.Requests(mockpartnercenter.RouteCreateCart), mock.Requests(mockpartnercenter.RouteCheckout),
		mock.Requests(mockpartnercenter.RouteUpdateSubscription), mock.Requests(mockpartnercenter.RouteListSubscriptions), mock.Requests(mockpartnercenter.RouteListOrders))
}

// A pending purchase completed by the next apply is made what the plan
// says too: auto_renew = false is PATCHed once the order names the
// subscription.
func TestAccCustomerSubscriptionResource_autoRenewOffWhenCompletingPending(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: 4})
	config := purchaseConfig(mock, "quantity = 2\n  auto_renew = false\n  timeouts {\n    create = \"2s\"\n  }")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config:             config,
				Check:              resource.ComposeAggregateTestCheckFunc(purchasesAre(mock, 1), patchesAre(mock, 0), resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "status", "pending")),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 1),
					patchesAre(mock, 1),
					stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"autoRenewEnabled": false, "quantity": 2}),
				),
			},
		},
	})
}

// The checkout answers 500 after buying, and its retry 409 800065 (cart
// already submitted): the cart says it was checked out, its order is found
// and the apply completes with the one purchase.
func TestAccCustomerSubscriptionResource_checkoutServerErrorThenAlreadySubmitted(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	mock.SetRepeatedCheckoutRefused(acctest.DocumentedID, true)
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultServerError, AfterCommit: true, Times: 1,
		Route: mockpartnercenter.RouteCheckout})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: purchaseConfig(mock, "quantity = 2"),
			Check: resource.ComposeAggregateTestCheckFunc(
				purchasesAre(mock, 1),
				stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"quantity": 2, "status": "active"}),
				acctest.CheckMock(func() error {
					if checkouts, carts := mock.Requests(mockpartnercenter.RouteCheckout), mock.Requests(mockpartnercenter.RouteGetCart); checkouts != 2 || carts != 1 {
						return fmt.Errorf("%d checkouts and %d cart reads, want the 500, the 409, and one read of the cart", checkouts, carts)
					}
					return nil
				}),
			),
		}},
	})
}

// Every answer to the checkout is lost, so the purchase is pending; the
// service then answers the completing checkout with 409 800065 instead of
// the first result. The completion reads the cart's order: one purchase,
// active, in one further apply rather than pending for ever.
func TestAccCustomerSubscriptionResource_pendingCompletedAfterAlreadySubmitted(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	interruptedPurchase(t, mock, "", "1m", 1,
		func() {
			mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultDropConnection, Route: mockpartnercenter.RouteCheckout})
		},
		func() {
			mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Route: mockpartnercenter.RouteCheckout})
			mock.SetRepeatedCheckoutRefused(acctest.DocumentedID, true)
		})
	if got := mock.Requests(mockpartnercenter.RouteGetCart); got != 1 {
		t.Errorf("%d reads of the cart, want the one after the 800065", got)
	}
}

// Two resources of one configuration buy the same SKU for the same
// customer in one apply, in parallel: neither stops the other, and a
// third, added later, is refused until it names them in additional_to.
func TestAccCustomerSubscriptionResource_sameSKUTwiceInOneConfiguration(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	second := strings.NewReplacer(`"partnercenter_customer_subscription" "test"`, `"partnercenter_customer_subscription" "second"`,
		`"partnercenter_product_availabilities" "basic"`, `"partnercenter_product_availabilities" "second"`,
		"availabilities.basic.", "availabilities.second.")
	third := strings.NewReplacer(`"partnercenter_customer_subscription" "test"`, `"partnercenter_customer_subscription" "third"`,
		`"partnercenter_product_availabilities" "basic"`, `"partnercenter_product_availabilities" "third"`,
		"availabilities.basic.", "availabilities.third.")
	both := purchaseConfig(mock, "quantity = 1") + second.Replace(acctest.PurchaseBlocks("quantity = 2"))
	var writes int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: both,
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 2),
					stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"quantity": 1}),
					stateIsStored(t, mock, "partnercenter_customer_subscription.second", map[string]any{"quantity": 2}),
					acctest.CheckMock(func() error { writes = mock.WriteRequests(); return nil }),
				),
			},
			{
				PreConfig:   func() { writes = mock.WriteRequests() },
				Config:      both + third.Replace(acctest.PurchaseBlocks("quantity = 3")),
				ExpectError: acctest.ErrorPattern(`Same product bought recently.*additional_to`),
			},
			{
				PreConfig: func() {
					if got := mock.WriteRequests(); got != writes {
						t.Errorf("the refused plan sent %d writes", got-writes)
					}
				},
				Config: both + third.Replace(acctest.PurchaseBlocks("quantity = 3\n  additional_to = [partnercenter_customer_subscription.test.id, "+
					"partnercenter_customer_subscription.second.id]")),
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 3),
					stateIsStored(t, mock, "partnercenter_customer_subscription.third", map[string]any{"quantity": 3}),
				),
			},
		},
	})
}

// The PATCH that turns auto-renew off after the purchase is refused as not
// ready (409 800082) until timeouts.create runs out: the purchase is in the
// state, pending with its order, and the next apply makes it what the
// configuration says without buying again.
func TestAccCustomerSubscriptionResource_autoRenewPatchRefusedAfterPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	config := purchaseConfig(mock, "quantity = 2\n  auto_renew = false\n  timeouts {\n    create = \"3s\"\n  }")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { mock.SetPatchConflicts(acctest.DocumentedID, 1000) },
				Config:    config,
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 1),
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "status", "pending"),
					resource.TestCheckResourceAttrSet(acctest.SubscriptionAddress, "order_id"),
				),
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() { mock.SetPatchConflicts(acctest.DocumentedID, 0) },
				Config:    config,
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 1),
					stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"autoRenewEnabled": false, "quantity": 2}),
				),
			},
		},
	})
}

// An order that has not named its subscription yet stops another purchase
// of the same SKU too, named by its order id, which additional_to then
// acknowledges.
func TestAccCustomerSubscriptionResource_pendingOrderStopsAnotherPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: 1000})
	var orderID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: purchaseConfig(mock, "quantity = 2\n  timeouts {\n    create = \"2s\"\n  }"),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "status", "pending"),
				resource.TestCheckResourceAttrWith(acctest.SubscriptionAddress, "order_id", func(v string) error { orderID = v; return nil }),
			),
			ExpectNonEmptyPlan: true,
		}},
	})
	if orderID == "" {
		t.Fatal("the pending purchase has no order id")
	}
	// The pending purchase was abandoned with the first configuration;
	// another configuration would buy the same SKU.
	other := strings.NewReplacer(`"partnercenter_customer_subscription" "test"`, `"partnercenter_customer_subscription" "other"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      other.Replace(purchaseConfig(mock, "quantity = 1\n  timeouts {\n    create = \"2s\"\n  }")),
				ExpectError: acctest.ErrorPattern(`Same product bought recently.*order "` + orderID + `".*has not named its subscription yet.*additional_to`),
			},
			{
				PreConfig: func() {
					if got := mock.Purchases(acctest.DocumentedID); got != 1 {
						t.Errorf("%d purchases after the refusal, want 1", got)
					}
				},
				Config: other.Replace(purchaseConfig(mock, fmt.Sprintf("quantity = 1\n  additional_to = [%q]\n  timeouts {\n    create = \"2s\"\n  }", orderID))),
				Check:  resource.ComposeAggregateTestCheckFunc(purchasesAre(mock, 2), resource.TestCheckResourceAttr("partnercenter_customer_subscription.other", "status", "pending")),
				// The new order is pending too, for as long as the mock says.
				ExpectNonEmptyPlan: true,
			},
		},
	})
}
