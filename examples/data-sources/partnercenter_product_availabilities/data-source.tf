# How Microsoft 365 Business Basic can be bought in the US.
data "partnercenter_product_availabilities" "business_basic" {
  product_id = "CFQ7TTC0LH18"
  sku_id     = "0001"
  country    = "US"
}

output "business_basic_terms" {
  value = {
    for a in data.partnercenter_product_availabilities.business_basic.availabilities :
    a.catalog_item_id => [for t in a.terms : "${t.duration} billed ${lower(t.billing_cycle)}"]
  }
}
