// Command planbench times `terraform plan` reading N customers from the mock
// Partner Center in several ways, and plans and applies managing N
// subscriptions, with the requests each sent and the provider's CPU time and
// peak RSS, and writes a markdown table (make bench).
//
// Terraform starts the provider through /usr/bin/time (GNU time), which
// records each provider process's CPU time and peak RSS. Run it from the
// repository root: it builds the provider there and works in .cache/bench.
package main

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(1)
	}
}

func run() error {
	terraform := flag.String("terraform", "terraform", "Terraform CLI")
	latency := flag.Duration("latency", 50*time.Millisecond, "mock latency on every request, token included")
	only := flag.String("rows", "", "measure only the rows whose name matches this regular expression")
	out := flag.String("out", ".cache/bench/BENCHMARKS.md", "write the table to this file")
	write := flag.String("write", "", "also replace the table between the bench markers of this file")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	re, err := regexp.Compile(*only) // the empty expression matches every row
	if err != nil {
		return err
	}
	rows := slices.DeleteFunc(defaultRows(), func(r row) bool { return !re.MatchString(r.name) })
	work, err := filepath.Abs(filepath.Join(".cache", "bench"))
	if err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(work, "rows")); err != nil {
		return err
	}
	rc, err := setUp(ctx, work)
	if err != nil {
		return err
	}
	version, err := exec.CommandContext(ctx, *terraform, "version").Output()
	if err != nil {
		return fmt.Errorf("terraform version: %w", err)
	}
	release, err := detectTerraformVersion(ctx, *terraform)
	if err != nil {
		return err
	}
	rows, skipped := rowsFor(rows, release)
	for _, why := range skipped {
		fmt.Fprintln(os.Stderr, why)
	}
	h := harness{terraform: *terraform, rc: rc, work: work, latency: *latency}
	began, load := time.Now(), loadAverage()
	var results []result
	for _, r := range rows {
		res, err := h.measure(ctx, r)
		if err != nil {
			return fmt.Errorf("%s N=%d: %w", r.name, r.n, err)
		}
		fmt.Fprint(os.Stderr, tableRow(res))
		results = append(results, res)
	}
	table := render(results, strings.SplitN(string(version), "\n", 2)[0], *latency, time.Since(began), load)
	misses := checks(results)
	report := table + notes(skipped) + notes(misses)
	fmt.Print(report)
	if err := writeFile(*out, report); err != nil {
		return err
	}
	if *write != "" {
		if err := replaceTable(*write, table); err != nil {
			return err
		}
	}
	if len(misses) > 0 {
		return fmt.Errorf("%d targets missed", len(misses))
	}
	return nil
}

// notes are lines that follow the table, after a blank line.
func notes(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return "\n" + strings.Join(lines, "\n") + "\n"
}

// setUp builds the provider, puts it behind GNU time and writes a CLI
// configuration that runs it (scripts/dev-cli-config.sh). It returns the
// configuration's path.
func setUp(ctx context.Context, work string) (string, error) {
	binary := filepath.Join(work, "terraform-provider-partnercenter")
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("building the provider: %w", err)
	}
	wrapper := filepath.Join(work, "timed-provider")
	script := fmt.Sprintf("#!/bin/sh\nexec /usr/bin/time -a -o \"$PLANBENCH_PROCS\" -f '%%U %%S %%M' %q \"$@\"\n", binary)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		return "", err
	}
	rc, err := exec.CommandContext(ctx, "scripts/dev-cli-config.sh", filepath.Join(work, "cli"), wrapper).Output()
	if err != nil {
		return "", fmt.Errorf("scripts/dev-cli-config.sh: %w", err)
	}
	return strings.TrimSpace(string(rc)), nil
}

type harness struct {
	terraform, rc, work string
	latency             time.Duration
}

// measure initialises a working directory for r once, then times r.runs
// plans against a fresh mock, resetting its counters before each.
func (h harness) measure(ctx context.Context, r row) (result, error) {
	res := result{row: r, latency: h.latency}
	dir := filepath.Join(h.work, "rows", fmt.Sprintf("%s-%d", r.name, r.n))
	opts := r.mock
	opts.Latency = h.latency
	if r.prepare != nil {
		opts.RateLimit = mockpartnercenter.RateLimit{} // the setup is not measured: switched on after it
	}
	mock, err := mockpartnercenter.Start(opts)
	if err != nil {
		return res, err
	}
	defer mock.Close()
	setup, config := "", r.config
	if r.prepare != nil {
		if setup, config, err = r.prepare(mock); err != nil {
			return res, err
		}
	}
	mainFile := filepath.Join(dir, "main.tf")
	if err := writeFile(mainFile, mainTF+cmp.Or(setup, config)); err != nil {
		return res, err
	}
	procs := filepath.Join(dir, "procs.txt")
	env := append(scrubbed(os.Environ()), "TF_CLI_CONFIG_FILE="+h.rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"PLANBENCH_PROCS="+procs,
		"PARTNERCENTER_ENDPOINT="+mock.URL(), "PARTNERCENTER_AUTHORITY_HOST="+mock.URL(),
		"PARTNERCENTER_TENANT_ID="+mockpartnercenter.DefaultTenantID,
		"PARTNERCENTER_CLIENT_ID="+mockpartnercenter.DefaultClientID,
		"PARTNERCENTER_CLIENT_SECRET="+mockpartnercenter.DefaultClientSecret,
		"PARTNERCENTER_REFRESH_TOKEN="+mockpartnercenter.DefaultRefreshToken)
	if _, _, err := h.tf(ctx, dir, env, "init", "-input=false", "-no-color"); err != nil {
		return res, err
	}
	if setup != "" {
		if _, _, err := h.tf(ctx, dir, env, "apply", "-input=false", "-no-color", "-auto-approve"); err != nil {
			return res, err
		}
		if err := writeFile(mainFile, mainTF+config); err != nil {
			return res, err
		}
		if err := setRateLimit(ctx, mock.URL(), r.mock.RateLimit); err != nil {
			return res, err
		}
	}
	command, stateFile := []string{"plan", "-out=plan.tfplan"}, "plan.tfplan"
	if r.apply {
		command, stateFile = []string{"apply", "-auto-approve"}, "terraform.tfstate"
	}
	command = append(command, "-input=false", "-lock=false", "-no-color", fmt.Sprintf("-parallelism=%d", parallelism))
	for range r.runs {
		mock.ResetCounters()
		if err := os.Remove(procs); err != nil && !errors.Is(err, os.ErrNotExist) {
			return res, err
		}
		start := time.Now()
		_ = os.Remove(filepath.Join(dir, "plan.tfplan"))
		state, output, err := h.tf(ctx, dir, env, command...)
		p := plan{wall: time.Since(start), tokens: mock.TokenRequests(), requests: map[mockpartnercenter.Route]int{}}
		if err != nil && (!r.mayFail || state == nil || !state.Exited()) {
			return res, err
		}
		p.failedReads, p.throttled = strings.Count(output, "Error: "), mock.ThrottledRequests()
		p.terraformCPU = state.UserTime() + state.SystemTime()
		p.otherRequests = mock.TotalAPIRequests()
		for route := range r.expect {
			p.requests[route] = mock.Requests(route)
			p.otherRequests -= p.requests[route]
		}
		if p.providerCPU, p.peakRSSKiB, err = readProcs(procs); err != nil {
			return res, err
		}
		if p.failedReads == 0 {
			if p.stateBytes, err = stateSize(filepath.Join(dir, stateFile)); err != nil {
				return res, err
			}
		}
		res.plans = append(res.plans, p)
	}
	return res, nil
}

const mainTF = `terraform {
  required_providers {
    partnercenter = {
      source = "cspkit/partnercenter"
    }
  }
}

# Configured through PARTNERCENTER_* variables pointing at the mock.
provider "partnercenter" {}

`

// tf runs Terraform in dir and returns its output, which the error quotes.
func (h harness) tf(ctx context.Context, dir string, env []string, args ...string) (*os.ProcessState, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.terraform, args...)
	cmd.Dir, cmd.Env = dir, env
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		return cmd.ProcessState, output.String(), fmt.Errorf("terraform %s in %s: %w\n%s", args[0], dir, err, output.String())
	}
	return cmd.ProcessState, output.String(), nil
}

// setRateLimit sets the rate limit of the running mock at url, through its
// admin endpoint.
func setRateLimit(ctx context.Context, url string, limit mockpartnercenter.RateLimit) error {
	body := fmt.Sprintf(`{"rate_limit": %q}`, limit)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/_mock/rate-limit", strings.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("setting the mock's rate limit: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("setting the mock's rate limit to %s: %s", limit, resp.Status)
	}
	return nil
}

// scrubbed drops what could change the measurement: the developer's own
// credentials, log levels and CLI settings.
func scrubbed(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return slices.ContainsFunc([]string{"PARTNERCENTER_", "ARM_", "TF_", "CHECKPOINT_"},
			func(prefix string) bool { return strings.HasPrefix(kv, prefix) })
	})
}

// stateSize is the size of a state file, or of the state a plan file
// holds: the data sources' results and the refreshed resources, as
// `terraform apply` would store them.
func stateSize(file string) (int64, error) {
	if filepath.Ext(file) == ".tfstate" {
		info, err := os.Stat(file)
		if err != nil {
			return 0, err
		}
		return info.Size(), nil
	}
	z, err := zip.OpenReader(file)
	if err != nil {
		return 0, err
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name == "tfstate" {
			return int64(f.UncompressedSize64), nil
		}
	}
	return 0, fmt.Errorf("%s holds no tfstate", file)
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

// Markers around the generated table in BENCHMARKS.md.
const (
	beginMarker = "<!-- planbench:begin -->"
	endMarker   = "<!-- planbench:end -->"
)

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

// loadAverage is the 1, 5 and 15 minute load averages, where the system
// tells them.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ") + fmt.Sprintf(" on %d CPUs", runtime.NumCPU())
	}
	return "unknown"
}
