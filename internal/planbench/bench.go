package planbench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Options configures a benchmark.
type Options struct {
	// Terraform is the CLI's path.
	Terraform string
	// Provider is the real provider binary the wrapper runs.
	Provider string
	// Plugin is the planbench executable Terraform starts as the provider.
	Plugin string
	// WorkDir holds the CLI configuration and one directory per case.
	WorkDir string
	// Sizes are the customer counts N.
	Sizes []int
	// Ways are the ways to read them; all of Ways when empty.
	Ways []Way
	// Latency is the mock's latency on every request.
	Latency time.Duration
	// Runs is how many plans are timed per case.
	Runs int
	// Parallelism is passed to terraform plan -parallelism.
	Parallelism int
	// ZeroLatency also times every case against a mock without latency.
	ZeroLatency bool
	// Diagnose also runs WayByIDCount at every size.
	Diagnose bool
	// PlanTimeout bounds one terraform command.
	PlanTimeout time.Duration
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// Run measures every case, way by way and size by size, then the diagnostic
// case if asked for.
func Run(ctx context.Context, o Options) ([]Result, error) {
	if o.Runs < 1 || o.Parallelism < 1 || len(o.Sizes) == 0 {
		return nil, errors.New("planbench: need at least one size, one run and parallelism >= 1")
	}
	if len(o.Ways) == 0 {
		o.Ways = Ways
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.PlanTimeout <= 0 {
		o.PlanTimeout = 10 * time.Minute
	}
	rc, err := WriteCLIConfig(filepath.Join(o.WorkDir, "cli"), o.Plugin)
	if err != nil {
		return nil, fmt.Errorf("planbench: CLI configuration: %w", err)
	}
	type job struct {
		way Way
		n   int
	}
	var jobs []job
	for _, way := range o.Ways {
		for _, n := range o.Sizes {
			jobs = append(jobs, job{way, n})
		}
	}
	if o.Diagnose {
		for _, n := range o.Sizes {
			jobs = append(jobs, job{WayByIDCount, n})
		}
	}
	var results []Result
	for _, j := range jobs {
		res, err := runCase(ctx, o, rc, j.way, j.n)
		if err != nil {
			return results, fmt.Errorf("planbench: %s N=%d: %w", j.way, j.n, err)
		}
		results = append(results, res)
	}
	return results, nil
}

// runCase prepares a fresh working directory for one case, initialises it
// once, then times the plans against a fresh mock per latency.
func runCase(ctx context.Context, o Options, rc string, way Way, n int) (Result, error) {
	res := Result{Way: way, N: n, Latency: o.Latency, Parallelism: o.Parallelism}
	dir := filepath.Join(o.WorkDir, string(way)+"-"+strconv.Itoa(n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	tf, err := MainTF(way, n)
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o600); err != nil {
		return res, err
	}
	rssFile := filepath.Join(dir, "procs.txt")
	env := append(baseEnv(os.Environ()),
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		EnvWrapTarget+"="+o.Provider,
		EnvRSSFile+"="+rssFile,
	)
	if err := timed(ctx, o.PlanTimeout, func(ctx context.Context) error {
		_, err := runTerraform(ctx, o.Terraform, dir, env, "init", "-input=false", "-no-color")
		return err
	}); err != nil {
		return res, err
	}
	res.Runs, err = measure(ctx, o, dir, env, rssFile, way, n, o.Latency)
	if err != nil {
		return res, err
	}
	if o.ZeroLatency {
		res.ZeroRuns, err = measure(ctx, o, dir, env, rssFile, way, n, 0)
	}
	return res, err
}

// measure starts a mock with n customers and the given latency and times
// o.Runs plans against it, resetting its counters and the process records
// before each so every RunStats covers exactly one plan.
func measure(ctx context.Context, o Options, dir string, env []string, rssFile string, way Way, n int,
	latency time.Duration) ([]RunStats, error) {
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{
		GeneratedCustomers: GeneratedCustomers(n),
		Latency:            latency,
	})
	if err != nil {
		return nil, err
	}
	defer mock.Close()
	env = append(env, mockEnv(mock.URL())...)
	args := []string{"plan", "-input=false", "-refresh=true", "-lock=false",
		"-parallelism=" + strconv.Itoa(o.Parallelism), "-no-color"}

	runs := make([]RunStats, 0, o.Runs)
	for i := range o.Runs {
		mock.ResetCounters()
		if err := os.Remove(rssFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		var tr tfRun
		err := timed(ctx, o.PlanTimeout, func(ctx context.Context) error {
			var err error
			tr, err = runTerraform(ctx, o.Terraform, dir, env, args...)
			return err
		})
		if err != nil {
			return nil, err
		}
		procs, err := ReadProcRecords(rssFile)
		if err != nil {
			return nil, err
		}
		get := mock.Requests(mockpartnercenter.RouteGetCustomer)
		list := mock.Requests(mockpartnercenter.RouteListCustomers)
		stats := RunStats{
			Wall:         tr.wall,
			TerraformCPU: tr.cpu,
			Requests: Requests{
				Token: mock.TokenRequests(),
				Get:   get,
				List:  list,
				Other: mock.TotalAPIRequests() - get - list,
			},
			Procs: procs,
		}
		runs = append(runs, stats)
		fmt.Fprintf(o.Log, "%-9s N=%-5d latency=%-5s run %d/%d: %6.3fs  %s  token=%d  providers=%d peak=%.1fMiB  cpu: all %.2fs provider %.2fs\n",
			way, n, latency, i+1, o.Runs, stats.Wall.Seconds(), FormatRequests(stats.Requests), stats.Requests.Token,
			len(procs), kibToMiB(stats.PeakRSSKiB()), stats.TerraformCPU.Seconds(), stats.ProviderCPU().Seconds())
	}
	return runs, nil
}

// mockEnv configures the provider for the mock through its environment
// variables, leaving main.tf independent of the mock's port.
func mockEnv(url string) []string {
	return []string{
		"PARTNERCENTER_ENDPOINT=" + url,
		"PARTNERCENTER_AUTHORITY_HOST=" + url,
		"PARTNERCENTER_TENANT_ID=" + mockpartnercenter.DefaultTenantID,
		"PARTNERCENTER_CLIENT_ID=" + mockpartnercenter.DefaultClientID,
		"PARTNERCENTER_CLIENT_SECRET=" + mockpartnercenter.DefaultClientSecret,
		"PARTNERCENTER_REFRESH_TOKEN=" + mockpartnercenter.DefaultRefreshToken,
	}
}

// timed runs f under a deadline.
func timed(ctx context.Context, d time.Duration, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return f(ctx)
}

func kibToMiB(kib int64) float64 { return float64(kib) / 1024 }
