package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// A row is one configuration planned against one mock: what the table shows
// and what a new case adds. The harness adds the latency to mock and the
// provider and terraform blocks to config.
type row struct {
	name   string
	n      int // customers read, or subscriptions managed
	runs   int // plans (or applies) timed; the median by wall time is reported
	mock   mockpartnercenter.Options
	config string
	// prepare, when set, writes the configuration from what the started
	// mock holds: setup is applied once, untimed, before the timed runs
	// (to bring what the row manages into the state), then config is timed.
	prepare func(mock *mockpartnercenter.Server) (setup, config string, err error)
	// apply times `terraform apply` instead of `terraform plan`.
	apply bool
	// expect is the API requests one timed run must send, by route.
	expect map[mockpartnercenter.Route]int
	// tokens is the token requests one timed run must send; zero means one.
	tokens int
	// bound is the least wall time latency forces on a plan, if known.
	bound func(latency time.Duration) time.Duration
	// mayFail lets reads fail (counted as failed reads) instead of stopping
	// the benchmark.
	mayFail bool
	// minTerraform is the oldest Terraform the configuration runs on, and
	// needsNewerBecause what it uses that older releases lack; zero runs
	// on any.
	minTerraform      terraformVersion
	needsNewerBecause string
	// Targets; zero means none.
	maxCPUPerCustomer time.Duration
	maxRSSMiB         float64
	maxWallOverBound  float64 // wall time as a multiple of bound
}

const parallelism = 10 // Terraform's default

// defaultRows are the rows make bench measures.
func defaultRows() []row {
	var rows []row
	for _, n := range []int{1, 100, 1000, 10000, 50000} {
		rows = append(rows, listRow(n))
	}
	for _, name := range []string{"by_id", "by_domain"} {
		for _, n := range []int{1, 100, 1000} {
			rows = append(rows, byKeyRow(name, n))
		}
	}
	rows = append(rows, byKeyRow("by_id_count", 1000), throttledRow(300, 50, 5*time.Second), subscriptionsRow(1000))
	return append(rows, rateLimited(managedRow("managed_refresh", 1000, 0), 100, 10*time.Second), managedRow("managed_change", 100, 100))
}

// throttledRow reads n customers one by one from a mock that admits only
// limit API requests per window.
func throttledRow(n, limit int, window time.Duration) row {
	return rateLimited(byKeyRow("by_id_throttled", n), limit, window)
}

// rateLimited makes r's mock admit only limit API requests per window, as
// the live service limits the customer and subscription resources: the
// requests wait as each 429's Retry-After says, and none may fail.
func rateLimited(r row, limit int, window time.Duration) row {
	requests := 0
	for _, n := range r.expect {
		requests += n
	}
	r.runs = 1 // the rate limit, not the machine, sets its time
	r.mock.RateLimit = mockpartnercenter.RateLimit{Requests: limit, Window: window}
	// The last window's requests cannot be admitted before it opens, then
	// go ten at a time.
	windows := (requests + limit - 1) / limit
	last := requests - (windows-1)*limit
	latencyBound := r.bound
	r.bound = func(l time.Duration) time.Duration {
		return max(latencyBound(l), time.Duration(windows-1)*window+time.Duration((last+parallelism-1)/parallelism)*l)
	}
	r.mayFail = true          // counted, and a MISS
	r.maxWallOverBound = 1.25 // Retry-After is in whole seconds: each window may open up to a second late
	return r
}

// subscriptionsRow reads the subscriptions of every customer of a mock
// holding n, with for_each over partnercenter_customers.
func subscriptionsRow(n int) row {
	pages := max((n+partnercenter.DefaultPageSize-1)/partnercenter.DefaultPageSize, 1)
	return row{
		name: "subscriptions", n: n, runs: 1,
		mock: mockpartnercenter.Options{GeneratedCustomers: n - 1}, // besides the documented one
		config: `data "partnercenter_customers" "all" {}

data "partnercenter_customer_subscriptions" "each" {
  for_each    = { for c in data.partnercenter_customers.all.customers : c.id => c }
  customer_id = each.key
}

output "count" {
  value = length(data.partnercenter_customer_subscriptions.each)
}
`,
		expect: map[mockpartnercenter.Route]int{
			mockpartnercenter.RouteListCustomers:     pages,
			mockpartnercenter.RouteListSubscriptions: n,
		},
		// The token, the pages, then the subscription lists ten at a time.
		bound: func(l time.Duration) time.Duration {
			return time.Duration(1+pages+(n+parallelism-1)/parallelism) * l
		},
	}
}

// listRow reads every customer of a mock holding n with one
// partnercenter_customers.
func listRow(n int) row {
	pages := max((n+partnercenter.DefaultPageSize-1)/partnercenter.DefaultPageSize, 1)
	r := row{
		name: "list", n: n, runs: 3,
		mock: mockpartnercenter.Options{GeneratedCustomers: n - 1}, // besides the documented one
		config: `data "partnercenter_customers" "all" {}

output "count" {
  value = length(data.partnercenter_customers.all.customers)
}
`,
		expect: map[mockpartnercenter.Route]int{mockpartnercenter.RouteListCustomers: pages},
		// The token, then the pages one after the other.
		bound: func(l time.Duration) time.Duration { return time.Duration(1+pages) * l },
	}
	if n >= 10000 {
		r.runs = 1
		r.maxCPUPerCustomer = 70 * time.Microsecond
		r.maxRSSMiB = 128 * float64(n) / 10000
	}
	return r
}

// byKeyRow reads n customers one partnercenter_customer instance each: by_id
// and by_domain with for_each, by_id_count with count.
func byKeyRow(name string, n int) row {
	keys := make([]string, n)
	for i := range keys {
		if name == "by_domain" {
			keys[i] = fmt.Sprintf("%q", mockpartnercenter.GeneratedCustomerDomain(i))
		} else {
			keys[i] = fmt.Sprintf("%q", mockpartnercenter.GeneratedCustomerID(i))
		}
	}
	block := `  for_each = toset(local.keys)
  id       = each.value`
	switch name {
	case "by_domain":
		block = `  for_each = toset(local.keys)
  domain   = each.value`
	case "by_id_count":
		block = `  count = length(local.keys)
  id    = local.keys[count.index]`
	}
	requests := map[mockpartnercenter.Route]int{mockpartnercenter.RouteGetCustomer: n}
	steps := 1 // requests per customer, one after the other
	if name == "by_domain" {
		requests[mockpartnercenter.RouteListCustomers] = n // the list filtered by domain, then the get
		steps = 2
	}
	runs := 3
	if n >= 1000 {
		runs = 1
	}
	return row{
		name: name, n: n, runs: runs,
		mock: mockpartnercenter.Options{GeneratedCustomers: n},
		config: fmt.Sprintf(`locals {
  keys = [%s]
}

data "partnercenter_customer" "c" {
%s
}

output "count" {
  value = length(data.partnercenter_customer.c)
}
`, strings.Join(keys, ", "), block),
		expect: requests,
		bound: func(l time.Duration) time.Duration {
			return l + time.Duration(steps*((n+parallelism-1)/parallelism))*l
		},
	}
}
