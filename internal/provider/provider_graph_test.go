package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// graph_access_token is a secret like access_token: Partner Center reads
// still work beside it, and it reaches neither the TRACE log nor the state.
func TestAccProvider_graphAccessTokenMasked(t *testing.T) {
	const graphToken = "graph-access-token-4f9a2c71e"
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	logPath := acctest.CaptureTraceLog(t)
	t.Setenv("TF_VAR_access_token", acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken))
	t.Setenv("TF_VAR_graph_access_token", graphToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
variable "access_token" {
  type      = string
  sensitive = true
}

variable "graph_access_token" {
  type      = string
  sensitive = true
}

provider "partnercenter" {
  endpoint           = %q
  graph_endpoint     = %q
  access_token       = var.access_token
  graph_access_token = var.graph_access_token
}
`, mock.URL(), mock.URL()) + customerByID,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.partnercenter_customer.test", "relationship_to_partner", "reseller"),
				stateHasNone(graphToken),
			),
		}},
	})
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the captured log: %v", err)
	}
	log := string(raw)
	if !strings.Contains(log, "Partner Center provider configured") || !strings.Contains(log, "graph_endpoint") {
		t.Fatalf("the captured log (%d bytes) is not the provider's TRACE log", len(log))
	}
	if strings.Contains(log, graphToken) {
		t.Error("the TRACE log holds graph_access_token")
	}
}

// A Graph endpoint from the environment is checked like endpoint, and the
// error names the variable; nothing is sent.
func TestAccProvider_graphEndpointFromEnvironmentRefused(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	t.Setenv("PARTNERCENTER_GRAPH_ENDPOINT", "http://graph.example.com")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			// Without graph_endpoint in the block, which would win over the variable.
			Config: refreshFlowConfig(mock.URL(), mock.URL(),
				fmt.Sprintf("client_secret = %q\n  refresh_token = %q", acctest.MockClientSecret, acctest.MockRefreshToken)),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(`Invalid URL.*uses http: only https is allowed.*environment variable PARTNERCENTER_GRAPH_ENDPOINT`),
		}},
	})
	if n := mock.TokenRequests() + mock.TotalAPIRequests(); n != 0 {
		t.Errorf("%d requests were sent for a configuration with an error", n)
	}
}
