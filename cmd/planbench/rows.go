package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
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
	apply   bool // time `terraform apply` instead of `terraform plan`
	// expect is the API requests one timed run must send, by route, and
	// tokens its token requests; zero means one.
	expect map[mockpartnercenter.Route]int
	tokens int
	// rounds is how many requests are sent one after the other: latency
	// alone makes a run last at least rounds × latency (see bound).
	rounds int
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
	return append(rows, byKeyRow("by_id_count", 1000), rateLimited(byKeyRow("by_id_throttled", 300), 50, 5*time.Second),
		subscriptionsRow(1000), rateLimited(managedRow("managed_refresh", 1000, 0), 100, 10*time.Second),
		managedRow("managed_change", 100, 100))
}

// bound is the least wall time latency forces on a run: its rounds, or,
// under a rate limit, the opening of the last window the expected requests
// need, then that window's requests ten at a time.
func (r row) bound(latency time.Duration) time.Duration {
	b := time.Duration(r.rounds) * latency
	if limit := r.mock.RateLimit; limit.Requests > 0 {
		requests := 0
		for _, n := range r.expect {
			requests += n
		}
		windows := ceilDiv(requests, limit.Requests)
		last := requests - (windows-1)*limit.Requests
		b = max(b, time.Duration(windows-1)*limit.Window+time.Duration(ceilDiv(last, parallelism))*latency)
	}
	return b
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// rateLimited makes r's mock admit only limit API requests per window, as
// the live service limits the customer and subscription resources: the
// requests wait as each 429's Retry-After says, and none may fail.
func rateLimited(r row, limit int, window time.Duration) row {
	r.runs = 1 // the rate limit, not the machine, sets its time
	r.mock.RateLimit = mockpartnercenter.RateLimit{Requests: limit, Window: window}
	r.mayFail = true          // counted, and a MISS
	r.maxWallOverBound = 1.25 // Retry-After is in whole seconds: each window may open up to a second late
	return r
}

// counted is a configuration with an output counting what expr holds.
func counted(config, expr string) string {
	return config + "\noutput \"count\" {\n  value = length(" + expr + ")\n}\n"
}

// listRow reads every customer of a mock holding n with one
// partnercenter_customers: the token, then the pages one after the other.
func listRow(n int) row {
	pages := max(ceilDiv(n, partnercenter.DefaultPageSize), 1)
	r := row{
		name: "list", n: n, runs: 3,
		mock:   mockpartnercenter.Options{GeneratedCustomers: n - 1}, // besides the documented one
		config: counted(`data "partnercenter_customers" "all" {}`+"\n", "data.partnercenter_customers.all.customers"),
		expect: map[mockpartnercenter.Route]int{mockpartnercenter.RouteListCustomers: pages},
		rounds: 1 + pages,
	}
	if n >= 10000 {
		r.runs = 1
		r.maxCPUPerCustomer = 70 * time.Microsecond
		r.maxRSSMiB = 128 * float64(n) / 10000
	}
	return r
}

// subscriptionsRow reads the subscriptions of every customer of a mock
// holding n, with for_each over partnercenter_customers: the token, the
// pages, then the subscription lists ten at a time.
func subscriptionsRow(n int) row {
	pages := max(ceilDiv(n, partnercenter.DefaultPageSize), 1)
	return row{
		name: "subscriptions", n: n, runs: 1,
		mock: mockpartnercenter.Options{GeneratedCustomers: n - 1}, // besides the documented one
		config: counted(`data "partnercenter_customers" "all" {}

data "partnercenter_customer_subscriptions" "each" {
  for_each    = { for c in data.partnercenter_customers.all.customers : c.id => c }
  customer_id = each.key
}
`, "data.partnercenter_customer_subscriptions.each"),
		expect: map[mockpartnercenter.Route]int{
			mockpartnercenter.RouteListCustomers:     pages,
			mockpartnercenter.RouteListSubscriptions: n,
		},
		rounds: 1 + pages + ceilDiv(n, parallelism),
	}
}

// byKeyRow reads n customers one partnercenter_customer instance each: by_id
// (and by_id_throttled) and by_domain with for_each, by_id_count with count.
// By domain, each is a list filtered by domain, then the get.
func byKeyRow(name string, n int) row {
	key, block := mockpartnercenter.GeneratedCustomerID, "  for_each = toset(local.keys)\n  id       = each.value"
	expect := map[mockpartnercenter.Route]int{mockpartnercenter.RouteGetCustomer: n}
	switch name {
	case "by_domain":
		key, block = mockpartnercenter.GeneratedCustomerDomain, "  for_each = toset(local.keys)\n  domain   = each.value"
		expect[mockpartnercenter.RouteListCustomers] = n
	case "by_id_count":
		block = "  count = length(local.keys)\n  id    = local.keys[count.index]"
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strconv.Quote(key(i))
	}
	runs := 3
	if n >= 1000 {
		runs = 1
	}
	return row{
		name: name, n: n, runs: runs,
		mock: mockpartnercenter.Options{GeneratedCustomers: n},
		config: counted(fmt.Sprintf("locals {\n  keys = [%s]\n}\n\ndata \"partnercenter_customer\" \"c\" {\n%s\n}\n",
			strings.Join(keys, ", "), block), "data.partnercenter_customer.c"),
		expect: expect,
		// The token, then the customers ten at a time, each one request
		// after the other.
		rounds: 1 + len(expect)*ceilDiv(n, parallelism),
	}
}

// managedRow manages n of the mock's active licence subscriptions with
// partnercenter_customer_subscription and for_each, brought into the state
// by import blocks in an untimed apply. With changed zero it times a plan
// refreshing them (the token, then one read each, ten at a time); otherwise
// an apply adding a seat to the first changed.
func managedRow(name string, n, changed int) row {
	r := row{
		name: name, n: n, runs: 1, // an apply changes what the next run would see
		// Half the generated customers hold an active licence subscription.
		mock: mockpartnercenter.Options{GeneratedCustomers: 2 * n},
		prepare: func(mock *mockpartnercenter.Server) (setup, config string, err error) {
			subs, err := activeLicences(mock, n)
			if err != nil {
				return "", "", err
			}
			setup = managedConfig(subs) + importBlock
			for i := range changed {
				subs[i].Quantity++
			}
			return setup, managedConfig(subs), nil
		},
		apply:             changed > 0,
		minTerraform:      terraformVersion{1, 7, 0},
		needsNewerBecause: "import blocks with for_each",
		expect:            map[mockpartnercenter.Route]int{mockpartnercenter.RouteGetSubscription: n},
		rounds:            1 + ceilDiv(n, parallelism),
	}
	if changed > 0 {
		// Each change reads the subscription and sends it back changed,
		// whose 200 answers with the result (UpdateSubscription); the
		// apply's provider process asks for a token of its own.
		r.expect[mockpartnercenter.RouteGetSubscription] += changed
		r.expect[mockpartnercenter.RouteUpdateSubscription] = changed
		r.tokens = 2
		r.rounds += 1 + 2*ceilDiv(changed, parallelism)
	}
	return r
}

// managedSubscription is what the configuration of a subscription states.
type managedSubscription struct {
	CustomerID   string
	ID           string `json:"id"`
	OfferID      string `json:"offerId"`
	TermDuration string `json:"termDuration"`
	BillingCycle string `json:"billingCycle"`
	Quantity     int    `json:"quantity"`
	AutoRenew    bool   `json:"autoRenewEnabled"`
	Status       string `json:"status"`
	BillingType  string `json:"billingType"`
}

// activeLicences returns the first n active licence subscriptions of the
// mock's customers, in list order.
func activeLicences(mock *mockpartnercenter.Server, n int) ([]managedSubscription, error) {
	var subs []managedSubscription
	for _, customerID := range mock.CustomerIDs() {
		for _, doc := range mock.Subscriptions(customerID) {
			s := managedSubscription{CustomerID: customerID}
			if err := json.Unmarshal(doc, &s); err != nil {
				return nil, fmt.Errorf("subscription of customer %s: %w", customerID, err)
			}
			if s.Status == "active" && s.BillingType == "license" && s.TermDuration != "" {
				subs = append(subs, s)
			}
			if len(subs) == n {
				return subs, nil
			}
		}
	}
	return nil, fmt.Errorf("the mock holds %d active licence subscriptions, not %d", len(subs), n)
}

// managedConfig manages subs as they are, under their ids.
func managedConfig(subs []managedSubscription) string {
	var b strings.Builder
	b.WriteString("locals {\n  subscriptions = {\n")
	for _, s := range subs {
		fmt.Fprintf(&b, "    %q = { customer = %q, item = %q, term = %q, cycle = %q, quantity = %d, auto_renew = %t }\n",
			s.ID, s.CustomerID, s.OfferID, s.TermDuration, s.BillingCycle, s.Quantity, s.AutoRenew)
	}
	b.WriteString(`  }
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
`)
	return b.String()
}

const importBlock = `
import {
  for_each = local.subscriptions
  to       = partnercenter_customer_subscription.managed[each.key]
  id       = "${each.value.customer}/${each.key}"
}
`

// terraformVersion is a Terraform (or OpenTofu) release: major, minor, patch.
type terraformVersion [3]int

func (v terraformVersion) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// parseTerraformVersion reads "1.11.4", "v1.7.0" or "1.8.0-beta1"; a
// pre-release counts as its release.
func parseTerraformVersion(s string) (terraformVersion, error) {
	core, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(s), "v"), "-")
	parts := strings.Split(core, ".")
	var v terraformVersion
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if len(parts) != 3 || err != nil || n < 0 {
			return v, fmt.Errorf("version %q is not major.minor.patch", s)
		}
		v[i] = n
	}
	return v, nil
}

// detectTerraformVersion asks the CLI for its release; OpenTofu answers in
// the same field, and may print a warning about its CLI configuration
// before the JSON on stdout.
func detectTerraformVersion(ctx context.Context, terraform string) (terraformVersion, error) {
	out, err := exec.CommandContext(ctx, terraform, "version", "-json").Output()
	var answer struct {
		Version string `json:"terraform_version"`
	}
	if err == nil {
		err = json.NewDecoder(bytes.NewReader(out[max(bytes.IndexByte(out, '{'), 0):])).Decode(&answer)
	}
	if err != nil {
		return terraformVersion{}, fmt.Errorf("%s version -json: %w", terraform, err)
	}
	return parseTerraformVersion(answer.Version)
}

// rowsFor keeps the rows the CLI at version can run and says why each other
// row is skipped.
func rowsFor(rows []row, version terraformVersion) (kept []row, skipped []string) {
	for _, r := range rows {
		if slices.Compare(version[:], r.minTerraform[:]) < 0 {
			skipped = append(skipped, fmt.Sprintf("skipped %s N=%d: it needs Terraform %s or later (%s); this is %s",
				r.name, r.n, r.minTerraform, r.needsNewerBecause, version))
			continue
		}
		kept = append(kept, r)
	}
	return kept, skipped
}
