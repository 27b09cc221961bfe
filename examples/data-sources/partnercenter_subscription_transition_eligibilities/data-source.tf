variable "customer_id" {
  description = "The customer's tenant ID."
  type        = string
}

variable "subscription_id" {
  description = "The Partner Center ID of the subscription to upgrade."
  type        = string
}

data "partnercenter_subscription_transition_eligibilities" "upgrade" {
  customer_id     = var.customer_id
  subscription_id = var.subscription_id
}

# The targets the subscription can move to now, and why the others are out of
# reach: review these before changing the subscription's catalog item.
output "upgrade_targets" {
  value = [
    for t in data.partnercenter_subscription_transition_eligibilities.upgrade.targets : {
      catalog_item_id = t.catalog_item_id
      title           = t.title
      eligible        = anytrue([for tt in t.transition_types : tt.is_eligible])
      reasons         = flatten([for tt in t.transition_types : [for e in tt.errors : e.description]])
      # Existing subscriptions of the target the licences could join instead
      # of a new one.
      into = [for s in t.into_subscriptions : s.subscription_id if s.is_eligible]
    }
  ]
}
