package acctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
)

// KillableTerraform runs the Terraform CLI on a configuration in a
// directory of its own, with the provider built into a binary whose path
// no other process has, so that the test can find that process and kill
// it with SIGKILL: an interruption no code of the provider sees.
type KillableTerraform struct {
	t         *testing.T
	dir       string
	terraform string
	provider  string // the provider binary Terraform runs
	env       []string
}

func NewKillableTerraform(t *testing.T) *KillableTerraform {
	t.Helper()
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		terraform = "/usr/local/bin/terraform"
	}
	if _, err := os.Stat(terraform); err != nil {
		t.Skipf("no Terraform CLI at %s: %v", terraform, err)
	}
	root := t.TempDir()
	override := filepath.Join(root, "override")
	provider := filepath.Join(override, "terraform-provider-partnercenter")
	// Named by import path, the provider builds from any package's tests.
	build := exec.CommandContext(t.Context(), "go", "build", "-o", provider, "github.com/cspkit/terraform-provider-partnercenter")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(root, "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", UnderTest.Address, override)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "work")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return &KillableTerraform{
		t: t, dir: dir, terraform: terraform, provider: provider,
		env: append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"),
	}
}

// write replaces the configuration with hcl, under a terraform block that
// takes the provider from the binary. The source names its registry host,
// so that OpenTofu, whose default host is another, matches the same
// dev_overrides entry.
func (k *KillableTerraform) Write(hcl string) {
	k.t.Helper()
	required := fmt.Sprintf("terraform {\n  required_providers {\n    partnercenter = {\n      source = %q\n    }\n  }\n}\n", UnderTest.Address)
	if err := os.WriteFile(filepath.Join(k.dir, "main.tf"), []byte(required+hcl), 0o600); err != nil {
		k.t.Fatal(err)
	}
}

// WriteFile writes another file of the configuration, such as a query
// file (name.tfquery.hcl), beside main.tf.
func (k *KillableTerraform) WriteFile(name, content string) {
	k.t.Helper()
	if err := os.WriteFile(filepath.Join(k.dir, name), []byte(content), 0o600); err != nil {
		k.t.Fatal(err)
	}
}

// ReadFile is a file of the working directory, such as the configuration
// terraform query generated.
func (k *KillableTerraform) ReadFile(name string) string {
	k.t.Helper()
	b, err := os.ReadFile(filepath.Join(k.dir, name))
	if err != nil {
		k.t.Fatal(err)
	}
	return string(b)
}

// SkipBelow skips the test when the Terraform CLI is older than minimum
// (such as "1.14.0", which terraform query needs) or is OpenTofu.
func (k *KillableTerraform) SkipBelow(minimum string) {
	k.t.Helper()
	cmd, out := k.command("version", "-json")
	cmd.Stderr = nil
	if err := cmd.Run(); err != nil {
		k.t.Fatalf("terraform version: %v\n%s", err, out)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		k.t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		k.t.Fatalf("terraform version %q: %v", v.Version, err)
	}
	if have.LessThan(version.Must(version.NewVersion(minimum))) || os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		k.t.Skipf("Terraform %s (or OpenTofu) cannot run this test: it needs Terraform %s or later", v.Version, minimum)
	}
}

func (k *KillableTerraform) command(args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.CommandContext(k.t.Context(), k.terraform, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = k.dir, k.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run runs terraform with args and returns its output and whether it
// succeeded.
func (k *KillableTerraform) Run(args ...string) (string, bool) {
	k.t.Helper()
	cmd, out := k.command(args...)
	err := cmd.Run()
	k.t.Logf("terraform %s:\n%s", strings.Join(args, " "), out)
	return out.String(), err == nil
}

// ApplyKilledWhen starts `terraform apply`, waits until committed reports
// that Partner Center has made the object, kills the provider process with
// SIGKILL and checks that Terraform failed.
func (k *KillableTerraform) ApplyKilledWhen(committed func() bool) {
	k.t.Helper()
	cmd, out := k.command("apply", "-auto-approve")
	if err := cmd.Start(); err != nil {
		k.t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(2 * time.Minute); !committed(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			k.t.Fatalf("Partner Center never committed the write (terraform: %v):\n%s", <-exited, out)
		}
	}
	if killed := k.killProvider(); killed != 1 {
		k.t.Errorf("killed %d provider processes, want 1", killed)
	}
	select {
	case err := <-exited:
		if err == nil {
			k.t.Errorf("terraform apply succeeded although its provider was killed:\n%s", out)
		}
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		k.t.Fatalf("terraform apply went on after its provider was killed:\n%s", out)
	}
	k.t.Logf("terraform apply, provider killed:\n%s", out)
}

// killProvider sends SIGKILL to every process running this test's provider
// binary and returns how many there were.
func (k *KillableTerraform) killProvider() int {
	k.t.Helper()
	cmdlines, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		k.t.Fatal(err)
	}
	killed := 0
	for _, path := range cmdlines {
		raw, err := os.ReadFile(path)
		if err != nil {
			continue // the process has gone
		}
		if arg0, _, _ := bytes.Cut(raw, []byte{0}); string(arg0) != k.provider {
			continue
		}
		var pid int
		if _, err := fmt.Sscanf(path, "/proc/%d/cmdline", &pid); err != nil {
			continue
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err == nil {
			killed++
		}
	}
	return killed
}

// StateValues are the attribute values of the resource at address in
// `terraform show -json`; nil when the state has no such resource.
func (k *KillableTerraform) StateValues(address string) map[string]any {
	k.t.Helper()
	return k.showResource(address).Values
}

// shownResource is a resource of `terraform show -json`: its attribute
// values and identity.
type shownResource struct {
	Address  string         `json:"address"`
	Values   map[string]any `json:"values"`
	Identity map[string]any `json:"identity"`
}

// showResource is the resource at address in `terraform show -json`; zero
// when the state has no such resource.
func (k *KillableTerraform) showResource(address string) shownResource {
	k.t.Helper()
	cmd, out := k.command("show", "-json")
	if err := cmd.Run(); err != nil {
		k.t.Fatalf("terraform show: %v\n%s", err, out)
	}
	var shown struct {
		Values struct {
			RootModule struct {
				Resources []shownResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(out.Bytes(), &shown); err != nil {
		k.t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	for _, r := range shown.Values.RootModule.Resources {
		if r.Address == address {
			return r
		}
	}
	return shownResource{}
}

// PlannedImports reads the saved plan planFile and returns how many
// resources it imports; each resource change that is not an import without
// any change fails the test.
func (k *KillableTerraform) PlannedImports(planFile string) int {
	k.t.Helper()
	cmd, out := k.command("show", "-json", planFile)
	if err := cmd.Run(); err != nil {
		k.t.Fatalf("terraform show %s: %v\n%s", planFile, err, out)
	}
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string        `json:"actions"`
				Importing json.RawMessage `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(out.Bytes(), &plan); err != nil {
		k.t.Fatalf("terraform show -json %s: %v\n%s", planFile, err, out)
	}
	imports := 0
	for _, rc := range plan.ResourceChanges {
		if len(rc.Change.Actions) != 1 || rc.Change.Actions[0] != "no-op" || len(rc.Change.Importing) == 0 {
			k.t.Errorf("%s: actions %v, importing %s; want an import and no change", rc.Address, rc.Change.Actions, rc.Change.Importing)
			continue
		}
		imports++
	}
	return imports
}
