package acctest

import (
	"fmt"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func CustomerConfig(mock *mockpartnercenter.Server, id string) string {
	return ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_customer" "test" {
  id = %q
}
`, id)
}

const SubscriptionAddress = "partnercenter_customer_subscription.test"

// PurchaseBlocks are purchaseConfig without the provider block.
func PurchaseBlocks(body string) string {
	return fmt.Sprintf(`
data "partnercenter_product_availabilities" "basic" {
  product_id = "CFQ7TTC0LH18"
  sku_id     = "0001"
  country    = "US"
}

resource "partnercenter_customer_subscription" "test" {
  customer_id     = %q
  catalog_item_id = data.partnercenter_product_availabilities.basic.availabilities[0].catalog_item_id
  term_duration   = "P1Y"
  billing_cycle   = "monthly"
  %s
}
`, DocumentedID, body)
}

const CustomerAddress = "partnercenter_customer.test"

// OnboardingConfig is a partnercenter_customer for domain billed in the US,
// with extra lines inside the resource block, against the mock.
func OnboardingConfig(mock *mockpartnercenter.Server, domain, companyName, extra string) string {
	return OnboardingConfigIn(mock, domain, companyName, "US", extra)
}

func OnboardingConfigIn(mock *mockpartnercenter.Server, domain, companyName, country, extra string) string {
	return ProviderBlock(mock, "") + fmt.Sprintf(`
resource "partnercenter_customer" "test" {
  domain = %q
  billing_profile = {
    email        = "billing@contoso.example"
    culture      = "en-US"
    language     = "en"
    company_name = %q
    default_address = {
      first_name    = "Avery"
      last_name     = "Howard"
      address_line1 = "One Microsoft Way"
      city          = "Redmond"
      state         = "WA"
      postal_code   = "98052"
      country       = %q
    }
  }
  %s
}
`, domain, companyName, country, extra)
}
