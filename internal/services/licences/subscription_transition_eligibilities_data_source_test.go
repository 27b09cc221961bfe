package licences

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// An eligibility type Partner Center does not know and an unknown
// subscription are errors naming them. The documented Business Basic
// subscription's upgrade is Office 365 E5 in the mock's catalog; an E5
// subscription bought in the same apply is one the upgrade could move into,
// still cancellable; the scheduled upgrade lists none; a suspended source
// is not eligible. The state must hold what the mock serves.
func TestAccTransitionEligibilitiesDataSource(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	const businessBasic, unknown = "a4c1340d-6911-4758-bba3-0c4c6007d161", "00000000-0000-4000-8000-000000000001"
	config := acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
resource "partnercenter_customer_subscription" "e5" {
  customer_id     = %[1]q
  catalog_item_id = "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5"
  term_duration   = "P1Y"
  billing_cycle   = "annual"
  quantity        = 3
}

data "partnercenter_subscription_transition_eligibilities" "immediate" {
  customer_id     = partnercenter_customer_subscription.e5.customer_id
  subscription_id = %[2]q
}

data "partnercenter_subscription_transition_eligibilities" "scheduled" {
  customer_id      = %[1]q
  subscription_id  = %[2]q
  eligibility_type = "scheduled"
}
`, acctest.DocumentedID, businessBasic)
	const immediate, scheduled = "data.partnercenter_subscription_transition_eligibilities.immediate",
		"data.partnercenter_subscription_transition_eligibilities.scheduled"
	served := func(kind string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			return matchServedEligibilities(t, s, mock, token, map[string]string{"immediate": immediate, "scheduled": scheduled}[kind], businessBasic, kind)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_subscription_transition_eligibilities" "unknown" {
  customer_id     = %q
  subscription_id = %q
}
`, acctest.DocumentedID, unknown),
				ExpectError: acctest.ErrorPattern(`Subscription not found.*Subscription "` + unknown + `" is not a subscription of customer "` + acctest.DocumentedID),
			},
			{
				Config: acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_subscription_transition_eligibilities" "invalid" {
  customer_id      = %q
  subscription_id  = %q
  eligibility_type = "later"
}
`, acctest.DocumentedID, businessBasic),
				ExpectError: acctest.ErrorPattern(`eligibility_type.*immediate.*scheduled`),
			},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					served("immediate"), served("scheduled"),
					resource.TestCheckResourceAttr(immediate, "eligibility_type", "immediate"),
					resource.TestCheckResourceAttr(immediate, "targets.#", "2"),
					resource.TestCheckResourceAttr(immediate, "targets.0.catalog_item_id", "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5"),
					resource.TestCheckResourceAttr(immediate, "targets.0.transition_types.0.type", "transition_only"),
					resource.TestCheckResourceAttr(immediate, "targets.0.transition_types.0.is_eligible", "true"),
					resource.TestCheckResourceAttr(immediate, "targets.0.transition_types.0.errors.#", "0"),
					resource.TestCheckResourceAttrPair(immediate, "targets.0.into_subscriptions.0.subscription_id",
						"partnercenter_customer_subscription.e5", "id"),
					resource.TestCheckResourceAttr(immediate, "targets.0.into_subscriptions.0.is_eligible", "false"),
					resource.TestCheckResourceAttr(immediate, "targets.0.into_subscriptions.0.errors.0.code", "2"),
					resource.TestCheckResourceAttr(scheduled, "targets.#", "2"),
					resource.TestCheckResourceAttr(scheduled, "targets.0.into_subscriptions.#", "0"),
				),
			},
			{
				PreConfig: func() {
					if err := mock.SetSubscriptionStatus(acctest.DocumentedID, businessBasic, "suspended"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					served("immediate"),
					resource.TestCheckResourceAttr(immediate, "targets.0.transition_types.0.is_eligible", "false"),
					resource.TestCheckResourceAttr(immediate, "targets.0.transition_types.0.errors.0.code", "2"),
				),
			},
		},
	})
}

// matchServedEligibilities compares the state of address with the
// eligibilities the mock serves now for the subscription.
func matchServedEligibilities(t *testing.T, s *terraform.State, mock *mockpartnercenter.Server, token, address, subscriptionID, kind string) error {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, mock.URL()+"/v1/customers/"+acctest.DocumentedID+"/subscriptions/"+subscriptionID+
		"/transitionEligibilities?eligibilityType="+kind, nil)
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
	type served struct {
		Code                                                                                         *int64
		Description, TransitionType                                                                  string
		SubscriptionID, SubscriptionFriendlyName, SubscriptionTermDuration, SubscriptionBillingCycle string
		IsEligible                                                                                   bool
		Errors                                                                                       []served
	}
	var col struct {
		Items []struct {
			CatalogItemID, Title, Description string
			Quantity                          float64
			Eligibilities                     []served
			SubscriptionEligibilities         []served
		}
	}
	if err := json.Unmarshal(body, &col); err != nil {
		return fmt.Errorf("the mock's eligibilities (%d): %w: %s", resp.StatusCode, err, body)
	}
	want := map[string]string{"targets.#": strconv.Itoa(len(col.Items))}
	list := func(prefix string, items []served, fields func(p string, e served)) {
		want[prefix+".#"] = strconv.Itoa(len(items))
		for i, e := range items {
			p := prefix + "." + strconv.Itoa(i)
			want[p+".is_eligible"] = strconv.FormatBool(e.IsEligible)
			want[p+".errors.#"] = strconv.Itoa(len(e.Errors))
			for k, x := range e.Errors {
				if x.Code != nil {
					want[fmt.Sprintf("%s.errors.%d.code", p, k)] = strconv.FormatInt(*x.Code, 10)
				}
				want[fmt.Sprintf("%s.errors.%d.description", p, k)] = x.Description
			}
			fields(p, e)
		}
	}
	for i, item := range col.Items {
		p := "targets." + strconv.Itoa(i)
		want[p+".catalog_item_id"], want[p+".title"], want[p+".description"] = item.CatalogItemID, item.Title, item.Description
		want[p+".quantity"] = strconv.FormatFloat(item.Quantity, 'f', -1, 64)
		list(p+".transition_types", item.Eligibilities, func(p string, e served) { want[p+".type"] = e.TransitionType })
		list(p+".into_subscriptions", item.SubscriptionEligibilities, func(p string, e served) {
			want[p+".subscription_id"], want[p+".friendly_name"] = e.SubscriptionID, e.SubscriptionFriendlyName
			want[p+".term_duration"], want[p+".billing_cycle"] = e.SubscriptionTermDuration, e.SubscriptionBillingCycle
		})
	}
	rs, ok := s.RootModule().Resources[address]
	if !ok {
		return fmt.Errorf("%s is not in the state", address)
	}
	got := rs.Primary.Attributes
	for key, value := range want {
		if got[key] != value {
			return fmt.Errorf("%s: %s is %q, the mock serves %q", address, key, got[key], value)
		}
	}
	return nil
}
