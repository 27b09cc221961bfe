# Terraform 1.12+: an existing relationship comes under management by its
# identity, the relationship's id.
import {
  to = partnercenter_gdap_relationship.fabrikam
  identity = {
    relationship_id = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"
  }
}

resource "partnercenter_gdap_relationship" "fabrikam" {
  display_name = "Fabrikam helpdesk"
  duration     = "P730D"
  customer_id  = "8777b240-c6f0-4469-9e98-a3205431b836"
  roles        = ["88d8e3e3-8f55-4a1e-953a-9b9898b8876b"] # Directory Readers
}
