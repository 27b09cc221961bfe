# Onboarding a customer end to end: create the tenant, then buy its first
# licence. Run it against the bundled mock (`make mock` prints its URL; set
# PARTNERCENTER_ENDPOINT, PARTNERCENTER_AUTHORITY_HOST and the App-only
# credentials it accepts) or against Partner Center's integration sandbox.
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

variable "catalog_item_id" {
  description = "What to buy, as product:sku:availability (partnercenter_product_availabilities lists them)."
  type        = string
  default     = "CFQ7TTC0LH18:0001:CFQ7TTC0K5DB"
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

# The first licence: ten seats for a year, billed monthly.
resource "partnercenter_customer_subscription" "licences" {
  customer_id     = partnercenter_customer.new.id
  catalog_item_id = var.catalog_item_id
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
