# Onboarding a customer end to end: create the tenant, then buy its first
# licence. The README's "Onboarding a customer" runs it against the bundled
# mock; against Partner Center, use an integration sandbox account first.
terraform {
  required_providers {
    partnercenter = {
      source = "cspkit/partnercenter"
    }
  }
}

provider "partnercenter" {}

variable "domain_prefix" {
  description = "The new tenant's domain prefix: <prefix>.onmicrosoft.com must be free."
  type        = string
  default     = "contosoretail"
}


resource "partnercenter_customer" "new" {
  domain = var.domain_prefix

  billing_profile = {
    email        = "billing@contoso.example"
    culture      = "en-US"
    language     = "en"
    company_name = "Contoso Retail"
    default_address = {
      first_name    = "Avery"
      last_name     = "Howard"
      address_line1 = "One Microsoft Way"
      city          = "Redmond"
      state         = "WA"
      postal_code   = "98052"
      country       = "US"
    }
  }
}

# Microsoft 365 Business Basic as sold in the customer's country. Availability
# IDs change over time: look them up rather than writing one down.
data "partnercenter_product_availabilities" "business_basic" {
  product_id = "CFQ7TTC0LH18"
  sku_id     = "0001"
  country    = partnercenter_customer.new.billing_profile.default_address.country
}

# The first licence: ten seats for a year, billed monthly. A customer must have
# accepted the Microsoft Customer Agreement before a purchase (Partner Center
# answers 13605 otherwise; the error says what to do).
resource "partnercenter_customer_subscription" "licences" {
  customer_id     = partnercenter_customer.new.id
  catalog_item_id = data.partnercenter_product_availabilities.business_basic.availabilities[0].catalog_item_id
  term_duration   = "P1Y"
  billing_cycle   = "monthly"
  quantity        = 10
  auto_renew      = true
  on_destroy      = "abandon"
}

output "customer_id" {
  value = partnercenter_customer.new.id
}

output "initial_domain" {
  value = partnercenter_customer.new.company_profile.domain
}

output "admin_user_name" {
  value = partnercenter_customer.new.admin_user_name
}

# Returned once, at creation: hand it over, then have the administrator change it.
output "admin_password" {
  value     = partnercenter_customer.new.admin_password
  sensitive = true
}

output "subscription_id" {
  value = partnercenter_customer_subscription.licences.id
}
