package main

import (
	"fmt"
	"os"
	"path/filepath"
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

func TestChecksReportEveryMiss(t *testing.T) {
	r := listRow(10000)
	good := plan{tokens: 1, requests: r.expect, providerCPU: 300 * time.Millisecond, peakRSSKiB: 40 << 10}
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

// Every row's mock holds the customers its configuration reads.
func TestRowsFitTheirMock(t *testing.T) {
	for _, r := range defaultRows() {
		if r.mock.GeneratedCustomers+1 < r.n {
			t.Errorf("%s N=%d: the mock holds %d customers", r.name, r.n, r.mock.GeneratedCustomers+1)
		}
	}
}

// Under the rate limit, throttled requests are repeated: the plan is right
// when what was admitted matches the reads, no read failed and the wall time
// stays near the windows the limit forces.
func TestChecksOfTheThrottledRow(t *testing.T) {
	r := rateLimited(byKeyRow("by_id_throttled", 300), 50, 5*time.Second)
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
// each, and changes only the quantities it says, by one seat each.
func TestManagedRowsWriteMatchingConfigurations(t *testing.T) {
	for _, r := range defaultRows() {
		if r.prepare == nil {
			continue
		}
		mock, err := mockpartnercenter.New(r.mock)
		if err != nil {
			t.Fatal(err)
		}
		setup, config, err := r.prepare(mock)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		before, after := quantities(t, setup), quantities(t, config)
		changed := 0
		for id, q := range before {
			switch after[id] {
			case q:
			case q + 1:
				changed++
			default:
				t.Errorf("%s: subscription %s from %d to %d seats", r.name, id, q, after[id])
			}
		}
		if len(before) != r.n || len(after) != r.n || changed != r.expect[mockpartnercenter.RouteUpdateSubscription] ||
			!strings.Contains(setup, "import {") || strings.Contains(config, "import {") {
			t.Errorf("%s: %d subscriptions managed, %d imported, %d changed; want %d, %d changed, imported by the setup only",
				r.name, len(after), len(before), changed, r.n, r.expect[mockpartnercenter.RouteUpdateSubscription])
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
		if i := strings.Index(line, "quantity = "); i > 0 {
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
// are skipped with their reason; every other row runs on 1.5.
func TestRowsForSkipsWhatTheCLICannotRun(t *testing.T) {
	all := defaultRows()
	for _, tt := range []struct {
		version string
		skipped []string
	}{
		{"1.5.7", []string{"managed_refresh", "managed_change"}},
		{"v1.6.6", []string{"managed_refresh", "managed_change"}},
		{"1.7.0-beta1", nil},
		{"1.16.0", nil},
	} {
		v, err := parseTerraformVersion(tt.version)
		if err != nil {
			t.Fatal(err)
		}
		kept, skipped := rowsFor(all, v)
		if len(kept)+len(skipped) != len(all) || len(skipped) != len(tt.skipped) {
			t.Errorf("%s: kept %d, skipped %q; want %d skipped of %d", tt.version, len(kept), skipped, len(tt.skipped), len(all))
			continue
		}
		for i, name := range tt.skipped {
			if !strings.Contains(skipped[i], name) || !strings.Contains(skipped[i], "needs Terraform 1.7.0 or later (import blocks with for_each)") {
				t.Errorf("%s: skip %d says %q, want %s and the reason", tt.version, i, skipped[i], name)
			}
		}
	}
	for _, bad := range []string{"", "1.7", "one.two.three", "1.-1.0"} {
		if _, err := parseTerraformVersion(bad); err == nil {
			t.Errorf("parseTerraformVersion(%q) succeeded", bad)
		}
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
	v, err := detectTerraformVersion(t.Context(), cli)
	if err != nil || v != (terraformVersion{1, 6, 3}) {
		t.Errorf("detectTerraformVersion = %v, %v; want 1.6.3", v, err)
	}
}
