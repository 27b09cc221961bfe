variable "customer_id" {
  description = "The customer's tenant ID."
  type        = string
}

# Every subscription of one customer, in one request.
data "partnercenter_customer_subscriptions" "customer" {
  customer_id = var.customer_id
}

locals {
  active = [
    for s in data.partnercenter_customer_subscriptions.customer.subscriptions : s if s.status == "active"
  ]
}

# How many active subscriptions the customer has of each offer.
output "subscriptions_per_offer" {
  value = {
    for name, subs in { for s in local.active : coalesce(s.offer_name, s.offer_id, s.id) => s... } : name => length(subs)
  }
}

# Licenses per offer, for a seat report.
output "licenses_per_offer" {
  value = {
    for name, subs in { for s in local.active : coalesce(s.offer_name, s.offer_id, s.id) => s... if s.unit_type == "Licenses" } :
    name => sum([for s in subs : s.quantity])
  }
}

# Subscriptions whose term ends without renewing by itself.
output "ending_without_renewal" {
  value = [
    for s in local.active : {
      offer   = s.offer_name
      ends_at = s.commitment_end_date
    } if s.auto_renew_enabled == false && s.billing_type == "license"
  ]
}
