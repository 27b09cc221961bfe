package planbench

import (
	"fmt"
	"strings"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// DocumentedCustomerDomain is the company-profile domain of the customer from
// Microsoft's documentation, which the mock always serves first.
const DocumentedCustomerDomain = "abcdefgh1234.ccsctp.net"

// GeneratedCustomers is the mock's GeneratedCustomers option for a data set of
// exactly n customers: the mock always adds the documented one.
func GeneratedCustomers(n int) int {
	return max(n-1, 0)
}

// CustomerIDs returns the tenant ids of the n customers of a mock started
// with GeneratedCustomers(n), in the mock's list order.
func CustomerIDs(n int) []string {
	return customerKeys(n, mockpartnercenter.DocumentedCustomerID, mockpartnercenter.GeneratedCustomerID)
}

// CustomerDomains returns the company-profile domains of the same customers.
func CustomerDomains(n int) []string {
	return customerKeys(n, DocumentedCustomerDomain, mockpartnercenter.GeneratedCustomerDomain)
}

func customerKeys(n int, documented string, generated func(int) string) []string {
	if n <= 0 {
		return nil
	}
	keys := make([]string, 0, n)
	keys = append(keys, documented)
	for i := range GeneratedCustomers(n) {
		keys = append(keys, generated(i))
	}
	return keys
}

// MainTF returns the configuration reading n customers the given way. The
// provider block is empty: credentials and URLs come from PARTNERCENTER_*
// variables, so the same file serves mocks on different ports.
func MainTF(way Way, n int) (string, error) {
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    partnercenter = {
      source = "cspkit/partnercenter"
    }
  }
}

provider "partnercenter" {}
`)
	switch way {
	case WayList:
		b.WriteString(`
data "partnercenter_customers" "all" {}

output "count" {
  value = length(data.partnercenter_customers.all.customers)
}
`)
	case WayByID:
		writeForEach(&b, "id", CustomerIDs(n))
	case WayByDomain:
		writeForEach(&b, "domain", CustomerDomains(n))
	case WayByIDCount:
		writeCount(&b, CustomerIDs(n))
	default:
		return "", fmt.Errorf("unknown way %q", way)
	}
	return b.String(), nil
}

// writeKeys writes keys as local.keys.
func writeKeys(b *strings.Builder, keys []string) {
	b.WriteString("\nlocals {\n  keys = [\n")
	for _, k := range keys {
		fmt.Fprintf(b, "    %q,\n", k)
	}
	b.WriteString("  ]\n}\n")
}

// writeCount is writeForEach by id with count: same reads, instances
// addressed by index.
func writeCount(b *strings.Builder, keys []string) {
	writeKeys(b, keys)
	b.WriteString(`
data "partnercenter_customer" "c" {
  count = length(local.keys)
  id    = local.keys[count.index]
}

output "count" {
  value = length(data.partnercenter_customer.c)
}
`)
}

// writeForEach writes one partnercenter_customer block over keys, plus an
// output so every instance's result is used.
func writeForEach(b *strings.Builder, arg string, keys []string) {
	writeKeys(b, keys)
	fmt.Fprintf(b, `
data "partnercenter_customer" "c" {
  for_each = toset(local.keys)
  %s = each.value
}

output "count" {
  value = length(data.partnercenter_customer.c)
}
`, arg)
}
