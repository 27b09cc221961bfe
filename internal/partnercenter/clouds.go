package partnercenter

import (
	"strings"
)

// Environment names a Partner Center cloud, as written in the provider's
// environment argument.
type Environment string

// The Partner Center clouds the provider knows.
const (
	EnvironmentPublic       Environment = "public"
	EnvironmentChina        Environment = "china"
	EnvironmentUSGovernment Environment = "usgovernment"
	EnvironmentGermany      Environment = "germany"
)

// Cloud holds the endpoints of one Partner Center cloud.
type Cloud struct {
	Environment Environment
	// APIBaseURL is the API root without /v1 and without a trailing slash.
	APIBaseURL string
	// AuthorityHost is the Entra ID (Azure AD) login host of the cloud.
	AuthorityHost string
	// GraphBaseURL is the cloud's Microsoft Graph root without /v1.0,
	// from Microsoft Graph's "national cloud deployments" page.
	GraphBaseURL string
	// Retired is true for clouds that no longer exist; they are accepted
	// so that old configurations give a warning instead of a parse error.
	Retired bool
}

// clouds is the one table of cloud endpoints. Its order is the order
// Environments reports, which documentation and validators show to users.
var clouds = []Cloud{
	{
		Environment:   EnvironmentPublic,
		APIBaseURL:    "https://api.partnercenter.microsoft.com",
		AuthorityHost: "https://login.microsoftonline.com",
		GraphBaseURL:  "https://graph.microsoft.com",
	},
	{
		// Operated by 21Vianet; URLs from the Partner Center PowerShell
		// module's environment table.
		Environment:   EnvironmentChina,
		APIBaseURL:    "https://partner.partnercenterapi.microsoftonline.cn",
		AuthorityHost: "https://login.chinacloudapi.cn",
		GraphBaseURL:  "https://microsoftgraph.chinacloudapi.cn",
	},
	{
		// The current documentation lists the same API host as public;
		// only the sign-in authority differs.
		Environment:   EnvironmentUSGovernment,
		APIBaseURL:    "https://api.partnercenter.microsoft.com",
		AuthorityHost: "https://login.microsoftonline.us",
		// Graph for US Government L4; L5 (DoD) tenants use
		// dod-graph.microsoft.us, set through graph_endpoint.
		GraphBaseURL: "https://graph.microsoft.us",
	},
	{
		// Microsoft Cloud Germany closed in 2021. The current "Partner
		// Center REST URLs" page and the PowerShell module give the public
		// API URL for it (only a 2017 page named a German host); it is kept
		// so that old configurations get a warning, not a parse error.
		Environment:   EnvironmentGermany,
		APIBaseURL:    "https://api.partnercenter.microsoft.com",
		AuthorityHost: "https://login.microsoftonline.de",
		// Its Graph closed with it; old configurations reach the public one.
		GraphBaseURL: "https://graph.microsoft.com",
		Retired:      true,
	},
}

// Environments returns the known environment names in a stable order:
// public, china, usgovernment, germany.
func Environments() []Environment {
	out := make([]Environment, 0, len(clouds))
	for _, c := range clouds {
		out = append(out, c.Environment)
	}
	return out
}

// LookupCloud returns the cloud named env, ignoring letter case and
// surrounding spaces. An empty name means the public cloud.
func LookupCloud(env string) (Cloud, bool) {
	name := Environment(strings.ToLower(strings.TrimSpace(env)))
	if name == "" {
		name = EnvironmentPublic
	}
	for _, c := range clouds {
		if c.Environment == name {
			return c, true
		}
	}
	return Cloud{}, false
}

// TokenAudience returns the resource that access tokens for this cloud's
// Partner Center API are issued for: the API base URL.
func (c Cloud) TokenAudience() string {
	return c.APIBaseURL
}

// GraphTokenAudience returns the resource that access tokens for this
// cloud's Microsoft Graph are issued for: the Graph base URL.
func (c Cloud) GraphTokenAudience() string {
	return c.GraphBaseURL
}
