# terraform query -generate-config-out=customers.tf writes a resource block
# and an import block for each customer listed; terraform plan then shows
# only their imports.

# Every customer. Terraform lists at most `limit` results, 100 unless set:
# set it above the number of customers you have.
list "partnercenter_customer" "all" {
  provider = partnercenter
  limit    = 5000
}

# Those whose domain starts with "contoso", with each customer's attributes
# as an import reads them (one or two more requests a customer), as
# -generate-config-out always asks for.
list "partnercenter_customer" "contoso" {
  provider         = partnercenter
  include_resource = true
  limit            = 50

  config {
    domain_prefix = "contoso"
  }
}
