variable "customer_id" {
  description = "The customer's tenant ID."
  type        = string
}

# Find the customer's Azure plan among its subscriptions...
data "partnercenter_customer_subscriptions" "customer" {
  customer_id = var.customer_id
}

locals {
  azure_plan_ids = [
    for s in data.partnercenter_customer_subscriptions.customer.subscriptions : s.id
    if s.offer_name == "Azure plan" && s.status == "active"
  ]
}

# ...and list the Azure subscriptions under it.
data "partnercenter_azure_entitlements" "plan" {
  for_each        = toset(local.azure_plan_ids)
  customer_id     = var.customer_id
  subscription_id = each.value
}

# The active Azure subscriptions under the plan, ready for azurerm provider
# blocks or role assignments.
output "azure_subscriptions" {
  value = flatten([
    for plan in data.partnercenter_azure_entitlements.plan : [
      for e in plan.entitlements : { id = e.id, name = e.friendly_name } if e.status == "active"
    ]
  ])
}
