package planbench

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Status is a target's outcome.
type Status string

// Outcomes of a target check.
const (
	Pass Status = "PASS"
	Miss Status = "MISS"
	// NotMeasured means the cases the target needs were not run.
	NotMeasured Status = "n/a"
)

// Target limits.
const (
	listTargetN          = 1000
	listTargetWall       = 1500 * time.Millisecond
	byIDTargetN          = 100
	maxRatio             = 1.25
	rssTargetN           = 1000
	rssTargetKiB   int64 = 64 * 1024
)

// Check is one target and how the measurements fared against it.
type Check struct {
	Target string
	Status Status
	Detail string
	// Info marks a check shown for information, not a target.
	Info bool
}

// Checks evaluates the targets against results, diagnostic cases aside. Counting targets look at
// every run, zero-latency ones included; timing targets at the median.
func Checks(results []Result) []Check {
	results = slices.DeleteFunc(slices.Clone(results), func(r Result) bool { return r.Way.Diagnostic() })
	checks := []Check{
		checkListWall(results),
		checkRatio(results, WayByID, byIDTargetN, false),
		checkTokens(results),
		checkRequests(results),
		checkRSS(results),
	}
	for _, r := range results {
		if r.Way == WayByID && r.N == byIDTargetN {
			continue
		}
		checks = append(checks, checkRatio(results, r.Way, r.N, true))
	}
	return checks
}

func find(results []Result, way Way, n int) (Result, bool) {
	for _, r := range results {
		if r.Way == way && r.N == n {
			return r, true
		}
	}
	return Result{}, false
}

func passIf(ok bool) Status {
	if ok {
		return Pass
	}
	return Miss
}

func checkListWall(results []Result) Check {
	c := Check{Target: fmt.Sprintf("list at N=%d under %.1f s", listTargetN, listTargetWall.Seconds())}
	r, ok := find(results, WayList, listTargetN)
	if !ok {
		c.Status, c.Detail = NotMeasured, "case not run"
		return c
	}
	wall := r.Median().Wall
	c.Status = passIf(wall < listTargetWall)
	c.Detail = fmt.Sprintf("median %.3f s", wall.Seconds())
	return c
}

func checkRatio(results []Result, way Way, n int, info bool) Check {
	c := Check{Target: fmt.Sprintf("%s at N=%d within %.0f%% of its lower bound", way, n, (maxRatio-1)*100), Info: info}
	r, ok := find(results, way, n)
	if !ok || r.LowerBound() <= 0 {
		c.Status, c.Detail = NotMeasured, "case not run, or no latency to bound it"
		return c
	}
	c.Status = passIf(r.Ratio() <= maxRatio)
	c.Detail = fmt.Sprintf("%.3f s / %.3f s = %.2f", r.Median().Wall.Seconds(), r.LowerBound().Seconds(), r.Ratio())
	return c
}

// allRuns calls f for every run of every result, labelled for reports.
func allRuns(results []Result, f func(r Result, label string, s RunStats)) {
	for _, r := range results {
		for i, s := range r.Runs {
			f(r, fmt.Sprintf("%s N=%d run %d", r.Way, r.N, i+1), s)
		}
		for i, s := range r.ZeroRuns {
			f(r, fmt.Sprintf("%s N=%d 0-latency run %d", r.Way, r.N, i+1), s)
		}
	}
}

func checkTokens(results []Result) Check {
	c := Check{Target: "exactly one token request per plan"}
	var bad []string
	plans := 0
	allRuns(results, func(_ Result, label string, s RunStats) {
		plans++
		if s.Requests.Token != 1 {
			bad = append(bad, fmt.Sprintf("%s: %d", label, s.Requests.Token))
		}
	})
	return finishCountCheck(c, plans, bad)
}

func checkRequests(results []Result) Check {
	c := Check{Target: "one request per customer read (by_id: N get; by_domain: N list + N get; list: ceil(N/500) list)"}
	var bad []string
	plans := 0
	allRuns(results, func(r Result, label string, s RunStats) {
		plans++
		got, want := s.Requests, r.Expected()
		got.Token, want.Token = 0, 0 // checked on their own
		if got != want {
			bad = append(bad, fmt.Sprintf("%s: %s, want %s", label, FormatRequests(got), FormatRequests(want)))
		}
	})
	return finishCountCheck(c, plans, bad)
}

func finishCountCheck(c Check, plans int, bad []string) Check {
	switch {
	case plans == 0:
		c.Status, c.Detail = NotMeasured, "no plans run"
	case len(bad) == 0:
		c.Status, c.Detail = Pass, fmt.Sprintf("all %d plans", plans)
	default:
		c.Status = Miss
		c.Detail = fmt.Sprintf("%d of %d plans: %s", len(bad), plans, strings.Join(bad, "; "))
	}
	return c
}

func checkRSS(results []Result) Check {
	c := Check{Target: fmt.Sprintf("provider peak RSS under %d MiB at N=%d", rssTargetKiB/1024, rssTargetN)}
	var peak int64
	var parts []string
	for _, r := range results {
		if r.N != rssTargetN {
			continue
		}
		var casePeak int64
		for _, s := range append(append([]RunStats(nil), r.Runs...), r.ZeroRuns...) {
			casePeak = max(casePeak, s.PeakRSSKiB())
		}
		peak = max(peak, casePeak)
		parts = append(parts, fmt.Sprintf("%s %.1f MiB", r.Way, kibToMiB(casePeak)))
	}
	if len(parts) == 0 {
		c.Status, c.Detail = NotMeasured, "no case at that size"
		return c
	}
	c.Status = passIf(peak > 0 && peak < rssTargetKiB)
	c.Detail = "largest over all runs: " + strings.Join(parts, ", ")
	return c
}

// RenderChecks renders the checks as a markdown list, targets first.
func RenderChecks(checks []Check) string {
	var b strings.Builder
	for _, info := range []bool{false, true} {
		if info && slices.ContainsFunc(checks, func(c Check) bool { return c.Info }) {
			b.WriteString("\nFor information, the other cases against the same 25% margin:\n\n")
		}
		for _, c := range checks {
			if c.Info == info {
				fmt.Fprintf(&b, "- **%s** %s: %s\n", c.Status, c.Target, c.Detail)
			}
		}
	}
	return b.String()
}
