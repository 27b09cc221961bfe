package licences

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// e5Block buys Office 365 E5 for a year, beside the Business Basic of
// acctest.PurchaseBlocks, so that the customer has a subscription to end
// with.
const e5Block = `
resource "partnercenter_customer_subscription" "e5" {
  customer_id     = %q
  catalog_item_id = "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5"
  term_duration   = "P1Y"
  billing_cycle   = "annual"
  quantity        = 3
}
`

// The dates are those the mock serves, and they follow the customer's
// subscriptions: two bought today end on one day, listed once with both;
// one aged by 40 days ends on a day of its own; target_coterm_subscription_id
// keeps only its date. A day written otherwise, a term Partner Center does
// not know and a start date in the past are refused.
func TestAccCustomTermEndDatesDataSource(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	bought := acctest.ProviderBlock(mock, "") + fmt.Sprintf(e5Block, acctest.DocumentedID) + acctest.PurchaseBlocks("quantity = 1")
	config := bought + fmt.Sprintf(`
data "partnercenter_custom_term_end_dates" "year" {
  customer_id   = %[1]q
  term_duration = "P1Y"
}

data "partnercenter_custom_term_end_dates" "e5" {
  customer_id                   = %[1]q
  term_duration                 = "P1Y"
  term_start_date               = %[2]q
  target_coterm_subscription_id = partnercenter_customer_subscription.e5.id
}
`, acctest.DocumentedID, time.Now().UTC().Format(time.DateOnly))
	const year, e5 = "data.partnercenter_custom_term_end_dates.year", "data.partnercenter_custom_term_end_dates.e5"
	var e5ID string
	invalid := func(arguments string) string {
		return acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_custom_term_end_dates" "invalid" {
  customer_id = %q
  %s
}
`, acctest.DocumentedID, arguments)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      invalid(`term_duration = "P1Y"` + "\n  term_start_date = \"31/12/2030\""),
				ExpectError: acctest.ErrorPattern(`term_start_date.*YYYY-MM-DD`),
			},
			{
				Config:      invalid(`term_duration = "P2Y"`),
				ExpectError: acctest.ErrorPattern(`term_duration.*P1M.*P1Y.*P3Y`),
			},
			{
				Config:      invalid(`term_duration = "P1M"` + "\n  term_start_date = \"2020-01-01\""),
				ExpectError: acctest.ErrorPattern(`custom term end dates.*customer.*400`),
			},
			{Config: bought, Check: func(s *terraform.State) error {
				e5ID = s.RootModule().Resources["partnercenter_customer_subscription.e5"].Primary.ID
				return nil
			}},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					matchServedEndDates(t, mock, token, year, "term_duration=P1Y"),
					endDatesOfSubscriptions(mock, year, "partnercenter_customer_subscription.e5", acctest.SubscriptionAddress),
					resource.TestCheckResourceAttr(year, "end_dates.#", "2"),
					resource.TestCheckResourceAttr(year, "end_dates.0.type", "calendarMonthAligned"),
					resource.TestCheckResourceAttr(year, "end_dates.0.coterm_subscription_ids.#", "0"),
					resource.TestCheckResourceAttr(year, "end_dates.1.coterm_subscription_ids.#", "2"),
					resource.TestCheckResourceAttr(e5, "end_dates.#", "2"),
					resource.TestCheckResourceAttrPair(e5, "end_dates.1.coterm_subscription_ids.0", "partnercenter_customer_subscription.e5", "id"),
				),
			},
			{
				PreConfig: func() {
					if err := mock.AgeSubscription(acctest.DocumentedID, e5ID, 40*24*time.Hour); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					matchServedEndDates(t, mock, token, year, "term_duration=P1Y"),
					endDatesOfSubscriptions(mock, year, "partnercenter_customer_subscription.e5", acctest.SubscriptionAddress),
					resource.TestCheckResourceAttr(year, "end_dates.#", "3"),
					resource.TestCheckResourceAttr(e5, "end_dates.#", "2"),
					resource.TestCheckResourceAttr(e5, "end_dates.1.coterm_subscription_ids.#", "1"),
				),
			},
		},
	})
}

// matchServedEndDates compares the state of address with the end dates the
// mock serves now for the query.
func matchServedEndDates(t *testing.T, mock *mockpartnercenter.Server, token, address, query string) resource.TestCheckFunc {
	t.Helper()
	return func(s *terraform.State) error {
		req, err := http.NewRequest(http.MethodGet, mock.URL()+"/v1/customers/"+acctest.DocumentedID+"/subscriptions/customTermEndDates?"+query, nil)
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
		var col struct {
			Items []struct {
				AllowedCustomTermEndDateType, AllowedCustomTermEndDate string
				CotermSubscriptionIDs                                  []string `json:"cotermSubscriptionIds"`
			}
		}
		if err := json.Unmarshal(body, &col); err != nil {
			return fmt.Errorf("the mock's end dates (%d): %w: %s", resp.StatusCode, err, body)
		}
		want := map[string]string{"end_dates.#": strconv.Itoa(len(col.Items))}
		for i, item := range col.Items {
			p := "end_dates." + strconv.Itoa(i)
			want[p+".type"], want[p+".end_date"] = item.AllowedCustomTermEndDateType, item.AllowedCustomTermEndDate
			want[p+".coterm_subscription_ids.#"] = strconv.Itoa(len(item.CotermSubscriptionIDs))
			for k, id := range item.CotermSubscriptionIDs {
				want[fmt.Sprintf("%s.coterm_subscription_ids.%d", p, k)] = id
			}
		}
		got := s.RootModule().Resources[address].Primary.Attributes
		for key, value := range want {
			if got[key] != value {
				return fmt.Errorf("%s: %s is %q, the mock serves %q", address, key, got[key], value)
			}
		}
		return nil
	}
}

// endDatesOfSubscriptions checks that each subscription's commitment end,
// as the mock stores it, is a subscription-aligned date of address that
// lists it.
func endDatesOfSubscriptions(mock *mockpartnercenter.Server, address string, subscriptions ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		got := s.RootModule().Resources[address].Primary.Attributes
		for _, sub := range subscriptions {
			id := s.RootModule().Resources[sub].Primary.ID
			stored, err := storedSubscription(mock, id)
			if err != nil {
				return err
			}
			end, _ := stored["commitmentEndDate"].(string)
			found := false
			for i := 0; i < len(got) && !found; i++ {
				p := "end_dates." + strconv.Itoa(i)
				if got[p+".type"] == "subscriptionAligned" && len(end) >= 10 && strings.HasPrefix(got[p+".end_date"], end[:10]) {
					for k := 0; got[fmt.Sprintf("%s.coterm_subscription_ids.%d", p, k)] != ""; k++ {
						found = found || got[fmt.Sprintf("%s.coterm_subscription_ids.%d", p, k)] == id
					}
				}
			}
			if !found {
				return fmt.Errorf("%s: no subscription-aligned date on %s, the commitment end of %s (%s)", address, end, sub, id)
			}
		}
		return nil
	}
}
