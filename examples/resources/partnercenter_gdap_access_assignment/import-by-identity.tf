# Terraform 1.12+: an existing access assignment comes under management by
# its identity, its relationship's id and its own.
import {
  to = partnercenter_gdap_access_assignment.readers
  identity = {
    relationship_id      = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"
    access_assignment_id = "3c4ed7a8-f8a3-4ba0-8a6b-7d5a7b1c2f01"
  }
}

resource "partnercenter_gdap_access_assignment" "readers" {
  relationship_id   = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"
  security_group_id = "1b9f5d4c-7a1e-4b82-8e6d-3c8f2a4b0d21"
  roles             = ["88d8e3e3-8f55-4a1e-953a-9b9898b8876b"] # Directory Readers
}
