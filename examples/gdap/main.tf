# A standard GDAP relationship for every customer, and the partner's security
# groups assigned their roles in each customer that has approved it.
#
#   1. terraform apply       one relationship per customer, locked for approval;
#                            the approval links are in the output
#   2. each customer's administrator opens their link and approves (a person's
#      step, which can take days; nothing waits for it)
#   3. terraform apply       assigns the groups in every customer that approved
#
# Run it again whenever customers are added or approve: nothing is made twice.
terraform {
  required_providers {
    partnercenter = {
      source = "cspkit/partnercenter"
    }
  }
}

provider "partnercenter" {}

variable "name_prefix" {
  description = "Starts each relationship's display name, which Microsoft Graph keeps unique among all the partner's relationships. Change it for a customer whose relationship ended to offer a new one."
  type        = string
  default     = "std1"
}

variable "security_groups" {
  description = "The partner tenant's security groups (object IDs) and the Microsoft Entra roles, by name, each gets in every customer."
  type        = map(list(string))
  default = {
    # Helpdesk agents
    "0a8e4c3b-6f0d-4a71-9d5c-2b7e1f3a9c10" = ["Helpdesk Administrator", "User Administrator", "Service Support Administrator"]
    # Every engineer: read-only
    "5b1d7e2a-3c4f-4e6b-8a9d-0f1e2d3c4b5a" = ["Global Reader"]
  }
}

data "partnercenter_customers" "all" {}

# The roles' template IDs, in the order of their names; an unknown name fails the plan.
data "partnercenter_gdap_roles" "standard" {
  names = distinct(flatten(values(var.security_groups)))
}

locals {
  role_ids = zipmap(data.partnercenter_gdap_roles.standard.names, data.partnercenter_gdap_roles.standard.ids)
}

resource "partnercenter_gdap_relationship" "standard" {
  for_each = { for c in data.partnercenter_customers.all.customers : coalesce(c.company_profile.tenant_id, c.id) => c }

  display_name = "${var.name_prefix}-${each.key}"
  customer_id  = each.key
  duration     = "P730D"
  roles        = data.partnercenter_gdap_roles.standard.ids
  auto_extend  = "P180D"
}

# The relationships the customers have approved, read at plan time, so that the
# assignments' keys are known before the apply.
data "partnercenter_gdap_relationships" "active" {
  status = "active"
}

locals {
  assignments = merge([
    for r in data.partnercenter_gdap_relationships.active.relationships : {
      for group, role_names in var.security_groups : "${r.customer_id}/${group}" => {
        relationship_id   = r.id
        security_group_id = group
        roles             = [for name in role_names : local.role_ids[name]]
      }
    } if startswith(r.display_name, "${var.name_prefix}-")
  ]...)
}

resource "partnercenter_gdap_access_assignment" "standard" {
  for_each = local.assignments

  relationship_id   = each.value.relationship_id
  security_group_id = each.value.security_group_id
  roles             = each.value.roles

  # Destroyed before the relationship they belong to.
  depends_on = [partnercenter_gdap_relationship.standard]
}

output "approval_links" {
  description = "The links to send, by customer, for the relationships still awaiting approval."
  value = {
    for id, r in partnercenter_gdap_relationship.standard : id => r.approval_url if r.status == "approvalPending"
  }
}

output "active_customers" {
  description = "The customers whose relationship is active, with its end date."
  value = {
    for r in data.partnercenter_gdap_relationships.active.relationships : r.customer_id => r.end_date_time
    if startswith(r.display_name, "${var.name_prefix}-")
  }
}
