package planbench

import (
	"strings"
	"testing"
	"time"
)

func sampleReport() Report {
	var results []Result
	for _, way := range append(Ways, WayByIDCount) {
		for _, n := range []int{1, 100, 1000} {
			if way.Diagnostic() && n != 1000 {
				continue
			}
			r := sampleResult(way, n, int64(20*1024+n*40), ExpectedRequests(way, n),
				LowerBound(way, n, 50*time.Millisecond, 10)+200*time.Millisecond)
			r.ZeroRuns = sampleResult(way, n, int64(20*1024+n*40), ExpectedRequests(way, n),
				time.Duration(n)*time.Millisecond+100*time.Millisecond).Runs
			results = append(results, r)
		}
	}
	return Report{
		Machine: Machine{CPU: "Test CPU", Cores: 2, MemoryMiB: 2048, OS: "testos", Go: "go1.26", Terraform: "1.11.4"},
		Date:    time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC),
		Options: Options{Latency: 50 * time.Millisecond, Runs: 1, Parallelism: 10},
		Results: results,
		Elapsed: 90 * time.Second,
	}
}

func TestReportMarkdown(t *testing.T) {
	md := sampleReport().Markdown()
	for _, want := range []string{
		"make bench", "- CPU: Test CPU, 2 cores", "- Terraform: 1.11.4", "- Date: 2026-11-25 08:00 UTC",
		"Latency: 50ms; parallelism: 10", "## Results", "| by_domain | 1000 |", "## Targets",
		"Diagnostic, not a target", "| by_id_count | 1000 |", "## What limits it", "**A fixed cost per plan.**",
		"**for_each is quadratic in Terraform.**", "**list is one instance.**", "**Provider memory.**",
		"Profiling notes",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The diagnostic case must not be judged as a target.
	targets := md[strings.Index(md, "## Targets"):strings.Index(md, "## What limits it")]
	if strings.Contains(targets, "by_id_count") {
		t.Errorf("diagnostic case among the targets:\n%s", targets)
	}
}

func TestAnalysisSkipsMissingCases(t *testing.T) {
	only := []Result{sampleResult(WayList, 1, 1024, ExpectedRequests(WayList, 1), time.Second)}
	got := Analysis(only)
	if strings.Contains(got, "for_each is quadratic") || strings.Contains(got, "fixed cost") {
		t.Errorf("analysis wrote paragraphs without their cases:\n%s", got)
	}
	if !strings.Contains(got, "list is one instance") {
		t.Errorf("analysis lacks the list paragraph:\n%s", got)
	}
}

func TestMainTFCount(t *testing.T) {
	got, err := MainTF(WayByIDCount, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "count = length(local.keys)") || strings.Contains(got, "for_each") {
		t.Errorf("by_id_count config:\n%s", got)
	}
	if w, err := ParseWay("by_id_count"); err != nil || !w.Diagnostic() {
		t.Errorf("ParseWay(by_id_count) = %q, %v", w, err)
	}
}
