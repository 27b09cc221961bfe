# Every subscription of every customer that the resource can manage. Terraform
# stops at limit (100 when unset): set it above the number expected.
list "partnercenter_customer_subscription" "all" {
  provider = partnercenter
  limit    = 5000
}

# One customer's active Microsoft 365 Business Basic subscriptions.
list "partnercenter_customer_subscription" "contoso_m365" {
  provider = partnercenter
  limit    = 100

  config {
    customer_id = "eebd1b55-5360-4438-a11d-5c06918c3014"
    statuses    = ["active"]
    product_ids = ["CFQ7TTC0LH18"]
  }
}
