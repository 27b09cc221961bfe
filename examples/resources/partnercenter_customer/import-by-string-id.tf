import {
  to = partnercenter_customer.contoso
  id = "eebd1b55-5360-4438-a11d-5c06918c3014"
}
