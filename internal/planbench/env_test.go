package planbench

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestBaseEnvScrubsCredentials(t *testing.T) {
	in := []string{"PATH=/bin", "HOME=/root", "PARTNERCENTER_CLIENT_SECRET=x", "ARM_TENANT_ID=y",
		"TF_LOG=trace", "TF_CLI_CONFIG_FILE=/etc/rc", "TF_CLI_ARGS_plan=-refresh=false", "PLANBENCH_WRAP_TARGET=z",
		"TF_ACC=1"}
	got := baseEnv(in)
	want := []string{"PATH=/bin", "HOME=/root", "TF_ACC=1"}
	if !slices.Equal(got, want) {
		t.Errorf("baseEnv = %v, want %v", got, want)
	}
}

func TestWriteCLIConfig(t *testing.T) {
	dir := t.TempDir()
	plugin := filepath.Join(dir, "plugin")
	if err := os.WriteFile(plugin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	rc, err := WriteCLIConfig(filepath.Join(dir, "cli"), plugin)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(rc)
	if err != nil {
		t.Fatal(err)
	}
	override := filepath.Join(dir, "cli", "override")
	if !strings.Contains(string(b), `"cspkit/partnercenter" = "`+override+`"`) {
		t.Errorf("terraformrc lacks the dev override:\n%s", b)
	}
	for _, p := range []string{
		filepath.Join(override, ProviderBinaryName),
		filepath.Join(dir, "cli", "mirror", "registry.terraform.io", "cspkit", "partnercenter", "0.0.1",
			runtime.GOOS+"_"+runtime.GOARCH, ProviderBinaryName),
	} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable", p)
		}
	}
}

func TestFieldValue(t *testing.T) {
	cpuinfo := []byte("processor\t: 0\nmodel name\t: Some CPU @ 2.0GHz\nflags\t: fpu\n")
	if got := fieldValue(cpuinfo, "model name", ':'); got != "Some CPU @ 2.0GHz" {
		t.Errorf("model name = %q", got)
	}
	osRelease := []byte("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
	if got := fieldValue(osRelease, "PRETTY_NAME", '='); got != `"Debian GNU/Linux 12 (bookworm)"` {
		t.Errorf("PRETTY_NAME = %q", got)
	}
	if got := fieldValue(cpuinfo, "missing", ':'); got != "" {
		t.Errorf("missing key = %q", got)
	}
}
