# One relationship with its access assignments.
data "partnercenter_gdap_relationship" "contoso" {
  id = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"
}

output "contoso_groups" {
  value = [for a in data.partnercenter_gdap_relationship.contoso.access_assignments : a.security_group_id]
}

# Send this to the customer while the relationship awaits approval.
output "contoso_approval_url" {
  value = data.partnercenter_gdap_relationship.contoso.approval_url
}
