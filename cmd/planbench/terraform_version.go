package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// terraformVersion is a Terraform (or OpenTofu) release: major, minor, patch.
type terraformVersion [3]int

func (v terraformVersion) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// atLeast reports whether v is oldest or later.
func (v terraformVersion) atLeast(oldest terraformVersion) bool {
	for i := range v {
		if v[i] != oldest[i] {
			return v[i] > oldest[i]
		}
	}
	return true
}

// parseTerraformVersion reads "1.11.4", "v1.7.0" or "1.8.0-beta1"; a
// pre-release counts as its release.
func parseTerraformVersion(s string) (terraformVersion, error) {
	core, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(s), "v"), "-")
	parts := strings.Split(core, ".")
	var v terraformVersion
	if len(parts) != 3 {
		return v, fmt.Errorf("version %q is not major.minor.patch", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, fmt.Errorf("version %q is not major.minor.patch", s)
		}
		v[i] = n
	}
	return v, nil
}

// detectTerraformVersion asks the CLI for its release; OpenTofu answers in
// the same field.
func detectTerraformVersion(ctx context.Context, terraform string) (terraformVersion, error) {
	out, err := exec.CommandContext(ctx, terraform, "version", "-json").Output()
	if err != nil {
		return terraformVersion{}, fmt.Errorf("%s version -json: %w", terraform, err)
	}
	var answer struct {
		Version string `json:"terraform_version"`
	}
	// OpenTofu may print a warning about its CLI configuration around the
	// JSON on stdout.
	start := bytes.IndexByte(out, '{')
	if start < 0 {
		start = 0
	}
	if err := json.NewDecoder(bytes.NewReader(out[start:])).Decode(&answer); err != nil {
		return terraformVersion{}, fmt.Errorf("%s version -json: %w", terraform, err)
	}
	return parseTerraformVersion(answer.Version)
}

// rowsFor keeps the rows the CLI at version can run and says why each other
// row is skipped.
func rowsFor(rows []row, version terraformVersion) (kept []row, skipped []string) {
	for _, r := range rows {
		if !version.atLeast(r.minTerraform) {
			skipped = append(skipped, fmt.Sprintf("skipped %s N=%d: it needs Terraform %s or later (%s); this is %s",
				r.name, r.n, r.minTerraform, r.needsNewerBecause, version))
			continue
		}
		kept = append(kept, r)
	}
	return kept, skipped
}
