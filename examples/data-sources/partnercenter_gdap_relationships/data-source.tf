# Every active relationship of the partner.
data "partnercenter_gdap_relationships" "active" {
  status = "active"
}

# Or those of one customer.
data "partnercenter_gdap_relationships" "contoso" {
  customer_id = "eebd1b55-5360-4438-a11d-5c06918c3014"
}

# The active relationships that end within 30 days, to renew them in time.
locals {
  expiring_soon = [
    for r in data.partnercenter_gdap_relationships.active.relationships : r
    if r.end_date_time != null && timecmp(r.end_date_time, timeadd(plantimestamp(), "720h")) < 0
  ]
}

output "expiring_soon" {
  value = { for r in local.expiring_soon : r.display_name => r.end_date_time }
}
