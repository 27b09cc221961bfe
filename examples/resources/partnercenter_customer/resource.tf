# Create a customer: a new Microsoft Entra tenant, contosoretail.onmicrosoft.com,
# with the partner as its reseller.
resource "partnercenter_customer" "contoso" {
  domain = "contosoretail" # or "contosoretail.onmicrosoft.com"

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
      phone_number  = "4255550100"
    }
  }

  # Required for customers billed in some countries (for example PL, BR, IN).
  # organization_registration_number = "1234567890"

  enable_gdap_by_default = true

  # "abandon" (the default) leaves the customer in Partner Center on destroy;
  # "delete" deletes it, which only the integration sandbox allows.
  on_destroy = "abandon"
}

# The first administrator's credentials, returned once, at creation.
output "contoso_admin_user_name" {
  value = partnercenter_customer.contoso.admin_user_name
}

output "contoso_admin_password" {
  value     = partnercenter_customer.contoso.admin_password
  sensitive = true
}
