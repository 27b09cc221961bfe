# Every customer of the partner, and every subscription of each of them that
# partnercenter_customer_subscription can manage. Terraform stops a list at
# its limit, 100 when none is given: set it above the number you expect.
list "partnercenter_customer" "all" {
  provider = partnercenter
  limit    = 10000
}

list "partnercenter_customer_subscription" "all" {
  provider = partnercenter
  limit    = 10000
}
