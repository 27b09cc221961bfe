# Buys 10 licences of Microsoft 365 Business Basic for a year, billed monthly.
# The catalog item is looked up at each plan: availability IDs are reissued.
data "partnercenter_product_availabilities" "business_basic" {
  product_id = "CFQ7TTC0LH18"
  sku_id     = "0001"
  country    = "US"
}

locals {
  # The availability that sells a one-year term billed monthly.
  business_basic = one([
    for a in data.partnercenter_product_availabilities.business_basic.availabilities : a
    if anytrue([for t in a.terms : t.duration == "P1Y" && lower(t.billing_cycle) == "monthly"])
  ])
}

resource "partnercenter_customer_subscription" "business_basic" {
  customer_id     = "eebd1b55-5360-4438-a11d-5c06918c3014"
  catalog_item_id = local.business_basic.catalog_item_id
  term_duration   = "P1Y"
  billing_cycle   = "monthly"
  quantity        = 10
  friendly_name   = "Sales team"

  # From the renewal (commitment_end_date), 8 seats; the rest renews as is.
  # Partner Center requires auto-renew on for it.
  renewal = {
    quantity = 8
  }

  # Cancel on destroy while Partner Center still allows it (7 days after
  # purchase); the default, "abandon", leaves it running and billing.
  on_destroy = "cancel"

  timeouts {
    create = "30m"
  }
}

output "business_basic" {
  value = {
    id                  = partnercenter_customer_subscription.business_basic.id
    status              = partnercenter_customer_subscription.business_basic.status
    cancellable_until   = partnercenter_customer_subscription.business_basic.cancellation_allowed_until_date
    removable_seats     = partnercenter_customer_subscription.business_basic.refundable_quantity.total_quantity
    current_term_ending = partnercenter_customer_subscription.business_basic.commitment_end_date
  }
}
