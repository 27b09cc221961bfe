package acctest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// SecretForms is a value in each encoding a server could echo it in.
func SecretForms(values ...string) []string {
	var out []string
	for _, v := range values {
		escaped, _ := json.Marshal(v)
		jsonForm := strings.Trim(string(escaped), `"`)
		out = append(out, v, url.QueryEscape(v), url.PathEscape(v), jsonForm, strings.ReplaceAll(jsonForm, "/", `\/`))
	}
	return out
}

// FailingStep is a step whose success fails the test: with ErrorCheck set,
// its error is checked there.
func FailingStep(config string) resource.TestStep {
	return resource.TestStep{
		Config: config,
		Check:  func(*terraform.State) error { return errors.New("the step succeeded; want an error") },
	}
}

func ErrorWithout(pattern *regexp.Regexp, forbidden ...string) func(error) error {
	return func(err error) error {
		if !pattern.MatchString(err.Error()) {
			return fmt.Errorf("want an error matching %s, got: %w", pattern, err)
		}
		for _, f := range forbidden {
			if f != "" && strings.Contains(err.Error(), f) {
				return fmt.Errorf("the error shows a secret (%d characters, here replaced): %s", len(f),
					strings.ReplaceAll(err.Error(), f, "<SECRET>"))
			}
		}
		return nil
	}
}

// CaptureTraceLog sends the logs of Terraform and of the provider under test
// to a file at TRACE level for the rest of the test, and returns its path.
func CaptureTraceLog(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	return filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "__")+".log")
}

// MockCheck is a state check of what the mock counted: the legacy check
// functions cannot read the state of a for_each resource.
type MockCheck func() error

func (c MockCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c()
}

// CheckMock turns a check of the mock into a step check.
func CheckMock(check func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check() }
}
