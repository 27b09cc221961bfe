package provider

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// maxRetriesLimit keeps a typo from retrying for hours.
const maxRetriesLimit = 20

// EnvVars lists, per attribute, the environment variables read when the
// attribute is not configured; the first one set wins.
var envVars = struct {
	environment, endpoint, authorityHost, tenantID, clientID, clientSecret,
	clientCertificate, clientCertificatePath, clientCertificatePassword,
	refreshToken, accessToken, useCLI, maxRetries, graphEndpoint, graphAccessToken,
	useOIDC, oidcToken, oidcTokenFilePath, oidcRequestURL, oidcRequestToken, adoServiceConnectionID []string
}{
	environment:               []string{"PARTNERCENTER_ENVIRONMENT", "ARM_ENVIRONMENT"},
	endpoint:                  []string{"PARTNERCENTER_ENDPOINT"},
	authorityHost:             []string{"PARTNERCENTER_AUTHORITY_HOST"},
	tenantID:                  []string{"PARTNERCENTER_TENANT_ID", "ARM_TENANT_ID"},
	clientID:                  []string{"PARTNERCENTER_CLIENT_ID", "ARM_CLIENT_ID"},
	clientSecret:              []string{"PARTNERCENTER_CLIENT_SECRET", "ARM_CLIENT_SECRET"},
	clientCertificate:         []string{"PARTNERCENTER_CLIENT_CERTIFICATE", "ARM_CLIENT_CERTIFICATE"},
	clientCertificatePath:     []string{"PARTNERCENTER_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PATH"},
	clientCertificatePassword: []string{"PARTNERCENTER_CLIENT_CERTIFICATE_PASSWORD", "ARM_CLIENT_CERTIFICATE_PASSWORD"},
	refreshToken:              []string{"PARTNERCENTER_REFRESH_TOKEN"},
	accessToken:               []string{"PARTNERCENTER_ACCESS_TOKEN"},
	useCLI:                    []string{"PARTNERCENTER_USE_CLI"},
	maxRetries:                []string{"PARTNERCENTER_MAX_RETRIES"},
	graphEndpoint:             []string{"PARTNERCENTER_GRAPH_ENDPOINT"},
	graphAccessToken:          []string{"PARTNERCENTER_GRAPH_ACCESS_TOKEN"},
	// The same variables as azurerm and azuread, then those GitHub Actions,
	// Azure DevOps and Kubernetes workload identity set themselves.
	useOIDC:                []string{"PARTNERCENTER_USE_OIDC", "ARM_USE_OIDC"},
	oidcToken:              []string{"PARTNERCENTER_OIDC_TOKEN", "ARM_OIDC_TOKEN"},
	oidcTokenFilePath:      []string{"PARTNERCENTER_OIDC_TOKEN_FILE_PATH", "ARM_OIDC_TOKEN_FILE_PATH", "AZURE_FEDERATED_TOKEN_FILE"},
	oidcRequestURL:         append([]string{"PARTNERCENTER_OIDC_REQUEST_URL", "ARM_OIDC_REQUEST_URL"}, ciRequestURLs()...),
	oidcRequestToken:       append([]string{"PARTNERCENTER_OIDC_REQUEST_TOKEN", "ARM_OIDC_REQUEST_TOKEN"}, ciRequestTokens()...),
	adoServiceConnectionID: []string{"PARTNERCENTER_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID"},
}

// envLookup is os.LookupEnv; tests pass a map instead.
type envLookup func(string) (string, bool)

func lookupEnv(name string) (string, bool) { return os.LookupEnv(name) }

// credentialFlow is the way the provider obtains its tokens, as logged.
type credentialFlow string

const (
	credentialAccessToken  credentialFlow = "access_token"
	credentialRefreshToken credentialFlow = "refresh_token"
	credentialFederated    credentialFlow = "oidc"
	credentialAppOnly      credentialFlow = "client_credentials"
	credentialAzureCLI     credentialFlow = "azure_cli"
)

// providerSettings is the provider configuration after the environment has
// filled the gaps and every value has been checked.
type providerSettings struct {
	cloud                     partnercenter.Cloud
	endpoint, authorityHost   string
	tenantID, clientID        string
	clientSecret              string
	clientCertificate         []byte
	clientCertificateArgument string // the argument it came from
	clientCertificatePassword string
	refreshToken, accessToken string
	// graphEndpoint overrides the cloud's Microsoft Graph root;
	// graphAccessToken, when set, is the Graph credential whatever the flow.
	graphEndpoint, graphAccessToken string
	// appCredentialFromARM is true when the client secret or certificate
	// comes only from ARM_* variables, which are often set for azurerm in
	// the same shell: an explicit use_cli or use_oidc then wins over it.
	appCredentialFromARM bool
	// appCredentialConfigured is true when the provider block sets the
	// client secret or certificate: use_oidc from the environment then
	// does not replace it.
	appCredentialConfigured bool
	useOIDC                 setting
	federated               federatedSettings
	credential              credentialFlow
	maxRetries              int
}

func (s providerSettings) credentialKind() string { return string(s.credential) }

// secrets are the values that must never reach a log.
func (s providerSettings) secrets() []string {
	var out []string
	for _, v := range []string{s.clientSecret, s.refreshToken, s.accessToken, s.clientCertificatePassword, string(s.clientCertificate),
		s.federated.token.value, s.federated.requestToken.value, s.graphAccessToken} {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// settingResolver reads one attribute at a time, remembering where each
// value came from so that errors can point at the attribute or the variable.
type settingResolver struct {
	env   envLookup
	diags diag.Diagnostics
}

// setting is a resolved value and a phrase naming its source.
type setting struct {
	value  string
	source string
	// configured is true for a value from the provider block.
	configured bool
}

// unknown reports an argument whose value is not known until apply, which
// every argument treats alike: an error, never a silent fall-back to the
// environment or a default.
func (r *settingResolver) unknown(name string, v attr.Value, vars []string) bool {
	if !v.IsUnknown() {
		return false
	}
	addArgumentError(&r.diags, name, "Unknown provider argument",
		fmt.Sprintf("The value of %q is not known until apply. The Partner Center provider needs its configuration at plan time: "+
			"set it to a known value or through the environment (%s).", name, strings.Join(vars, ", ")))
	return true
}

func (r *settingResolver) str(attr string, v types.String, vars []string) setting {
	if r.unknown(attr, v, vars) {
		return setting{}
	}
	if !v.IsNull() {
		return setting{value: v.ValueString(), source: fmt.Sprintf("argument %q", attr), configured: true}
	}
	for _, name := range vars {
		if value, ok := r.env(name); ok && value != "" {
			return setting{value: value, source: "environment variable " + name}
		}
	}
	return setting{}
}

func (r *settingResolver) attrError(attr string, s setting, summary, detail string) {
	addArgumentError(&r.diags, attr, summary, fmt.Sprintf("%s (from %s)", detail, s.source))
}

func resolveSettings(m providerModel, env envLookup) (providerSettings, diag.Diagnostics) {
	r := &settingResolver{env: env}
	var s providerSettings

	environment := r.str("environment", m.Environment, envVars.environment)
	cloud, ok := partnercenter.LookupCloud(environment.value)
	if !ok {
		r.attrError("environment", environment, "Unknown Partner Center environment",
			fmt.Sprintf("%q is not a Partner Center environment; use one of %s", environment.value, strings.Join(environmentNames(), ", ")))
	}
	if cloud.Retired {
		r.diags.AddAttributeWarning(path.Root("environment"), "Retired Partner Center environment",
			fmt.Sprintf("Microsoft closed the %q cloud in 2021: the API is the public one (%s), but signing in at %s is expected to fail. "+
				"Use \"public\" for customers migrated from it.", cloud.Environment, cloud.APIBaseURL, cloud.AuthorityHost))
	}
	s.cloud = cloud

	s.endpoint = r.checkedURL("endpoint", r.str("endpoint", m.Endpoint, envVars.endpoint))
	s.authorityHost = r.checkedURL("authority_host", r.str("authority_host", m.AuthorityHost, envVars.authorityHost))
	s.graphEndpoint = r.checkedURL("graph_endpoint", r.str("graph_endpoint", m.GraphEndpoint, envVars.graphEndpoint))

	tenantID := r.str("tenant_id", m.TenantID, envVars.tenantID)
	if tenantID.value != "" && !shared.IsTenantID(tenantID.value) {
		r.attrError("tenant_id", tenantID, "Invalid tenant ID", fmt.Sprintf("%q is not a tenant ID: expected a GUID or a domain name such as contoso.onmicrosoft.com", tenantID.value))
	}
	s.tenantID = tenantID.value
	clientID := r.str("client_id", m.ClientID, envVars.clientID)
	if clientID.value != "" && !shared.GUIDPattern.MatchString(clientID.value) {
		r.attrError("client_id", clientID, "Invalid client ID", fmt.Sprintf("%q is not an application (client) ID: expected a GUID", clientID.value))
	}
	s.clientID = clientID.value
	var secret setting
	if m.ClientCertificate.IsNull() && m.ClientCertificatePath.IsNull() {
		secret = r.str("client_secret", m.ClientSecret, envVars.clientSecret)
		s.clientSecret = secret.value
	} else if !m.ClientSecret.IsNull() && !m.ClientCertificate.IsNull() {
		// Both are sensitive: no validator may point at either line.
		r.diags.AddError("Conflicting client credentials",
			"Both client_secret and client_certificate are set in the provider block; the application authenticates with one of them. Keep one.")
	}
	s.refreshToken = r.str("refresh_token", m.RefreshToken, envVars.refreshToken).value
	s.accessToken = r.str("access_token", m.AccessToken, envVars.accessToken).value
	s.graphAccessToken = r.str("graph_access_token", m.GraphAccessToken, envVars.graphAccessToken).value
	s.clientCertificatePassword = r.str("client_certificate_password", m.ClientCertificatePassword, envVars.clientCertificatePassword).value
	var certificate setting
	s.clientCertificate, certificate, s.clientCertificateArgument = r.certificate(m)
	if secret.value != "" && fromARM(certificate) && !fromARM(secret) {
		// PARTNERCENTER_* before ARM_*: an azurerm certificate does not
		// replace the provider's own secret.
		s.clientCertificate, certificate, s.clientCertificateArgument = nil, setting{}, ""
	}
	s.appCredentialFromARM = fromARM(secret, certificate)
	s.appCredentialConfigured = secret.configured || certificate.configured
	s.maxRetries = r.maxRetries(m.MaxRetries)
	useCLI := r.flag("use_cli", m.UseCLI, envVars.useCLI).value == "true"
	s.useOIDC = r.flag("use_oidc", m.UseOIDC, envVars.useOIDC)
	s.federated = r.federated(m)

	if !r.diags.HasError() {
		s.credential = r.chooseCredential(s, useCLI)
	}
	return s, r.diags
}

func (r *settingResolver) checkedURL(attr string, s setting) string {
	if s.value == "" {
		return ""
	}
	if err := partnercenter.CheckEndpointURL(s.value); err != nil {
		r.attrError(attr, s, "Invalid URL", err.Error())
		return ""
	}
	return strings.TrimRight(s.value, "/")
}

// certificate reads the client certificate, inline or from a file. The
// application authenticates with a secret or a certificate: when the provider
// block chooses one of them, certificates set only in the environment are
// ignored, so that configuration wins over the environment here too.
func (r *settingResolver) certificate(m providerModel) (data []byte, from setting, argument string) {
	var inline, file setting
	configured := !m.ClientCertificate.IsNull() || !m.ClientCertificatePath.IsNull()
	if configured || m.ClientSecret.IsNull() {
		inline = r.str("client_certificate", m.ClientCertificate, envVars.clientCertificate)
		file = r.str("client_certificate_path", m.ClientCertificatePath, envVars.clientCertificatePath)
	}
	if configured {
		// One of them is configured; the other may only come from the environment.
		if m.ClientCertificate.IsNull() {
			inline = setting{}
		} else {
			file = setting{}
		}
	}
	switch {
	case inline.value != "" && file.value != "":
		addArgumentError(&r.diags, "client_certificate_path", "Conflicting client certificates",
			fmt.Sprintf("Both a certificate (from %s) and a certificate file (from %s) are set; keep one.", inline.source, file.source))
	case inline.value != "":
		return []byte(inline.value), inline, "client_certificate"
	case file.value != "":
		data, err := partnercenter.ReadCredentialFile(file.value, partnercenter.MaxCertificateFileSize)
		if err != nil {
			r.attrError("client_certificate_path", file, "Unreadable client certificate", fmt.Sprintf("reading the certificate file: %v", err))
			return nil, setting{}, ""
		}
		return data, file, "client_certificate_path"
	}
	return nil, setting{}, ""
}

func (r *settingResolver) maxRetries(v types.Number) int {
	if r.unknown("max_retries", v, envVars.maxRetries) {
		return partnercenter.DefaultMaxRetries
	}
	if !v.IsNull() {
		// The schema's validator has checked the value.
		n, _ := shared.WholeNumber(v.ValueBigFloat())
		return int(n)
	}
	s := r.str("max_retries", types.StringNull(), envVars.maxRetries)
	if s.value == "" {
		return partnercenter.DefaultMaxRetries
	}
	n, err := strconv.Atoi(s.value)
	if err != nil || n < 0 || n > maxRetriesLimit {
		r.attrError("max_retries", s, "Invalid max_retries", fmt.Sprintf("%q is not a whole number from 0 to %d", s.value, maxRetriesLimit))
		return partnercenter.DefaultMaxRetries
	}
	return n
}

// flag reads a boolean attribute such as use_cli or use_oidc: its value is
// "true" or "" (false or unset), with where it came from.
func (r *settingResolver) flag(attr string, v types.Bool, vars []string) setting {
	if r.unknown(attr, v, vars) {
		return setting{}
	}
	if !v.IsNull() {
		if !v.ValueBool() {
			return setting{}
		}
		return setting{value: "true", source: fmt.Sprintf("argument %q", attr), configured: true}
	}
	s := r.str(attr, types.StringNull(), vars)
	if s.value == "" {
		return setting{}
	}
	b, err := strconv.ParseBool(s.value)
	if err != nil {
		r.attrError(attr, s, "Invalid "+attr, fmt.Sprintf("%q is not true or false", s.value))
	}
	if !b {
		return setting{}
	}
	s.value = "true"
	return s
}

// fromARM reports whether every one of the given settings that is set
// comes from an ARM_* variable.
func fromARM(settings ...setting) bool {
	found := false
	for _, s := range settings {
		if s.value == "" {
			continue
		}
		if !strings.HasPrefix(s.source, "environment variable ARM_") {
			return false
		}
		found = true
	}
	return found
}

// sensitiveArguments names the provider arguments marked Sensitive.
var sensitiveArguments = sync.OnceValue(func() map[string]bool {
	out := make(map[string]bool)
	for name, attr := range providerSchema().Attributes {
		if attr.IsSensitive() {
			out[name] = true
		}
	}
	return out
})

// addArgumentError reports a problem with a provider argument. Terraform
// prints the configuration line an attribute diagnostic points at, and a
// sensitive argument's line may hold the secret itself, so for those the
// diagnostic names the argument in words and points at no line.
func addArgumentError(diags *diag.Diagnostics, attr, summary, detail string) {
	if sensitiveArguments()[attr] {
		diags.AddError(summary, fmt.Sprintf("The %s argument: %s", attr, detail))
		return
	}
	diags.AddAttributeError(path.Root(attr), summary, detail)
}

// EnvironmentVariables are the environment variables the provider reads, for
// the acceptance tests, which clear them so that a developer's own
// environment cannot leak into, or satisfy, a test.
func EnvironmentVariables() [][]string {
	return [][]string{
		envVars.environment, envVars.endpoint, envVars.authorityHost, envVars.tenantID, envVars.clientID,
		envVars.clientSecret, envVars.clientCertificate, envVars.clientCertificatePath,
		envVars.clientCertificatePassword, envVars.refreshToken, envVars.accessToken, envVars.useCLI, envVars.maxRetries,
		envVars.graphEndpoint, envVars.graphAccessToken,
		envVars.useOIDC, envVars.oidcToken, envVars.oidcTokenFilePath, envVars.oidcRequestURL, envVars.oidcRequestToken,
		envVars.adoServiceConnectionID,
	}
}
