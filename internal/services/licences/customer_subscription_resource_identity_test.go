package licences

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Resource identity needs Terraform 1.12 (OpenTofu 1.12 has it too).
var identityVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// subscriptionIdentityIs checks the subscription's identity: the documented
// customer and the subscription id in state.
func subscriptionIdentityIs() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectIdentityValue(acctest.SubscriptionAddress, tfjsonpath.New("customer_id"), knownvalue.StringExact(acctest.DocumentedID)),
		statecheck.ExpectIdentityValueMatchesStateAtPath(acctest.SubscriptionAddress, tfjsonpath.New("subscription_id"), tfjsonpath.New("id")),
	}
}

// A bought subscription's identity is its customer and id; an import by
// identity brings it back with no change planned and nothing bought.
func TestAccCustomerSubscriptionResource_identity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := purchaseConfig(mock, "quantity = 2")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: subscriptionIdentityIs(), Check: purchasesAre(mock, 1)},
			{
				ResourceName:    acctest.SubscriptionAddress,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: subscriptionIdentityIs(),
				Check:             resource.ComposeAggregateTestCheckFunc(purchasesAre(mock, 1), patchesAre(mock, 0)),
			},
		},
	})
}

// A pending purchase's identity names the customer and no subscription
// yet; the apply that completes it gives it the subscription's id.
func TestAccCustomerSubscriptionResource_identityOfPendingPurchase(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: 4})
	config := purchaseConfig(mock, "quantity = 2\n  timeouts {\n    create = \"2s\"\n  }")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.SubscriptionAddress, "status", knownvalue.StringExact(statusPending)),
					statecheck.ExpectIdentity(acctest.SubscriptionAddress, map[string]knownvalue.Check{
						"customer_id":     knownvalue.StringExact(acctest.DocumentedID),
						"subscription_id": knownvalue.Null(),
					}),
				},
				Check:              purchasesAre(mock, 1),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigStateChecks: append(subscriptionIdentityIs(),
					statecheck.ExpectIdentityValue(acctest.SubscriptionAddress, tfjsonpath.New("subscription_id"), knownvalue.NotNull())),
				Check: resource.ComposeAggregateTestCheckFunc(purchasesAre(mock, 1),
					stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"quantity": 2, "status": "active"})),
			},
		},
	})
}

// An upgrade moves the seats into another subscription: the identity
// follows them, its subscription_id that of the subscription now holding
// them rather than the source's.
func TestAccCustomerSubscriptionResource_identityFollowsAnUpgrade(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var source string
	upgraded := upgradeConfig(acctest.ProviderBlock(mock, ""), e5, "3")
	notSource := knownvalue.StringFunc(func(v string) error {
		if v == source {
			return fmt.Errorf("identity subscription_id is still the source %s", v)
		}
		return nil
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			{Config: purchaseConfig(mock, "quantity = 3"), ConfigStateChecks: subscriptionIdentityIs(), Check: boughtSubscription(mock, before, &source)},
			{
				Config: upgraded,
				ConfigStateChecks: append(subscriptionIdentityIs(),
					statecheck.ExpectIdentityValue(acctest.SubscriptionAddress, tfjsonpath.New("subscription_id"), notSource)),
				Check: upgradedOnce(t, mock, &source, 3),
			},
			{Config: upgraded, PlanOnly: true},
		},
	})
}

// An identity is checked as an import ID is, in the same words; Terraform
// itself refuses one without subscription_id. Nothing is written.
func TestAccCustomerSubscriptionResource_invalidImportIdentity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	importing := func(identity string) string {
		return purchaseConfig(mock, "quantity = 2") + fmt.Sprintf(`
import {
  to       = %s
  identity = %s
}
`, acctest.SubscriptionAddress, identity)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			{
				Config: importing(fmt.Sprintf(`{ customer_id = %q, subscription_id = "Sales E5" }`, acctest.DocumentedID)),
				ExpectError: acctest.ErrorPattern(`Invalid import identity.*"` + acctest.DocumentedID + `/Sales E5" is not ` +
					`customer_id/subscription_id: a subscription is imported by the customer's tenant ID and the subscription ID, two GUIDs`),
			},
			{
				Config:      importing(`{ customer_id = "contoso.onmicrosoft.com", subscription_id = "a4c1340d-6911-4758-bba3-0c4c6007d161" }`),
				ExpectError: acctest.ErrorPattern(`Invalid import identity.*"contoso.onmicrosoft.com/a4c1340d-6911-4758-bba3-0c4c6007d161" is not customer_id/subscription_id`),
			},
			{
				Config:      importing(fmt.Sprintf(`{ customer_id = %q }`, acctest.DocumentedID)),
				ExpectError: acctest.ErrorPattern(`subscription_id`),
			},
		},
	})
	if got := mock.WriteRequests(); got != 0 {
		t.Errorf("%d write requests, want none", got)
	}
}

// A subscription gone from Partner Center leaves a state saved without
// identity with no error, and answers the prior state's identity.
func TestProviderServer_subscriptionGoneWithoutIdentity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const gone = "00000000-0000-4000-8000-00000000dead"
	resp, identity := acctest.ReadWithoutIdentity(t, mock, "partnercenter_customer_subscription", map[string]tftypes.Value{
		"id": str(gone), "customer_id": str(acctest.DocumentedID), "on_destroy": str(onDestroyAbandon),
	})
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("error %q: %s", d.Summary, d.Detail)
		}
	}
	if !identity["subscription_id"].Equal(str(gone)) || !identity["customer_id"].Equal(str(acctest.DocumentedID)) {
		t.Errorf("identity %v, want the prior state's", identity)
	}
}

// A subscription saved before the resource had an identity gets one at its
// next read.
func TestProviderServer_subscriptionIdentityAddedAtRead(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	id := mock.SubscriptionIDs(acctest.DocumentedID)[0]
	resp, identity := acctest.ReadWithoutIdentity(t, mock, "partnercenter_customer_subscription", map[string]tftypes.Value{
		"id": str(id), "customer_id": str(acctest.DocumentedID), "on_destroy": str(onDestroyAbandon),
	})
	if hasProtocolError(resp.Diagnostics) {
		t.Fatalf("read: %v", resp.Diagnostics)
	}
	if !identity["subscription_id"].Equal(str(id)) || !identity["customer_id"].Equal(str(acctest.DocumentedID)) {
		t.Errorf("identity %v, want customer %s, subscription %s", identity, acctest.DocumentedID, id)
	}
}

// The resource page's example of an import by identity matches the
// subscription it imports: its plan imports and changes nothing, and its
// apply writes nothing.
func TestAccCustomerSubscriptionResource_importByIdentityExampleChangesNothing(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	example, err := os.ReadFile("../../../examples/resources/partnercenter_customer_subscription/import-by-identity.tf")
	if err != nil {
		t.Fatal(err)
	}
	const address = "partnercenter_customer_subscription.by_identity"
	writes := 0
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderBlock(mock, "") + string(example),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(address, map[string]knownvalue.Check{
						"customer_id":     knownvalue.StringExact("eebd1b55-5360-4438-a11d-5c06918c3014"),
						"subscription_id": knownvalue.StringExact("a4c1340d-6911-4758-bba3-0c4c6007d161"),
					}),
					acctest.StateAttr(address, "on_destroy", knownvalue.StringExact(onDestroyAbandon)),
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

// The upgrade moves the seats, then the name change after it is refused:
// the failed apply saves the subscription now holding the seats, and the
// identity saved with it (no refresh in between) names that one, not the
// source the plan started from.
func TestAccCustomerSubscriptionResource_identityOfAFailedUpdateFollowsTheSeats(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	k := acctest.NewKillableTerraform(t)
	k.SkipBelow("1.12.0")
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	k.Write(purchaseConfig(mock, "quantity = 2"))
	if out, ok := k.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the purchase failed:\n%s", out)
	}
	added := acctest.NewSubscriptionIDs(mock, before)
	if len(added) != 1 {
		t.Fatalf("the mock holds new subscriptions %v, want one", added)
	}
	source := added[0]
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{400},
		Times: 1, Route: mockpartnercenter.RouteUpdateSubscription})
	k.Write(upgradeConfig(acctest.ProviderBlock(mock, ""), e5, "2\n  friendly_name = \"Sales E5\""))
	if out, ok := k.Run("apply", "-auto-approve"); ok {
		t.Fatalf("the apply succeeded despite the refused name change:\n%s", out)
	}
	id := k.StateValues(acctest.SubscriptionAddress)["id"]
	identity := k.IdentityValues(acctest.SubscriptionAddress)
	if id == source || identity["subscription_id"] != id || identity["customer_id"] != acctest.DocumentedID {
		t.Errorf("after the failed apply the state names %v (source %s) and the identity is %v", id, source, identity)
	}
	if history := mockTransitions(t, mock, source); len(history) != 1 {
		t.Errorf("the mock holds %d transitions of the source, want 1", len(history))
	}
}
