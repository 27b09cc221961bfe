package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestResolveSettings_graphArguments(t *testing.T) {
	s, diags := resolveSettings(nullModel(), envMap(withEnv(refreshEnv,
		"PARTNERCENTER_GRAPH_ENDPOINT", "http://127.0.0.1:8081/", "PARTNERCENTER_GRAPH_ACCESS_TOKEN", "graph-token")))
	if diags.HasError() {
		t.Fatal(diagText(diags))
	}
	if s.graphEndpoint != "http://127.0.0.1:8081" || s.graphAccessToken != "graph-token" {
		t.Errorf("graph endpoint %q, token %q", s.graphEndpoint, s.graphAccessToken)
	}
	m := nullModel()
	m.GraphEndpoint = types.StringValue("https://graph.example.com")
	s, diags = resolveSettings(m, envMap(withEnv(refreshEnv, "PARTNERCENTER_GRAPH_ENDPOINT", "https://other.example.com")))
	if diags.HasError() || s.graphEndpoint != "https://graph.example.com" {
		t.Errorf("configuration must win: %q %s", s.graphEndpoint, diagText(diags))
	}
	m.GraphEndpoint = types.StringValue("http://graph.example.com")
	_, diags = resolveSettings(m, envMap(refreshEnv))
	if got := diagText(diags); !strings.Contains(got, "Invalid URL") || !strings.Contains(got, `argument "graph_endpoint"`) {
		t.Errorf("plain http to a remote Graph host: %s", got)
	}
}

func TestNewProviderData_graphClient(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		wantGraph   bool
		wantMissing string
	}{
		{"refresh token", refreshEnv, true, ""},
		{"App-only", appOnlyEnv, true, ""},
		{"federated", oidcEnv, true, ""},
		{"Azure CLI", map[string]string{"PARTNERCENTER_USE_CLI": "true"}, true, ""},
		{"access token alone", map[string]string{"PARTNERCENTER_ACCESS_TOKEN": "pc-token"}, false,
			"graph_access_token (PARTNERCENTER_GRAPH_ACCESS_TOKEN)"},
		{"access token with a Graph token", map[string]string{"PARTNERCENTER_ACCESS_TOKEN": "pc-token",
			"PARTNERCENTER_GRAPH_ACCESS_TOKEN": "graph-token"}, true, ""},
		{"Graph token beside a refresh token", withEnv(refreshEnv, "PARTNERCENTER_GRAPH_ACCESS_TOKEN", "graph-token"), true, ""},
		{"Graph endpoint override", withEnv(refreshEnv, "PARTNERCENTER_GRAPH_ENDPOINT", "https://dod-graph.microsoft.us"), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, diags := resolveSettings(nullModel(), envMap(tt.env))
			if diags.HasError() {
				t.Fatal(diagText(diags))
			}
			data, diags := newProviderData(s, "test", "")
			if diags.HasError() {
				t.Fatal(diagText(diags))
			}
			if (data.Graph != nil) != tt.wantGraph {
				t.Fatalf("Graph client %v, want one: %v", data.Graph, tt.wantGraph)
			}
			if tt.wantGraph && data.GraphUnavailable != "" {
				t.Errorf("GraphUnavailable %q beside a client", data.GraphUnavailable)
			}
			if !tt.wantGraph && !strings.Contains(data.GraphUnavailable, tt.wantMissing) {
				t.Errorf("GraphUnavailable %q does not name %s", data.GraphUnavailable, tt.wantMissing)
			}
		})
	}
}

func TestProviderSchema_graphAccessTokenSensitive(t *testing.T) {
	attrs := providerSchema().Attributes
	if !attrs["graph_access_token"].IsSensitive() || attrs["graph_endpoint"].IsSensitive() {
		t.Error("graph_access_token must be sensitive, graph_endpoint not")
	}
	for _, name := range []string{"graph_access_token", "graph_endpoint"} {
		if d := attrs[name].GetMarkdownDescription(); !strings.Contains(d, "GDAP") {
			t.Errorf("%s's description does not say what it is for: %q", name, d)
		}
	}
}

func TestNewProviderData_graphEndpointWithVersionRefused(t *testing.T) {
	s, diags := resolveSettings(nullModel(), envMap(withEnv(refreshEnv, "PARTNERCENTER_GRAPH_ENDPOINT", "https://graph.microsoft.com/v1.0")))
	if diags.HasError() {
		t.Fatal(diagText(diags))
	}
	if _, diags := newProviderData(s, "test", ""); !strings.Contains(diagText(diags), "Invalid Microsoft Graph endpoint") ||
		!strings.Contains(diagText(diags), "must not end in /v1.0") {
		t.Errorf("got %s", diagText(diags))
	}
}
