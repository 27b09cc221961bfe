import {
  to = partnercenter_gdap_relationship.contoso
  id = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"
}
