# A two-year relationship with one customer, with roles for helpdesk work.
# The apply ends awaiting the customer's approval: send them approval_url.
resource "partnercenter_gdap_relationship" "contoso" {
  display_name = "Contoso helpdesk"
  duration     = "P730D"
  customer_id  = "4b827261-d21f-4aa9-b7db-7fa1f56fb163"
  roles = [
    "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", # Directory Readers
    "729827e3-9c14-49f7-bb1b-9608f156bbb8", # Helpdesk Administrator
  ]
  auto_extend = "P180D"
}

output "contoso_approval_url" {
  value = partnercenter_gdap_relationship.contoso.approval_url
}

# The customer's name as their tenant has it, once they have approved.
output "contoso_tenant_name" {
  value = partnercenter_gdap_relationship.contoso.customer_display_name
}
