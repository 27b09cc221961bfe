# Terraform 1.12+: an existing customer comes under management by its
# identity, the tenant ID. Write the resource block with the customer's
# values in Partner Center, so that the plan shows the import alone.
import {
  to = partnercenter_customer.fabrikam
  identity = {
    customer_id = "eebd1b55-5360-4438-a11d-5c06918c3014"
  }
}

resource "partnercenter_customer" "fabrikam" {
  domain = "fabrikam.onmicrosoft.com"

  billing_profile = {
    email        = "billing@fabrikam.example"
    culture      = "en-US"
    language     = "en"
    company_name = "Fabrikam"
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
