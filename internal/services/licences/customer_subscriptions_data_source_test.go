package licences

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func subscriptionsConfig(mock *mockpartnercenter.Server, customerID string) string {
	return acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_customer_subscriptions" "test" {
  customer_id = %q
}
`, customerID)
}

// The documented customer carries Microsoft's documented subscriptions, in
// the service's order, values as sent: ids in their letter case, dates
// unparsed (even the sample's "06: 41: 12"), absent fields null.
func TestAccCustomerSubscriptionsDataSource_documented(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const ds = "data.partnercenter_customer_subscriptions.test"
	item := func(i int, attr string) string { return "subscriptions." + strconv.Itoa(i) + "." + attr }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: subscriptionsConfig(mock, acctest.DocumentedID),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(ds, "customer_id", knownvalue.StringExact(acctest.DocumentedID)),
				acctest.StateAttr(ds, "subscriptions", knownvalue.ListSizeExact(7)),
				// "Get a customer's subscriptions": a legacy subscription.
				acctest.StateAttr(ds, item(0, "id"), knownvalue.StringExact("83ef9d05-4169-4ef9-9657-0e86b1eab1de")),
				acctest.StateAttr(ds, item(0, "entitlement_id"), knownvalue.StringExact("a356ac8c-e310-44f4-bf85-C7f29044af99")),
				acctest.StateAttr(ds, item(0, "friendly_name"), knownvalue.StringExact("nickname")),
				acctest.StateAttr(ds, item(0, "quantity"), knownvalue.Int64Exact(1)),
				acctest.StateAttr(ds, item(0, "unit_type"), knownvalue.StringExact("none")),
				acctest.StateAttr(ds, item(0, "creation_date"), knownvalue.StringExact("2015-11-25T06: 41: 12Z")),
				acctest.StateAttr(ds, item(0, "effective_start_date"), knownvalue.StringExact("2015-11-24T08: 00: 00Z")),
				acctest.StateAttr(ds, item(0, "commitment_end_date"), knownvalue.StringExact("2016-12-12T08: 00: 00Z")),
				acctest.StateAttr(ds, item(0, "status"), knownvalue.StringExact("active")),
				acctest.StateAttr(ds, item(0, "auto_renew_enabled"), knownvalue.Bool(false)),
				acctest.StateAttr(ds, item(0, "billing_type"), knownvalue.StringExact("none")),
				acctest.StateAttr(ds, item(0, "contract_type"), knownvalue.StringExact("subscription")),
				acctest.StateAttr(ds, item(0, "order_id"), knownvalue.StringExact("6183db3d-6318-4e52-877e-25806e4971be")),
				acctest.StateAttr(ds, item(0, "offer_id"), knownvalue.Null()),
				acctest.StateAttr(ds, item(0, "offer_name"), knownvalue.Null()),
				acctest.StateAttr(ds, item(0, "product_type"), knownvalue.Null()),
				acctest.StateAttr(ds, item(0, "refund_options"), knownvalue.Null()),
				acctest.StateAttr(ds, item(0, "suspension_reasons"), knownvalue.Null()),
				acctest.StateAttr(ds, item(0, "is_trial"), knownvalue.Null()),
				// "Get a subscription by ID": legacy Azure, upper-case ids kept.
				acctest.StateAttr(ds, item(1, "id"), knownvalue.StringExact("A356AC8C-E310-44F4-BF85-C7F29044AF99")),
				acctest.StateAttr(ds, item(1, "entitlement_id"), knownvalue.StringExact("42226ED6-070A-4E0F-B80C-4CDFB3E97AA7")),
				acctest.StateAttr(ds, item(1, "offer_id"), knownvalue.StringExact("MS-AZR-0145P")),
				acctest.StateAttr(ds, item(1, "offer_name"), knownvalue.StringExact("Microsoft Azure")),
				acctest.StateAttr(ds, item(1, "unit_type"), knownvalue.StringExact("Usage-based")),
				acctest.StateAttr(ds, item(1, "billing_type"), knownvalue.StringExact("usage")),
				acctest.StateAttr(ds, item(1, "commitment_end_date"), knownvalue.StringExact("9999-12-10T00:00:00Z")),
				// Its add-on.
				acctest.StateAttr(ds, item(2, "parent_subscription_id"), knownvalue.StringExact("1C2B75C1-74A5-472A-A729-7F8CEFC477F9")),
				acctest.StateAttr(ds, item(2, "quantity"), knownvalue.Int64Exact(2)),
				acctest.StateAttr(ds, item(2, "offer_name"), knownvalue.StringExact("Exchange Online Archiving for Exchange Online")),
				// New commerce.
				acctest.StateAttr(ds, item(3, "offer_id"), knownvalue.StringExact("CFQ7TTC0LH18:0001:CFQ7TTC0K971")),
				acctest.StateAttr(ds, item(3, "product_type.id"), knownvalue.StringExact("OnlineServicesNCE")),
				acctest.StateAttr(ds, item(3, "product_type.display_name"), knownvalue.StringExact("OnlineServicesNCE")),
				acctest.StateAttr(ds, item(3, "product_type.sub_type"), knownvalue.Null()),
				acctest.StateAttr(ds, item(3, "has_purchasable_addons"), knownvalue.Bool(false)),
				acctest.StateAttr(ds, item(3, "creation_date"), knownvalue.StringExact("2021-01-14T16:57:15.0966728Z")),
				acctest.StateAttr(ds, item(3, "auto_renew_enabled"), knownvalue.Bool(true)),
				acctest.StateAttr(ds, item(3, "is_trial"), knownvalue.Bool(false)),
				acctest.StateAttr(ds, item(3, "billing_cycle"), knownvalue.StringExact("monthly")),
				acctest.StateAttr(ds, item(3, "term_duration"), knownvalue.StringExact("P1Y")),
				acctest.StateAttr(ds, item(3, "renewal_term_duration"), knownvalue.StringExact("")),
				acctest.StateAttr(ds, item(3, "refund_options"), knownvalue.ListSizeExact(1)),
				acctest.StateAttr(ds, item(3, "refund_options.0.type"), knownvalue.StringExact("Full")),
				acctest.StateAttr(ds, item(3, "refund_options.0.expires_at"), knownvalue.StringExact("2021-01-15T00:00:00Z")),
				acctest.StateAttr(ds, item(3, "is_microsoft_product"), knownvalue.Bool(true)),
				acctest.StateAttr(ds, item(3, "publisher_name"), knownvalue.StringExact("Microsoft Corporation")),
				acctest.StateAttr(ds, item(3, "partner_id"), knownvalue.StringExact("")),
				acctest.StateAttr(ds, item(3, "attention_needed"), knownvalue.Bool(false)),
				acctest.StateAttr(ds, item(3, "action_taken"), knownvalue.Bool(false)),
				acctest.StateAttr(ds, item(3, "order_id"), knownvalue.StringExact("34b37d7340cc")),
				// A third-party marketplace offer on a monthly term.
				acctest.StateAttr(ds, item(4, "is_microsoft_product"), knownvalue.Bool(false)),
				acctest.StateAttr(ds, item(4, "publisher_name"), knownvalue.StringExact("publisher Name")),
				acctest.StateAttr(ds, item(4, "term_duration"), knownvalue.StringExact("P1M")),
				acctest.StateAttr(ds, item(4, "commitment_end_date"), knownvalue.StringExact("2019-02-08T00:21:45.9263727+00:00")),
				acctest.StateAttr(ds, item(4, "renewal_term_duration"), knownvalue.Null()),
				// An Azure savings plan: a product sub-type and a billing cycle end.
				acctest.StateAttr(ds, item(5, "product_type.id"), knownvalue.StringExact("Azure")),
				acctest.StateAttr(ds, item(5, "product_type.sub_type.id"), knownvalue.StringExact("SavingsPlan")),
				acctest.StateAttr(ds, item(5, "product_type.sub_type.display_name"), knownvalue.StringExact("SavingsPlan")),
				acctest.StateAttr(ds, item(5, "unit_type"), knownvalue.StringExact("Benefit")),
				acctest.StateAttr(ds, item(5, "billing_type"), knownvalue.StringExact("benefit")),
				acctest.StateAttr(ds, item(5, "billing_cycle"), knownvalue.StringExact("one_time")),
				acctest.StateAttr(ds, item(5, "billing_cycle_end_date"), knownvalue.StringExact("2024-05-17T00:00:00Z")),
				// The Azure plan.
				acctest.StateAttr(ds, item(6, "id"), knownvalue.StringExact("3f15978e-005c-b763-bb78-2a8fab289c58")),
				acctest.StateAttr(ds, item(6, "offer_name"), knownvalue.StringExact("Azure plan")),
			},
		}},
	})
	lists, tokens := mock.Requests(mockpartnercenter.RouteListSubscriptions), mock.TokenRequests()
	if tokens < 1 || lists != tokens {
		t.Fatalf("%d list requests for %d token requests (provider processes): want one request and one token each", lists, tokens)
	}
}

// A customer without subscriptions gets an empty list, not null, so that
// it can feed for_each and length() directly.
func TestAccCustomerSubscriptionsDataSource_none(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const id = "5f0c9a1e-7b2d-4c3e-8f4a-6b5c4d3e2f10"
	acctest.AddCustomer(t, mock, id, "nosubs.onmicrosoft.com", "No Subscriptions Ltd")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: subscriptionsConfig(mock, id) + `
output "count" {
  value = length(data.partnercenter_customer_subscriptions.test.subscriptions)
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr("data.partnercenter_customer_subscriptions.test", "subscriptions", knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownOutputValue("count", knownvalue.Int64Exact(0)),
			},
		}},
	})
}

// Paged by the service, with next links in both uri forms: every
// subscription once, in order, one request per page.
func TestAccCustomerSubscriptionsDataSource_pages(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{SubscriptionPageSize: 3})
	ids := mock.SubscriptionIDs(acctest.DocumentedID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: subscriptionsConfig(mock, acctest.DocumentedID),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr("data.partnercenter_customer_subscriptions.test", "subscriptions", knownvalue.ListSizeExact(len(ids))),
				acctest.StateAttr("data.partnercenter_customer_subscriptions.test", "subscriptions.0.id", knownvalue.StringExact(ids[0])),
				acctest.StateAttr("data.partnercenter_customer_subscriptions.test", "subscriptions.3.id", knownvalue.StringExact(ids[3])),
				acctest.StateAttr("data.partnercenter_customer_subscriptions.test", "subscriptions.6.id", knownvalue.StringExact(ids[6])),
			},
		}},
	})
	pages, tokens := mock.Requests(mockpartnercenter.RouteListSubscriptions), mock.TokenRequests()
	if tokens < 1 || pages != 3*tokens {
		t.Fatalf("%d list requests for %d token requests: want 3 pages per provider process", pages, tokens)
	}
}

// A malformed GUID fails at plan time and costs no request at all.
func TestAccCustomerSubscriptionsDataSource_invalidCustomerID(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:      subscriptionsConfig(mock, "not-a-guid"),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(`Invalid Attribute Value Match.*customer_id.*must be a GUID`),
		}},
	})
	if n, tokens := mock.TotalAPIRequests(), mock.TokenRequests(); n != 0 || tokens != 0 {
		t.Fatalf("an invalid customer id sent %d API and %d token requests; want none", n, tokens)
	}
}

func TestAccCustomerSubscriptionsDataSource_unknownCustomer(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const missing = "0f0e0d0c-0b0a-4909-8807-060504030201"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:      subscriptionsConfig(mock, missing),
			ExpectError: acctest.ErrorPattern(`Customer not found.*subscriptions of customer "` + missing + `".*HTTP 404.*MS-RequestId`),
		}},
	})
}
