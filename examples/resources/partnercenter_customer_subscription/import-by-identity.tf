# Terraform 1.12+: a subscription comes under management by its identity,
# both attributes needed. As with an import ID, write the arguments as
# Partner Center has them.
import {
  to = partnercenter_customer_subscription.by_identity
  identity = {
    customer_id     = "eebd1b55-5360-4438-a11d-5c06918c3014"
    subscription_id = "a4c1340d-6911-4758-bba3-0c4c6007d161"
  }
}

resource "partnercenter_customer_subscription" "by_identity" {
  customer_id     = "eebd1b55-5360-4438-a11d-5c06918c3014"
  catalog_item_id = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"
  term_duration   = "P1Y"
  billing_cycle   = "monthly"
  quantity        = 1
  auto_renew      = true
}
