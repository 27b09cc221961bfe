# Brings a customer's new-commerce licence subscriptions under management
# without buying anything (import blocks), then changes seat counts through
# var.seats. The provider takes its settings from PARTNERCENTER_* variables.
terraform {
  required_version = ">= 1.7" # import blocks with for_each
  required_providers {
    partnercenter = {
      source = "cspkit/partnercenter"
    }
  }
}

variable "customer_id" {
  description = "The customer's tenant ID."
  type        = string
  default     = "eebd1b55-5360-4438-a11d-5c06918c3014" # the mock's documented customer
}

variable "seats" {
  description = "Seat counts to set, by subscription ID; the other subscriptions keep theirs."
  type        = map(number)
  default     = {}
}

data "partnercenter_customer_subscriptions" "current" {
  customer_id = var.customer_id
}

locals {
  # Active licence subscriptions of new commerce, whose offer_id reads
  # product:sku:availability.
  licences = {
    for s in data.partnercenter_customer_subscriptions.current.subscriptions : s.id => s
    if s.billing_type == "license" && s.status == "active" && can(regex("^[^:]+:[^:]+:[^:]+$", s.offer_id))
  }
}

import {
  for_each = local.licences
  to       = partnercenter_customer_subscription.licence[each.key]
  id       = "${var.customer_id}/${each.key}"
}

resource "partnercenter_customer_subscription" "licence" {
  for_each = local.licences

  customer_id     = var.customer_id
  catalog_item_id = each.value.offer_id
  term_duration   = each.value.term_duration
  billing_cycle   = each.value.billing_cycle
  quantity        = lookup(var.seats, each.key, each.value.quantity)
  auto_renew      = each.value.auto_renew_enabled
}

output "seats" {
  description = "Each managed subscription's offer and seat count."
  value = {
    for id, s in partnercenter_customer_subscription.licence : id => "${s.offer_name}: ${s.quantity}"
  }
}
