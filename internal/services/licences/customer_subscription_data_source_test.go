package licences

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func subscriptionConfig(mock *mockpartnercenter.Server, customerID, id string) string {
	return acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_customer_subscription" "test" {
  customer_id = %q
  id          = %q
}
`, customerID, id)
}

// sameAsListItem checks that the single read's attributes are exactly those
// of item index of the list, key for key.
func sameAsListItem(single, list string, index int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		one, ok := s.RootModule().Resources[single]
		if !ok {
			return fmt.Errorf("%s not in state", single)
		}
		all, ok := s.RootModule().Resources[list]
		if !ok {
			return fmt.Errorf("%s not in state", list)
		}
		prefix := fmt.Sprintf("subscriptions.%d.", index)
		item := map[string]string{}
		for k, v := range all.Primary.Attributes {
			if rest, ok := strings.CutPrefix(k, prefix); ok {
				item[rest] = v
			}
		}
		got := maps.Clone(one.Primary.Attributes)
		delete(got, "customer_id")
		// The object's attribute counts differ by customer_id and timeouts.
		delete(got, "%")
		delete(item, "%")
		if len(item) < 10 {
			return fmt.Errorf("list item %d has only %d attributes", index, len(item))
		}
		for _, k := range slices.Sorted(maps.Keys(item)) {
			if got[k] != item[k] {
				return fmt.Errorf("%s: single read %q, list item %q", k, got[k], item[k])
			}
			delete(got, k)
		}
		if len(got) > 0 {
			return fmt.Errorf("the single read has attributes the list item lacks: %v", got)
		}
		return nil
	}
}

// Each documented subscription read on its own equals its list item, and
// costs one request.
func TestAccCustomerSubscriptionDataSource_equalsListItem(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	ids := mock.SubscriptionIDs(acctest.DocumentedID)
	var config strings.Builder
	config.WriteString(subscriptionsConfig(mock, acctest.DocumentedID))
	var checks []resource.TestCheckFunc
	for i, id := range ids {
		fmt.Fprintf(&config, `
data "partnercenter_customer_subscription" "s%d" {
  customer_id = %q
  id          = %q
}
`, i, acctest.DocumentedID, id)
		checks = append(checks, sameAsListItem(fmt.Sprintf("data.partnercenter_customer_subscription.s%d", i),
			"data.partnercenter_customer_subscriptions.test", i))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: config.String(),
			Check:  resource.ComposeAggregateTestCheckFunc(checks...),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr("data.partnercenter_customer_subscription.s3", "offer_name", knownvalue.StringExact("Microsoft 365 Business Basic")),
				acctest.StateAttr("data.partnercenter_customer_subscription.s3", "refund_options.0.type", knownvalue.StringExact("Full")),
			},
		}},
	})
	reads, tokens := mock.Requests(mockpartnercenter.RouteGetSubscription), mock.TokenRequests()
	if tokens < 1 || reads != len(ids)*tokens {
		t.Fatalf("%d subscription reads for %d token requests: want %d reads and one token per provider process", reads, tokens, len(ids))
	}
}

// An id in another letter case than the service's is kept as written.
func TestAccCustomerSubscriptionDataSource_idKeptAsWritten(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const lower = "a356ac8c-e310-44f4-bf85-c7f29044af99"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: subscriptionConfig(mock, strings.ToUpper(acctest.DocumentedID), lower),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr("data.partnercenter_customer_subscription.test", "id", knownvalue.StringExact(lower)),
				acctest.StateAttr("data.partnercenter_customer_subscription.test", "customer_id", knownvalue.StringExact(strings.ToUpper(acctest.DocumentedID))),
				acctest.StateAttr("data.partnercenter_customer_subscription.test", "offer_id", knownvalue.StringExact("MS-AZR-0145P")),
			},
		}},
	})
}

// A subscription of another customer: Partner Center's 404 with code 20003,
// explained with both ids.
func TestAccCustomerSubscriptionDataSource_otherCustomersSubscription(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 1})
	other := mockpartnercenter.GeneratedCustomerID(0)
	const documentedSubscription = "a4c1340d-6911-4758-bba3-0c4c6007d161"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: subscriptionConfig(mock, other, documentedSubscription),
			ExpectError: acctest.ErrorPattern(`Subscription not found.*Subscription "` + documentedSubscription + `" is not a subscription of customer "` +
				other + `".*HTTP 404.*error code: 20003.*MS-RequestId: [0-9a-f-]{36}.*MS-CorrelationId: [0-9a-f-]{36}`),
		}},
	})
}

// Malformed ids fail at plan time without a request.
func TestAccCustomerSubscriptionDataSource_invalidIDs(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	for name, config := range map[string]string{
		"customer_id": subscriptionConfig(mock, "eebd1b55", "a4c1340d-6911-4758-bba3-0c4c6007d161"),
		"id":          subscriptionConfig(mock, acctest.DocumentedID, "{a4c1340d-6911-4758-bba3-0c4c6007d161}"),
	} {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{{
					Config:      config,
					PlanOnly:    true,
					ExpectError: acctest.ErrorPattern(`Invalid Attribute Value Match.*` + name + `.*must be a GUID`),
				}},
			})
		})
	}
	if n, tokens := mock.TotalAPIRequests(), mock.TokenRequests(); n != 0 || tokens != 0 {
		t.Fatalf("invalid ids sent %d API and %d token requests; want none", n, tokens)
	}
}

// Throttling and a lasting server error are handled as for customers.
func TestAccCustomerSubscriptionDataSource_faults(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultThrottle, RetryAfter: "1", Times: 1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: subscriptionConfig(mock, acctest.DocumentedID, "a4c1340d-6911-4758-bba3-0c4c6007d161"),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr("data.partnercenter_customer_subscription.test", "quantity", knownvalue.Int64Exact(1)),
			},
		}},
	})
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{500, 500}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "max_retries = 1") + fmt.Sprintf(`
data "partnercenter_customer_subscription" "test" {
  customer_id = %q
  id          = "a4c1340d-6911-4758-bba3-0c4c6007d161"
}
`, acctest.DocumentedID),
			ExpectError: acctest.ErrorPattern(`Partner Center request failed.*subscription "a4c1340d-6911-4758-bba3-0c4c6007d161" of customer.*HTTP 500.*after 2 attempts`),
		}},
	})
}
