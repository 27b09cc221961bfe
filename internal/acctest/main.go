package acctest

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// HarnessProvider is what the acceptance tests need from the provider under
// test; each test package's TestMain gives it, since the provider's own tests
// share this harness and so it cannot import the provider.
type HarnessProvider struct {
	// server serves the provider of a version over the protocol.
	Server func(version string) func() tfprotov6.ProviderServer
	// EnvVars are the environment variables the provider reads, cleared for
	// every acceptance test.
	EnvVars [][]string
	// address is the provider's registry address.
	Address string
}

// UnderTest is the provider that RunTests was given.
var UnderTest HarnessProvider

// RunTests runs the tests of a package against p.
func RunTests(m *testing.M, p HarnessProvider) int {
	UnderTest = p
	dir, err := os.MkdirTemp("", "partnercenter-test-ca")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	srv.Close()
	caFile := filepath.Join(dir, "httptest-ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.Setenv("SSL_CERT_FILE", caFile); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}
