package partnercenter

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxRedirects matches net/http's own limit.
const maxRedirects = 10

// errTooManyRedirects is not worth retrying: the next attempt would loop
// the same way.
var errTooManyRedirects = errors.New("stopped after 10 redirects")

var sharedHTTPClient = sync.OnceValue(newHTTPClient)

// SharedHTTPClient returns the process-wide HTTP client used when
// Config.HTTPClient is nil. Sharing it lets every Client reuse the same
// connections. It has no overall timeout: the context of each read bounds
// it.
func SharedHTTPClient() *http.Client { return sharedHTTPClient() }

func newHTTPClient() *http.Client {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		// Cloning keeps ProxyFromEnvironment, so HTTPS_PROXY and NO_PROXY
		// work as users expect.
		t = dt.Clone()
	} else {
		t = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.ExpectContinueTimeout = time.Second
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	t.ForceAttemptHTTP2 = true
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: t, CheckRedirect: checkRedirect}
}

// checkRedirect keeps the bearer token on the host it was issued for.
// net/http compares host names without ports, so it would forward the
// token to another service on the same machine; this compares scheme, host
// and port.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	first := via[0].URL
	if !strings.EqualFold(first.Scheme, req.URL.Scheme) || !strings.EqualFold(first.Host, req.URL.Host) {
		req.Header.Del("Authorization")
	}
	return nil
}
