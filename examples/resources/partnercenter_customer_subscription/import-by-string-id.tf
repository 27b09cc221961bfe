import {
  to = partnercenter_customer_subscription.business_basic
  id = "eebd1b55-5360-4438-a11d-5c06918c3014/a4c1340d-6911-4758-bba3-0c4c6007d161"
}
