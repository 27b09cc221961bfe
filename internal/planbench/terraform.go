package planbench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// scrubbedEnvPrefixes are removed from the environment Terraform runs in, so
// a developer's own credentials, logging or CLI arguments cannot change what
// is measured.
var scrubbedEnvPrefixes = []string{
	"PARTNERCENTER_", "ARM_", "TF_LOG", "TF_CLI_", "TF_PLUGIN_CACHE_DIR=", "TF_DATA_DIR=",
	"TF_IN_AUTOMATION=", "CHECKPOINT_DISABLE=", "PLANBENCH_",
}

// baseEnv returns env without the scrubbed variables.
func baseEnv(env []string) []string {
	out := make([]string, 0, len(env))
next:
	for _, kv := range env {
		for _, p := range scrubbedEnvPrefixes {
			if strings.HasPrefix(kv, p) {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// tfRun is one finished Terraform command.
type tfRun struct {
	wall  time.Duration
	cpu   time.Duration // Terraform's own CPU plus that of children it reaped
	state *os.ProcessState
}

// runTerraform runs the Terraform CLI in dir, timing it from start to exit.
// Output is kept only to explain a failure.
func runTerraform(ctx context.Context, tf, dir string, env []string, args ...string) (tfRun, error) {
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	run := tfRun{wall: time.Since(start), state: cmd.ProcessState}
	if cmd.ProcessState != nil {
		run.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return run, fmt.Errorf("terraform %s in %s: %w\n%s", args[0], dir, err, tail(out.String(), 4000))
	}
	return run, nil
}

// TerraformVersion returns the version the CLI at tf reports, e.g. "1.11.4".
func TerraformVersion(ctx context.Context, tf string) (string, error) {
	out, err := exec.CommandContext(ctx, tf, "version", "-json").Output()
	if err != nil {
		return "", fmt.Errorf("terraform version: %w", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return "", fmt.Errorf("terraform version -json: %w", err)
	}
	return v.Version, nil
}

// tail returns at most the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
