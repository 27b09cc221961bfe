# The demo reads the customer documented in Microsoft's "Get a customer by ID"
# page from the bundled mock Partner Center. Credentials and the mock's URL
# come from PARTNERCENTER_* environment variables set by `make demo`: first
# App+User (with a refresh token), then App-only (without one).
terraform {
  required_providers {
    partnercenter = {
      source = "cspkit/partnercenter"
    }
  }
}

provider "partnercenter" {}

data "partnercenter_customer" "documented" {
  id = "eebd1b55-5360-4438-a11d-5c06918c3014"
}

# Every domain becomes an instance of another resource, as a DNS or mail
# configuration would use them.
resource "terraform_data" "per_domain" {
  for_each = toset(data.partnercenter_customer.documented.domains)
  input    = each.value
}

output "customer_id" {
  value = data.partnercenter_customer.documented.id
}

output "company_name" {
  value = data.partnercenter_customer.documented.company_profile.company_name
}

output "domains" {
  value = data.partnercenter_customer.documented.domains
}

# Every customer of the partner, a page of up to 500 per request.
data "partnercenter_customers" "all" {}

output "customer_count" {
  value = length(data.partnercenter_customers.all.customers)
}

# What the documented customer has bought.
data "partnercenter_customer_subscriptions" "documented" {
  customer_id = data.partnercenter_customer.documented.id
}

# One line per subscription: offer name, quantity, status.
output "subscription_report" {
  value = join("\n", [
    for s in data.partnercenter_customer_subscriptions.documented.subscriptions :
    "  - ${coalesce(s.offer_name, s.friendly_name, s.id)}, ${coalesce(s.quantity, 0)}, ${coalesce(s.status, "unknown")}"
  ])
}

# Subscriptions per offer, as a report would count them.
output "subscriptions_per_offer" {
  value = {
    for name, subs in {
      for s in data.partnercenter_customer_subscriptions.documented.subscriptions : coalesce(s.offer_name, s.friendly_name, s.id) => s...
    } : name => length(subs)
  }
}
