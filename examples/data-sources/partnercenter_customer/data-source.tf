# Read a customer by tenant ID.
data "partnercenter_customer" "contoso" {
  id = "eebd1b55-5360-4438-a11d-5c06918c3014"
}

# Or by the domain of its company profile.
data "partnercenter_customer" "fabrikam" {
  domain = "fabrikam.onmicrosoft.com"

  timeouts {
    read = "2m"
  }
}

# Feed every domain of the customer into another resource, one instance each.
resource "terraform_data" "domain" {
  for_each = toset(data.partnercenter_customer.contoso.domains)
  input = {
    domain  = each.value
    company = data.partnercenter_customer.contoso.company_profile.company_name
  }
}

output "contoso_billing_email" {
  value = data.partnercenter_customer.contoso.billing_profile.email
}
