package gdap_test

import (
	"os"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider"
)

// TestMain serves the acceptance tests the provider, which this package
// cannot import from its own tests, and trusts the httptest certificate.
func TestMain(m *testing.M) {
	os.Exit(acctest.RunTests(m, acctest.HarnessProvider{
		Server: provider.ProtocolServer, EnvVars: provider.EnvironmentVariables(), Address: provider.Address,
	}))
}
