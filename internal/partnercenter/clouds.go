package partnercenter

import (
	"errors"
	"fmt"
	"net"
	"net/url"
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
	},
	{
		// Operated by 21Vianet; URLs from the Partner Center PowerShell
		// module's environment table.
		Environment:   EnvironmentChina,
		APIBaseURL:    "https://partner.partnercenterapi.microsoftonline.cn",
		AuthorityHost: "https://login.chinacloudapi.cn",
	},
	{
		// The current documentation lists the same API host as public;
		// only the sign-in authority differs.
		Environment:   EnvironmentUSGovernment,
		APIBaseURL:    "https://api.partnercenter.microsoft.com",
		AuthorityHost: "https://login.microsoftonline.us",
	},
	{
		// Microsoft Cloud Germany closed in 2021. The current "Partner
		// Center REST URLs" page and the PowerShell module give the public
		// API URL for it (only a 2017 page named a German host); it is kept
		// so that old configurations get a warning, not a parse error.
		Environment:   EnvironmentGermany,
		APIBaseURL:    "https://api.partnercenter.microsoft.com",
		AuthorityHost: "https://login.microsoftonline.de",
		Retired:       true,
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

// CheckEndpointURL reports why raw cannot serve as an API endpoint or
// authority host, or nil when it can. It must be an absolute https URL
// without query or fragment; plain http is allowed only for loopback hosts
// so that tests and local mocks work while credentials never travel in the
// clear over a network.
func CheckEndpointURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return errors.New("the URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL: %w", raw, err)
	}
	shown := u.Redacted()
	if u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL: it needs a scheme and a host, e.g. https://api.partnercenter.microsoft.com", shown)
	}
	if u.User != nil {
		return fmt.Errorf("%q must not contain a user name or password", shown)
	}
	if u.RawQuery != "" || u.ForceQuery {
		return fmt.Errorf("%q must not contain a query string", shown)
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("%q must not contain a fragment", shown)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%q has no host name", shown)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q uses http: only https is allowed, except for loopback hosts (localhost, 127.0.0.1, ::1) used in tests", shown)
	default:
		return fmt.Errorf("%q has scheme %q: only https is allowed", shown, u.Scheme)
	}
}

// isLoopbackHost reports whether host names this machine. It does not
// resolve names: only "localhost" and loopback IP literals count, so that
// DNS cannot turn a remote host into an exception.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
