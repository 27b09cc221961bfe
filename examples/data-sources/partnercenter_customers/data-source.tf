# Every customer of the partner, in a handful of requests.
data "partnercenter_customers" "all" {}

# Only customers whose domain starts with "contoso".
data "partnercenter_customers" "contoso" {
  domain_prefix = "contoso"
}

# Customers by company name prefix.
data "partnercenter_customers" "fabrikam" {
  company_name_prefix = "Fabrikam"
}

# Tenant IDs by domain, for other resources to look up.
output "tenant_ids_by_domain" {
  value = {
    for c in data.partnercenter_customers.all.customers : c.company_profile.domain => c.id
  }
}

# Read the full record of each customer the filter found.
data "partnercenter_customer" "contoso" {
  for_each = toset([for c in data.partnercenter_customers.contoso.customers : c.id])
  id       = each.value
}
