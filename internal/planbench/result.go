package planbench

import (
	"cmp"
	"slices"
	"time"
)

// RunStats is what one `terraform plan` cost.
type RunStats struct {
	// Wall is the plan's wall time, from starting the CLI to its exit.
	Wall time.Duration
	// TerraformCPU is the CPU time of the CLI and every process it reaped
	// (the wrappers and, through them, the providers).
	TerraformCPU time.Duration
	// Requests are the mock's counters for this plan alone.
	Requests Requests
	// Procs has one record per provider process the plan started.
	Procs []ProcRecord
}

// PeakRSSKiB is the largest peak RSS among the plan's provider processes.
func (s RunStats) PeakRSSKiB() int64 {
	var peak int64
	for _, p := range s.Procs {
		peak = max(peak, p.MaxRSSKiB)
	}
	return peak
}

// ProviderCPU is the CPU time of all the plan's provider processes.
func (s RunStats) ProviderCPU() time.Duration {
	var sum time.Duration
	for _, p := range s.Procs {
		sum += p.CPU
	}
	return sum
}

// LongestProc is the provider process that lived longest: the one that
// served the plan walk and so did the reads.
func (s RunStats) LongestProc() (ProcRecord, bool) {
	if len(s.Procs) == 0 {
		return ProcRecord{}, false
	}
	return slices.MaxFunc(s.Procs, func(a, b ProcRecord) int {
		return cmp.Compare(a.Lifetime(), b.Lifetime())
	}), true
}

// Result is one benchmark case: a way of reading N customers.
type Result struct {
	Way         Way
	N           int
	Latency     time.Duration
	Parallelism int
	// Runs are the plans against a mock with Latency.
	Runs []RunStats
	// ZeroRuns are the same plans against a mock with no latency, isolating
	// Terraform's and the provider's own cost; empty when not measured.
	ZeroRuns []RunStats
}

// LowerBound is the least wall time the mock's latency forces on one plan.
func (r Result) LowerBound() time.Duration {
	return LowerBound(r.Way, r.N, r.Latency, r.Parallelism)
}

// Expected is the request count one plan should cost.
func (r Result) Expected() Requests { return ExpectedRequests(r.Way, r.N) }

// Median is the run with the median wall time (the lower middle one for an
// even count); its counters represent the case in the table.
func (r Result) Median() RunStats { return medianRun(r.Runs) }

// ZeroMedian is Median for the zero-latency runs.
func (r Result) ZeroMedian() (RunStats, bool) {
	if len(r.ZeroRuns) == 0 {
		return RunStats{}, false
	}
	return medianRun(r.ZeroRuns), true
}

// Ratio is the median wall time over the lower bound (0 when the bound is).
func (r Result) Ratio() float64 {
	lb := r.LowerBound()
	if lb <= 0 {
		return 0
	}
	return r.Median().Wall.Seconds() / lb.Seconds()
}

func medianRun(runs []RunStats) RunStats {
	if len(runs) == 0 {
		return RunStats{}
	}
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b RunStats) int { return cmp.Compare(a.Wall, b.Wall) })
	return sorted[(len(sorted)-1)/2]
}
