package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func subscriptionsConfig(mock *mockpartnercenter.Server, customerID string) string {
	return providerBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_customer_subscriptions" "test" {
  customer_id = %q
}
`, customerID)
}

// The documented customer carries Microsoft's documented subscriptions, in
// the service's order, values as sent: ids in their letter case, dates
// unparsed (even the sample's "06: 41: 12"), absent fields null.
func TestAccCustomerSubscriptionsDataSource_documented(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	const ds = "data.partnercenter_customer_subscriptions.test"
	item := func(i int, attr string) string { return "subscriptions." + strconv.Itoa(i) + "." + attr }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: subscriptionsConfig(mock, documentedID),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "customer_id", documentedID),
				resource.TestCheckResourceAttr(ds, "subscriptions.#", "7"),
				// "Get a customer's subscriptions": a legacy subscription.
				resource.TestCheckResourceAttr(ds, item(0, "id"), "83ef9d05-4169-4ef9-9657-0e86b1eab1de"),
				resource.TestCheckResourceAttr(ds, item(0, "entitlement_id"), "a356ac8c-e310-44f4-bf85-C7f29044af99"),
				resource.TestCheckResourceAttr(ds, item(0, "friendly_name"), "nickname"),
				resource.TestCheckResourceAttr(ds, item(0, "quantity"), "1"),
				resource.TestCheckResourceAttr(ds, item(0, "unit_type"), "none"),
				resource.TestCheckResourceAttr(ds, item(0, "creation_date"), "2015-11-25T06: 41: 12Z"),
				resource.TestCheckResourceAttr(ds, item(0, "effective_start_date"), "2015-11-24T08: 00: 00Z"),
				resource.TestCheckResourceAttr(ds, item(0, "commitment_end_date"), "2016-12-12T08: 00: 00Z"),
				resource.TestCheckResourceAttr(ds, item(0, "status"), "active"),
				resource.TestCheckResourceAttr(ds, item(0, "auto_renew_enabled"), "false"),
				resource.TestCheckResourceAttr(ds, item(0, "billing_type"), "none"),
				resource.TestCheckResourceAttr(ds, item(0, "contract_type"), "subscription"),
				resource.TestCheckResourceAttr(ds, item(0, "order_id"), "6183db3d-6318-4e52-877e-25806e4971be"),
				resource.TestCheckNoResourceAttr(ds, item(0, "offer_id")),
				resource.TestCheckNoResourceAttr(ds, item(0, "offer_name")),
				resource.TestCheckNoResourceAttr(ds, item(0, "product_type")),
				resource.TestCheckNoResourceAttr(ds, item(0, "refund_options")),
				resource.TestCheckNoResourceAttr(ds, item(0, "suspension_reasons")),
				resource.TestCheckNoResourceAttr(ds, item(0, "is_trial")),
				// "Get a subscription by ID": legacy Azure, upper-case ids kept.
				resource.TestCheckResourceAttr(ds, item(1, "id"), "A356AC8C-E310-44F4-BF85-C7F29044AF99"),
				resource.TestCheckResourceAttr(ds, item(1, "entitlement_id"), "42226ED6-070A-4E0F-B80C-4CDFB3E97AA7"),
				resource.TestCheckResourceAttr(ds, item(1, "offer_id"), "MS-AZR-0145P"),
				resource.TestCheckResourceAttr(ds, item(1, "offer_name"), "Microsoft Azure"),
				resource.TestCheckResourceAttr(ds, item(1, "unit_type"), "Usage-based"),
				resource.TestCheckResourceAttr(ds, item(1, "billing_type"), "usage"),
				resource.TestCheckResourceAttr(ds, item(1, "commitment_end_date"), "9999-12-10T00:00:00Z"),
				// Its add-on.
				resource.TestCheckResourceAttr(ds, item(2, "parent_subscription_id"), "1C2B75C1-74A5-472A-A729-7F8CEFC477F9"),
				resource.TestCheckResourceAttr(ds, item(2, "quantity"), "2"),
				resource.TestCheckResourceAttr(ds, item(2, "offer_name"), "Exchange Online Archiving for Exchange Online"),
				// New commerce.
				resource.TestCheckResourceAttr(ds, item(3, "offer_id"), "CFQ7TTC0LH18:0001:CFQ7TTC0K971"),
				resource.TestCheckResourceAttr(ds, item(3, "product_type.id"), "OnlineServicesNCE"),
				resource.TestCheckResourceAttr(ds, item(3, "product_type.display_name"), "OnlineServicesNCE"),
				resource.TestCheckNoResourceAttr(ds, item(3, "product_type.sub_type")),
				resource.TestCheckResourceAttr(ds, item(3, "has_purchasable_addons"), "false"),
				resource.TestCheckResourceAttr(ds, item(3, "creation_date"), "2021-01-14T16:57:15.0966728Z"),
				resource.TestCheckResourceAttr(ds, item(3, "auto_renew_enabled"), "true"),
				resource.TestCheckResourceAttr(ds, item(3, "is_trial"), "false"),
				resource.TestCheckResourceAttr(ds, item(3, "billing_cycle"), "monthly"),
				resource.TestCheckResourceAttr(ds, item(3, "term_duration"), "P1Y"),
				resource.TestCheckResourceAttr(ds, item(3, "renewal_term_duration"), ""),
				resource.TestCheckResourceAttr(ds, item(3, "refund_options.#"), "1"),
				resource.TestCheckResourceAttr(ds, item(3, "refund_options.0.type"), "Full"),
				resource.TestCheckResourceAttr(ds, item(3, "refund_options.0.expires_at"), "2021-01-15T00:00:00Z"),
				resource.TestCheckResourceAttr(ds, item(3, "is_microsoft_product"), "true"),
				resource.TestCheckResourceAttr(ds, item(3, "publisher_name"), "Microsoft Corporation"),
				resource.TestCheckResourceAttr(ds, item(3, "partner_id"), ""),
				resource.TestCheckResourceAttr(ds, item(3, "attention_needed"), "false"),
				resource.TestCheckResourceAttr(ds, item(3, "action_taken"), "false"),
				resource.TestCheckResourceAttr(ds, item(3, "order_id"), "34b37d7340cc"),
				// A third-party marketplace offer on a monthly term.
				resource.TestCheckResourceAttr(ds, item(4, "is_microsoft_product"), "false"),
				resource.TestCheckResourceAttr(ds, item(4, "publisher_name"), "publisher Name"),
				resource.TestCheckResourceAttr(ds, item(4, "term_duration"), "P1M"),
				resource.TestCheckResourceAttr(ds, item(4, "commitment_end_date"), "2019-02-08T00:21:45.9263727+00:00"),
				resource.TestCheckNoResourceAttr(ds, item(4, "renewal_term_duration")),
				// An Azure savings plan: a product sub-type and a billing cycle end.
				resource.TestCheckResourceAttr(ds, item(5, "product_type.id"), "Azure"),
				resource.TestCheckResourceAttr(ds, item(5, "product_type.sub_type.id"), "SavingsPlan"),
				resource.TestCheckResourceAttr(ds, item(5, "product_type.sub_type.display_name"), "SavingsPlan"),
				resource.TestCheckResourceAttr(ds, item(5, "unit_type"), "Benefit"),
				resource.TestCheckResourceAttr(ds, item(5, "billing_type"), "benefit"),
				resource.TestCheckResourceAttr(ds, item(5, "billing_cycle"), "one_time"),
				resource.TestCheckResourceAttr(ds, item(5, "billing_cycle_end_date"), "2024-05-17T00:00:00Z"),
				// The Azure plan.
				resource.TestCheckResourceAttr(ds, item(6, "id"), "3f15978e-005c-b763-bb78-2a8fab289c58"),
				resource.TestCheckResourceAttr(ds, item(6, "offer_name"), "Azure plan"),
			),
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
	mock := startMock(t, mockpartnercenter.Options{})
	const id = "5f0c9a1e-7b2d-4c3e-8f4a-6b5c4d3e2f10"
	addCustomer(t, mock, id, "nosubs.onmicrosoft.com", "No Subscriptions Ltd")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: subscriptionsConfig(mock, id) + `
output "count" {
  value = length(data.partnercenter_customer_subscriptions.test.subscriptions)
}
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.partnercenter_customer_subscriptions.test", "subscriptions.#", "0"),
				resource.TestCheckOutput("count", "0"),
			),
		}},
	})
}

// Paged by the service, with next links in both uri forms: every
// subscription once, in order, one request per page.
func TestAccCustomerSubscriptionsDataSource_pages(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{SubscriptionPageSize: 3})
	ids := mock.SubscriptionIDs(documentedID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: subscriptionsConfig(mock, documentedID),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.partnercenter_customer_subscriptions.test", "subscriptions.#", strconv.Itoa(len(ids))),
				resource.TestCheckResourceAttr("data.partnercenter_customer_subscriptions.test", "subscriptions.0.id", ids[0]),
				resource.TestCheckResourceAttr("data.partnercenter_customer_subscriptions.test", "subscriptions.3.id", ids[3]),
				resource.TestCheckResourceAttr("data.partnercenter_customer_subscriptions.test", "subscriptions.6.id", ids[6]),
			),
		}},
	})
	pages, tokens := mock.Requests(mockpartnercenter.RouteListSubscriptions), mock.TokenRequests()
	if tokens < 1 || pages != 3*tokens {
		t.Fatalf("%d list requests for %d token requests: want 3 pages per provider process", pages, tokens)
	}
}

// A malformed GUID fails at plan time and costs no request at all.
func TestAccCustomerSubscriptionsDataSource_invalidCustomerID(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      subscriptionsConfig(mock, "not-a-guid"),
			PlanOnly:    true,
			ExpectError: errorPattern(`Invalid Attribute Value Match.*customer_id.*must be a GUID`),
		}},
	})
	if n, tokens := mock.TotalAPIRequests(), mock.TokenRequests(); n != 0 || tokens != 0 {
		t.Fatalf("an invalid customer id sent %d API and %d token requests; want none", n, tokens)
	}
}

func TestAccCustomerSubscriptionsDataSource_unknownCustomer(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	const missing = "0f0e0d0c-0b0a-4909-8807-060504030201"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      subscriptionsConfig(mock, missing),
			ExpectError: errorPattern(`Customer not found.*subscriptions of customer "` + missing + `".*HTTP 404.*MS-RequestId`),
		}},
	})
}
