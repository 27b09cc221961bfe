package provider

import (
	"fmt"
	"strings"
)

// requirement is one setting of the refresh-token flow and how to give it.
type requirement struct {
	present bool
	how     string
}

func describe(attr string, vars []string) string {
	return fmt.Sprintf("%s (%s)", attr, strings.Join(vars, " or "))
}

// refreshTokenRequirements lists what the secure application model flow needs.
func refreshTokenRequirements(s providerSettings) []requirement {
	return []requirement{
		{s.tenantID != "", describe("tenant_id", envVars.tenantID)},
		{s.clientID != "", describe("client_id", envVars.clientID)},
		{s.clientSecret != "" || len(s.clientCertificate) > 0, describe("client_secret", envVars.clientSecret) +
			" or " + describe("client_certificate", envVars.clientCertificate) +
			" or " + describe("client_certificate_path", envVars.clientCertificatePath)},
		{s.refreshToken != "", describe("refresh_token", envVars.refreshToken)},
	}
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

// chooseCredential applies the documented precedence: access token, then the
// refresh-token flow, then the Azure CLI. A refresh-token flow that is started
// but incomplete is an error rather than a silent fall-through, because the
// user clearly meant to use it.
func (r *settingResolver) chooseCredential(s providerSettings, useCLI bool) credentialKind {
	if s.accessToken != "" {
		return credentialAccessToken
	}
	refreshMissing := missing(refreshTokenRequirements(s))
	startedRefresh := s.refreshToken != "" || (!useCLI && (s.clientSecret != "" || len(s.clientCertificate) > 0))
	switch {
	case startedRefresh && len(refreshMissing) == 0:
		return credentialRefreshToken
	case startedRefresh:
		r.diags.AddError("Incomplete Partner Center refresh-token credentials",
			"The secure application model flow is partly configured. Still missing:\n  - "+strings.Join(refreshMissing, "\n  - ")+
				"\nSet them, or remove the refresh-token settings to use access_token or use_cli instead.")
		return ""
	case useCLI:
		return credentialAzureCLI
	}
	r.diags.AddError("No Partner Center credentials",
		"Partner Center needs App+User credentials. Configure one of these, in the provider block or the environment:\n"+
			"  1. "+describe("access_token", envVars.accessToken)+": a ready App+User access token.\n"+
			"  2. The secure application model refresh-token flow, which needs: "+strings.Join(refreshMissing, "; ")+".\n"+
			"  3. "+describe("use_cli = true", envVars.useCLI)+": the user signed in with `az login`.")
	return ""
}
