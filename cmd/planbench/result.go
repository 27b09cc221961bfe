package main

import (
	"bufio"
	"cmp"
	"fmt"
	"maps"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// plan is what one timed run cost: a `terraform plan`, or an apply.
type plan struct {
	wall          time.Duration
	terraformCPU  time.Duration // Terraform and every process it reaped, providers included
	providerCPU   time.Duration // summed over the run's provider processes
	peakRSSKiB    int64         // of the largest provider process
	tokens        int
	requests      map[mockpartnercenter.Route]int
	otherRequests int // on routes the row does not expect
	throttled     int // answered 429 by the mock's rate limit, counted in requests too
	stateBytes    int64
	failedReads   int // errors in the plan's output
}

func (p plan) peakRSSMiB() float64 { return float64(p.peakRSSKiB) / 1024 }

type result struct {
	row     row
	latency time.Duration
	plans   []plan
}

// median is the plan with the median wall time (the lower of two middles).
func (r result) median() plan {
	sorted := slices.SortedFunc(slices.Values(r.plans), func(a, b plan) int { return cmp.Compare(a.wall, b.wall) })
	return sorted[(len(sorted)-1)/2]
}

func (r result) cpuPerN() time.Duration {
	return r.median().providerCPU / time.Duration(max(r.row.n, 1))
}

// readProcs sums the CPU time and takes the peak RSS of the provider
// processes in the lines GNU time appended ("%U %S %M"), skipping its notes
// about exit statuses.
func readProcs(path string) (cpu time.Duration, peakKiB int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var user, sys float64
		var rss int64
		if n, _ := fmt.Sscanf(sc.Text(), "%g %g %d", &user, &sys, &rss); n == 3 {
			cpu += time.Duration((user + sys) * float64(time.Second))
			peakKiB = max(peakKiB, rss)
		}
	}
	return cpu, peakKiB, sc.Err()
}

// columns of the table; a new one is a line here.
var columns = []struct {
	title string
	value func(r result, m plan) string // m is r's median plan
}{
	{"row", func(r result, _ plan) string { return r.row.name }},
	{"N", func(r result, _ plan) string { return strconv.Itoa(r.row.n) }},
	{"runs", func(r result, _ plan) string { return strconv.Itoa(len(r.plans)) }},
	{"wall s", func(_ result, m plan) string { return seconds(m.wall) }},
	{"bound s", func(r result, _ plan) string { return seconds(r.row.bound(r.latency)) }},
	{"Terraform CPU s", func(_ result, m plan) string { return seconds(m.terraformCPU - m.providerCPU) }},
	{"provider CPU s", func(_ result, m plan) string { return seconds(m.providerCPU) }},
	{"provider µs/N", func(r result, _ plan) string { return strconv.FormatInt(r.cpuPerN().Microseconds(), 10) }},
	{"provider peak RSS MiB", func(_ result, m plan) string { return fmt.Sprintf("%.1f", m.peakRSSMiB()) }},
	{"state B/N", func(r result, m plan) string { return strconv.FormatInt(m.stateBytes/int64(max(r.row.n, 1)), 10) }},
	{"requests", func(_ result, m plan) string { return formatRequests(m) }},
	{"throttled", func(_ result, m plan) string { return strconv.Itoa(m.throttled) }},
	{"tokens", func(_ result, m plan) string { return strconv.Itoa(m.tokens) }},
	{"failed reads", func(_ result, m plan) string { return strconv.Itoa(m.failedReads) }},
}

// admittedAsExpected reports whether a plan sent the expected requests: on
// every expected route at least as many as expected, on no other route, and
// in all exactly as many once the throttled ones, which were repeated, are
// taken away.
func admittedAsExpected(p plan, expect map[mockpartnercenter.Route]int) bool {
	sent, want := 0, 0
	for route, n := range expect {
		if p.requests[route] < n {
			return false
		}
		sent += p.requests[route]
		want += n
	}
	return p.otherRequests == 0 && sent-p.throttled == want
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

func formatRequests(p plan) string {
	var parts []string
	for _, route := range slices.Sorted(maps.Keys(p.requests)) {
		parts = append(parts, fmt.Sprintf("%d %s", p.requests[route], route))
	}
	if p.otherRequests > 0 {
		parts = append(parts, fmt.Sprintf("%d other", p.otherRequests))
	}
	return strings.Join(parts, " + ")
}

// tableLine is one line of the markdown table, a cell per column.
func tableLine(cell func(i int) string) string {
	var b strings.Builder
	b.WriteString("|")
	for i := range columns {
		b.WriteString(" " + cell(i) + " |")
	}
	return b.String() + "\n"
}

// tableRow is r's line of the table.
func tableRow(r result) string {
	m := r.median()
	return tableLine(func(i int) string { return columns[i].value(r, m) })
}

// render writes the table after a line saying what produced it.
func render(results []result, terraform string, latency, elapsed time.Duration, load string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, Go %s, %s/%s; mock latency %s, parallelism %d; load before (1, 5, 15 min): %s; "+
		"%s in all, %s.\n\n", terraform, strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH,
		latency, parallelism, load, elapsed.Round(time.Second), time.Now().UTC().Format("2006-01-02"))
	b.WriteString(tableLine(func(i int) string { return columns[i].title }))
	b.WriteString(tableLine(func(i int) string {
		if i == 0 {
			return "---"
		}
		return "---:" // numbers, right-aligned
	}))
	for _, r := range results {
		b.WriteString(tableRow(r))
	}
	return b.String()
}

// checks returns a MISS line for every target a row missed, in every plan.
func checks(results []result) []string {
	var misses []string
	for _, r := range results {
		miss := func(format string, args ...any) {
			misses = append(misses, fmt.Sprintf("MISS %s N=%d: ", r.row.name, r.row.n)+fmt.Sprintf(format, args...))
		}
		for _, p := range r.plans {
			if want := cmp.Or(r.row.tokens, 1); p.tokens != want {
				miss("%d token requests in one run, want %d", p.tokens, want)
			}
			if !admittedAsExpected(p, r.row.expect) {
				miss("requests %s (%d throttled), want %s", formatRequests(p), p.throttled, formatRequests(plan{requests: r.row.expect}))
			}
			if p.failedReads > 0 {
				miss("%d reads failed", p.failedReads)
			}
		}
		m, bound := r.median(), r.row.bound(r.latency)
		if t := r.row.maxWallOverBound; t > 0 && m.wall > time.Duration(t*float64(bound)) {
			miss("wall %s, target %.1f × the bound %s", m.wall.Round(10*time.Millisecond), t, bound)
		}
		if t := r.row.maxCPUPerCustomer; t > 0 && r.cpuPerN() > t {
			miss("provider CPU %s per customer, target %s", r.cpuPerN(), t)
		}
		if t := r.row.maxRSSMiB; t > 0 && m.peakRSSMiB() > t {
			miss("provider peak RSS %.1f MiB, target %.0f MiB", m.peakRSSMiB(), t)
		}
	}
	return misses
}
