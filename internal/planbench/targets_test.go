package planbench

import (
	"strings"
	"testing"
	"time"
)

func statusOf(checks []Check, prefix string) Status {
	for _, c := range checks {
		if strings.HasPrefix(c.Target, prefix) {
			return c.Status
		}
	}
	return ""
}

func TestChecksPass(t *testing.T) {
	results := []Result{
		sampleResult(WayList, 1000, 40*1024, ExpectedRequests(WayList, 1000), time.Second),
		sampleResult(WayByID, 100, 30*1024, ExpectedRequests(WayByID, 100), 600*time.Millisecond),
		sampleResult(WayByID, 1000, 50*1024, ExpectedRequests(WayByID, 1000), 6*time.Second),
	}
	checks := Checks(results)
	for _, prefix := range []string{"list at N=1000", "by_id at N=100 ", "exactly one token", "one request per", "provider peak RSS"} {
		if got := statusOf(checks, prefix); got != Pass {
			t.Errorf("%s: %s, want PASS\n%s", prefix, got, RenderChecks(checks))
		}
	}
	if got := statusOf(checks, "by_id at N=1000"); got != Pass {
		t.Errorf("informational by_id N=1000 = %s", got)
	}
	out := RenderChecks(checks)
	if !strings.Contains(out, "For information") || !strings.Contains(out, "- **PASS** list at N=1000 under 1.5 s: median 1.000 s") {
		t.Errorf("rendered checks:\n%s", out)
	}
}

func TestChecksMiss(t *testing.T) {
	twoTokens := ExpectedRequests(WayByID, 100)
	twoTokens.Token = 2
	extraGet := ExpectedRequests(WayByDomain, 1000)
	extraGet.Get++
	results := []Result{
		sampleResult(WayList, 1000, 40*1024, ExpectedRequests(WayList, 1000), 2*time.Second),
		sampleResult(WayByID, 100, 30*1024, twoTokens, time.Second),
		sampleResult(WayByDomain, 1000, 80*1024, extraGet, 12*time.Second),
	}
	checks := Checks(results)
	for _, prefix := range []string{"list at N=1000", "by_id at N=100 ", "exactly one token", "one request per", "provider peak RSS"} {
		if got := statusOf(checks, prefix); got != Miss {
			t.Errorf("%s: %s, want MISS\n%s", prefix, got, RenderChecks(checks))
		}
	}
}

func TestChecksNotMeasured(t *testing.T) {
	checks := Checks(nil)
	for _, c := range checks {
		if c.Status != NotMeasured {
			t.Errorf("%s: %s with no results", c.Target, c.Status)
		}
	}
	if strings.Contains(RenderChecks(checks), "For information") {
		t.Error("informational heading without informational checks")
	}
}
