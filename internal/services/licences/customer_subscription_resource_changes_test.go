package licences

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// resourceWarnings keeps the warnings of the provider's resource plans,
// applies and refreshes, which the test framework cannot check, while the
// real CLI drives it.
type resourceWarnings struct {
	mu       sync.Mutex
	warnings []*tfprotov6.Diagnostic
}

func (r *resourceWarnings) providers() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"partnercenter": func() (tfprotov6.ProviderServer, error) {
			return resourceWarningServer{ProviderServer: acctest.UnderTest.Server("test")(), recorder: r}, nil
		},
	}
}

func (r *resourceWarnings) Record(diags []*tfprotov6.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			r.warnings = append(r.warnings, d)
		}
	}
}

// matching counts the recorded warnings whose summary and detail match
// pattern.
func (r *resourceWarnings) matching(pattern string) int {
	re := acctest.ErrorPattern(pattern)
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, w := range r.warnings {
		if re.MatchString(w.Summary + "\n" + w.Detail) {
			n++
		}
	}
	return n
}

// warned checks that some warning recorded so far matches pattern.
func (r *resourceWarnings) warned(pattern string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if r.matching(pattern) == 0 {
			return fmt.Errorf("no warning matches %q", pattern)
		}
		return nil
	}
}

type resourceWarningServer struct {
	tfprotov6.ProviderServer
	recorder *resourceWarnings
}

func (s resourceWarningServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.recorder.Record(resp.Diagnostics)
	}
	return resp, err
}

func (s resourceWarningServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.recorder.Record(resp.Diagnostics)
	}
	return resp, err
}

// writesAre checks the mock counted n write requests so far.
func writesAre(mock *mockpartnercenter.Server, n *int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := mock.WriteRequests(); got != *n {
			return fmt.Errorf("%d write requests so far, want %d", got, *n)
		}
		return nil
	}
}

// A seat change whose 202 operation ends failed fails the apply naming what
// Partner Center has; the state keeps Partner Center's quantity, which a
// later plan shows without refreshing it (the subscription then reads 404
// and keeps its state as recorded).
func TestAccCustomerSubscriptionResource_failedSeatChangeKeepsPartnerCentersQuantity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 4"), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: func() {
					mock.SetPatchAsync(acctest.DocumentedID, 1)
					mock.SetFailedOperations(acctest.DocumentedID, 1)
				},
				Config: purchaseConfig(mock, "quantity = 5"),
				ExpectError: acctest.ErrorPattern(`Partner Center did not make the change.*Changing quantity of subscription.*accepted the change ` +
					`\(202 Accepted\), but its operation ended failed: error code 10000, The change to subscription .* could not be ` +
					`completed.*the subscription reads quantity 4, not 5`),
			},
			{
				// The subscription reads 404 from now on, so the refresh
				// keeps every value the failed apply recorded: quantity 4
				// plans nothing, as Partner Center had 4.
				PreConfig: func() {
					if err := storedIs(mock, &subscriptionID, map[string]any{"quantity": 4.0})(nil); err != nil {
						t.Fatal(err)
					}
					if mock.Requests(mockpartnercenter.RouteSubscriptionOperation) != 1 {
						t.Fatalf("%d polls, want 1", mock.Requests(mockpartnercenter.RouteSubscriptionOperation))
					}
					mock.RemoveSubscription(acctest.DocumentedID, subscriptionID)
				},
				Config:   purchaseConfig(mock, "quantity = 4"),
				PlanOnly: true,
			},
		},
	})
}

// A cancellation whose 202 operation ends failed fails the destroy: the
// resource stays in the state and the subscription stays active; the next
// destroy cancels it.
func TestAccCustomerSubscriptionResource_failedCancellationKeepsTheResource(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	config := purchaseConfig(mock, "quantity = 1\n  on_destroy = \"cancel\"")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: config, Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: func() {
					mock.SetPatchAsync(acctest.DocumentedID, 2)
					mock.SetFailedOperations(acctest.DocumentedID, 1)
				},
				Config: acctest.ProviderBlock(mock, ""),
				ExpectError: acctest.ErrorPattern(`Partner Center did not make the change.*Cancelling subscription.*its operation ended failed.*` +
					`the subscription reads status "active", not deleted.*The resource stays in the state`),
			},
			{
				// Still in the state: the configuration plans nothing.
				PreConfig: func() {
					if err := storedIs(mock, &subscriptionID, map[string]any{"status": "active"})(nil); err != nil {
						t.Fatal(err)
					}
					mock.SetPatchAsync(acctest.DocumentedID, 0)
				},
				Config:   config,
				PlanOnly: true,
			},
		},
		CheckDestroy: func(*terraform.State) error {
			return storedIs(mock, &subscriptionID, map[string]any{"status": "deleted"})(nil)
		},
	})
}

// A billing cycle changes in place: one PATCH, the mock's subscription
// billed annually, nothing bought.
func TestAccCustomerSubscriptionResource_billingCycleChangesInPlace(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 2"), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				Config: strings.Replace(purchaseConfig(mock, "quantity = 2"), `billing_cycle   = "monthly"`, `billing_cycle   = "Annual"`, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.SubscriptionAddress, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 1),
					storedIs(mock, &subscriptionID, map[string]any{"billingCycle": "annual", "quantity": 2.0, "termDuration": "P1Y"}),
					func(*terraform.State) error {
						if got := mock.Requests(mockpartnercenter.RouteUpdateSubscription); got != 1 {
							return fmt.Errorf("%d PATCHes, want 1", got)
						}
						if got := len(mock.SubscriptionIDs(acctest.DocumentedID)); got != len(before)+1 {
							return fmt.Errorf("the customer has %d subscriptions, want %d", got, len(before)+1)
						}
						return nil
					},
				),
			},
		},
	})
}

// A plan that changes the billing cycle and adds seats sends the billing
// cycle first: when Partner Center does not make it, no seat was added
// (and billed) by the failed apply.
func TestAccCustomerSubscriptionResource_billingCycleBeforeSeats(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	annualWithSeats := strings.Replace(purchaseConfig(mock, "quantity = 5"), `billing_cycle   = "monthly"`, `billing_cycle   = "annual"`, 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 2"), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: func() {
					mock.ResetCounters()
					mock.SetPatchAsync(acctest.DocumentedID, 1)
					mock.SetFailedOperations(acctest.DocumentedID, 1)
				},
				Config:      annualWithSeats,
				ExpectError: acctest.ErrorPattern(`Partner Center did not make the change.*Changing billing_cycle of subscription.*its operation ended failed`),
			},
			{
				PreConfig: func() {
					if err := storedIs(mock, &subscriptionID, map[string]any{"quantity": 2.0, "billingCycle": "monthly"})(nil); err != nil {
						t.Fatal(err)
					}
					if got := mock.Requests(mockpartnercenter.RouteUpdateSubscription); got != 1 {
						t.Fatalf("%d PATCHes, want the billing cycle's only", got)
					}
					mock.SetPatchAsync(acctest.DocumentedID, 0)
				},
				Config: annualWithSeats,
				Check:  storedIs(mock, &subscriptionID, map[string]any{"quantity": 5.0, "billingCycle": "annual"}),
			},
		},
	})
}

// A seat change of a subscription with changes scheduled for its renewal
// warns at plan time, from the refreshed state and without a request of
// its own, that Partner Center deletes them, as it then does.
func TestAccCustomerSubscriptionResource_seatChangeWarnsOfScheduledRenewalChanges(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	warnings := &resourceWarnings{}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.providers(),
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 2"), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: func() {
					if err := mock.SetScheduledInstructions(acctest.DocumentedID, subscriptionID, map[string]any{
						"product": map[string]any{"productId": "CFQ7TTC0LH18", "skuId": "0001", "availabilityId": "CFQ7TTC0K971",
							"termDuration": "P1Y", "billingCycle": "annual"},
						"quantity": 10,
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: purchaseConfig(mock, "quantity = 3"),
				Check: resource.ComposeAggregateTestCheckFunc(
					warnings.warned(`Applying this plan deletes the changes scheduled for renewal.*scheduled_renewal_changes: .*"quantity":10.*deletes them when quantity changes mid-term`),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "scheduled_renewal_changes"),
					storedIs(mock, &subscriptionID, map[string]any{"quantity": 3.0, "scheduledNextTermInstructions": nil}),
				),
			},
		},
	})
}

// Turning auto-renew off warns that Partner Center drops the changes
// scheduled for the renewal (they require auto-renew on), as it then does.
func TestAccCustomerSubscriptionResource_autoRenewOffWarnsOfScheduledRenewalChanges(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	warnings := &resourceWarnings{}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.providers(),
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 2"), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: func() {
					if err := mock.SetScheduledInstructions(acctest.DocumentedID, subscriptionID, map[string]any{"quantity": 10}); err != nil {
						t.Fatal(err)
					}
				},
				Config: purchaseConfig(mock, "quantity = 2\n  auto_renew = false"),
				Check: resource.ComposeAggregateTestCheckFunc(
					warnings.warned(`Applying this plan deletes the changes scheduled for renewal.*"quantity":10.*keeps them only while `+
						`auto-renew is on, so turning auto_renew off drops them.*keep auto_renew as it is`),
					resource.TestCheckNoResourceAttr(acctest.SubscriptionAddress, "scheduled_renewal_changes"),
					storedIs(mock, &subscriptionID, map[string]any{"autoRenewEnabled": false, "quantity": 2.0, "scheduledNextTermInstructions": nil}),
				),
			},
		},
	})
}

// A billing cycle change warns, at plan time, how the invoicing changes
// and when.
func TestAccCustomerSubscriptionResource_billingCycleChangeWarnsOfInvoicing(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	warnings := &resourceWarnings{}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.providers(),
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 2"), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				Config: strings.Replace(purchaseConfig(mock, "quantity = 2"), `billing_cycle   = "monthly"`, `billing_cycle   = "annual"`, 1),
				Check: resource.ComposeAggregateTestCheckFunc(
					warnings.warned(`Applying this plan changes how the subscription is invoiced.*from "monthly" to "annual": Partner `+
						`Center invoices its licences once a year, for the whole year ahead instead of every month. The change takes `+
						`effect at the subscription's next billing cycle`),
					storedIs(mock, &subscriptionID, map[string]any{"billingCycle": "annual"}),
				),
			},
		},
	})
}

// A 412 Precondition Failed without code 2055 is a stale etag too: the
// subscription is read again and the change sent once more.
func TestAccCustomerSubscriptionResource_preconditionFailedIsReadAgain(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 1"), Check: boughtSubscription(mock, before, &subscriptionID)},
			{
				PreConfig: func() { mock.SetPatchPreconditionFailures(acctest.DocumentedID, 1) },
				Config:    purchaseConfig(mock, "quantity = 2"),
				Check: resource.ComposeAggregateTestCheckFunc(
					storedIs(mock, &subscriptionID, map[string]any{"quantity": 2.0}),
					func(*terraform.State) error {
						if got := mock.Requests(mockpartnercenter.RouteUpdateSubscription); got != 2 {
							return fmt.Errorf("%d PATCHes, want the refused one and its retry", got)
						}
						return nil
					},
				),
			},
		},
	})
}

// Importing a subscription whose auto-renew is off: a configuration that
// says so plans nothing; one that leaves auto_renew out (true by default)
// warns that the apply turns it on, which it then does. Adding only a
// timeouts block plans no unknown value and sends nothing.
func TestAccCustomerSubscriptionResource_importedAutoRenewAndTimeouts(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const basic = "a4c1340d-6911-4758-bba3-0c4c6007d161" // Microsoft 365 Business Basic, 1 seat, P1Y monthly
	if err := mock.SetAutoRenew(acctest.DocumentedID, basic, false); err != nil {
		t.Fatal(err)
	}
	id := basic
	importBlock := fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", acctest.SubscriptionAddress, acctest.DocumentedID+"/"+basic)
	warnings := &resourceWarnings{}
	writes := 0
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.providers(),
		Steps: []resource.TestStep{
			{
				Config: purchaseConfig(mock, "quantity = 1\n  auto_renew = false") + importBlock,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.SubscriptionAddress, plancheck.ResourceActionNoop)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(writesAre(mock, &writes), func(*terraform.State) error {
					if n := warnings.matching(`auto-renew`); n != 0 {
						return fmt.Errorf("%d auto-renew warnings for an import that keeps it off", n)
					}
					return nil
				}),
			},
			{
				Config: purchaseConfig(mock, "quantity = 1"),
				Check: resource.ComposeAggregateTestCheckFunc(
					warnings.warned(`Applying this plan turns auto-renew on.*renews it for another P1Y term.*bills the partner.*`+
						`If this comes from an import whose configuration leaves auto_renew out \(it defaults to true\), set auto_renew = false`),
					storedIs(mock, &id, map[string]any{"autoRenewEnabled": true}),
				),
			},
			{
				Config: purchaseConfig(mock, "quantity = 1\n  auto_renew = false"),
				Check: resource.ComposeAggregateTestCheckFunc(
					warnings.warned(`Applying this plan turns auto-renew off.*does not end it at the end of its term.*month-to-month extended service term billed at a higher price`),
					storedIs(mock, &id, map[string]any{"autoRenewEnabled": false}),
					func(*terraform.State) error { writes = mock.WriteRequests(); return nil },
				),
			},
			{
				Config: purchaseConfig(mock, "quantity = 1\n  auto_renew = false\n  timeouts {\n    update = \"45m\"\n    read = \"2m\"\n  }"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(acctest.SubscriptionAddress, plancheck.ResourceActionUpdate),
						noUnknownValues(acctest.SubscriptionAddress),
					},
				},
				Check: writesAre(mock, &writes),
			},
			{
				Config: acctest.ProviderBlock(mock, "") + fmt.Sprintf("\nremoved {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", acctest.SubscriptionAddress),
			},
		},
	})
}

// noUnknownValues fails when the planned change of address leaves any
// value unknown until apply.
type noUnknownValues string

func (c noUnknownValues) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != string(c) {
			continue
		}
		if path := firstUnknown(rc.Change.AfterUnknown, ""); path != "" {
			resp.Error = fmt.Errorf("%s plans %s as known after apply", c, path)
		}
		return
	}
	resp.Error = fmt.Errorf("no planned change of %s", c)
}

// firstUnknown is the path of the first true leaf of an after_unknown
// value, "" when there is none.
func firstUnknown(v any, at string) string {
	switch u := v.(type) {
	case bool:
		if u {
			return at
		}
	case map[string]any:
		for name, inner := range u {
			if p := firstUnknown(inner, at+"."+name); p != "" {
				return p
			}
		}
	case []any:
		for i, inner := range u {
			if p := firstUnknown(inner, fmt.Sprintf("%s[%d]", at, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// The resource page's import example matches the subscription it imports:
// its plan imports and changes nothing, and its apply writes nothing.
func TestAccCustomerSubscriptionResource_importExampleChangesNothing(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	example, err := os.ReadFile("../../../examples/resources/partnercenter_customer_subscription/import-by-string-id.tf")
	if err != nil {
		t.Fatal(err)
	}
	const address = "partnercenter_customer_subscription.imported"
	writes := 0
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderBlock(mock, "") + string(example),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop)},
				},
				Check: writesAre(mock, &writes),
			},
			{
				Config: acctest.ProviderBlock(mock, "") + fmt.Sprintf("\nremoved {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", address),
				Check:  writesAre(mock, &writes),
			},
		},
	})
}

// Abandoning a pending purchase names its cart and order, what the partner
// needs to find what was bought.
func TestAccCustomerSubscriptionResource_abandonedPendingPurchaseNamesCartAndOrder(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: 1000})
	warnings := &resourceWarnings{}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.providers(),
		Steps: []resource.TestStep{
			{
				Config:             purchaseConfig(mock, "quantity = 1\n  timeouts {\n    create = \"2s\"\n  }"),
				Check:              resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "status", "pending"),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: acctest.ProviderBlock(mock, ""),
				Check: warnings.warned(`Subscription abandoned, still billing.*The pending purchase for customer "` + acctest.DocumentedID +
					`" \(cart "[^"]+", order "[^"]+"\) was removed from the Terraform state only`),
			},
		},
	})
	if n := warnings.matching(`Subscription "" of customer|\(none\)`); n != 0 {
		t.Errorf("%d warnings name no subscription", n)
	}
}

// timeouts.read bounds each refresh: a Partner Center that does not answer
// fails the plan after it, naming the setting.
func TestAccCustomerSubscriptionResource_readTimeout(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	config := purchaseConfig(mock, "quantity = 1\n  timeouts {\n    read = \"2s\"\n  }")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang})
				},
				Config:      config,
				PlanOnly:    true,
				ExpectError: acctest.ErrorPattern(`Reading subscription .* 2s.*Raise timeouts.read`),
			},
			{
				PreConfig: func() {
					mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultNone})
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// A change of catalog item that is unknown at plan time (it comes from a
// resource created in the same apply) is refused during the apply, when
// Terraform plans the subscription again with the value known, before any
// request changes it: the seat change planned beside it is not made.
func TestAccCustomerSubscriptionResource_newPurchaseUnknownAtPlanRefusedAtApply(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	config := purchaseConfig(mock, "quantity = 1")
	fromApply := strings.Replace(purchaseConfig(mock, "quantity = 2"),
		"catalog_item_id = data.partnercenter_product_availabilities.basic.availabilities[0].catalog_item_id",
		"catalog_item_id = terraform_data.item.output", 1) + `
resource "terraform_data" "item" {
  input = "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5"
}
`
	var patches int
	unchanged := func(*terraform.State) error {
		if got := mock.Requests(mockpartnercenter.RouteUpdateSubscription); got != patches {
			return fmt.Errorf("%d subscription PATCHes, want %d: the refused change was sent", got, patches)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					patches = mock.Requests(mockpartnercenter.RouteUpdateSubscription)
					return nil
				},
			},
			{
				Config:      fromApply,
				ExpectError: acctest.ErrorPattern(`Upgrade combined with another change.*apply the upgrade first, then the other change`),
			},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(unchanged, purchasesAre(mock, 1), func(s *terraform.State) error {
					stored, err := storedSubscription(mock, s.RootModule().Resources[acctest.SubscriptionAddress].Primary.ID)
					if err != nil {
						return err
					}
					if stored["quantity"] != float64(1) || !strings.HasPrefix(fmt.Sprint(stored["offerId"]), "CFQ7TTC0LH18") {
						return fmt.Errorf("Partner Center holds quantity %v of offer %v, want 1 of the first purchase's", stored["quantity"], stored["offerId"])
					}
					return nil
				}),
			},
		},
	})
}
