# One subscription of a customer, by its ID.
data "partnercenter_customer_subscription" "m365" {
  customer_id = "eebd1b55-5360-4438-a11d-5c06918c3014"
  id          = "a4c1340d-6911-4758-bba3-0c4c6007d161"
}

output "m365_seats" {
  value = {
    offer        = data.partnercenter_customer_subscription.m365.offer_name
    quantity     = data.partnercenter_customer_subscription.m365.quantity
    status       = data.partnercenter_customer_subscription.m365.status
    term         = data.partnercenter_customer_subscription.m365.term_duration
    renews       = data.partnercenter_customer_subscription.m365.auto_renew_enabled
    term_ends_at = data.partnercenter_customer_subscription.m365.commitment_end_date
  }
}
