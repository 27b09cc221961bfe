package licences

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

const documentedAzurePlan = "3f15978e-005c-b763-bb78-2a8fab289c58"

func entitlementsConfig(mock *mockpartnercenter.Server, customerID, subscriptionID string) string {
	return acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_azure_entitlements" "test" {
  customer_id     = %q
  subscription_id = %q
}
`, customerID, subscriptionID)
}

// The documented entitlement of "Get a list of Azure entitlements for a
// subscription", and a generated plan found through the subscription list,
// as a configuration would chain them.
func TestAccAzureEntitlementsDataSource_documentedAndChained(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 1})
	generated := mockpartnercenter.GeneratedCustomerID(0) // has an Azure plan with one Azure subscription
	const ds = "data.partnercenter_azure_entitlements.test"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: entitlementsConfig(mock, acctest.DocumentedID, documentedAzurePlan) + fmt.Sprintf(`
data "partnercenter_customer_subscriptions" "generated" {
  customer_id = %q
}

locals {
  azure_plans = [
    for s in data.partnercenter_customer_subscriptions.generated.subscriptions : s.id if s.offer_name == "Azure plan"
  ]
}

# The test framework cannot read for_each instances back; count stands in.
data "partnercenter_azure_entitlements" "generated" {
  count           = length(local.azure_plans)
  customer_id     = data.partnercenter_customer_subscriptions.generated.customer_id
  subscription_id = local.azure_plans[count.index]
}
`, generated),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(ds, "entitlements", knownvalue.ListSizeExact(1)),
				acctest.StateAttr(ds, "entitlements.0.id", knownvalue.StringExact("899ae6f1-8a74-4d5e-b6c6-e6b5019bbff8")),
				acctest.StateAttr(ds, "entitlements.0.friendly_name", knownvalue.StringExact("Microsoft Azure")),
				acctest.StateAttr(ds, "entitlements.0.status", knownvalue.StringExact("active")),
				acctest.StateAttr(ds, "entitlements.0.subscription_id", knownvalue.StringExact(documentedAzurePlan)),
				acctest.StateAttr("data.partnercenter_azure_entitlements.generated[0]", "entitlements", knownvalue.ListSizeExact(1)),
				acctest.StateAttr("data.partnercenter_azure_entitlements.generated[0]", "entitlements.0.friendly_name", knownvalue.StringExact("Azure subscription 1")),
			},
		}},
	})
	reads, tokens := mock.Requests(mockpartnercenter.RouteAzureEntitlements), mock.TokenRequests()
	if tokens < 1 || reads != 2*tokens {
		t.Fatalf("%d entitlement reads for %d token requests: want two reads and one token per provider process", reads, tokens)
	}
}

// Entitlements of a subscription that is not an Azure plan: Partner Center's
// 400 with code 800011, said in words.
func TestAccAzureEntitlementsDataSource_notAnAzurePlan(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const businessBasic = "a4c1340d-6911-4758-bba3-0c4c6007d161"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: entitlementsConfig(mock, acctest.DocumentedID, businessBasic),
			ExpectError: acctest.ErrorPattern(`Not an Azure plan subscription.*Subscription "` + businessBasic + `" of customer "` + acctest.DocumentedID +
				`" is not an Azure plan subscription, so it has no Azure entitlements.*HTTP 400.*error code: 800011`),
		}},
	})
}

func TestAccAzureEntitlementsDataSource_otherCustomersPlan(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 1})
	other := mockpartnercenter.GeneratedCustomerID(0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: entitlementsConfig(mock, other, documentedAzurePlan),
			ExpectError: acctest.ErrorPattern(`Subscription not found.*Subscription "` + documentedAzurePlan + `" is not a subscription of customer "` +
				other + `".*error code: 20003`),
		}},
	})
}

func TestAccAzureEntitlementsDataSource_invalidSubscriptionID(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:      entitlementsConfig(mock, acctest.DocumentedID, "3f15978e-005c-b763-bb78"),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(`Invalid Attribute Value Match.*subscription_id.*must be a GUID`),
		}},
	})
	if n, tokens := mock.TotalAPIRequests(), mock.TokenRequests(); n != 0 || tokens != 0 {
		t.Fatalf("an invalid subscription id sent %d API and %d token requests; want none", n, tokens)
	}
}
