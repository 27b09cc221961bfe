# Role template IDs by name, in the order given; an unknown name fails the plan
# with the closest names. Sends no request.
data "partnercenter_gdap_roles" "support" {
  names = ["Helpdesk Administrator", "Global Reader", "Service Support Administrator"]
}

output "support_role_ids" {
  value = data.partnercenter_gdap_roles.support.ids
}

# Every built-in role the provider knows, name => template ID.
output "global_administrator_id" {
  value = data.partnercenter_gdap_roles.support.roles["Global Administrator"]
}
