package licences

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// e5 is the mock's upgrade of Business Basic.
const e5 = "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5"

const basicCatalogItem = "data.partnercenter_product_availabilities.basic.availabilities[0].catalog_item_id"

// upgradeConfig is the purchase of quantity seats with catalog_item_id
// set to target.
func upgradeConfig(providerHCL, target, quantity string) string {
	return providerHCL + strings.Replace(acctest.PurchaseBlocks("quantity = "+quantity), basicCatalogItem, fmt.Sprintf("%q", target), 1)
}

// transitionBodies stands between the provider and the mock and keeps the
// body of every transition POST.
type transitionBodies struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []map[string]any
}

func newTransitionBodies(t *testing.T, mock *mockpartnercenter.Server) *transitionBodies {
	t.Helper()
	target, err := url.Parse(mock.URL())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	b := &transitionBodies{}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/transitions") {
			raw, _ := io.ReadAll(r.Body)
			var body map[string]any
			_ = json.Unmarshal(raw, &body)
			b.mu.Lock()
			b.bodies = append(b.bodies, body)
			b.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(raw))
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *transitionBodies) providerBlock(mock *mockpartnercenter.Server) string {
	return strings.Replace(acctest.ProviderBlock(mock, ""), fmt.Sprintf("endpoint       = %q", mock.URL()), fmt.Sprintf("endpoint       = %q", b.URL), 1)
}

// mockTransitions is the transition history of a subscription as the mock
// holds it.
func mockTransitions(t *testing.T, mock *mockpartnercenter.Server, subscriptionID string) []any {
	t.Helper()
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	history, _ := acctest.RawSubscription(t, mock, token, subscriptionID+"/transitions")["transition"].([]any)
	return history
}

// upgradedOnce checks that the mock made exactly one transition of the
// source, its seats now in a new subscription of the target's product and
// SKU, which the state names, and the source ended.
func upgradedOnce(t *testing.T, mock *mockpartnercenter.Server, source *string, seats float64) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if history := mockTransitions(t, mock, *source); len(history) != 1 {
			return fmt.Errorf("the mock holds %d transitions of %s, want 1: %v", len(history), *source, history)
		}
		id := s.RootModule().Resources[acctest.SubscriptionAddress].Primary.ID
		if id == *source {
			return fmt.Errorf("the state still names the source subscription %s", id)
		}
		target, err := storedSubscription(mock, id)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(fmt.Sprint(target["offerId"]), "CFQ7TTC0LF8S:0001:") || target["quantity"] != seats || target["status"] != "active" {
			return fmt.Errorf("the target %s holds offer %v, quantity %v, status %v", id, target["offerId"], target["quantity"], target["status"])
		}
		if got := s.RootModule().Resources[acctest.SubscriptionAddress].Primary.Attributes["offer_id"]; got != target["offerId"] {
			return fmt.Errorf("state offer_id %s, the mock's target %v", got, target["offerId"])
		}
		if cart := s.RootModule().Resources[acctest.SubscriptionAddress].Primary.Attributes["cart_id"]; cart != "" {
			return fmt.Errorf("state cart_id %s on the upgraded subscription, which was not bought from it", cart)
		}
		src, err := storedSubscription(mock, *source)
		if err != nil {
			return err
		}
		if src["quantity"] != 0.0 || src["status"] == "active" {
			return fmt.Errorf("the source %s holds quantity %v, status %v: want no seat left, ended", *source, src["quantity"], src["status"])
		}
		return nil
	}
}

// Another SKU that the immediate eligibilities allow is an upgrade in
// place: the plan warns what it bills, the apply sends one transition with
// the eligibility's catalog item, the seats, the licence transfer, the
// term and the billing cycle, and the state follows the subscription that
// holds the seats, whose name it then changes as planned.
func TestAccCustomerSubscriptionResource_upgradeInPlace(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	proxy := newTransitionBodies(t, mock)
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var source string
	warnings := &resourceWarnings{}
	upgraded := upgradeConfig(proxy.providerBlock(mock), e5, "3\n  friendly_name = \"Sales E5\"")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.providers(),
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 3"), Check: boughtSubscription(mock, before, &source)},
			{
				Config: upgraded,
				Check: resource.ComposeAggregateTestCheckFunc(upgradedOnce(t, mock, &source, 3), func(s *terraform.State) error {
					target, err := storedSubscription(mock, s.RootModule().Resources[acctest.SubscriptionAddress].Primary.ID)
					if err != nil || target["friendlyName"] != "Sales E5" {
						return fmt.Errorf("the target's name is %v (%v), want the planned Sales E5", target["friendlyName"], err)
					}
					if n := warnings.matching(`Applying this plan upgrades the subscription.*moves its 3 seats.*CFQ7TTC0LF8S:0001.*` +
						`transition_with_license_transfer.*cannot be undone after 7 days`); n == 0 {
						return fmt.Errorf("no upgrade warning among %d warnings", len(warnings.warnings))
					}
					proxy.mu.Lock()
					defer proxy.mu.Unlock()
					if len(proxy.bodies) != 1 {
						return fmt.Errorf("%d transition POSTs, want 1", len(proxy.bodies))
					}
					body := proxy.bodies[0]
					if !strings.HasPrefix(fmt.Sprint(body["toCatalogItemId"]), "CFQ7TTC0LF8S:0001:") || body["quantity"] != 3.0 ||
						body["transitionType"] != "transition_with_license_transfer" || body["termDuration"] != "P1Y" ||
						body["billingCycle"] != "monthly" || body["toSubscriptionId"] != nil {
						return fmt.Errorf("transition body %v", body)
					}
					return nil
				}),
			},
			{Config: upgraded, PlanOnly: true},
		},
	})
}

// A target the eligibilities do not allow, and an upgrade combined with a
// seat change, fail the plan with nothing written.
func TestAccCustomerSubscriptionResource_upgradeRefusals(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	var writes int
	noWrites := func() {
		if got := mock.WriteRequests(); got != writes {
			t.Fatalf("%d write requests, want the purchase's %d", got, writes)
		}
	}
	provider := acctest.ProviderBlock(mock, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 3"), Check: func(*terraform.State) error { writes = mock.WriteRequests(); return nil }},
			{
				PreConfig: noWrites,
				Config:    upgradeConfig(provider, "CFQ7TTC0LH16:0001:CFQ7TTC0K1LS", "3"),
				ExpectError: acctest.ErrorPattern(`Upgrade not possible.*cannot move to "CFQ7TTC0LH16:0001:CFQ7TTC0K1LS" now: it is not among.*` +
					`eligibilities allow: "CFQ7TTC0LF8S:0001:[A-Z0-9]+" \(Office 365 E5.*transition_only, transition_with_license_transfer\).*nothing was sent`),
			},
			{
				PreConfig:   noWrites,
				Config:      upgradeConfig(provider, e5, "4"),
				ExpectError: acctest.ErrorPattern(`Upgrade combined with another change.*apply the upgrade first, then the other change`),
			},
			{PreConfig: noWrites, Config: purchaseConfig(mock, "quantity = 3"), PlanOnly: true},
		},
	})
	if got := mock.Requests(mockpartnercenter.RouteCreateTransition); got != 0 {
		t.Errorf("%d transition POSTs, want none", got)
	}
}

// The transition is made, then its answer is lost (a 500, or the
// connection closed): the apply fails without sending it again, and the
// next apply finds it in the history and completes it: one transition.
func TestAccCustomerSubscriptionResource_upgradeAnswerLost(t *testing.T) {
	for name, kind := range map[string]mockpartnercenter.FaultKind{
		"500": mockpartnercenter.FaultServerError, "connection dropped": mockpartnercenter.FaultDropConnection,
	} {
		t.Run(name, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{})
			before := mock.SubscriptionIDs(acctest.DocumentedID)
			var source string
			upgraded := upgradeConfig(acctest.ProviderBlock(mock, ""), e5, "2")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{
					{Config: purchaseConfig(mock, "quantity = 2"), Check: boughtSubscription(mock, before, &source)},
					{
						PreConfig: func() {
							mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: kind, AfterCommit: true, Times: 1,
								Route: mockpartnercenter.RouteCreateTransition})
						},
						Config:      upgraded,
						ExpectError: acctest.ErrorPattern(`Upgrading subscription.*may have started the upgrade nonetheless.*sends one only if none was`),
					},
					{Config: upgraded, Check: upgradedOnce(t, mock, &source, 2)},
				},
			})
			if got := mock.Requests(mockpartnercenter.RouteCreateTransition); got != 1 {
				t.Errorf("%d transition POSTs, want 1", got)
			}
		})
	}
}

// A transition that ends failed fails the apply naming it and its events;
// the state keeps the source subscription, which Partner Center left as
// it was.
func TestAccCustomerSubscriptionResource_upgradeFailed(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var source string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 2"), Check: boughtSubscription(mock, before, &source)},
			{
				PreConfig:   func() { mock.SetFailedOperations(acctest.DocumentedID, 1) },
				Config:      upgradeConfig(acctest.ProviderBlock(mock, ""), e5, "2"),
				ExpectError: acctest.ErrorPattern(`could not upgrade the subscription.*the transition of 2 seats ended failed \(Conversion InProgress.*Conversion Failed.*request id`),
			},
			{
				Config: purchaseConfig(mock, "quantity = 2"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(acctest.SubscriptionAddress, "id", &source),
					storedIs(mock, &source, map[string]any{"status": "active", "quantity": 2.0}),
				),
			},
		},
	})
	if added := acctest.NewSubscriptionIDs(mock, before); len(added) != 1 {
		t.Errorf("the mock holds new subscriptions %v, want the purchase's only", added)
	}
}

// killedUpgrade buys quantity seats, then kills the provider in the apply
// that upgrades them to E5 once Partner Center has taken the transition. It
// returns the source subscription, which the state still names.
func killedUpgrade(t *testing.T, mock *mockpartnercenter.Server, tf *acctest.KillableTerraform, quantity string) string {
	t.Helper()
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	tf.Write(purchaseConfig(mock, "quantity = "+quantity))
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the purchase failed:\n%s", out)
	}
	added := acctest.NewSubscriptionIDs(mock, before)
	if len(added) != 1 {
		t.Fatalf("the mock holds new subscriptions %v, want one", added)
	}
	source := added[0]
	tf.Write(upgradeConfig(acctest.ProviderBlock(mock, ""), e5, quantity))
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang, AfterCommit: true,
		Route: mockpartnercenter.RouteCreateTransition})
	tf.ApplyKilledWhen(func() bool { return mock.Requests(mockpartnercenter.RouteCreateTransition) == 1 })
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Route: mockpartnercenter.RouteCreateTransition})
	if state := tf.StateValues(acctest.SubscriptionAddress); state["id"] != source {
		t.Fatalf("the state names %v after the kill, want the source %s", state["id"], source)
	}
	return source
}

// completedOnce checks, after the apply that follows killedUpgrade, that
// it completed the killed apply's transition: no other sent, no PATCH, the
// state on the subscription holding the seats, the source emptied.
func completedOnce(t *testing.T, mock *mockpartnercenter.Server, tf *acctest.KillableTerraform, source string, seats float64) {
	t.Helper()
	if out, ok := tf.Run("apply", "-auto-approve"); !ok || !strings.Contains(strings.Join(strings.Fields(out), " "), "Completing an upgrade already started") {
		t.Fatalf("the apply after the kill (ok %v) did not complete the started upgrade:\n%s", ok, out)
	}
	if got := mock.Requests(mockpartnercenter.RouteCreateTransition); got != 1 {
		t.Errorf("%d transition POSTs, want the killed apply's 1", got)
	}
	if got := mock.Requests(mockpartnercenter.RouteUpdateSubscription); got != 0 {
		t.Errorf("%d PATCHes after an upgrade, want none", got)
	}
	if history := mockTransitions(t, mock, source); len(history) != 1 {
		t.Errorf("the mock holds %d transitions, want 1", len(history))
	}
	state := tf.StateValues(acctest.SubscriptionAddress)
	target, err := storedSubscription(mock, fmt.Sprint(state["id"]))
	if err != nil || state["id"] == source || !strings.HasPrefix(fmt.Sprint(target["offerId"]), "CFQ7TTC0LF8S:0001:") || target["quantity"] != seats ||
		state["cart_id"] != nil {
		t.Errorf("the state names %v (cart %v), which the mock holds as %v (%v)", state["id"], state["cart_id"], target, err)
	}
	if src, err := storedSubscription(mock, source); err != nil || src["quantity"] != 0.0 || src["status"] != "expired" {
		t.Errorf("the source holds %v (%v), want no seat, expired", src, err)
	}
}

// The provider is killed once Partner Center has taken the transition:
// the next apply sends none, completes that one, and the state ends on the
// subscription holding the seats.
func TestAccCustomerSubscriptionResource_upgradeProviderKilled(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	tf := acctest.NewKillableTerraform(t)
	source := killedUpgrade(t, mock, tf, "2")
	completedOnce(t, mock, tf, source, 2)
}

// Partner Center completes the transition of a killed apply before the
// next refresh, which then reads the source with no seat left: the next
// plan completes the upgrade from the history instead of refusing the
// quantity the configuration keeps, and the apply records the subscription
// holding the seats, sending nothing.
func TestAccCustomerSubscriptionResource_upgradeCompletedBeforeTheNextRefresh(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	tf := acctest.NewKillableTerraform(t)
	source := killedUpgrade(t, mock, tf, "2")
	mock.CompleteTransitions(acctest.DocumentedID)
	completedOnce(t, mock, tf, source, 2)
}

// The plan completes a transition still in progress; it fails before the
// saved plan is applied: the apply sends no other transition, which its
// plan did not show, and fails.
func TestAccCustomerSubscriptionResource_upgradeStartedFailsBeforeItsApply(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	tf := acctest.NewKillableTerraform(t)
	mock.SetFailedOperations(acctest.DocumentedID, 1)
	source := killedUpgrade(t, mock, tf, "2")
	if out, ok := tf.Run("plan", "-out=upgrade.tfplan"); !ok || !strings.Contains(strings.Join(strings.Fields(out), " "), "Completing an upgrade already started") {
		t.Fatalf("the plan (ok %v) did not complete the started upgrade:\n%s", ok, out)
	}
	mock.CompleteTransitions(acctest.DocumentedID) // it ends failed
	// Terraform refuses the final plan, which would send a transition (the
	// planned id, the transition's target, unknown again), and shows why.
	out, ok := tf.Run("apply", "upgrade.tfplan")
	if flat := strings.Join(strings.Fields(out), " "); ok || !strings.Contains(flat, "inconsistent final plan") ||
		!strings.Contains(flat, "The last transition there ended failed (Conversion InProgress") {
		t.Fatalf("the apply of a plan completing a failed transition (ok %v):\n%s", ok, out)
	}
	if got := mock.Requests(mockpartnercenter.RouteCreateTransition); got != 1 {
		t.Errorf("%d transition POSTs, want the killed apply's 1", got)
	}
	if src, err := storedSubscription(mock, source); err != nil || src["quantity"] != 2.0 || src["status"] != "active" {
		t.Errorf("the source holds %v (%v), want its 2 seats", src, err)
	}
	if state := tf.StateValues(acctest.SubscriptionAddress); state["id"] != source {
		t.Errorf("the state names %v, want the source %s", state["id"], source)
	}
}

// Some seats moved to E5 earlier, outside Terraform, into a subscription
// of their own: upgrading the seats left is a new transition of those, not
// the earlier one, and the earlier target is left as it is, unchanged.
func TestAccCustomerSubscriptionResource_upgradeAfterAnEarlierPartialTransition(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	tf := acctest.NewKillableTerraform(t)
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	tf.Write(purchaseConfig(mock, "quantity = 5"))
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the purchase failed:\n%s", out)
	}
	source := acctest.NewSubscriptionIDs(mock, before)[0]
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	req, err := http.NewRequest(http.MethodPost, mock.URL()+"/v1/customers/"+acctest.DocumentedID+"/subscriptions/"+source+"/transitions",
		strings.NewReader(`{"toCatalogItemId":"`+e5+`","quantity":2,"transitionType":"transition_only"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var earlier struct{ ToSubscriptionID string }
	if err := json.NewDecoder(resp.Body).Decode(&earlier); err != nil || resp.StatusCode != http.StatusOK || earlier.ToSubscriptionID == "" {
		t.Fatalf("the earlier transition: %d, %+v (%v)", resp.StatusCode, earlier, err)
	}
	_ = resp.Body.Close()
	mock.CompleteTransitions(acctest.DocumentedID)
	mock.ResetCounters()
	proxy := newTransitionBodies(t, mock)
	tf.Write(upgradeConfig(proxy.providerBlock(mock), e5, "3"))
	out, ok := tf.Run("apply", "-auto-approve")
	if flat := strings.Join(strings.Fields(out), " "); !ok || !strings.Contains(flat, "Applying this plan upgrades the subscription") {
		t.Fatalf("the upgrade of the 3 seats left (ok %v):\n%s", ok, out)
	}
	proxy.mu.Lock()
	if len(proxy.bodies) != 1 || proxy.bodies[0]["quantity"] != 3.0 {
		t.Errorf("transition POSTs %v, want one of 3 seats", proxy.bodies)
	}
	proxy.mu.Unlock()
	if got := mock.Requests(mockpartnercenter.RouteUpdateSubscription); got != 0 {
		t.Errorf("%d PATCHes, want none", got)
	}
	id := fmt.Sprint(tf.StateValues(acctest.SubscriptionAddress)["id"])
	if id == source || id == earlier.ToSubscriptionID {
		t.Fatalf("the state names %s (source %s, earlier target %s), want the new target", id, source, earlier.ToSubscriptionID)
	}
	for sub, want := range map[string]float64{id: 3, earlier.ToSubscriptionID: 2, source: 0} {
		if doc, err := storedSubscription(mock, sub); err != nil || doc["quantity"] != want {
			t.Errorf("subscription %s holds %v (%v), want %v seats", sub, doc, err, want)
		}
	}
}

// An upgrade whose target is known only at apply was not planned: that
// apply makes no transition, and the next plan shows the upgrade, which the
// next apply makes.
func TestAccCustomerSubscriptionResource_upgradeUnknownAtPlanWaitsForItsPlan(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var source string
	fromApply := strings.Replace(purchaseConfig(mock, "quantity = 2"), basicCatalogItem, "terraform_data.item.output", 1) + `
resource "terraform_data" "item" {
  input = "` + e5 + `"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 2"), Check: boughtSubscription(mock, before, &source)},
			{
				Config: fromApply, ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					if got := mock.Requests(mockpartnercenter.RouteCreateTransition); got != 0 {
						return fmt.Errorf("%d transition POSTs by an apply whose plan showed no upgrade", got)
					}
					return storedIs(mock, &source, map[string]any{"status": "active", "quantity": 2.0})(nil)
				},
			},
			{Config: fromApply, Check: upgradedOnce(t, mock, &source, 2)},
		},
	})
}

// An upgrade with renewal configured: the transition leaves the schedule
// behind, so the apply schedules the renewal again on the subscription
// that holds the seats, with its product and SKU, the plan having said so;
// the state's renewal is what that subscription has scheduled.
func TestAccCustomerSubscriptionResource_upgradeReschedulesRenewal(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var source, target string
	warnings := &resourceWarnings{}
	upgraded := upgradeConfig(acctest.ProviderBlock(mock, ""), e5, "3\n  renewal = { quantity = 1 }")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.providers(),
		Steps: []resource.TestStep{
			{
				Config: purchaseConfig(mock, "quantity = 3\n  renewal = { quantity = 1 }"),
				Check: resource.ComposeAggregateTestCheckFunc(boughtSubscription(mock, before, &source),
					scheduledIs(mock, &source, basicItem+" P1Y monthly 1")),
			},
			{
				PreConfig: mock.ResetCounters,
				Config:    upgraded,
				Check: resource.ComposeAggregateTestCheckFunc(
					upgradedOnce(t, mock, &source, 3),
					func(s *terraform.State) error {
						target = s.RootModule().Resources[acctest.SubscriptionAddress].Primary.ID
						doc, err := storedSubscription(mock, target)
						if err != nil {
							return err
						}
						offer := fmt.Sprint(doc["offerId"])
						if err := scheduledIs(mock, &target, offer+" P1Y monthly 1")(s); err != nil {
							return err
						}
						if n := warnings.matching(`Applying this plan upgrades the subscription.*deletes the changes scheduled for ` +
							`the renewal: this apply schedules renewal again, on the subscription that holds the seats`); n == 0 {
							return fmt.Errorf("no upgrade warning saying the renewal is scheduled again among %d warnings", len(warnings.warnings))
						}
						return nil
					},
					// The transition, then one PATCH of the target: the renewal.
					patchesAre(mock, 1),
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "renewal.quantity", "1"),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "renewal.catalog_item_id"),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "renewal.term_duration"),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "renewal.billing_cycle"),
					resource.TestCheckResourceAttrWith(acctest.SubscriptionAddress, "scheduled_renewal_changes", func(v string) error {
						if !strings.Contains(v, `"quantity":1`) || !strings.Contains(v, `"CFQ7TTC0LF8S"`) {
							return fmt.Errorf("scheduled_renewal_changes %s, want the target's instructions", v)
						}
						return nil
					}),
				),
			},
			{Config: upgraded, PlanOnly: true},
		},
	})
}

// An upgrade combined with a renewal into another product than the
// upgrade's is refused at plan, with nothing written.
func TestAccCustomerSubscriptionResource_upgradeWithRenewalIntoAnotherProductRefused(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	var writes int
	noWrites := func() {
		if got := mock.WriteRequests(); got != writes {
			t.Fatalf("%d write requests, want the purchase's %d", got, writes)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 3"), Check: func(*terraform.State) error { writes = mock.WriteRequests(); return nil }},
			{
				PreConfig: noWrites,
				Config: upgradeConfig(acctest.ProviderBlock(mock, ""), e5,
					"3\n  renewal = { catalog_item_id = \"CFQ7TTC0LH16:0001:CFQ7TTC0K1LS\" }"),
				ExpectError: acctest.ErrorPattern(`Upgrade combined with a renewal into another product.*upgrades subscription.*to "` + e5 +
					`" and schedules its renewal into "CFQ7TTC0LH16:0001:CFQ7TTC0K1LS".*Apply the upgrade first.*nothing was sent`),
			},
			{PreConfig: noWrites, Config: purchaseConfig(mock, "quantity = 3"), PlanOnly: true},
		},
	})
	if got := mock.Requests(mockpartnercenter.RouteCreateTransition); got != 0 {
		t.Errorf("%d transition POSTs, want none", got)
	}
	if got := mock.Requests(mockpartnercenter.RouteUpdateSubscription); got != 0 {
		t.Errorf("%d subscription PATCHes, want none", got)
	}
}
