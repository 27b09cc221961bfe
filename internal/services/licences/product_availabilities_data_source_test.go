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

func availabilitiesConfig(mock *mockpartnercenter.Server, product, sku string) string {
	return acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_product_availabilities" "test" {
  product_id = %q
  sku_id     = %q
  country    = "us"
}
`, product, sku)
}

// The availabilities of a SKU give what a purchase takes; a reissued
// availability is listed under its new id; an unknown SKU is an error.
func TestAccProductAvailabilitiesDataSource(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const address = "data.partnercenter_product_availabilities.test"
	var replacement string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: availabilitiesConfig(mock, "CFQ7TTC0LF8S", "0001"),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(address, "availabilities", knownvalue.ListSizeExact(2)),
					acctest.StateAttr(address, "availabilities.0.catalog_item_id", knownvalue.StringExact("CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5")),
					acctest.StateAttr(address, "availabilities.0.id", knownvalue.StringExact("CFQ7TTC0VZW5")),
					acctest.StateAttr(address, "availabilities.0.country", knownvalue.StringExact("US")),
					acctest.StateAttr(address, "availabilities.0.currency_code", knownvalue.StringExact("USD")),
					acctest.StateAttr(address, "availabilities.0.is_purchasable", knownvalue.Bool(true)),
					acctest.StateAttr(address, "availabilities.0.terms", knownvalue.ListExact([]knownvalue.Check{
						termCheck("P1Y", "monthly"), termCheck("P1Y", "annual"), termCheck("P3Y", "annual"),
					})),
					acctest.StateAttr(address, "availabilities.1.catalog_item_id", knownvalue.StringExact("CFQ7TTC0LF8S:0001:CFQ7TTC0N81H")),
				},
			},
			{
				PreConfig: func() { replacement = mock.RetireAvailability("CFQ7TTC0LH18:0001:CFQ7TTC0K971") },
				Config:    availabilitiesConfig(mock, "CFQ7TTC0LH18", "0001"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(address, "availabilities.0.catalog_item_id", &replacement),
					resource.TestCheckResourceAttr(address, "availabilities.#", "1"),
				),
			},
			{
				Config:      availabilitiesConfig(mock, "CFQ7TTC0XXXX", "0001"),
				ExpectError: acctest.ErrorPattern(`Product or SKU not found.*Listing availabilities of product "CFQ7TTC0XXXX" SKU "0001" in "us" failed: Partner Center answered HTTP 404`),
			},
		},
	})
}

// termCheck matches a term by duration and billing cycle.
func termCheck(duration, billingCycle string) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"duration":      knownvalue.StringExact(duration),
		"billing_cycle": knownvalue.StringExact(billingCycle),
	})
}
