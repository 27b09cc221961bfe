// Command planbench times `terraform plan` (or apply) for each row of
// defaultRows against the mock Partner Center and writes the table of
// BENCHMARKS.md (make bench), whose prose says what it measures. Run it from
// the repository root: it builds the provider there and works in .cache/bench.
package main

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	mpc "github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

var (
	terraform = flag.String("terraform", "terraform", "Terraform CLI")
	latency   = flag.Duration("latency", 50*time.Millisecond, "mock latency on every request, token included")
	only      = flag.String("rows", "", "measure only the rows whose name matches this regular expression")
	write     = flag.String("write", "", "also replace the table between the bench markers of this file")
)

func main() {
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	release, err := detectTerraformVersion(ctx, *terraform)
	if err != nil {
		return err
	}
	rows, skipped, err := rowsFor(defaultRows(), *only, release)
	if err != nil {
		return err
	}
	fmt.Fprint(os.Stderr, notes(skipped))
	work, env, err := setUp(ctx)
	if err != nil {
		return err
	}
	load, _ := os.ReadFile("/proc/loadavg") // 1, 5 and 15 minute load averages first
	began, results := time.Now(), []result{}
	for _, r := range rows {
		res, err := measure(ctx, r, filepath.Join(work, "rows", fmt.Sprintf("%s-%d", r.name, r.n)), env)
		if err != nil {
			return fmt.Errorf("%s N=%d: %w", r.name, r.n, err)
		}
		fmt.Fprint(os.Stderr, res.line())
		results = append(results, res)
	}
	product := "Terraform"
	if strings.Contains(filepath.Base(*terraform), "tofu") {
		product = "OpenTofu"
	}
	f := strings.Fields(string(load))
	table := fmt.Sprintf("%s v%s, Go %s, %s/%s; mock latency %s, parallelism %d; load before (1, 5, 15 min): %s on %d CPUs; "+
		"%s in all, %s.\n\n", product, release, strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH, *latency,
		parallelism, strings.Join(f[:min(len(f), 3)], " "), runtime.NumCPU(), time.Since(began).Round(time.Second),
		time.Now().UTC().Format("2006-01-02"))
	table += tableLine(func(i int) string { return columns[i].title }) + "| --- " + strings.Repeat("| ---: ", len(columns)-1) + "|\n"
	for _, r := range results {
		table += r.line()
	}
	misses := checks(results)
	report := table + notes(skipped) + notes(misses)
	fmt.Print(report)
	err = os.WriteFile(filepath.Join(work, "BENCHMARKS.md"), []byte(report), 0o644)
	if err == nil && *write != "" {
		err = replaceTable(*write, table)
	}
	if err == nil && len(misses) > 0 {
		err = fmt.Errorf("%d targets missed", len(misses))
	}
	return err
}

func notes(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return "\n" + strings.Join(lines, "\n") + "\n"
}

// setUp builds the provider, has Terraform run it through
// scripts/timed-provider.sh and returns the working directory and
// Terraform's environment, but the mock's address.
func setUp(ctx context.Context) (work string, env []string, err error) {
	work, err = filepath.Abs(filepath.Join(".cache", "bench"))
	if err == nil {
		err = os.RemoveAll(filepath.Join(work, "rows"))
	}
	if err != nil {
		return "", nil, err
	}
	binary := filepath.Join(work, "terraform-provider-partnercenter")
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", nil, fmt.Errorf("building the provider: %w", err)
	}
	rc, err := exec.CommandContext(ctx, "scripts/dev-cli-config.sh", filepath.Join(work, "cli"), "scripts/timed-provider.sh").Output()
	if err != nil {
		return "", nil, fmt.Errorf("scripts/dev-cli-config.sh: %w", err)
	}
	// The developer's own credentials, log levels and CLI settings would
	// change the measurement.
	env = slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return slices.ContainsFunc([]string{"PARTNERCENTER_", "ARM_", "TF_", "CHECKPOINT_", "PLANBENCH_"},
			func(prefix string) bool { return strings.HasPrefix(kv, prefix) })
	})
	return work, append(env, "TF_CLI_CONFIG_FILE="+strings.TrimSpace(string(rc)), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"PLANBENCH_PROVIDER="+binary, "PARTNERCENTER_TENANT_ID="+mpc.DefaultTenantID, "PARTNERCENTER_CLIENT_ID="+mpc.DefaultClientID,
		"PARTNERCENTER_CLIENT_SECRET="+mpc.DefaultClientSecret, "PARTNERCENTER_REFRESH_TOKEN="+mpc.DefaultRefreshToken), nil
}

// header starts every configuration: the provider reads PARTNERCENTER_*.
const header = `terraform {
  required_providers {
    partnercenter = { source = "cspkit/partnercenter" }
  }
}

`

// measure initialises dir for r, brings what a managed row manages into the
// state, untimed and before any rate limit, then times r.runs plans (or
// applies).
func measure(ctx context.Context, r row, dir string, env []string) (result, error) {
	res := result{row: r}
	mock, err := mpc.Start(mpc.Options{GeneratedCustomers: r.customers(), Latency: *latency})
	if err != nil {
		return res, err
	}
	defer mock.Close()
	mainTF, setup, config := filepath.Join(dir, "main.tf"), "", r.config
	env = append(slices.Clip(env), "PARTNERCENTER_ENDPOINT="+mock.URL(), "PARTNERCENTER_AUTHORITY_HOST="+mock.URL(),
		"PARTNERCENTER_GRAPH_ENDPOINT="+mock.GraphURL(),
		"PLANBENCH_PROCS="+filepath.Join(dir, "procs-setup.txt"))
	if r.managed {
		setup, config, err = managedConfigs(mock, r.n, r.apply, r.renewal)
	}
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err == nil && r.query {
		// The provider block is main.tf's; the list blocks are the query file's.
		err = os.WriteFile(filepath.Join(dir, "estate.tfquery.hcl"), []byte(config), 0o644)
		config = ""
	}
	if err == nil {
		err = os.WriteFile(mainTF, []byte(header+cmp.Or(setup, config)), 0o644)
	}
	if err == nil {
		_, _, err = tf(ctx, dir, env, "init")
	}
	if err == nil && setup != "" {
		if _, _, err = tf(ctx, dir, env, "apply", "-auto-approve"); err == nil {
			err = os.WriteFile(mainTF, []byte(header+config), 0o644)
		}
	}
	if err == nil && r.limit.Requests > 0 {
		err = setRateLimit(mock.URL(), r.limit)
	}
	if err != nil {
		return res, err
	}
	command, stateFile := []string{"plan", "-out=plan.tfplan"}, "plan.tfplan"
	if r.apply {
		command, stateFile = []string{"apply", "-auto-approve"}, "terraform.tfstate"
	}
	command = append(command, "-lock=false", fmt.Sprintf("-parallelism=%d", parallelism))
	if r.query {
		// terraform query takes neither -lock nor -parallelism; the state
		// column shows the size of the configuration it generates.
		command, stateFile = []string{"query", "-generate-config-out=estate.tf"}, "estate.tf"
	}
	expect, _ := r.expect()
	for i := range r.runs {
		procs := filepath.Join(dir, fmt.Sprintf("procs-%d.txt", i)) // the run's own (the last PLANBENCH_PROCS counts)
		// terraform query refuses to overwrite the file it generates.
		if r.query {
			if err := os.Remove(filepath.Join(dir, stateFile)); err != nil && !os.IsNotExist(err) {
				return res, err
			}
		}
		mock.ResetCounters()
		start := time.Now()
		state, output, err := tf(ctx, dir, append(env, "PLANBENCH_PROCS="+procs), command...)
		p := plan{wall: time.Since(start), tokens: mock.TokenRequests(), requests: map[mpc.Route]int{},
			throttled: mock.ThrottledRequests(), other: mock.TotalAPIRequests(), failedReads: strings.Count(output, "Error: ")}
		// Under a rate limit, reads may fail: counted, and a MISS.
		if err != nil && (r.limit.Requests == 0 || p.failedReads == 0) {
			return res, err
		}
		p.terraformCPU = state.UserTime() + state.SystemTime()
		for route := range expect {
			p.requests[route] = mock.Requests(route)
			p.other -= p.requests[route]
		}
		if p.providerCPU, p.peakRSSKiB, err = readProcs(procs); err == nil && p.failedReads == 0 {
			p.stateBytes, err = stateSize(filepath.Join(dir, stateFile))
		}
		if err != nil {
			return res, err
		}
		res.plans = append(res.plans, p)
	}
	slices.SortFunc(res.plans, func(a, b plan) int { return cmp.Compare(a.wall, b.wall) })
	return res, nil
}

// tf runs Terraform in dir; its error quotes the output.
func tf(ctx context.Context, dir string, env []string, args ...string) (*os.ProcessState, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	args = append(slices.Clip(args), "-no-color")
	if args[0] != "query" { // which asks nothing and takes no -input
		args = append(args, "-input=false")
	}
	cmd := exec.CommandContext(ctx, *terraform, args...)
	var output bytes.Buffer
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, &output, &output
	if err := cmd.Run(); err != nil {
		return cmd.ProcessState, output.String(), fmt.Errorf("terraform %s in %s: %w\n%s", args[0], dir, err, output.String())
	}
	return cmd.ProcessState, output.String(), nil
}

// detectTerraformVersion asks the CLI for its release; OpenTofu answers in
// the same field, and may print a warning about its CLI configuration
// before the JSON on stdout.
func detectTerraformVersion(ctx context.Context, cli string) (string, error) {
	out, err := exec.CommandContext(ctx, cli, "version", "-json").Output()
	var answer struct {
		Version string `json:"terraform_version"`
	}
	if err == nil {
		err = json.Unmarshal(out[max(bytes.IndexByte(out, '{'), 0):], &answer)
	}
	if err != nil {
		return "", fmt.Errorf("%s version -json: %w", cli, err)
	}
	return answer.Version, nil
}

// setRateLimit switches the running mock's rate limit on through its admin
// endpoint: in process, the mock takes one only at its start.
func setRateLimit(url string, limit mpc.RateLimit) error {
	resp, err := http.Post(url+"/_mock/rate-limit", "application/json", strings.NewReader(fmt.Sprintf(`{"rate_limit": %q}`, limit)))
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			err = fmt.Errorf("setting the mock's rate limit to %s: %s", limit, resp.Status)
		}
	}
	return err
}

// stateSize is the size of a state file (or of the configuration terraform
// query generated), or of the state a plan file holds (the data sources'
// results and the refreshed resources).
func stateSize(file string) (int64, error) {
	info, err := os.Stat(file)
	if err == nil && filepath.Ext(file) == ".tfplan" {
		var z *zip.ReadCloser
		if z, err = zip.OpenReader(file); err == nil {
			defer z.Close()
			info, err = fs.Stat(z, "tfstate")
		}
	}
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// readProcs sums the CPU time and takes the peak RSS of the provider
// processes in the lines GNU time appended ("%U %S %M"), skipping its notes
// about exit statuses.
func readProcs(path string) (cpu time.Duration, peakKiB int64, err error) {
	b, err := os.ReadFile(path)
	for line := range strings.Lines(string(b)) {
		var user, sys float64
		var rss int64
		if n, _ := fmt.Sscanf(line, "%g %g %d", &user, &sys, &rss); n == 3 {
			cpu += time.Duration((user + sys) * float64(time.Second))
			peakKiB = max(peakKiB, rss)
		}
	}
	return cpu, peakKiB, err
}

const beginMarker, endMarker = "<!-- planbench:begin -->", "<!-- planbench:end -->"

// replaceTable puts table between the markers of the file at path.
func replaceTable(path, table string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	before, rest, ok1 := strings.Cut(string(b), beginMarker)
	_, after, ok2 := strings.Cut(rest, endMarker)
	if !ok1 || !ok2 {
		return fmt.Errorf("%s: no %s ... %s section", path, beginMarker, endMarker)
	}
	return os.WriteFile(path, []byte(before+beginMarker+"\n"+table+endMarker+after), 0o644)
}
