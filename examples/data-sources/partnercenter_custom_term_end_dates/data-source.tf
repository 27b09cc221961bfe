variable "customer_id" {
  description = "The customer's tenant ID."
  type        = string
}

data "partnercenter_custom_term_end_dates" "year" {
  customer_id   = var.customer_id
  term_duration = "P1Y"
}

# The days a one-year purchase may end on instead of its own end: the end of a
# calendar month, and the end dates of the customer's subscriptions.
output "end_dates" {
  value = [
    for d in data.partnercenter_custom_term_end_dates.year.end_dates : {
      end_date      = d.end_date
      type          = d.type
      subscriptions = d.coterm_subscription_ids
    }
  ]
}
