package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// requirement is one setting of a credential flow and how to give it.
type requirement struct {
	present bool
	how     string
}

// argumentAndVars names an argument and the variables that can give it,
// e.g. "tenant_id (PARTNERCENTER_TENANT_ID or ARM_TENANT_ID)".
func argumentAndVars(attr string, vars []string) string {
	return fmt.Sprintf("%s (%s)", attr, strings.Join(vars, " or "))
}

func applicationRequirements(s providerSettings) []requirement {
	return []requirement{
		{s.tenantID != "", argumentAndVars("tenant_id", envVars.tenantID)},
		{s.clientID != "", argumentAndVars("client_id", envVars.clientID)},
	}
}

func applicationSecretHow() string {
	return argumentAndVars("client_secret", envVars.clientSecret) +
		" or " + argumentAndVars("client_certificate", envVars.clientCertificate) +
		" or " + argumentAndVars("client_certificate_path", envVars.clientCertificatePath)
}

// refreshTokenRequirements lists what the secure application model flow needs.
func refreshTokenRequirements(s providerSettings) []requirement {
	return append(applicationRequirements(s),
		requirement{s.clientSecret != "" || len(s.clientCertificate) > 0, applicationSecretHow()},
		requirement{s.refreshToken != "", argumentAndVars("refresh_token", envVars.refreshToken)},
	)
}

// federatedTokenWays names the four ways to give a federated token.
func federatedTokenWays() string {
	return "a federated token, given in one of four ways:\n" +
		"      - " + argumentAndVars("oidc_token", envVars.oidcToken) + ": the ID token itself\n" +
		"      - " + argumentAndVars("oidc_token_file_path", envVars.oidcTokenFilePath) + ": a file holding it, as HCP Terraform and " +
		"Kubernetes workload identity write\n" +
		"      - GitHub Actions: oidc_request_url and oidc_request_token (ACTIONS_ID_TOKEN_REQUEST_URL and " +
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN, set in jobs with the permission id-token: write)\n" +
		"      - Azure DevOps: oidc_request_url, oidc_request_token and " + argumentAndVars("ado_pipeline_service_connection_id", envVars.adoServiceConnectionID) +
		" (the task's SYSTEM_OIDCREQUESTURI and SYSTEM_ACCESSTOKEN)"
}

func federatedRequirements(s providerSettings) []requirement {
	f := s.federated
	if f.chosen() == nil && f.requestURL.value != "" && f.requestToken.value == "" {
		return append(applicationRequirements(s), requirement{false, requestTokenHow(f.requestURL) + ", the bearer token for oidc_request_url (from " + f.requestURL.source + ")"})
	}
	if f.chosen() == nil && f.requestToken.value != "" && f.requestURL.value == "" {
		return append(applicationRequirements(s), requirement{false, argumentAndVars("oidc_request_url", explicitRequestVars(envVars.oidcRequestURL)) +
			", the URL for oidc_request_token (from " + f.requestToken.source + "), which is sent to no URL from elsewhere"})
	}
	return append(applicationRequirements(s), requirement{f.chosen() != nil, federatedTokenWays()})
}

func missing(reqs []requirement) []string {
	var out []string
	for _, r := range reqs {
		if !r.present {
			out = append(out, r.how)
		}
	}
	return out
}

// chooseCredential applies the documented precedence: access token, the
// refresh-token flow (App+User), federated App-only when use_oidc is set,
// App-only with a secret or certificate, then the Azure CLI. A flow that is
// started but incomplete is an error rather than a silent fall-through,
// because the user clearly meant to use it. An explicit use_cli or use_oidc
// wins over a secret or certificate that only ARM_* variables give, and
// neither replaces one written in the provider block.
func (r *settingResolver) chooseCredential(s providerSettings, useCLI bool) credentialFlow {
	incomplete := func(flow string, lacks []string, alternatives string) credentialFlow {
		r.diags.AddError("Incomplete Partner Center "+flow+" credentials",
			"The "+flow+" credentials are partly configured. Still missing:\n  - "+strings.Join(lacks, "\n  - ")+"\n"+alternatives)
		return ""
	}
	if s.accessToken != "" {
		return credentialAccessToken
	}
	if s.refreshToken != "" {
		if lacks := missing(refreshTokenRequirements(s)); len(lacks) > 0 {
			return incomplete("refresh-token", lacks, "Set them, or remove the refresh-token settings to use another credential.")
		}
		return credentialRefreshToken
	}
	// Like use_cli, use_oidc from the environment does not replace a secret
	// or certificate written in the provider block: configuration wins.
	if s.useOIDC.value != "" && (s.useOIDC.configured || !s.appCredentialConfigured) {
		if lacks := missing(federatedRequirements(s)); len(lacks) > 0 {
			return incomplete("federated (OIDC)", lacks, "Set them, or remove use_oidc to use another credential.")
		}
		return credentialFederated
	}
	hasAppCredential := s.clientSecret != "" || len(s.clientCertificate) > 0
	cliChosenOverARM := useCLI && s.appCredentialFromARM
	if hasAppCredential && !cliChosenOverARM {
		if lacks := missing(applicationRequirements(s)); len(lacks) > 0 {
			return incomplete("App-only", lacks, "Set them, or add "+argumentAndVars("refresh_token", envVars.refreshToken)+" for App+User credentials.")
		}
		return credentialAppOnly
	}
	if useCLI {
		return credentialAzureCLI
	}
	r.diags.AddError("No Partner Center credentials",
		"Partner Center needs credentials. Configure one of these, in the provider block or the environment:\n"+
			"  1. "+argumentAndVars("access_token", envVars.accessToken)+": a ready access token.\n"+
			"  2. App+User through the secure application model, which needs: "+strings.Join(missing(refreshTokenRequirements(s)), "; ")+".\n"+
			"  3. App-only with workload identity federation: "+argumentAndVars("use_oidc = true", envVars.useOIDC)+", tenant_id, client_id and "+
			federatedTokenWays()+".\n"+
			"  4. App-only with a secret or certificate: tenant_id, client_id and "+applicationSecretHow()+".\n"+
			"  5. "+argumentAndVars("use_cli = true", envVars.useCLI)+": the user signed in with `az login`.")
	return ""
}

// federatedSettings are the sources of a federated ID token as resolved,
// each with where it came from.
type federatedSettings struct {
	token, tokenFilePath, requestURL, requestToken, serviceConnectionID setting
}

// federated reads the federated token settings and checks the request URL
// and service connection ID.
func (r *settingResolver) federated(m providerModel) federatedSettings {
	f := federatedSettings{
		token:               r.str("oidc_token", m.OIDCToken, envVars.oidcToken),
		tokenFilePath:       r.str("oidc_token_file_path", m.OIDCTokenFilePath, envVars.oidcTokenFilePath),
		serviceConnectionID: r.str("ado_pipeline_service_connection_id", m.ADOPipelineServiceConnectionID, envVars.adoServiceConnectionID),
	}
	f.requestURL, f.requestToken = r.requestURLAndToken(m)
	for _, blank := range []struct {
		attr string
		set  setting
	}{{"oidc_token", f.token}, {"oidc_token_file_path", f.tokenFilePath}} {
		if blank.set.value != "" && strings.TrimSpace(blank.set.value) == "" {
			r.attrError(blank.attr, blank.set, "Blank "+blank.attr, "the value holds only white space")
		}
	}
	if f.requestURL.value != "" {
		if err := partnercenter.CheckRequestURL(f.requestURL.value); err != nil {
			r.attrError("oidc_request_url", f.requestURL, "Invalid URL", err.Error())
			f.requestURL = setting{}
		}
	}
	if id := f.serviceConnectionID; id.value != "" && !shared.GUIDPattern.MatchString(id.value) {
		r.attrError("ado_pipeline_service_connection_id", id, "Invalid service connection ID", fmt.Sprintf("%q is not an Azure DevOps service connection ID: expected a GUID", id.value))
	}
	return f
}

// ciRequestVariables pairs each CI system's ID-token URL variable with its
// request token variable.
var ciRequestVariables = []struct{ url, token string }{
	{"ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"},
	{"SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN"},
}

func ciRequestURLs() (out []string) {
	for _, ci := range ciRequestVariables {
		out = append(out, ci.url)
	}
	return out
}

func ciRequestTokens() (out []string) {
	for _, ci := range ciRequestVariables {
		out = append(out, ci.token)
	}
	return out
}

// explicitRequestVars is vars without the CI systems' own variables.
func explicitRequestVars(vars []string) []string {
	ci := append(ciRequestURLs(), ciRequestTokens()...)
	return slices.DeleteFunc(slices.Clone(vars), func(v string) bool { return slices.Contains(ci, v) })
}

// requestURLAndToken resolves the CI request URL and its bearer token as a
// pair, so that a token goes only to a URL from the same place: the
// arguments and the PARTNERCENTER_*/ARM_* variables pair with each other,
// and each CI system's variables only with its own. The first CI system
// whose URL and token are both set is used; one with only a URL is kept so
// that the error can name what it lacks.
func (r *settingResolver) requestURLAndToken(m providerModel) (requestURL, requestToken setting) {
	requestURL = r.str("oidc_request_url", m.OIDCRequestURL, explicitRequestVars(envVars.oidcRequestURL))
	requestToken = r.str("oidc_request_token", m.OIDCRequestToken, explicitRequestVars(envVars.oidcRequestToken))
	if requestURL.value != "" || requestToken.value != "" {
		return requestURL, requestToken
	}
	for _, ci := range ciRequestVariables {
		u := r.str("oidc_request_url", types.StringNull(), []string{ci.url})
		t := r.str("oidc_request_token", types.StringNull(), []string{ci.token})
		if u.value != "" && t.value != "" {
			return u, t
		}
		if requestURL.value == "" {
			requestURL = u
		}
	}
	return requestURL, setting{}
}

// requestTokenHow says how to give the token for a request URL from source:
// a CI system's URL takes only that system's token variable.
func requestTokenHow(source setting) string {
	for _, ci := range ciRequestVariables {
		if source.source == "environment variable "+ci.url {
			return ci.token
		}
	}
	return argumentAndVars("oidc_request_token", explicitRequestVars(envVars.oidcRequestToken))
}

// chosen returns the federated token source to use, or nil: the first of
// oidc_token, oidc_token_file_path and the CI request, those set in the
// provider block before those from the environment.
func (f federatedSettings) chosen() *partnercenter.FederatedToken {
	candidates := []struct {
		set   setting
		token partnercenter.FederatedToken
	}{
		{f.token, partnercenter.FederatedToken{Token: f.token.value}},
		{f.tokenFilePath, partnercenter.FederatedToken{File: f.tokenFilePath.value}},
	}
	if f.requestToken.value != "" {
		candidates = append(candidates, struct {
			set   setting
			token partnercenter.FederatedToken
		}{f.requestURL, partnercenter.FederatedToken{
			RequestURL: f.requestURL.value, RequestToken: f.requestToken.value, ServiceConnectionID: f.serviceConnectionID.value,
		}})
	}
	for _, fromConfig := range []bool{true, false} {
		for _, c := range candidates {
			if c.set.value != "" && c.set.configured == fromConfig {
				return &c.token
			}
		}
	}
	return nil
}

// credentialDescription says which credential was chosen and from where,
// for the debug log: never a secret.
func (s providerSettings) credentialDescription() string {
	switch s.credential {
	case credentialFederated:
		f, fed := s.federated, s.federated.chosen()
		switch {
		case fed.Token != "":
			return "App-only, federated token from " + f.token.source
		case fed.File != "":
			return "App-only, federated token read from a file at every renewal (" + f.tokenFilePath.source + ")"
		case fed.ServiceConnectionID != "":
			return "App-only, federated token from Azure DevOps (" + f.requestURL.source + ")"
		}
		return "App-only, federated token from GitHub Actions (" + f.requestURL.source + ")"
	case credentialAppOnly:
		if len(s.clientCertificate) > 0 {
			return "App-only with a client certificate"
		}
		return "App-only with a client secret"
	case credentialRefreshToken:
		return "App+User, refresh token"
	case credentialAzureCLI:
		return "App+User, Azure CLI"
	}
	return "access token"
}
