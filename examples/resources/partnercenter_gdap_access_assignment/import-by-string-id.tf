import {
  to = partnercenter_gdap_access_assignment.helpdesk
  id = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836/3c4ed7a8-f8a3-4ba0-8a6b-7d5a7b1c2f01"
}
