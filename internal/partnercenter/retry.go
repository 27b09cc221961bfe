package partnercenter

// The retry policy is written here rather than taken from
// hashicorp/go-retryablehttp because the loop that applies it also renews
// the token after a 401, keeps one MS-RequestId across the attempts of a
// read, logs through the caller's Logger with the request's context and
// refuses to sleep past the context's deadline. go-retryablehttp would own
// the loop and leave each of those as a hook around it; the policy itself
// is a few small functions, each tested on its own.

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// isRetryableStatus reports the statuses that say "try again": throttling
// and the server or gateway failures Partner Center has been seen to
// return transiently.
func isRetryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// isRetryableTransportError reports errors that happened before any
// response arrived and may not happen again: refused or dropped
// connections and timeouts. Certificate problems, refused redirects and
// cancellations are final.
func isRetryableTransportError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalidCert      x509.CertificateInvalidError
		dnsErr           *net.DNSError
		redirect         *redirectError
		netErr           net.Error
	)
	switch {
	case err == nil,
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, errTooManyRedirects), errors.As(err, &redirect),
		errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalidCert):
		return false
	case errors.As(err, &dnsErr):
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &netErr) && netErr.Timeout():
		return true
	}
	// HTTP/2 reports a dropped connection only in text.
	msg := err.Error()
	return strings.Contains(msg, "connection reset") || strings.Contains(msg, "GOAWAY") ||
		strings.Contains(msg, "server closed")
}

// retryAfter returns the wait the server asked for in a Retry-After header,
// as seconds or an HTTP date, and false when there is no usable header.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		// Cap before multiplying so that absurd values cannot overflow.
		return time.Duration(min(secs, int64(24*time.Hour/time.Second))) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// backoff returns the wait before retry number retry (0 for the first):
// a random duration between waitMin and an exponentially growing ceiling
// capped at waitMax. The randomness ("full jitter") spreads out clients
// that were throttled together.
func (c *Client) backoff(retry int) time.Duration {
	ceiling := c.waitMax
	if retry < 32 && c.waitMin < c.waitMax>>retry {
		ceiling = c.waitMin << retry
	}
	if ceiling <= c.waitMin {
		return c.waitMin
	}
	return c.waitMin + time.Duration(c.randN(int64(ceiling-c.waitMin)+1))
}

// sleepContext waits for d or until ctx is done, whichever comes first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// passesDeadline reports whether waiting d would outlast ctx: retrying
// then is pointless, and the caller is better served by the error now.
func passesDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Until(deadline) <= d
}
