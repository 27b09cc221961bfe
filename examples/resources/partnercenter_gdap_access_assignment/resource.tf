# The roles by name, from the provider's table of Microsoft Entra built-in roles.
data "partnercenter_gdap_roles" "helpdesk" {
  names = ["Helpdesk Administrator", "User Administrator"]
}

# Give the partner's helpdesk group those roles in the customer's tenant. The
# relationship must be active (approved by the customer) and hold the roles:
# the plan says otherwise before anything is written.
resource "partnercenter_gdap_access_assignment" "helpdesk" {
  relationship_id   = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"
  security_group_id = "0a8e4c3b-6f0d-4a71-9d5c-2b7e1f3a9c10"
  roles             = data.partnercenter_gdap_roles.helpdesk.ids

  timeouts {
    create = "15m"
  }
}
