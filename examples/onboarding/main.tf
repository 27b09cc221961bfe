# Onboarding a customer end to end, in two applies with a person's step between
# them. Partner Center refuses a new customer's purchases (error 13605) until
# the customer's acceptance of the Microsoft Customer Agreement is recorded:
#
#   1. terraform apply                               creates the tenant, buys nothing
#   2. record the customer's acceptance of the agreement (Partner Center, or the
#      agreements API; against the bundled mock, the curl in the guide
#      "Onboarding customers")
#   3. terraform apply -var buy_first_licence=true   buys the first licence
#
# The README's "Onboarding a customer" runs it against the bundled mock; against
# Partner Center, use an integration sandbox account first.
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

variable "buy_first_licence" {
  description = "Buy the first licence: set it once the customer's acceptance of the Microsoft Customer Agreement is recorded."
  type        = bool
  default     = false
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

# The first licence: ten seats for a year, billed monthly, once
# buy_first_licence is set (after the agreement step).
resource "partnercenter_customer_subscription" "licences" {
  count = var.buy_first_licence ? 1 : 0

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

# Null until the second apply buys.
output "subscription_id" {
  value = one(partnercenter_customer_subscription.licences[*].id)
}
