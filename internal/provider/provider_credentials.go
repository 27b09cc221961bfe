package provider

import (
	"fmt"
	"strings"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
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
		return append(applicationRequirements(s), requirement{false,
			argumentAndVars("oidc_request_token", envVars.oidcRequestToken) + ", the bearer token for oidc_request_url (from " + f.requestURL.source + ")"})
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
// wins over a secret or certificate that only ARM_* variables give.
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
	if s.useOIDC {
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
		requestURL:          r.str("oidc_request_url", m.OIDCRequestURL, envVars.oidcRequestURL),
		requestToken:        r.str("oidc_request_token", m.OIDCRequestToken, envVars.oidcRequestToken),
		serviceConnectionID: r.str("ado_pipeline_service_connection_id", m.ADOPipelineServiceConnectionID, envVars.adoServiceConnectionID),
	}
	if f.requestURL.value != "" {
		if err := partnercenter.CheckRequestURL(f.requestURL.value); err != nil {
			r.attrError("oidc_request_url", f.requestURL, "Invalid URL", err.Error())
			f.requestURL = setting{}
		}
	}
	if id := f.serviceConnectionID; id.value != "" && !guidPattern.MatchString(id.value) {
		r.attrError("ado_pipeline_service_connection_id", id, "Invalid service connection ID", fmt.Sprintf("%q is not an Azure DevOps service connection ID: expected a GUID", id.value))
	}
	return f
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
