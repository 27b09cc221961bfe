// Command planbench times `terraform plan` reading 1, 100 and 1000 customers
// from the mock Partner Center in each of three ways and writes the results
// to BENCHMARKS.md (make bench).
//
// With PLANBENCH_WRAP_TARGET set it is instead a thin wrapper Terraform starts
// as the provider: it runs the real provider and records its peak RSS.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/planbench"
)

func main() {
	// Wrapper mode comes first: Terraform passes go-plugin's arguments, which
	// our flags must not see.
	if target := os.Getenv(planbench.EnvWrapTarget); target != "" {
		os.Exit(planbench.Wrap(target, os.Args[1:], os.Getenv(planbench.EnvRSSFile)))
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		sizes       = flag.String("sizes", "1,100,1000", "comma-separated customer counts N")
		ways        = flag.String("ways", "list,by_id,by_domain", "comma-separated ways to read them")
		latency     = flag.Duration("latency", 50*time.Millisecond, "mock latency on every request, token included")
		runs        = flag.Int("runs", 3, "timed plans per case; the median is reported")
		parallelism = flag.Int("parallelism", 10, "terraform plan -parallelism (10 is Terraform's default)")
		zero        = flag.Bool("zero-latency", true, "also time each case with no mock latency")
		diagnose    = flag.Bool("diagnose", true, "also time by_id with count instead of for_each (a diagnostic)")
		write       = flag.String("write", "", "write the report to this markdown file")
		terraform   = flag.String("terraform", "", "Terraform CLI (default: scripts/terraform-path.sh, else PATH)")
		provider    = flag.String("provider", "", "provider binary (default: go build of -repo)")
		repo        = flag.String("repo", ".", "repository root, to build the provider and find scripts/")
		keep        = flag.Bool("keep", false, "keep the working directory")
	)
	flag.Parse()
	began := time.Now()
	loadBefore := planbench.LoadAverage()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	opts := planbench.Options{
		Latency:     *latency,
		Runs:        *runs,
		Parallelism: *parallelism,
		ZeroLatency: *zero,
		Diagnose:    *diagnose,
		Log:         os.Stderr,
	}
	var err error
	if opts.Sizes, err = parseSizes(*sizes); err != nil {
		return err
	}
	for _, w := range strings.Split(*ways, ",") {
		way, err := planbench.ParseWay(strings.TrimSpace(w))
		if err != nil {
			return err
		}
		opts.Ways = append(opts.Ways, way)
	}
	if opts.Terraform, err = findTerraform(ctx, *terraform, *repo); err != nil {
		return err
	}
	if opts.Plugin, err = os.Executable(); err != nil {
		return err
	}
	if opts.WorkDir, err = os.MkdirTemp("", "planbench-"); err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(os.Stderr, "planbench: working directory", opts.WorkDir)
	} else {
		defer os.RemoveAll(opts.WorkDir)
	}
	if opts.Provider, err = buildProvider(ctx, *provider, *repo, opts.WorkDir); err != nil {
		return err
	}
	tfVersion, err := planbench.TerraformVersion(ctx, opts.Terraform)
	if err != nil {
		return err
	}

	results, err := planbench.Run(ctx, opts)
	if err != nil {
		return err
	}
	report := planbench.Report{
		Machine:    planbench.DetectMachine(tfVersion),
		Date:       began,
		Options:    opts,
		Results:    results,
		Elapsed:    time.Since(began),
		LoadBefore: loadBefore,
		LoadAfter:  planbench.LoadAverage(),
	}
	fmt.Print(report.Summary())
	if *write != "" {
		if err := os.WriteFile(*write, []byte(report.Markdown()), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "planbench: wrote", *write)
	}
	return nil
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a positive integer", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// findTerraform prefers an explicit path, then the project's script (which
// may build Terraform 1.5.7 once), then PATH.
func findTerraform(ctx context.Context, explicit, repo string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	script := filepath.Join(repo, "scripts", "terraform-path.sh")
	if _, err := os.Stat(script); err == nil {
		cmd := exec.CommandContext(ctx, script)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("%s: %w", script, err)
		}
		return strings.TrimSpace(string(out)), nil
	}
	path, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("no Terraform CLI: pass -terraform")
	}
	return path, nil
}

// buildProvider returns the given binary, or builds the provider from repo
// into dir with the flags `make build` uses.
func buildProvider(ctx context.Context, explicit, repo, dir string) (string, error) {
	if explicit != "" {
		return filepath.Abs(explicit)
	}
	out := filepath.Join(dir, "provider", "terraform-provider-partnercenter")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, ".")
	cmd.Dir = repo
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the provider: %w", err)
	}
	return out, nil
}
