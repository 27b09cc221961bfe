import {
  to = partnercenter_customer_subscription.imported
  id = "eebd1b55-5360-4438-a11d-5c06918c3014/a4c1340d-6911-4758-bba3-0c4c6007d161"
}

# Write the arguments as Partner Center has them (the
# partnercenter_customer_subscription data source reads them), so that the
# plan of the import changes nothing: here 1 seat, a year billed monthly,
# renewing by itself. A subscription whose auto-renew is off needs
# auto_renew = false, or the apply turns it on. on_destroy is left out: an
# import records "abandon", the default.
resource "partnercenter_customer_subscription" "imported" {
  customer_id     = "eebd1b55-5360-4438-a11d-5c06918c3014"
  catalog_item_id = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"
  term_duration   = "P1Y"
  billing_cycle   = "monthly"
  quantity        = 1
  auto_renew      = true
}
