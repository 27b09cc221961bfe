package licences

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// A purchase that ends with an existing subscription: the end date is taken
// from the data source, the cart carries it, and the subscription Partner
// Center stores ends on it, as the state's commitment_end_date (read) says.
// A date Partner Center does not allow fails the plan with nothing sent;
// writing the chosen date otherwise afterwards sends nothing.
func TestAccCustomerSubscriptionResource_customTermEndDate(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	e5 := acctest.ProviderBlock(mock, "") + fmt.Sprintf(e5Block, acctest.DocumentedID)
	coterm := e5 + fmt.Sprintf(`
data "partnercenter_custom_term_end_dates" "year" {
  customer_id                   = %q
  term_duration                 = "P1Y"
  target_coterm_subscription_id = partnercenter_customer_subscription.e5.id
}

locals {
  e5_end = one([for d in data.partnercenter_custom_term_end_dates.year.end_dates : d.end_date if d.type == "subscriptionAligned"])
}
`, acctest.DocumentedID)
	var e5ID string
	var writes, carts int
	count := func() { writes, carts = mock.WriteRequests(), mock.Requests(mockpartnercenter.RouteCreateCart) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: e5, Check: func(s *terraform.State) error {
				e5ID = s.RootModule().Resources["partnercenter_customer_subscription.e5"].Primary.ID
				return nil
			}},
			{
				// Aged, the E5 ends on a day no calendar month ends on.
				PreConfig: func() {
					if err := mock.AgeSubscription(acctest.DocumentedID, e5ID, 40*24*time.Hour); err != nil {
						t.Fatal(err)
					}
					count()
				},
				Config:      coterm + acctest.PurchaseBlocks("quantity = 1\n  custom_term_end_date = \"2099-12-31\""),
				ExpectError: acctest.ErrorPattern(`End date not allowed.*P1Y purchase.*"2099-12-31".*calendarMonthAligned.*subscriptionAligned, the end of subscriptions ` + e5ID),
			},
			{
				PreConfig: func() {
					if got, cartsNow := mock.WriteRequests(), mock.Requests(mockpartnercenter.RouteCreateCart); got != writes || cartsNow != carts {
						t.Errorf("the refused plan sent %d writes, %d carts", got-writes, cartsNow-carts)
					}
				},
				Config: coterm + acctest.PurchaseBlocks("quantity = 1\n  custom_term_end_date = local.e5_end"),
				Check: resource.ComposeAggregateTestCheckFunc(
					purchasesAre(mock, 2),
					endsWith(mock, acctest.SubscriptionAddress, &e5ID),
					cartCarriedEndDate(t, mock, token, acctest.SubscriptionAddress),
					stateIsStored(t, mock, acctest.SubscriptionAddress, nil),
					acctest.CheckMock(func() error { count(); return nil }),
				),
			},
			{
				// The day alone: recorded, nothing sent.
				Config: coterm + acctest.PurchaseBlocks("quantity = 1\n  custom_term_end_date = substr(local.e5_end, 0, 10)"),
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.CheckMock(func() error {
						if got := mock.WriteRequests(); got != writes {
							return fmt.Errorf("changing custom_term_end_date sent %d writes", got-writes)
						}
						return nil
					}),
					purchasesAre(mock, 2),
					endsWith(mock, acctest.SubscriptionAddress, &e5ID),
					resource.TestMatchResourceAttr(acctest.SubscriptionAddress, "custom_term_end_date", dayOnly),
				),
			},
		},
	})
}

var dayOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// endsWith checks that the subscription of address, as the mock stores it,
// ends on the day the subscription *other ends, and that the state's
// commitment_end_date is the stored one.
func endsWith(mock *mockpartnercenter.Server, address string, other *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[address].Primary.Attributes
		bought, err := storedSubscription(mock, attrs["id"])
		if err != nil {
			return err
		}
		target, err := storedSubscription(mock, *other)
		if err != nil {
			return err
		}
		end, targetEnd := fmt.Sprint(bought["commitmentEndDate"]), fmt.Sprint(target["commitmentEndDate"])
		if len(end) < 10 || len(targetEnd) < 10 || end[:10] != targetEnd[:10] {
			return fmt.Errorf("the mock's subscription %s ends %s, subscription %s %s", attrs["id"], end, *other, targetEnd)
		}
		if attrs["commitment_end_date"] != end {
			return fmt.Errorf("state commitment_end_date %q, the mock's %q", attrs["commitment_end_date"], end)
		}
		return nil
	}
}

// cartCarriedEndDate checks that the cart of address, read from the mock,
// holds the custom term end date, which the mock takes only from the
// request that created the cart.
func cartCarriedEndDate(t *testing.T, mock *mockpartnercenter.Server, token, address string) resource.TestCheckFunc {
	t.Helper()
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[address].Primary.Attributes
		req, err := http.NewRequest(http.MethodGet, mock.URL()+"/v1/customers/"+acctest.DocumentedID+"/carts/"+attrs["cart_id"], nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var cart struct {
			LineItems []struct {
				CustomTermEndDate string `json:"customTermEndDate"`
			} `json:"lineItems"`
		}
		if err := json.Unmarshal(body, &cart); err != nil || len(cart.LineItems) != 1 {
			return fmt.Errorf("cart %s (%d): %v: %s", attrs["cart_id"], resp.StatusCode, err, body)
		}
		if got, want := cart.LineItems[0].CustomTermEndDate, attrs["custom_term_end_date"][:10]+"T00:00:00Z"; got != want {
			return fmt.Errorf("the cart's line has customTermEndDate %q, want %q", got, want)
		}
		return nil
	}
}

// A bought subscription ending otherwise than custom_term_end_date asked is
// a difference named with both dates; the same day written otherwise, or
// no custom date, is none.
func TestCustomTermEndDateDifference(t *testing.T) {
	bought := &subscriptionResourceModel{}
	bought.CommitmentEndDate = types.StringValue("2027-10-27T00:00:00Z")
	for want, differs := range map[string]bool{"": false, "2027-10-27": false, "2027-10-27T00:00:00": false, "2027-10-31": true} {
		plan := &subscriptionResourceModel{CustomTermEndDate: types.StringValue(want)}
		if want == "" {
			plan.CustomTermEndDate = types.StringNull()
		}
		got := customTermEndDateDifference(plan, bought)
		if (got != "") != differs || (differs && (!strings.Contains(got, "2027-10-27T00:00:00Z") || !strings.Contains(got, want))) {
			t.Errorf("%q: %q", want, got)
		}
	}
	if got := customTermEndDateAsBought(bought).ValueString(); got != "2027-10-27" {
		t.Errorf("as bought: %q", got)
	}
}

// A co-terminous purchase with renewal configured: the cart carries the
// end date, the renewal is scheduled right after, and the subscription the
// mock stores ends on that day with the renewal scheduled.
func TestAccCustomerSubscriptionResource_customTermEndDateWithRenewal(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	config := acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_custom_term_end_dates" "year" {
  customer_id   = %q
  term_duration = "P1Y"
}

locals {
  month_end = one([for d in data.partnercenter_custom_term_end_dates.year.end_dates : d.end_date if d.type == "calendarMonthAligned"])
}
`, acctest.DocumentedID) + acctest.PurchaseBlocks("quantity = 3\n  custom_term_end_date = local.month_end\n  renewal = { quantity = 1 }")
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					boughtSubscription(mock, before, &id),
					cartCarriedEndDate(t, mock, token, acctest.SubscriptionAddress),
					scheduledIs(mock, &id, basicItem+" P1Y monthly 1"),
					stateIsStored(t, mock, acctest.SubscriptionAddress, nil),
					func(s *terraform.State) error {
						attrs := s.RootModule().Resources[acctest.SubscriptionAddress].Primary.Attributes
						doc, err := storedSubscription(mock, id)
						if err != nil {
							return err
						}
						if !sameDay(fmt.Sprint(doc["commitmentEndDate"]), attrs["custom_term_end_date"]) {
							return fmt.Errorf("the mock's subscription ends %v, not on custom_term_end_date %s", doc["commitmentEndDate"], attrs["custom_term_end_date"])
						}
						return nil
					},
					resource.TestCheckResourceAttr(acctest.SubscriptionAddress, "renewal.quantity", "1"),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
}
