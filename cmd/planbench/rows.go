package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	mpc "github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// A row is one configuration timed against a mock holding what it reads.
type row struct {
	name           string
	n, runs        int               // customers read or subscriptions managed; runs timed, the median shown
	pages          bool              // the configuration lists every customer first
	each           map[mpc.Route]int // requests per instance, by route, one after the other
	once           map[mpc.Route]int // requests per run whatever N, by route, one after the other
	tokens         int               // token requests per run; zero means one
	config         string
	managed, apply bool          // managedConfigs; apply: time an apply instead of a plan
	query          bool          // config is a query file: time terraform query -generate-config-out (expect says what it reads)
	renewal        bool          // managedConfigs: each managed subscription has a renewal scheduled
	limit          mpc.RateLimit // switched on after the untimed setup
	maxCPUPerN     time.Duration // targets; zero means none
	maxRSSMiB      float64
}

const parallelism = 10 // Terraform's default

// defaultRows are the rows make bench measures (BENCHMARKS.md describes each).
func defaultRows() []row {
	list := counted(`data "partnercenter_customers" "all" {}`+"\n", "data.partnercenter_customers.all.customers")
	subs := counted(`data "partnercenter_customers" "all" {}

data "partnercenter_customer_subscriptions" "each" {
  for_each    = { for c in data.partnercenter_customers.all.customers : c.id => c }
  customer_id = each.key
}
`, "data.partnercenter_customer_subscriptions.each")
	byID, byDomain, byCount := "  for_each = toset(local.keys)\n  id       = each.value",
		"  for_each = toset(local.keys)\n  domain   = each.value", "  count = length(local.keys)\n  id    = local.keys[count.index]"
	gdap := counted(`data "partnercenter_customers" "all" {}

resource "partnercenter_gdap_relationship" "r" {
  for_each     = { for c in data.partnercenter_customers.all.customers : coalesce(c.company_profile.tenant_id, c.id) => c }
  display_name = "bench-${each.key}"
  customer_id  = each.key
  duration     = "P730D"
  roles        = ["f2ef992c-3afb-46b9-b7cf-a126ee74c451"] # Global Reader
}
`, "partnercenter_gdap_relationship.r")
	// The list blocks of examples/adopt-estate: the whole estate.
	estate := `list "partnercenter_customer" "all" {
  provider = partnercenter
  limit    = 10000
}

list "partnercenter_customer_subscription" "all" {
  provider = partnercenter
  limit    = 10000
}
`
	get := map[mpc.Route]int{mpc.RouteGetCustomer: 1}
	getByDomain := map[mpc.Route]int{mpc.RouteGetCustomer: 1, mpc.RouteListCustomers: 1}
	return []row{
		{name: "list", n: 1, runs: 3, pages: true, config: list},
		{name: "list", n: 100, runs: 3, pages: true, config: list},
		{name: "list", n: 1000, runs: 3, pages: true, config: list},
		{name: "list", n: 10000, runs: 1, pages: true, config: list, maxCPUPerN: 70 * time.Microsecond, maxRSSMiB: 128},
		{name: "list", n: 50000, runs: 1, pages: true, config: list, maxCPUPerN: 70 * time.Microsecond, maxRSSMiB: 5 * 128},
		{name: "by_id", n: 1, runs: 3, each: get, config: keyed(1, mpc.GeneratedCustomerID, byID)},
		{name: "by_id", n: 100, runs: 3, each: get, config: keyed(100, mpc.GeneratedCustomerID, byID)},
		{name: "by_id", n: 1000, runs: 1, each: get, config: keyed(1000, mpc.GeneratedCustomerID, byID)},
		{name: "by_domain", n: 1, runs: 3, each: getByDomain, config: keyed(1, mpc.GeneratedCustomerDomain, byDomain)},
		{name: "by_domain", n: 100, runs: 3, each: getByDomain, config: keyed(100, mpc.GeneratedCustomerDomain, byDomain)},
		{name: "by_domain", n: 1000, runs: 1, each: getByDomain, config: keyed(1000, mpc.GeneratedCustomerDomain, byDomain)},
		{name: "by_id_count", n: 1000, runs: 1, each: get, config: keyed(1000, mpc.GeneratedCustomerID, byCount)},
		{name: "by_id_throttled", n: 300, runs: 1, each: get, config: keyed(300, mpc.GeneratedCustomerID, byID),
			limit: mpc.RateLimit{Requests: 50, Window: 5 * time.Second}},
		// Each new relationship's plan looks its display name up in one
		// listing of the partner's relationships (the mock holds none) per
		// provider process; Graph's token is the run's second.
		{name: "gdap_offer", n: 1000, runs: 1, pages: true, tokens: 2, once: map[mpc.Route]int{mpc.RouteGDAPRelationships: 1}, config: gdap},
		{name: "subscriptions", n: 1000, runs: 1, pages: true, each: map[mpc.Route]int{mpc.RouteListSubscriptions: 1}, config: subs},
		// An apply changes what a next run would see: the managed rows run once.
		{name: "managed_refresh", n: 1000, runs: 1, managed: true, each: map[mpc.Route]int{mpc.RouteGetSubscription: 1},
			limit: mpc.RateLimit{Requests: 100, Window: 10 * time.Second}},
		// A change reads the subscription, as the PATCH carries the whole
		// document and its etag, then sends the PATCH, whose 200 answers
		// with the result. Terraform starts the provider again for the
		// apply, and the token cache lives in the process: a second token.
		{name: "managed_change", n: 100, runs: 1, managed: true, apply: true, tokens: 2,
			each: map[mpc.Route]int{mpc.RouteGetSubscription: 2, mpc.RouteUpdateSubscription: 1}},
		// The renewal scheduled is read with the subscription: nothing more.
		{name: "managed_renewal", n: 1000, runs: 1, managed: true, renewal: true, each: map[mpc.Route]int{mpc.RouteGetSubscription: 1}},
		// terraform query -generate-config-out over every customer and their
		// subscriptions: the configuration that adopts the whole estate.
		// The customer block reads each customer as an import does; the
		// subscription block lists each customer's subscriptions.
		{name: "query_estate", n: 1000, runs: 1, pages: true, query: true, config: estate,
			each:       map[mpc.Route]int{mpc.RouteGetCustomer: 1, mpc.RouteListSubscriptions: 1},
			maxCPUPerN: 10 * time.Millisecond, maxRSSMiB: 64},
	}
}

func counted(config, expr string) string {
	return config + "\noutput \"count\" {\n  value = length(" + expr + ")\n}\n"
}

// keyed reads the first n generated customers one by one, by the key block
// takes from local.keys.
func keyed(n int, key func(int) string, block string) string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strconv.Quote(key(i))
	}
	return counted(fmt.Sprintf("locals {\n  keys = [%s]\n}\n\ndata \"partnercenter_customer\" \"c\" {\n%s\n}\n",
		strings.Join(keys, ", "), block), "data.partnercenter_customer.c")
}

// customers is how many the mock generates besides the documented one: a
// list reads them all, and half of them hold an active licence subscription.
func (r row) customers() int {
	if r.managed {
		return 2 * r.n
	}
	if r.pages {
		return r.n - 1
	}
	return r.n
}

// expect is the API requests one run must send, by route, and rounds how
// many of them wait for each other: the pages, each needing the previous
// one's continuation token, then each instance's, ten instances at a time
// (a query: each route of each is one list block's request per customer,
// the blocks side by side, each reading the pages and then its customers one
// after the other), and those of the run, one after the other.
func (r row) expect() (expect map[mpc.Route]int, rounds int) {
	expect = map[mpc.Route]int{}
	if r.pages {
		rounds = max(ceilDiv(r.n, partnercenter.DefaultPageSize), 1)
		expect[mpc.RouteListCustomers] = rounds
		if r.query {
			expect[mpc.RouteListCustomers] *= len(r.each)
		}
	}
	longest := 0
	for route, k := range r.each {
		expect[route] += k * r.n
		if r.query {
			longest = max(longest, k*r.n)
		} else {
			rounds += k * ceilDiv(r.n, parallelism)
		}
	}
	rounds += longest
	for route, k := range r.once {
		expect[route] += k
		rounds += k
	}
	return expect, rounds
}

// bound is the least wall time latency forces on a run: the token requests
// and the rounds, or, under a rate limit, the opening of the last window the
// expected requests need, then that window's requests ten at a time.
func (r row) bound(latency time.Duration) time.Duration {
	expect, rounds := r.expect()
	requests := 0
	for _, n := range expect {
		requests += n
	}
	b := time.Duration(cmp.Or(r.tokens, 1)+rounds) * latency
	if l := r.limit; l.Requests > 0 {
		windows := ceilDiv(requests, l.Requests)
		last := requests - (windows-1)*l.Requests
		b = max(b, time.Duration(windows-1)*l.Window+time.Duration(ceilDiv(last, parallelism))*latency)
	}
	return b
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// managedConfigs manages n of the mock's active licence subscriptions as
// they are: setup also imports them, with for_each (Terraform 1.7); config,
// the one timed, adds a seat to each when the row applies. With renewal, it
// manages subscriptions with auto-renew on only, each with one seat fewer
// (at least one) scheduled for its renewal, which the setup schedules.
func managedConfigs(mock *mpc.Server, n int, apply, renewal bool) (setup, config string, err error) {
	var locals []string
	for _, customerID := range mock.CustomerIDs() {
		for _, doc := range mock.Subscriptions(customerID) {
			var s struct {
				ID, OfferID, TermDuration, BillingCycle, Status, BillingType string
				Quantity                                                     int
				AutoRenew                                                    bool `json:"autoRenewEnabled"`
			}
			if err := json.Unmarshal(doc, &s); err != nil {
				return "", "", fmt.Errorf("subscription of customer %s: %w", customerID, err)
			}
			if len(locals) < n && s.Status == "active" && s.BillingType == "license" && s.TermDuration != "" && (s.AutoRenew || !renewal) {
				locals = append(locals, fmt.Sprintf("    %q = { customer = %q, item = %q, term = %q, cycle = %q, quantity = %d, "+
					"auto_renew = %t }\n", s.ID, customerID, s.OfferID, s.TermDuration, s.BillingCycle, s.Quantity, s.AutoRenew))
			}
		}
	}
	if len(locals) < n {
		return "", "", fmt.Errorf("the mock holds %d active licence subscriptions, not %d", len(locals), n)
	}
	config = "locals {\n  subscriptions = {\n" + strings.Join(locals, "") + `  }
}

resource "partnercenter_customer_subscription" "managed" {
  for_each        = local.subscriptions
  customer_id     = each.value.customer
  catalog_item_id = each.value.item
  term_duration   = each.value.term
  billing_cycle   = each.value.cycle
  quantity        = each.value.quantity
  auto_renew      = each.value.auto_renew
}
`
	if renewal {
		config = strings.Replace(config, "  auto_renew      = each.value.auto_renew\n",
			"  auto_renew      = each.value.auto_renew\n  renewal         = { quantity = max(each.value.quantity - 1, 1) }\n", 1)
	}
	setup = config + `
import {
  for_each = local.subscriptions
  to       = partnercenter_customer_subscription.managed[each.key]
  id       = "${each.value.customer}/${each.key}"
}
`
	if apply {
		config = strings.Replace(config, "= each.value.quantity", "= each.value.quantity + 1", 1)
	}
	return setup, config, nil
}

// rowsFor keeps the rows whose name matches only that the CLI's release
// ("1.11.4", "v1.7.0", "1.8.0-beta1") can run, saying why it skips others.
func rowsFor(rows []row, only, release string) (kept []row, skipped []string, err error) {
	re, err := regexp.Compile(only)
	if err != nil {
		return nil, nil, err
	}
	var v [3]int
	core, _, _ := strings.Cut(strings.TrimPrefix(release, "v"), "-")
	if n, err := fmt.Sscanf(core+"\n", "%d.%d.%d\n", &v[0], &v[1], &v[2]); n != 3 || err != nil || min(v[0], v[1], v[2]) < 0 {
		return nil, nil, fmt.Errorf("version %q is not major.minor.patch", release)
	}
	for _, r := range rows {
		switch {
		case !re.MatchString(r.name):
		case r.managed && slices.Compare(v[:], []int{1, 7, 0}) < 0:
			skipped = append(skipped, fmt.Sprintf("skipped %s N=%d: it needs Terraform 1.7.0 or later (import blocks with "+
				"for_each); this is %s", r.name, r.n, release))
		case r.query && slices.Compare(v[:], []int{1, 14, 0}) < 0:
			skipped = append(skipped, fmt.Sprintf("skipped %s N=%d: it needs Terraform 1.14.0 or later (terraform query); "+
				"this is %s", r.name, r.n, release))
		default:
			kept = append(kept, r)
		}
	}
	return kept, skipped, nil
}

// plan is what one timed run cost: a `terraform plan`, or an apply.
type plan struct {
	wall, providerCPU time.Duration // providerCPU summed over the run's provider processes
	terraformCPU      time.Duration // Terraform and every process it reaped, providers included
	peakRSSKiB        int64         // of the largest provider process
	stateBytes        int64
	requests          map[mpc.Route]int // expected routes only; other counts the rest
	other, throttled  int               // throttled: answered 429 by the rate limit, and repeated
	tokens            int
	failedReads       int // errors in the plan's output
}

type result struct {
	row
	plans []plan // by wall time
}

// median is the plan with the median wall time (the lower of two middles).
func (r result) median() plan { return r.plans[(len(r.plans)-1)/2] }

func (r result) cpuPerN() time.Duration { return r.median().providerCPU / time.Duration(max(r.n, 1)) }

func (p plan) peakRSSMiB() float64 { return float64(p.peakRSSKiB) / 1024 }

// columns of the table; a new one is a line here. m is r's median plan.
var columns = []struct {
	title string
	value func(r result, m plan) string
}{
	{"row", func(r result, _ plan) string { return r.name }},
	{"N", func(r result, _ plan) string { return strconv.Itoa(r.n) }},
	{"runs", func(r result, _ plan) string { return strconv.Itoa(len(r.plans)) }},
	{"wall s", func(_ result, m plan) string { return seconds(m.wall) }},
	{"bound s", func(r result, _ plan) string { return seconds(r.bound(*latency)) }},
	{"Terraform CPU s", func(_ result, m plan) string { return seconds(m.terraformCPU - m.providerCPU) }},
	{"provider CPU s", func(_ result, m plan) string { return seconds(m.providerCPU) }},
	{"provider µs/N", func(r result, _ plan) string { return strconv.FormatInt(r.cpuPerN().Microseconds(), 10) }},
	{"provider peak RSS MiB", func(_ result, m plan) string { return fmt.Sprintf("%.1f", m.peakRSSMiB()) }},
	{"state B/N", func(r result, m plan) string { return strconv.FormatInt(m.stateBytes/int64(max(r.n, 1)), 10) }},
	{"requests", func(_ result, m plan) string { return formatRequests(m.requests, m.other) }},
	{"throttled", func(_ result, m plan) string { return strconv.Itoa(m.throttled) }},
	{"tokens", func(_ result, m plan) string { return strconv.Itoa(m.tokens) }},
	{"failed reads", func(_ result, m plan) string { return strconv.Itoa(m.failedReads) }},
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

func formatRequests(requests map[mpc.Route]int, other int) string {
	var parts []string
	for _, route := range slices.Sorted(maps.Keys(requests)) {
		parts = append(parts, fmt.Sprintf("%d %s", requests[route], route))
	}
	if other > 0 {
		parts = append(parts, fmt.Sprintf("%d other", other))
	}
	return strings.Join(parts, " + ")
}

func tableLine(cell func(i int) string) string {
	line := ""
	for i := range columns {
		line += "| " + cell(i) + " "
	}
	return line + "|\n"
}

// line is r's line of the table, also printed as progress.
func (r result) line() string {
	m := r.median()
	return tableLine(func(i int) string { return columns[i].value(r, m) })
}

// checks returns a MISS line for every target missed, in every plan.
func checks(results []result) (misses []string) {
	for _, r := range results {
		miss := func(format string, args ...any) {
			misses = append(misses, fmt.Sprintf("MISS %s N=%d: ", r.name, r.n)+fmt.Sprintf(format, args...))
		}
		expect, _ := r.expect()
		for _, p := range r.plans {
			if want := cmp.Or(r.tokens, 1); p.tokens != want {
				miss("%d token requests in one run, want %d", p.tokens, want)
			}
			// On each route at least as many as expected, on no other, and in
			// all exactly as many once the throttled ones are taken away.
			sent, want, short := 0, 0, false
			for route, n := range expect {
				sent, want, short = sent+p.requests[route], want+n, short || p.requests[route] < n
			}
			if p.other != 0 || short || sent-p.throttled != want {
				miss("requests %s (%d throttled), want %s", formatRequests(p.requests, p.other), p.throttled, formatRequests(expect, 0))
			}
			if p.failedReads > 0 {
				miss("%d reads failed", p.failedReads)
			}
		}
		m, bound := r.median(), r.bound(*latency)
		// Retry-After is in whole seconds: each window may open up to a
		// second late.
		if r.limit.Requests > 0 && m.wall > bound*5/4 {
			miss("wall %s, target 1.25 × the bound %s", m.wall.Round(10*time.Millisecond), bound)
		}
		if t := r.maxCPUPerN; t > 0 && r.cpuPerN() > t {
			miss("provider CPU %s per customer, target %s", r.cpuPerN(), t)
		}
		if t := r.maxRSSMiB; t > 0 && m.peakRSSMiB() > t {
			miss("provider peak RSS %.1f MiB, target %.0f MiB", m.peakRSSMiB(), t)
		}
	}
	return misses
}
