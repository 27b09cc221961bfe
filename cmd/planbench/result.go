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

// proc is one provider process as GNU time saw it.
type proc struct {
	cpu       time.Duration
	maxRSSKiB int64
}

// plan is what one timed run cost: a `terraform plan`, or an apply.
type plan struct {
	wall          time.Duration
	terraformCPU  time.Duration // Terraform and every process it reaped, providers included
	procs         []proc
	tokens        int
	requests      map[mockpartnercenter.Route]int
	otherRequests int // on routes the row does not expect
	throttled     int // answered 429 by the mock's rate limit, counted in requests too
	stateBytes    int64
	failedReads   int // errors in the plan's output
}

func (p plan) providerCPU() time.Duration {
	var sum time.Duration
	for _, pr := range p.procs {
		sum += pr.cpu
	}
	return sum
}

func (p plan) peakRSSMiB() float64 {
	var peak int64
	for _, pr := range p.procs {
		peak = max(peak, pr.maxRSSKiB)
	}
	return float64(peak) / 1024
}

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
	return r.median().providerCPU() / time.Duration(max(r.row.n, 1))
}

// readProcs parses the lines GNU time appended ("%U %S %M"), skipping its
// notes about exit statuses.
func readProcs(path string) ([]proc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var procs []proc
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var user, sys float64
		var rss int64
		if n, _ := fmt.Sscanf(sc.Text(), "%g %g %d", &user, &sys, &rss); n == 3 {
			procs = append(procs, proc{cpu: time.Duration((user + sys) * float64(time.Second)), maxRSSKiB: rss})
		}
	}
	return procs, sc.Err()
}

type header struct {
	terraform string
	latency   time.Duration
	elapsed   time.Duration
	load      string
}

// columns of the table; a new one is a line here.
var columns = []struct {
	title string
	value func(r result) string
}{
	{"row", func(r result) string { return r.row.name }},
	{"N", func(r result) string { return strconv.Itoa(r.row.n) }},
	{"runs", func(r result) string { return strconv.Itoa(len(r.plans)) }},
	{"wall s", func(r result) string { return seconds(r.median().wall) }},
	{"bound s", func(r result) string {
		if r.row.bound == nil {
			return "-"
		}
		return seconds(r.row.bound(r.latency))
	}},
	{"Terraform CPU s", func(r result) string { return seconds(r.median().terraformCPU - r.median().providerCPU()) }},
	{"provider CPU s", func(r result) string { return seconds(r.median().providerCPU()) }},
	{"provider µs/N", func(r result) string { return strconv.FormatInt(r.cpuPerN().Microseconds(), 10) }},
	{"provider peak RSS MiB", func(r result) string { return fmt.Sprintf("%.1f", r.median().peakRSSMiB()) }},
	{"state B/N", func(r result) string { return strconv.FormatInt(r.median().stateBytes/int64(max(r.row.n, 1)), 10) }},
	{"requests", func(r result) string { return formatRequests(r.median()) }},
	{"throttled", func(r result) string { return strconv.Itoa(r.median().throttled) }},
	{"tokens", func(r result) string { return strconv.Itoa(r.median().tokens) }},
	{"failed reads", func(r result) string { return strconv.Itoa(r.median().failedReads) }},
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

// render writes the table with what produced it.
func render(results []result, h header) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, Go %s, %s/%s; mock latency %s, parallelism %d; load before (1, 5, 15 min): %s; "+
		"%s in all, %s.\n\n", h.terraform, strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH,
		h.latency, parallelism, h.load, h.elapsed.Round(time.Second), time.Now().UTC().Format("2006-01-02"))
	line := func(cells func(i int) string) {
		b.WriteString("|")
		for i := range columns {
			b.WriteString(" " + cells(i) + " |")
		}
		b.WriteString("\n")
	}
	line(func(i int) string { return columns[i].title })
	line(func(i int) string {
		if i < 1 {
			return "---"
		}
		return "---:"
	})
	for _, r := range results {
		line(func(i int) string { return columns[i].value(r) })
	}
	return b.String()
}

// line is the progress line of a finished row.
func (r result) line() string {
	m := r.median()
	return fmt.Sprintf("%-12s N=%-6d wall %6.2fs  provider CPU %5.2fs (%d µs each) peak %6.1f MiB  %s, %d token",
		r.row.name, r.row.n, m.wall.Seconds(), m.providerCPU().Seconds(), r.cpuPerN().Microseconds(),
		m.peakRSSMiB(), formatRequests(m), m.tokens)
}

// checks returns a MISS line for every target a row missed, in every plan.
func checks(results []result) []string {
	var misses []string
	miss := func(r result, format string, args ...any) {
		misses = append(misses, fmt.Sprintf("MISS %s N=%d: ", r.row.name, r.row.n)+fmt.Sprintf(format, args...))
	}
	for _, r := range results {
		for _, p := range r.plans {
			if want := cmp.Or(r.row.tokens, 1); p.tokens != want {
				miss(r, "%d token requests in one run, want %d", p.tokens, want)
			}
			if !admittedAsExpected(p, r.row.expect) {
				miss(r, "requests %s (%d throttled), want %s", formatRequests(p), p.throttled, formatRequests(plan{requests: r.row.expect}))
			}
			if p.failedReads > 0 {
				miss(r, "%d reads failed", p.failedReads)
			}
		}
		if t := r.row.maxWallOverBound; t > 0 && r.median().wall > time.Duration(t*float64(r.row.bound(r.latency))) {
			miss(r, "wall %s, target %.1f × the bound %s", r.median().wall.Round(10*time.Millisecond), t, r.row.bound(r.latency))
		}
		if t := r.row.maxCPUPerCustomer; t > 0 && r.cpuPerN() > t {
			miss(r, "provider CPU %s per customer, target %s", r.cpuPerN(), t)
		}
		if t := r.row.maxRSSMiB; t > 0 && r.median().peakRSSMiB() > t {
			miss(r, "provider peak RSS %.1f MiB, target %.0f MiB", r.median().peakRSSMiB(), t)
		}
	}
	return misses
}
