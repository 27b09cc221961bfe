package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func TestReadProcsSkipsTimeNotes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "procs.txt")
	content := "0.02 0.01 21504\nCommand terminated by signal 9\n1.50 0.25 40960\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	cpu, peak, err := readProcs(path)
	if err != nil {
		t.Fatal(err)
	}
	if p := (plan{peakRSSKiB: peak}); cpu != 1780*time.Millisecond || p.peakRSSMiB() != 40 {
		t.Errorf("CPU %s, peak %.1f MiB; want 1.78s, 40 MiB", cpu, p.peakRSSMiB())
	}
}

func TestReplaceTableKeepsTheProse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := os.WriteFile(path, []byte("intro\n"+beginMarker+"\nold table\n"+endMarker+"\nanalysis\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := replaceTable(path, "new table\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if want := "intro\n" + beginMarker + "\nnew table\n" + endMarker + "\nanalysis\n"; string(b) != want {
		t.Errorf("got %q, want %q", b, want)
	}
	if err := os.WriteFile(path, []byte("no markers"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := replaceTable(path, "t"); err == nil {
		t.Error("a file without markers was accepted")
	}
}

// rowNamed is the default row of that name and N.
func rowNamed(t *testing.T, name string, n int) row {
	t.Helper()
	for _, r := range defaultRows() {
		if r.name == name && r.n == n {
			return r
		}
	}
	t.Fatalf("no row %s N=%d", name, n)
	return row{}
}

// Every row expects, and is bound by, what BENCHMARKS.md's table shows.
func TestRowsExpectTheTable(t *testing.T) {
	want := []string{
		"list 1 0.10 1 list_customers 1", "list 100 0.10 1 list_customers 1", "list 1000 0.15 2 list_customers 1",
		"list 10000 1.05 20 list_customers 1", "list 50000 5.05 100 list_customers 1",
		"by_id 1 0.10 1 get_customer 1", "by_id 100 0.55 100 get_customer 1", "by_id 1000 5.05 1000 get_customer 1",
		"by_domain 1 0.15 1 get_customer + 1 list_customers 1", "by_domain 100 1.05 100 get_customer + 100 list_customers 1",
		"by_domain 1000 10.05 1000 get_customer + 1000 list_customers 1", "by_id_count 1000 5.05 1000 get_customer 1",
		"by_id_throttled 300 25.25 300 get_customer 1", "gdap_offer 1000 0.25 1 gdap_relationships + 2 list_customers 2",
		"subscriptions 1000 5.15 2 list_customers + 1000 list_subscriptions 1",
		"managed_refresh 1000 90.50 1000 get_subscription 1", "managed_change 100 1.60 200 get_subscription + 100 update_subscription 2",
		"managed_renewal 1000 5.05 1000 get_subscription 1",
		"query_estate 1000 50.15 1000 get_customer + 4 list_customers + 1000 list_subscriptions 1",
	}
	var got []string
	for _, r := range defaultRows() {
		expect, _ := r.expect()
		got = append(got, fmt.Sprintf("%s %d %s %s %d", r.name, r.n, seconds(r.bound(50*time.Millisecond)),
			formatRequests(expect, 0), cmp.Or(r.tokens, 1)))
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestChecksReportEveryMiss(t *testing.T) {
	r := rowNamed(t, "list", 10000)
	expect, _ := r.expect()
	good := plan{tokens: 1, requests: expect, providerCPU: 300 * time.Millisecond, peakRSSKiB: 40 << 10}
	if misses := checks([]result{{row: r, plans: []plan{good}}}); len(misses) != 0 {
		t.Errorf("misses for a good plan: %v", misses)
	}
	bad := plan{tokens: 2, requests: map[mockpartnercenter.Route]int{mockpartnercenter.RouteListCustomers: 21},
		providerCPU: time.Second, peakRSSKiB: 200 << 10}
	misses := checks([]result{{row: r, plans: []plan{bad}}})
	for _, want := range []string{"token", "requests", "CPU", "RSS"} {
		if !strings.Contains(strings.Join(misses, "\n"), want) {
			t.Errorf("no MISS about %s in %v", want, misses)
		}
	}
}

// Offering relationships to N customers costs one listing of the partner's
// relationships and one Graph token, whatever N: a listing per relationship
// is a MISS.
func TestChecksOfTheGDAPRow(t *testing.T) {
	r := rowNamed(t, "gdap_offer", 1000)
	list, gdap := mockpartnercenter.RouteListCustomers, mockpartnercenter.RouteGDAPRelationships
	good := plan{tokens: 2, requests: map[mockpartnercenter.Route]int{list: 2, gdap: 1}}
	if misses := checks([]result{{row: r, plans: []plan{good}}}); len(misses) != 0 {
		t.Errorf("misses for a good plan: %v", misses)
	}
	for name, bad := range map[string]plan{
		"a listing per relationship": {tokens: 2, requests: map[mockpartnercenter.Route]int{list: 2, gdap: 1000}},
		"no Graph token":             {tokens: 1, requests: map[mockpartnercenter.Route]int{list: 2, gdap: 1}},
		"a get per relationship":     {tokens: 2, requests: map[mockpartnercenter.Route]int{list: 2, gdap: 1}, other: 1000},
	} {
		if misses := checks([]result{{row: r, plans: []plan{bad}}}); len(misses) != 1 {
			t.Errorf("%s: misses %v, want one", name, misses)
		}
	}
}

// terraform query over the estate reads each customer once per list block,
// both blocks reading the pages, and nothing per subscription: a read per
// subscription, a missing block's requests or too much CPU is a MISS.
func TestChecksOfTheQueryRow(t *testing.T) {
	r := rowNamed(t, "query_estate", 1000)
	list, get, subs := mockpartnercenter.RouteListCustomers, mockpartnercenter.RouteGetCustomer, mockpartnercenter.RouteListSubscriptions
	good := plan{tokens: 1, requests: map[mockpartnercenter.Route]int{list: 4, get: 1000, subs: 1000}, providerCPU: 5 * time.Second}
	if misses := checks([]result{{row: r, plans: []plan{good}}}); len(misses) != 0 {
		t.Errorf("misses for a good query: %v", misses)
	}
	for name, bad := range map[string]plan{
		"a read per subscription":   {tokens: 1, requests: map[mockpartnercenter.Route]int{list: 4, get: 1000, subs: 1000}, other: 2100},
		"no customer block":         {tokens: 1, requests: map[mockpartnercenter.Route]int{list: 2, subs: 1000}},
		"a token per list block":    {tokens: 2, requests: map[mockpartnercenter.Route]int{list: 4, get: 1000, subs: 1000}},
		"20 ms of CPU per customer": {tokens: 1, requests: map[mockpartnercenter.Route]int{list: 4, get: 1000, subs: 1000}, providerCPU: 20 * time.Second},
	} {
		if misses := checks([]result{{row: r, plans: []plan{bad}}}); len(misses) != 1 {
			t.Errorf("%s: misses %v, want one", name, misses)
		}
	}
}

// The query row times the list blocks of examples/adopt-estate, which the
// estate guide tells partners to run.
func TestQueryRowIsTheExample(t *testing.T) {
	example, err := os.ReadFile("../../examples/adopt-estate/estate.tfquery.hcl")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for line := range strings.Lines(string(example)) {
		if !strings.HasPrefix(line, "#") {
			blocks = append(blocks, line)
		}
	}
	if got, want := rowNamed(t, "query_estate", 1000).config, strings.Join(blocks, ""); got != want {
		t.Errorf("the query row's configuration:\n%s\nthe example's list blocks:\n%s", got, want)
	}
}

// Every row's mock holds the customers its configuration reads.
func TestRowsFitTheirMock(t *testing.T) {
	for _, r := range defaultRows() {
		if r.customers()+1 < r.n {
			t.Errorf("%s N=%d: the mock holds %d customers", r.name, r.n, r.customers()+1)
		}
	}
}

// Under the rate limit, throttled requests are repeated: the plan is right
// when what was admitted matches the reads, no read failed and the wall time
// stays near the windows the limit forces.
func TestChecksOfTheThrottledRow(t *testing.T) {
	r := rowNamed(t, "by_id_throttled", 300)
	if got := r.bound(50 * time.Millisecond); got != 25*time.Second+250*time.Millisecond {
		t.Fatalf("bound %s, want the sixth window of 5s opening at 25s, then its 50 reads ten at a time", got)
	}
	get := mockpartnercenter.RouteGetCustomer
	good := plan{wall: 28 * time.Second, tokens: 1, throttled: 40, requests: map[mockpartnercenter.Route]int{get: 340}}
	if misses := checks([]result{{row: r, plans: []plan{good}}}); len(misses) != 0 {
		t.Errorf("misses for a good throttled plan: %v", misses)
	}
	for name, bad := range map[string]plan{
		"a read lost":        {wall: 28 * time.Second, tokens: 1, throttled: 40, requests: map[mockpartnercenter.Route]int{get: 339}},
		"a read failed":      {wall: 28 * time.Second, tokens: 1, throttled: 40, requests: map[mockpartnercenter.Route]int{get: 340}, failedReads: 1},
		"far over the bound": {wall: 37 * time.Second, tokens: 1, throttled: 40, requests: map[mockpartnercenter.Route]int{get: 340}},
	} {
		if misses := checks([]result{{row: r, plans: []plan{bad}}}); len(misses) != 1 {
			t.Errorf("%s: misses %v, want one", name, misses)
		}
	}
}

// A managed row finds the subscriptions it manages in its own mock, imports
// each in the setup only, and its timed configuration adds a seat to each
// when it applies, and else is the setup's without the import.
func TestManagedRowsWriteMatchingConfigurations(t *testing.T) {
	for _, r := range defaultRows() {
		if !r.managed {
			continue
		}
		mock, err := mockpartnercenter.New(mockpartnercenter.Options{GeneratedCustomers: r.customers()})
		if err != nil {
			t.Fatal(err)
		}
		setup, config, err := managedConfigs(mock, r.n, r.apply, r.renewal)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		imported, managed := quantities(t, setup), quantities(t, config)
		withoutImport, _, _ := strings.Cut(setup, "\nimport {")
		if r.apply {
			withoutImport = strings.Replace(withoutImport, "= each.value.quantity\n", "= each.value.quantity + 1\n", 1)
		}
		if len(imported) != r.n || !maps.Equal(imported, managed) || !strings.Contains(setup, "import {") || config != withoutImport {
			t.Errorf("%s: %d subscriptions imported, %d managed; want %d, the same, imported by the setup only, and a "+
				"seat added to each when applying:\n%s", r.name, len(imported), len(managed), r.n, config)
		}
		if r.renewal && (!strings.Contains(config, "renewal         = { quantity = max(each.value.quantity - 1, 1) }") ||
			strings.Contains(config, "auto_renew = false")) {
			t.Errorf("%s: want a renewal for each subscription, all with auto-renew on:\n%s", r.name, config)
		}
		if _, _, err := managedConfigs(mock, 10*r.n, r.apply, r.renewal); err == nil {
			t.Errorf("%s: a mock without enough active licence subscriptions was accepted", r.name)
		}
	}
}

// quantities reads the quantity of every subscription of a managed
// configuration, by id.
func quantities(t *testing.T, config string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for line := range strings.Lines(config) {
		var id string
		var q int
		// Only the locals' lines, one per subscription, start with its id.
		if i := strings.Index(line, "quantity = "); i > 0 && strings.HasPrefix(strings.TrimSpace(line), `"`) {
			if _, err := fmt.Sscanf(strings.TrimSpace(line), "%q", &id); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			if _, err := fmt.Sscanf(line[i:], "quantity = %d", &q); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			out[id] = q
		}
	}
	return out
}

// Below Terraform 1.7 the managed rows, whose setup imports with for_each,
// are skipped with their reason; every other row runs on 1.5. -rows keeps
// only the rows whose name it matches.
func TestRowsForSkipsWhatTheCLICannotRun(t *testing.T) {
	all := defaultRows()
	for _, tt := range []struct {
		version string
		skipped []string
	}{
		{"1.5.7", []string{"managed_refresh", "managed_change", "managed_renewal", "query_estate"}},
		{"v1.6.6", []string{"managed_refresh", "managed_change", "managed_renewal", "query_estate"}},
		{"1.7.0-beta1", []string{"query_estate"}},
		{"1.13.5", []string{"query_estate"}},
		{"1.14.0", nil},
		{"1.16.0", nil},
	} {
		kept, skipped, err := rowsFor(all, "", tt.version)
		if err != nil {
			t.Fatal(err)
		}
		if len(kept)+len(skipped) != len(all) || len(skipped) != len(tt.skipped) {
			t.Errorf("%s: kept %d, skipped %q; want %d skipped of %d", tt.version, len(kept), skipped, len(tt.skipped), len(all))
			continue
		}
		for i, name := range tt.skipped {
			reason := "needs Terraform 1.7.0 or later (import blocks with for_each)"
			if name == "query_estate" {
				reason = "needs Terraform 1.14.0 or later (terraform query)"
			}
			if !strings.Contains(skipped[i], name) || !strings.Contains(skipped[i], reason) {
				t.Errorf("%s: skip %d says %q, want %s and the reason", tt.version, i, skipped[i], name)
			}
		}
	}
	for _, bad := range []string{"", "1.7", "one.two.three", "1.-1.0"} {
		if _, _, err := rowsFor(all, "", bad); err == nil {
			t.Errorf("version %q accepted", bad)
		}
	}
	if kept, _, err := rowsFor(all, "^(list|managed_change)$", "1.11.4"); err != nil || len(kept) != 6 {
		t.Errorf("-rows '^(list|managed_change)$' kept %d rows (%v), want 6", len(kept), err)
	}
	if _, _, err := rowsFor(all, "(", "1.11.4"); err == nil {
		t.Error("a bad -rows expression was accepted")
	}
}

// The release is read from `version -json`, also when OpenTofu prints a
// warning about its CLI configuration on stdout before it.
func TestDetectTerraformVersion(t *testing.T) {
	cli := filepath.Join(t.TempDir(), "tofu")
	script := "#!/bin/sh\n[ \"$1 $2\" = 'version -json' ] || exit 2\necho 'Warning: Unable to open CLI configuration file'\n" +
		"echo '{\"terraform_version\": \"1.6.3\", \"platform\": \"linux_amd64\"}'\n"
	if err := os.WriteFile(cli, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if v, err := detectTerraformVersion(t.Context(), cli); err != nil || v != "1.6.3" {
		t.Errorf("detectTerraformVersion = %q, %v; want 1.6.3", v, err)
	}
}

// The rate limit reaches the running mock through its admin endpoint.
func TestSetRateLimit(t *testing.T) {
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	if err := setRateLimit(mock.URL(), mockpartnercenter.RateLimit{Requests: 50, Window: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(mock.URL() + "/_mock/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var stats struct {
		RateLimit string `json:"rate_limit"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil || stats.RateLimit != "50/5s" {
		t.Errorf("the mock's rate limit is %q (%v), want 50/5s", stats.RateLimit, err)
	}
}
