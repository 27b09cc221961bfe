package provider

import (
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

func envMap(m map[string]string) envLookup {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}

// nullModel is a provider block with nothing set.
func nullModel() providerModel {
	return providerModel{
		Environment: types.StringNull(), Endpoint: types.StringNull(), AuthorityHost: types.StringNull(),
		TenantID: types.StringNull(), ClientID: types.StringNull(), ClientSecret: types.StringNull(),
		ClientCertificate: types.StringNull(), ClientCertificatePath: types.StringNull(),
		ClientCertificatePassword: types.StringNull(), RefreshToken: types.StringNull(),
		AccessToken: types.StringNull(), UseCLI: types.BoolNull(), MaxRetries: types.NumberNull(),
		UseOIDC: types.BoolNull(), OIDCToken: types.StringNull(), OIDCTokenFilePath: types.StringNull(),
		OIDCRequestURL: types.StringNull(), OIDCRequestToken: types.StringNull(), ADOPipelineServiceConnectionID: types.StringNull(),
		GraphEndpoint: types.StringNull(), GraphAccessToken: types.StringNull(),
	}
}

const testClientID = acctest.MockClientID

var refreshEnv = map[string]string{
	"PARTNERCENTER_TENANT_ID":     "contoso.onmicrosoft.com",
	"PARTNERCENTER_CLIENT_ID":     testClientID,
	"PARTNERCENTER_CLIENT_SECRET": "s3cret",
	"PARTNERCENTER_REFRESH_TOKEN": "rt",
}

var appOnlyEnv = map[string]string{
	"PARTNERCENTER_TENANT_ID":     "contoso.onmicrosoft.com",
	"PARTNERCENTER_CLIENT_ID":     testClientID,
	"PARTNERCENTER_CLIENT_SECRET": "s3cret",
}

var oidcEnv = map[string]string{
	"ARM_TENANT_ID":            "contoso.onmicrosoft.com",
	"ARM_CLIENT_ID":            testClientID,
	"PARTNERCENTER_USE_OIDC":   "true",
	"PARTNERCENTER_OIDC_TOKEN": "id-token",
}

// withEnv returns a copy of base with the given name, value pairs set.
func withEnv(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

func TestResolveSettings_credentialPrecedence(t *testing.T) {
	tests := []struct {
		name    string
		model   func(m *providerModel)
		env     map[string]string
		want    credentialFlow
		wantErr string
	}{
		{name: "nothing set", env: nil, wantErr: "No Partner Center credentials"},
		{name: "refresh token flow from env", env: refreshEnv, want: credentialRefreshToken},
		{name: "access token wins over refresh flow", env: withEnv(refreshEnv, "PARTNERCENTER_ACCESS_TOKEN", "at"), want: credentialAccessToken},
		{name: "access token alone", env: map[string]string{"PARTNERCENTER_ACCESS_TOKEN": "at"}, want: credentialAccessToken},
		{name: "refresh flow wins over cli", env: withEnv(refreshEnv, "PARTNERCENTER_USE_CLI", "true"), want: credentialRefreshToken},
		{name: "cli from env", env: map[string]string{"PARTNERCENTER_USE_CLI": "true"}, want: credentialAzureCLI},
		{name: "cli from config", model: func(m *providerModel) { m.UseCLI = types.BoolValue(true) }, want: credentialAzureCLI},
		{name: "cli with ARM secret for another provider", env: map[string]string{
			"PARTNERCENTER_USE_CLI": "1", "ARM_CLIENT_SECRET": "azurerm-secret", "ARM_TENANT_ID": "contoso.onmicrosoft.com", "ARM_CLIENT_ID": testClientID,
		}, want: credentialAzureCLI},
		{name: "ARM variables fill the refresh flow", env: map[string]string{
			"ARM_TENANT_ID": "contoso.onmicrosoft.com", "ARM_CLIENT_ID": testClientID, "ARM_CLIENT_SECRET": "s", "PARTNERCENTER_REFRESH_TOKEN": "rt",
		}, want: credentialRefreshToken},
		{name: "App-only with a secret", env: appOnlyEnv, want: credentialAppOnly},
		{name: "App-only with ARM variables only, as set for azurerm", env: map[string]string{
			"ARM_TENANT_ID": "contoso.onmicrosoft.com", "ARM_CLIENT_ID": testClientID, "ARM_CLIENT_SECRET": "s",
		}, want: credentialAppOnly},
		{name: "App-only with a certificate", env: withEnv(appOnlyEnv, "PARTNERCENTER_CLIENT_SECRET", "", "ARM_CLIENT_CERTIFICATE", "pem"), want: credentialAppOnly},
		{name: "refresh token turns the application into App+User", env: withEnv(appOnlyEnv, "PARTNERCENTER_REFRESH_TOKEN", "rt"), want: credentialRefreshToken},
		{name: "use_cli in config wins over a secret from ARM_CLIENT_SECRET", model: func(m *providerModel) { m.UseCLI = types.BoolValue(true) },
			env: map[string]string{"ARM_TENANT_ID": "contoso.onmicrosoft.com", "ARM_CLIENT_ID": testClientID, "ARM_CLIENT_SECRET": "azurerm-secret"}, want: credentialAzureCLI},
		{name: "App-only wins over use_cli when its secret is the provider's own", model: func(m *providerModel) { m.UseCLI = types.BoolValue(true) },
			env: appOnlyEnv, want: credentialAppOnly},
		{name: "use_oidc with a token", env: oidcEnv, want: credentialFederated},
		{name: "use_oidc wins over a secret from ARM_CLIENT_SECRET", env: withEnv(oidcEnv, "ARM_CLIENT_SECRET", "azurerm-secret"), want: credentialFederated},
		{name: "use_oidc wins over a secret of the provider's own", env: withEnv(oidcEnv, "PARTNERCENTER_CLIENT_SECRET", "s"), want: credentialFederated},
		{name: "use_oidc in config with GitHub Actions' variables", model: func(m *providerModel) { m.UseOIDC = types.BoolValue(true) },
			env: map[string]string{
				"ARM_TENANT_ID": "contoso.onmicrosoft.com", "ARM_CLIENT_ID": testClientID,
				"ACTIONS_ID_TOKEN_REQUEST_URL": "https://ci.example.com/idtoken?api-version=2.0", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "rt",
			}, want: credentialFederated},
		{name: "ARM_USE_OIDC with AZURE_FEDERATED_TOKEN_FILE", env: map[string]string{
			"ARM_TENANT_ID": "contoso.onmicrosoft.com", "ARM_CLIENT_ID": testClientID, "ARM_USE_OIDC": "true", "AZURE_FEDERATED_TOKEN_FILE": "/var/run/token",
		}, want: credentialFederated},
		{name: "use_oidc wins over use_cli", env: withEnv(oidcEnv, "PARTNERCENTER_USE_CLI", "true"), want: credentialFederated},
		{name: "refresh flow wins over use_oidc", env: withEnv(refreshEnv, "PARTNERCENTER_USE_OIDC", "true", "PARTNERCENTER_OIDC_TOKEN", "id"), want: credentialRefreshToken},
		{name: "access token wins over use_oidc", env: withEnv(oidcEnv, "PARTNERCENTER_ACCESS_TOKEN", "at"), want: credentialAccessToken},
		{name: "use_oidc = false ignores federated settings", model: func(m *providerModel) { m.UseOIDC = types.BoolValue(false) },
			env: withEnv(oidcEnv, "PARTNERCENTER_CLIENT_SECRET", "s"), want: credentialAppOnly},
		{name: "use_oidc without a token source names the four ways", env: withEnv(oidcEnv, "PARTNERCENTER_OIDC_TOKEN", ""),
			wantErr: "Incomplete Partner Center federated (OIDC) credentials"},
		{name: "use_oidc without a token source: oidc_token", env: withEnv(oidcEnv, "PARTNERCENTER_OIDC_TOKEN", ""),
			wantErr: "oidc_token (PARTNERCENTER_OIDC_TOKEN or ARM_OIDC_TOKEN): the ID token itself"},
		{name: "use_oidc without a token source: file", env: withEnv(oidcEnv, "PARTNERCENTER_OIDC_TOKEN", ""),
			wantErr: "oidc_token_file_path (PARTNERCENTER_OIDC_TOKEN_FILE_PATH or ARM_OIDC_TOKEN_FILE_PATH or AZURE_FEDERATED_TOKEN_FILE)"},
		{name: "use_oidc without a token source: GitHub Actions", env: withEnv(oidcEnv, "PARTNERCENTER_OIDC_TOKEN", ""),
			wantErr: "GitHub Actions: oidc_request_url and oidc_request_token (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN"},
		{name: "use_oidc without a token source: Azure DevOps", env: withEnv(oidcEnv, "PARTNERCENTER_OIDC_TOKEN", ""),
			wantErr: "Azure DevOps: oidc_request_url, oidc_request_token and ado_pipeline_service_connection_id"},
		{name: "use_oidc with a request URL but no request token", env: withEnv(oidcEnv, "PARTNERCENTER_OIDC_TOKEN", "",
			"SYSTEM_OIDCREQUESTURI", "https://dev.azure.com/contoso/oidctoken"),
			wantErr: "Still missing:\n  - SYSTEM_ACCESSTOKEN, the bearer token for oidc_request_url (from environment variable SYSTEM_OIDCREQUESTURI)"},
		{name: "use_oidc with a request URL argument but no request token", model: func(m *providerModel) {
			m.OIDCRequestURL = types.StringValue("https://ci.example.com/idtoken")
		}, env: withEnv(oidcEnv, "PARTNERCENTER_OIDC_TOKEN", "", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "gh", "SYSTEM_ACCESSTOKEN", "ado"),
			wantErr: "Still missing:\n  - oidc_request_token (PARTNERCENTER_OIDC_REQUEST_TOKEN or ARM_OIDC_REQUEST_TOKEN), " +
				"the bearer token for oidc_request_url (from argument \"oidc_request_url\")"},
		{name: "use_oidc with a request token argument but the URL only from GitHub Actions", model: func(m *providerModel) {
			m.OIDCRequestToken = types.StringValue("explicit")
		}, env: withEnv(oidcEnv, "PARTNERCENTER_OIDC_TOKEN", "", "ACTIONS_ID_TOKEN_REQUEST_URL", "https://ci.example.com/idtoken"),
			wantErr: "oidc_request_url (PARTNERCENTER_OIDC_REQUEST_URL or ARM_OIDC_REQUEST_URL), the URL for oidc_request_token"},
		{name: "use_oidc from the environment does not replace a client secret in the block",
			model: func(m *providerModel) { m.ClientSecret = types.StringValue("configured") }, env: oidcEnv, want: credentialAppOnly},
		{name: "use_oidc in the block wins over a client secret in the block",
			model: func(m *providerModel) {
				m.ClientSecret = types.StringValue("configured")
				m.UseOIDC = types.BoolValue(true)
			}, env: oidcEnv, want: credentialFederated},
		{name: "blank oidc_token", model: func(m *providerModel) { m.OIDCToken = types.StringValue("   ") }, env: oidcEnv,
			wantErr: "The oidc_token argument: the value holds only white space"},
		{name: "use_oidc without the application", env: map[string]string{"ARM_USE_OIDC": "true", "ARM_OIDC_TOKEN": "id"},
			wantErr: "Still missing:\n  - tenant_id (PARTNERCENTER_TENANT_ID or ARM_TENANT_ID)\n  - client_id"},
		{name: "use_oidc not a bool", env: withEnv(oidcEnv, "ARM_USE_OIDC", "maybe", "PARTNERCENTER_USE_OIDC", ""), wantErr: `Invalid use_oidc: "maybe" is not true or false`},
		{name: "App-only secret without the tenant", env: map[string]string{"PARTNERCENTER_CLIENT_SECRET": "s", "PARTNERCENTER_CLIENT_ID": testClientID},
			wantErr: "Incomplete Partner Center App-only credentials"},
		{name: "OIDC request URL over plain http", env: withEnv(oidcEnv, "PARTNERCENTER_OIDC_REQUEST_URL", "http://ci.example.com/idtoken"),
			wantErr: "environment variable PARTNERCENTER_OIDC_REQUEST_URL"},
		{name: "service connection id not a GUID", env: withEnv(oidcEnv, "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID", "my-connection"),
			wantErr: `"my-connection" is not an Azure DevOps service connection ID`},
		{name: "nothing complete lists every way", env: map[string]string{"PARTNERCENTER_TENANT_ID": "contoso.onmicrosoft.com"},
			wantErr: "5. use_cli = true"},
		{name: "refresh token without the rest", env: map[string]string{"PARTNERCENTER_REFRESH_TOKEN": "rt"},
			wantErr: "Still missing:\n  - tenant_id (PARTNERCENTER_TENANT_ID or ARM_TENANT_ID)\n  - client_id"},
		{name: "secret without refresh token", env: map[string]string{"PARTNERCENTER_CLIENT_SECRET": "s"},
			wantErr: "refresh_token (PARTNERCENTER_REFRESH_TOKEN)"},
		{name: "refresh flow missing the secret", env: withEnv(refreshEnv, "PARTNERCENTER_CLIENT_SECRET", ""),
			wantErr: "client_secret (PARTNERCENTER_CLIENT_SECRET or ARM_CLIENT_SECRET) or client_certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := nullModel()
			if tt.model != nil {
				tt.model(&m)
			}
			s, diags := resolveSettings(m, envMap(tt.env))
			if tt.wantErr != "" {
				if !diags.HasError() || !strings.Contains(diagText(diags), tt.wantErr) {
					t.Fatalf("want an error containing %q, got:\n%s", tt.wantErr, diagText(diags))
				}
				return
			}
			if diags.HasError() {
				t.Fatalf("unexpected error:\n%s", diagText(diags))
			}
			if s.credential != tt.want {
				t.Fatalf("credential = %q, want %q", s.credential, tt.want)
			}
		})
	}
}

func TestResolveSettings_configurationWinsOverEnvironment(t *testing.T) {
	m := nullModel()
	m.ClientSecret = types.StringValue("from-config")
	m.Environment = types.StringValue("China")
	m.MaxRetries = types.NumberValue(big.NewFloat(7))
	s, diags := resolveSettings(m, envMap(withEnv(refreshEnv, "PARTNERCENTER_ENVIRONMENT", "usgovernment", "PARTNERCENTER_MAX_RETRIES", "2")))
	if diags.HasError() {
		t.Fatal(diagText(diags))
	}
	if s.clientSecret != "from-config" || s.cloud.Environment != "china" || s.maxRetries != 7 {
		t.Fatalf("got secret %q, environment %q, max_retries %d", s.clientSecret, s.cloud.Environment, s.maxRetries)
	}
}

func TestResolveSettings_environmentFallbacks(t *testing.T) {
	s, diags := resolveSettings(nullModel(), envMap(withEnv(refreshEnv,
		"ARM_ENVIRONMENT", "usgovernment", "PARTNERCENTER_MAX_RETRIES", "0", "PARTNERCENTER_ENDPOINT", "http://127.0.0.1:8080/")))
	if diags.HasError() {
		t.Fatal(diagText(diags))
	}
	if s.cloud.AuthorityHost != "https://login.microsoftonline.us" {
		t.Errorf("authority host = %q", s.cloud.AuthorityHost)
	}
	if s.maxRetries != 0 {
		t.Errorf("max_retries = %d, want 0", s.maxRetries)
	}
	if s.endpoint != "http://127.0.0.1:8080" {
		t.Errorf("endpoint = %q, want the trailing slash trimmed", s.endpoint)
	}
	if defaults, _ := resolveSettings(nullModel(), envMap(refreshEnv)); defaults.maxRetries != partnercenter.DefaultMaxRetries || defaults.cloud.Environment != "public" {
		t.Errorf("defaults: max_retries %d, environment %q", defaults.maxRetries, defaults.cloud.Environment)
	}
}

func TestResolveSettings_invalidValues(t *testing.T) {
	tests := []struct {
		name, variable, value, wantErr string
	}{
		{"unknown environment", "PARTNERCENTER_ENVIRONMENT", "mars", `"mars" is not a Partner Center environment`},
		{"plain http to a remote host", "PARTNERCENTER_ENDPOINT", "http://partnercenter.example.com", "environment variable PARTNERCENTER_ENDPOINT"},
		{"plain http authority", "PARTNERCENTER_AUTHORITY_HOST", "http://login.example.com", "PARTNERCENTER_AUTHORITY_HOST"},
		{"plain http Graph", "PARTNERCENTER_GRAPH_ENDPOINT", "http://graph.example.com", "used in tests (from environment variable PARTNERCENTER_GRAPH_ENDPOINT)"},
		{"Graph endpoint with a query", "PARTNERCENTER_GRAPH_ENDPOINT", "https://graph.example.com/?x=1", "PARTNERCENTER_GRAPH_ENDPOINT"},
		{"client id not a GUID", "PARTNERCENTER_CLIENT_ID", "my-app", `"my-app" is not an application (client) ID`},
		{"max retries not a number", "PARTNERCENTER_MAX_RETRIES", "many", `"many" is not a whole number from 0 to 20`},
		{"max retries too large", "PARTNERCENTER_MAX_RETRIES", "50", "from 0 to 20"},
		{"use_cli not a bool", "PARTNERCENTER_USE_CLI", "yes please", `"yes please" is not true or false`},
		{"certificate file missing", "PARTNERCENTER_CLIENT_CERTIFICATE_PATH", "/nonexistent/app.pfx", "reading the certificate file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := resolveSettings(nullModel(), envMap(withEnv(refreshEnv, tt.variable, tt.value)))
			if !diags.HasError() || !strings.Contains(diagText(diags), tt.wantErr) {
				t.Fatalf("want an error containing %q, got:\n%s", tt.wantErr, diagText(diags))
			}
		})
	}
}

func TestResolveSettings_germanyWarns(t *testing.T) {
	s, diags := resolveSettings(nullModel(), envMap(withEnv(refreshEnv, "PARTNERCENTER_ENVIRONMENT", "germany")))
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("want exactly one warning, got:\n%s", diagText(diags))
	}
	if !strings.Contains(diagText(diags), "closed") || s.cloud.AuthorityHost != "https://login.microsoftonline.de" ||
		s.cloud.APIBaseURL != "https://api.partnercenter.microsoft.com" {
		t.Fatalf("unexpected: %s / %q", diagText(diags), s.cloud.AuthorityHost)
	}
}

// Every kind of argument (string, number, bool) treats a value unknown at
// configure time alike: an error naming it, even when the environment holds a
// value that would otherwise fill the gap.
func TestResolveSettings_unknownValueIsAnError(t *testing.T) {
	for name, unknown := range map[string]func(m *providerModel){
		"tenant_id":   func(m *providerModel) { m.TenantID = types.StringUnknown() },
		"max_retries": func(m *providerModel) { m.MaxRetries = types.NumberUnknown() },
		"use_cli":     func(m *providerModel) { m.UseCLI = types.BoolUnknown() },
		"use_oidc":    func(m *providerModel) { m.UseOIDC = types.BoolUnknown() },
	} {
		t.Run(name, func(t *testing.T) {
			m := nullModel()
			unknown(&m)
			env := withEnv(refreshEnv, "PARTNERCENTER_MAX_RETRIES", "2", "PARTNERCENTER_USE_CLI", "true", "PARTNERCENTER_USE_OIDC", "true")
			_, diags := resolveSettings(m, envMap(env))
			if !strings.Contains(diagText(diags), `The value of "`+name+`" is not known until apply`) {
				t.Fatalf("got:\n%s", diagText(diags))
			}
		})
	}
}

func TestProviderSettings_secretsListsEverySecret(t *testing.T) {
	s := providerSettings{clientSecret: "a", refreshToken: "b", accessToken: "c", clientCertificatePassword: "d", clientCertificate: []byte("e"),
		federated: federatedSettings{token: setting{value: "f"}, requestToken: setting{value: "g"}}, graphAccessToken: "h"}
	if got := strings.Join(s.secrets(), ","); got != "a,b,c,d,e,f,g,h" {
		t.Fatalf("secrets = %q", got)
	}
}

func TestResolveSettings_applicationCredentialPrecedence(t *testing.T) {
	certFile := t.TempDir() + "/app.pem"
	if err := os.WriteFile(certFile, []byte("file-certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		model      func(m *providerModel)
		env        map[string]string
		wantSecret string
		wantCert   string
		wantErr    string
	}{
		{name: "secret in config beats certificate in env",
			model: func(m *providerModel) { m.ClientSecret = types.StringValue("config-secret") },
			env:   withEnv(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE", "env-certificate"), wantSecret: "config-secret"},
		{name: "certificate file in config beats inline certificate and secret in env",
			model: func(m *providerModel) { m.ClientCertificatePath = types.StringValue(certFile) },
			env:   withEnv(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE", "env-certificate"), wantCert: "file-certificate"},
		{name: "inline certificate in config beats file in env",
			model: func(m *providerModel) { m.ClientCertificate = types.StringValue("config-certificate") },
			env:   withEnv(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE_PATH", certFile), wantCert: "config-certificate"},
		{name: "both certificates in env conflict",
			env:     withEnv(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE", "a", "PARTNERCENTER_CLIENT_CERTIFICATE_PATH", certFile),
			wantErr: "Conflicting client certificates"},
		{name: "the provider's own secret beats a certificate from ARM_*",
			env: withEnv(refreshEnv, "ARM_CLIENT_CERTIFICATE", "azurerm-certificate"), wantSecret: "s3cret"},
		{name: "secret and certificate both from env: both kept, the certificate is used",
			env: withEnv(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE", "env-certificate"), wantSecret: "s3cret", wantCert: "env-certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := nullModel()
			if tt.model != nil {
				tt.model(&m)
			}
			s, diags := resolveSettings(m, envMap(tt.env))
			if tt.wantErr != "" {
				if !strings.Contains(diagText(diags), tt.wantErr) {
					t.Fatalf("want %q, got:\n%s", tt.wantErr, diagText(diags))
				}
				return
			}
			if diags.HasError() {
				t.Fatal(diagText(diags))
			}
			if s.clientSecret != tt.wantSecret || string(s.clientCertificate) != tt.wantCert {
				t.Fatalf("secret %q, certificate %q; want %q, %q", s.clientSecret, s.clientCertificate, tt.wantSecret, tt.wantCert)
			}
		})
	}
}

// Which federated token source is used: oidc_token, then the file, then the
// CI request; those in the provider block before those from the environment;
// PARTNERCENTER_* before ARM_* before the CI system's own variables.
func TestResolveSettings_federatedTokenSource(t *testing.T) {
	const ghURL, adoURL = "https://ci.example.com/idtoken?api-version=2.0", "https://dev.azure.com/contoso/oidctoken"
	base := map[string]string{"ARM_TENANT_ID": "contoso.onmicrosoft.com", "ARM_CLIENT_ID": testClientID, "ARM_USE_OIDC": "true"}
	tests := []struct {
		name  string
		model func(m *providerModel)
		env   map[string]string
		want  partnercenter.FederatedToken
	}{
		{name: "token before file", env: withEnv(base, "ARM_OIDC_TOKEN", "id", "AZURE_FEDERATED_TOKEN_FILE", "/f"),
			want: partnercenter.FederatedToken{Token: "id"}},
		{name: "file before GitHub Actions", env: withEnv(base, "AZURE_FEDERATED_TOKEN_FILE", "/f",
			"ACTIONS_ID_TOKEN_REQUEST_URL", ghURL, "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "rt"), want: partnercenter.FederatedToken{File: "/f"}},
		{name: "PARTNERCENTER before ARM", env: withEnv(base, "ARM_OIDC_TOKEN_FILE_PATH", "/arm", "PARTNERCENTER_OIDC_TOKEN_FILE_PATH", "/pc"),
			want: partnercenter.FederatedToken{File: "/pc"}},
		{name: "GitHub Actions", env: withEnv(base, "ACTIONS_ID_TOKEN_REQUEST_URL", ghURL, "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "rt"),
			want: partnercenter.FederatedToken{RequestURL: ghURL, RequestToken: "rt"}},
		{name: "Azure DevOps", env: withEnv(base, "SYSTEM_OIDCREQUESTURI", adoURL, "SYSTEM_ACCESSTOKEN", "ado",
			"ARM_OIDC_AZURE_SERVICE_CONNECTION_ID", "33333333-3333-3333-3333-333333333333"),
			want: partnercenter.FederatedToken{RequestURL: adoURL, RequestToken: "ado", ServiceConnectionID: "33333333-3333-3333-3333-333333333333"}},
		{name: "Azure DevOps' token never goes to a GitHub URL left by another step",
			env: withEnv(base, "ACTIONS_ID_TOKEN_REQUEST_URL", ghURL, "SYSTEM_OIDCREQUESTURI", adoURL, "SYSTEM_ACCESSTOKEN", "ado",
				"ARM_OIDC_AZURE_SERVICE_CONNECTION_ID", "33333333-3333-3333-3333-333333333333"),
			want: partnercenter.FederatedToken{RequestURL: adoURL, RequestToken: "ado", ServiceConnectionID: "33333333-3333-3333-3333-333333333333"}},
		{name: "ARM_OIDC_REQUEST_URL pairs with ARM_OIDC_REQUEST_TOKEN, not GitHub's",
			env: withEnv(base, "ARM_OIDC_REQUEST_URL", adoURL, "ARM_OIDC_REQUEST_TOKEN", "arm",
				"ACTIONS_ID_TOKEN_REQUEST_URL", ghURL, "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "gh"),
			want: partnercenter.FederatedToken{RequestURL: adoURL, RequestToken: "arm"}},
		{name: "request URL in the block wins over a token from the environment",
			model: func(m *providerModel) {
				m.OIDCRequestURL = types.StringValue(ghURL)
				m.OIDCRequestToken = types.StringValue("rt")
			},
			env: withEnv(base, "ARM_OIDC_TOKEN", "id"), want: partnercenter.FederatedToken{RequestURL: ghURL, RequestToken: "rt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := nullModel()
			if tt.model != nil {
				tt.model(&m)
			}
			s, diags := resolveSettings(m, envMap(tt.env))
			if diags.HasError() {
				t.Fatal(diagText(diags))
			}
			got := s.federated.chosen()
			if s.credential != credentialFederated || got == nil || *got != tt.want {
				t.Fatalf("credential %q, federated token %+v; want %+v", s.credential, got, tt.want)
			}
			desc := s.credentialDescription()
			if !strings.HasPrefix(desc, "App-only, federated token") {
				t.Fatalf("description %q", desc)
			}
			for _, secret := range []string{got.Token, got.RequestToken} {
				if secret != "" && strings.Contains(desc, secret) {
					t.Fatalf("the description %q shows a secret", desc)
				}
			}
		})
	}
}
