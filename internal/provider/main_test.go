package provider

import (
	"os"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
)

// TestMain makes the provider under test trust the certificate of every
// httptest TLS server (they all share one), so that hostile https servers
// can be tested through the real client. Go reads SSL_CERT_FILE once per
// process, when it first verifies a certificate, so it is set before any
// test runs.
func TestMain(m *testing.M) {
	os.Exit(acctest.RunTests(m, acctest.HarnessProvider{Server: ProtocolServer, EnvVars: EnvironmentVariables(), Address: Address}))
}
