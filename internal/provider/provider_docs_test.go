package provider

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The README and the registry's index page list every argument's
// environment variables in a table: they must say what the code reads.
func TestDocumentedEnvironmentVariables(t *testing.T) {
	byAttribute := map[string][]string{
		"environment": envVars.environment, "endpoint": envVars.endpoint, "authority_host": envVars.authorityHost,
		"tenant_id": envVars.tenantID, "client_id": envVars.clientID, "client_secret": envVars.clientSecret,
		"client_certificate": envVars.clientCertificate, "client_certificate_path": envVars.clientCertificatePath,
		"client_certificate_password": envVars.clientCertificatePassword, "refresh_token": envVars.refreshToken,
		"access_token": envVars.accessToken, "use_cli": envVars.useCLI, "max_retries": envVars.maxRetries,
		"use_oidc": envVars.useOIDC, "oidc_token": envVars.oidcToken, "oidc_token_file_path": envVars.oidcTokenFilePath,
		"oidc_request_url": envVars.oidcRequestURL, "oidc_request_token": envVars.oidcRequestToken,
		"ado_pipeline_service_connection_id": envVars.adoServiceConnectionID,
		"graph_endpoint":                     envVars.graphEndpoint, "graph_access_token": envVars.graphAccessToken,
	}
	for attr := range providerSchema().Attributes {
		if _, ok := byAttribute[attr]; !ok {
			t.Fatalf("argument %q is missing from this test's table", attr)
		}
	}
	row := regexp.MustCompile("^\\| `([a-z_]+)`[^|]*\\| ([^|]*)\\|")
	variable := regexp.MustCompile("`([A-Z_]+)`")
	for _, file := range []string{"../../README.md", "../../templates/index.md.tmpl"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		documented := map[string]bool{}
		for _, line := range strings.Split(string(raw), "\n") {
			m := row.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			want, ok := byAttribute[m[1]]
			if !ok {
				continue
			}
			var got []string
			for _, v := range variable.FindAllStringSubmatch(m[2], -1) {
				got = append(got, v[1])
			}
			if len(got) == 0 {
				continue // another table that starts with an argument, e.g. the clouds
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: %s lists %v, the provider reads %v", file, m[1], got, want)
			}
			documented[m[1]] = true
		}
		for attr := range byAttribute {
			if !documented[attr] {
				t.Errorf("%s: no row for %s", file, attr)
			}
		}
	}
}
