package planbench

import (
	"strings"
	"testing"
	"time"
)

func TestFormatRequests(t *testing.T) {
	tests := map[string]Requests{
		"0":                        {Token: 1},
		"2 list":                   {List: 2},
		"100 get":                  {Get: 100},
		"100 list + 100 get":       {List: 100, Get: 100},
		"1 list + 1 get + 3 other": {List: 1, Get: 1, Other: 3},
	}
	for want, r := range tests {
		if got := FormatRequests(r); got != want {
			t.Errorf("FormatRequests(%+v) = %q, want %q", r, got, want)
		}
	}
}

func TestRenderTable(t *testing.T) {
	byID := sampleResult(WayByID, 100, 40*1024, ExpectedRequests(WayByID, 100),
		700*time.Millisecond, 600*time.Millisecond, 900*time.Millisecond)
	byID.ZeroRuns = sampleResult(WayByID, 100, 30*1024, ExpectedRequests(WayByID, 100), 300*time.Millisecond).Runs
	list := sampleResult(WayList, 1000, 20*1024, ExpectedRequests(WayList, 1000), time.Second)

	got := RenderTable([]Result{byID, list})
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != 4 {
		t.Fatalf("want header, separator and 2 rows, got:\n%s", got)
	}
	if !strings.HasPrefix(lines[0], "| way | N | median wall s | lower bound s | ratio |") {
		t.Errorf("header: %s", lines[0])
	}
	if strings.Count(lines[1], "|") != strings.Count(lines[0], "|") {
		t.Errorf("separator and header differ in columns:\n%s\n%s", lines[0], lines[1])
	}
	// Median of 0.6, 0.7, 0.9 is 0.7; bound 0.55 s; ratio 1.27.
	wantByID := "| by_id | 100 | 0.700 | 0.550 | 1.27 | 0.300 | 100 get | 1 | 2 | 40.0 |"
	if lines[2] != wantByID {
		t.Errorf("by_id row:\n got %s\nwant %s", lines[2], wantByID)
	}
	wantList := "| list | 1000 | 1.000 | 0.150 | 6.67 | - | 2 list | 1 | 2 | 20.0 |"
	if lines[3] != wantList {
		t.Errorf("list row:\n got %s\nwant %s", lines[3], wantList)
	}
}

func TestMedianRun(t *testing.T) {
	r := sampleResult(WayByID, 1, 1, Requests{}, 4*time.Second, time.Second, 3*time.Second, 2*time.Second)
	if got := r.Median().Wall; got != 2*time.Second {
		t.Errorf("median of 1..4 s = %v, want the lower middle 2s", got)
	}
	if got := (Result{}).Median().Wall; got != 0 {
		t.Errorf("median of nothing = %v", got)
	}
	if _, ok := (Result{}).ZeroMedian(); ok {
		t.Error("ZeroMedian without zero runs should report false")
	}
}
