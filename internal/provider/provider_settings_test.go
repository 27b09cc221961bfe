package provider

import (
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
	}
}

const testClientID = "00000000-0000-0000-0000-0000000000c1"

var refreshEnv = map[string]string{
	"PARTNERCENTER_TENANT_ID":     "contoso.onmicrosoft.com",
	"PARTNERCENTER_CLIENT_ID":     testClientID,
	"PARTNERCENTER_CLIENT_SECRET": "s3cret",
	"PARTNERCENTER_REFRESH_TOKEN": "rt",
}

func with(base map[string]string, kv ...string) map[string]string {
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
		want    credentialKind
		wantErr string
	}{
		{name: "nothing set", env: nil, wantErr: "No Partner Center credentials"},
		{name: "refresh token flow from env", env: refreshEnv, want: credentialRefreshToken},
		{name: "access token wins over refresh flow", env: with(refreshEnv, "PARTNERCENTER_ACCESS_TOKEN", "at"), want: credentialAccessToken},
		{name: "access token alone", env: map[string]string{"PARTNERCENTER_ACCESS_TOKEN": "at"}, want: credentialAccessToken},
		{name: "refresh flow wins over cli", env: with(refreshEnv, "PARTNERCENTER_USE_CLI", "true"), want: credentialRefreshToken},
		{name: "cli from env", env: map[string]string{"PARTNERCENTER_USE_CLI": "true"}, want: credentialAzureCLI},
		{name: "cli from config", model: func(m *providerModel) { m.UseCLI = types.BoolValue(true) }, want: credentialAzureCLI},
		{name: "cli with ARM secret for another provider", env: map[string]string{
			"PARTNERCENTER_USE_CLI": "1", "ARM_CLIENT_SECRET": "azurerm-secret", "ARM_TENANT_ID": "contoso.onmicrosoft.com", "ARM_CLIENT_ID": testClientID,
		}, want: credentialAzureCLI},
		{name: "ARM variables fill the refresh flow", env: map[string]string{
			"ARM_TENANT_ID": "contoso.onmicrosoft.com", "ARM_CLIENT_ID": testClientID, "ARM_CLIENT_SECRET": "s", "PARTNERCENTER_REFRESH_TOKEN": "rt",
		}, want: credentialRefreshToken},
		{name: "refresh token without the rest", env: map[string]string{"PARTNERCENTER_REFRESH_TOKEN": "rt"},
			wantErr: "Still missing:\n  - tenant_id (PARTNERCENTER_TENANT_ID or ARM_TENANT_ID)\n  - client_id"},
		{name: "secret without refresh token", env: map[string]string{"PARTNERCENTER_CLIENT_SECRET": "s"},
			wantErr: "refresh_token (PARTNERCENTER_REFRESH_TOKEN)"},
		{name: "refresh flow missing the secret", env: with(refreshEnv, "PARTNERCENTER_CLIENT_SECRET", ""),
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
	s, diags := resolveSettings(m, envMap(with(refreshEnv, "PARTNERCENTER_ENVIRONMENT", "usgovernment", "PARTNERCENTER_MAX_RETRIES", "2")))
	if diags.HasError() {
		t.Fatal(diagText(diags))
	}
	if s.clientSecret != "from-config" || s.cloud.Environment != "china" || s.maxRetries != 7 {
		t.Fatalf("got secret %q, environment %q, max_retries %d", s.clientSecret, s.cloud.Environment, s.maxRetries)
	}
}

func TestResolveSettings_environmentFallbacks(t *testing.T) {
	s, diags := resolveSettings(nullModel(), envMap(with(refreshEnv,
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
	if defaults, _ := resolveSettings(nullModel(), envMap(refreshEnv)); defaults.maxRetries != defaultMaxRetries || defaults.cloud.Environment != "public" {
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
		{"client id not a GUID", "PARTNERCENTER_CLIENT_ID", "my-app", `"my-app" is not an application (client) ID`},
		{"max retries not a number", "PARTNERCENTER_MAX_RETRIES", "many", `"many" is not a whole number from 0 to 20`},
		{"max retries too large", "PARTNERCENTER_MAX_RETRIES", "50", "from 0 to 20"},
		{"use_cli not a bool", "PARTNERCENTER_USE_CLI", "yes please", `"yes please" is not true or false`},
		{"certificate file missing", "PARTNERCENTER_CLIENT_CERTIFICATE_PATH", "/nonexistent/app.pfx", "reading the certificate file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := resolveSettings(nullModel(), envMap(with(refreshEnv, tt.variable, tt.value)))
			if !diags.HasError() || !strings.Contains(diagText(diags), tt.wantErr) {
				t.Fatalf("want an error containing %q, got:\n%s", tt.wantErr, diagText(diags))
			}
		})
	}
}

func TestResolveSettings_germanyWarns(t *testing.T) {
	s, diags := resolveSettings(nullModel(), envMap(with(refreshEnv, "PARTNERCENTER_ENVIRONMENT", "germany")))
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("want exactly one warning, got:\n%s", diagText(diags))
	}
	if !strings.Contains(diagText(diags), "closed") || s.cloud.AuthorityHost != "https://login.microsoftonline.de" ||
		s.cloud.APIBaseURL != "https://api.partnercenter.microsoft.com" {
		t.Fatalf("unexpected: %s / %q", diagText(diags), s.cloud.AuthorityHost)
	}
}

func TestResolveSettings_unknownValueIsAnError(t *testing.T) {
	m := nullModel()
	m.TenantID = types.StringUnknown()
	_, diags := resolveSettings(m, envMap(refreshEnv))
	if !strings.Contains(diagText(diags), `The value of "tenant_id" is not known until apply`) {
		t.Fatalf("got:\n%s", diagText(diags))
	}
}

func TestProviderSettings_secretsListsEverySecret(t *testing.T) {
	s := providerSettings{clientSecret: "a", refreshToken: "b", accessToken: "c", clientCertificatePassword: "d", clientCertificate: []byte("e")}
	if got := strings.Join(s.secrets(), ","); got != "a,b,c,d,e" {
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
			env:   with(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE", "env-certificate"), wantSecret: "config-secret"},
		{name: "certificate file in config beats inline certificate and secret in env",
			model: func(m *providerModel) { m.ClientCertificatePath = types.StringValue(certFile) },
			env:   with(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE", "env-certificate"), wantCert: "file-certificate"},
		{name: "inline certificate in config beats file in env",
			model: func(m *providerModel) { m.ClientCertificate = types.StringValue("config-certificate") },
			env:   with(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE_PATH", certFile), wantCert: "config-certificate"},
		{name: "both certificates in env conflict",
			env:     with(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE", "a", "PARTNERCENTER_CLIENT_CERTIFICATE_PATH", certFile),
			wantErr: "Conflicting client certificates"},
		{name: "secret and certificate both from env: both kept, the certificate is used",
			env: with(refreshEnv, "PARTNERCENTER_CLIENT_CERTIFICATE", "env-certificate"), wantSecret: "s3cret", wantCert: "env-certificate"},
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
