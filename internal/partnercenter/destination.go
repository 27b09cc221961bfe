package partnercenter

// Where a request may go. A request carries a credential (a client secret, a
// refresh token, a bearer token), so every rule about its destination lives
// here: which URLs may be endpoints, what counts as this machine, which
// requests may go through a proxy, and which redirects may be followed.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// CheckEndpointURL reports why raw cannot serve as an API endpoint or
// authority host, or nil when it can. It must be an absolute https URL
// without user information, query or fragment; plain http is allowed only for
// loopback hosts so that tests and local mocks work while credentials never
// travel in the clear over a network. Errors never quote a password.
func CheckEndpointURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return errors.New("the URL is empty")
	}
	shown := redactUserinfo(raw)
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		// The parser's reason may quote a piece of the user information.
		if shown == raw && errors.As(err, &uerr) {
			return fmt.Errorf("%q is not a valid URL: %s", shown, sanitizeServerText(uerr.Err.Error()))
		}
		return fmt.Errorf("%q is not a valid URL", shown)
	}
	if u.User != nil {
		return fmt.Errorf("%q must not contain a user name or password", shown)
	}
	if u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL: it needs a scheme and a host, e.g. https://api.partnercenter.microsoft.com", shown)
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

// redactUserinfo hides everything between the scheme and the last "@" of a
// URL as written, parsed or not, so that a password is never quoted.
func redactUserinfo(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "//"); i >= 0 {
		prefix, rest = raw[:i+2], raw[i+2:]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		return prefix + "[redacted]@" + rest[at+1:]
	}
	return raw
}

// isLoopbackHost is the one rule for "this machine", used both to allow plain
// http and to bypass proxies: an IP literal in 127.0.0.0/8 or ::1, or
// "localhost" in any letter case with at most one trailing dot. It does not
// resolve names, so that DNS cannot turn a remote host into an exception.
func isLoopbackHost(host string) bool {
	if strings.ToLower(strings.TrimSuffix(host, ".")) == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// bypassProxyForLoopback sends requests to loopback hosts directly and asks
// next about the others. net/http's own exemption covers only the exact name
// "localhost" and loopback IPs, so LOCALHOST or localhost. would otherwise
// carry plain-http credentials to a proxy.
func bypassProxyForLoopback(next func(*http.Request) (*url.URL, error)) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		if isLoopbackHost(req.URL.Hostname()) {
			return nil, nil
		}
		return next(req)
	}
}

// dialLoopbackDirectly connects to 127.0.0.1, else ::1, for the host names
// isLoopbackHost accepts, instead of asking a resolver: "localhost." would
// otherwise go to DNS, which could answer with a remote address for a URL
// that was allowed plain http as loopback.
func dialLoopbackDirectly(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil || net.ParseIP(host) != nil || !isLoopbackHost(host) {
			return dial(ctx, network, addr)
		}
		conn, err := dial(ctx, network, net.JoinHostPort("127.0.0.1", port))
		if err != nil {
			if conn6, err6 := dial(ctx, network, net.JoinHostPort("::1", port)); err6 == nil {
				return conn6, nil
			}
		}
		return conn, err
	}
}

// maxRedirects matches net/http's own limit.
const maxRedirects = 10

// errTooManyRedirects is not worth retrying: the next attempt would loop
// the same way.
var errTooManyRedirects = errors.New("stopped after 10 redirects")

// redirectError is a redirect the client refused to follow because it would
// have taken a credential somewhere else: any redirect of a token request, or
// a redirect of an API read to another scheme or host.
type redirectError struct {
	// StatusCode is the redirect's HTTP status, e.g. 307.
	StatusCode int
	// From is the scheme and host that answered; To is where it pointed.
	From, To string
	// TokenRequest is true for a token endpoint's redirect.
	TokenRequest bool
	// Service names the API that answered, e.g. "Microsoft Graph".
	Service string
}

// Error names the status and both ends of the redirect.
func (e *redirectError) Error() string {
	if e.TokenRequest {
		return fmt.Sprintf("the token endpoint answered HTTP %d with a redirect to %s; token requests never follow redirects", e.StatusCode, e.To)
	}
	return fmt.Sprintf("%s answered HTTP %d with a redirect from %s to %s; reads follow redirects only on the same scheme and host",
		e.Service, e.StatusCode, e.From, e.To)
}

func newRedirectError(req *http.Request, via []*http.Request, tokenRequest bool) *redirectError {
	e := &redirectError{
		From:         origin(via[len(via)-1].URL),
		To:           origin(req.URL),
		TokenRequest: tokenRequest,
	}
	if req.Response != nil {
		e.StatusCode = req.Response.StatusCode
	}
	return e
}

// origin renders scheme://host of a URL a server chose, safe to show.
func origin(u *url.URL) string {
	return sanitizeServerText(strings.ToLower(u.Scheme) + "://" + u.Host)
}

// followSameOrigin is the redirect policy of API reads: Partner Center does
// not redirect reads, and a redirect to another scheme or host (https to
// http, or another server) could hand the bearer token, or a forged answer,
// to someone else. net/http would follow it, dropping Authorization only for
// other host names, and compares hosts without their ports.
func followSameOrigin(req *http.Request, via []*http.Request, service string) error {
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	first := via[0].URL
	if !strings.EqualFold(first.Scheme, req.URL.Scheme) || !strings.EqualFold(first.Host, req.URL.Host) {
		e := newRedirectError(req, via, false)
		e.Service = service
		return e
	}
	return nil
}

// refuseTokenRedirect is the redirect policy of token requests: a 307 or 308
// would re-send the whole form, secret and refresh token included.
func refuseTokenRedirect(req *http.Request, via []*http.Request) error {
	return newRedirectError(req, via, true)
}

// tokenEndpointClient returns a copy of hc for requests that carry a
// credential to a token endpoint (a client secret, a refresh token, a client
// assertion, an identity token request): it never follows a redirect. Every
// token source sends through such a client.
func tokenEndpointClient(hc *http.Client) *http.Client {
	return withRedirectPolicy(hc, refuseTokenRedirect)
}

// apiClient returns a copy of hc for API reads of the API graph selects: it
// follows redirects only on the same scheme and host.
func apiClient(hc *http.Client, graph bool) *http.Client {
	service := serviceName(graph)
	return withRedirectPolicy(hc, func(req *http.Request, via []*http.Request) error {
		return followSameOrigin(req, via, service)
	})
}

// withRedirectPolicy copies hc (nil: SharedHTTPClient()) with the policy. A
// client without a transport gets the shared one rather than net/http's
// default, so that loopback targets still bypass proxies.
func withRedirectPolicy(hc *http.Client, policy func(*http.Request, []*http.Request) error) *http.Client {
	if hc == nil {
		hc = SharedHTTPClient()
	}
	out := *hc
	if out.Transport == nil {
		out.Transport = SharedHTTPClient().Transport
	}
	out.CheckRedirect = policy
	return &out
}
