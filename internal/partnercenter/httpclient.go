package partnercenter

import (
	"crypto/tls"
	"net"
	"net/http"
	"sync"
	"time"
)

var sharedHTTPClient = sync.OnceValue(newHTTPClient)

// SharedHTTPClient returns the process-wide HTTP client used when
// Config.HTTPClient is nil. Sharing it lets every Client reuse the same
// connections. It has no overall timeout: the context of each read bounds
// it.
func SharedHTTPClient() *http.Client { return sharedHTTPClient() }

func newHTTPClient() *http.Client {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
		t = &http.Transport{}
	}
	// HTTPS_PROXY and NO_PROXY work as users expect, but a loopback target
	// is never proxied.
	t.Proxy = bypassProxyForLoopback(http.ProxyFromEnvironment)
	t.DialContext = dialLoopbackDirectly((&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext)
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.ExpectContinueTimeout = time.Second
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	t.ForceAttemptHTTP2 = true
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: t, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		return followSameOrigin(req, via, serviceName(false))
	}}
}
