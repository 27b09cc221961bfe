package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// statusHints say what to do about each HTTP status, in the words of a
// partner's administrator rather than of HTTP.
var statusHints = map[int]string{
	http.StatusUnauthorized: "Partner Center did not accept the access token. The API needs App+User credentials: a token issued to a " +
		"Partner Center user (for example an Admin agent) through the partner's Entra application. App-only tokens and tokens for " +
		"another resource are refused. Check the refresh token, access token or `az login` session.",
	http.StatusForbidden: "The signed-in user lacks the Partner Center role for this operation (Admin agent or Sales agent can read customers), " +
		"or the partner has no relationship with this customer (check the reseller relationship and GDAP in Partner Center).",
	http.StatusNotFound: "The customer was not found, or it is not a customer of this partner. Check the tenant ID and that the credentials " +
		"belong to the partner that manages the customer.",
	http.StatusTooManyRequests: "Partner Center throttled the requests and kept doing so through every retry. Run with fewer parallel reads " +
		"(terraform -parallelism), raise max_retries, or try again later.",
}

// readErrorDiagnostic turns a client error into a diagnostic that names what
// was read, what Partner Center answered, the ids a support ticket needs, and
// what to do next.
func readErrorDiagnostic(ctx context.Context, operation string, err error, timeout time.Duration) (summary, detail string) {
	var (
		apiErr       *partnercenter.APIError
		authErr      *partnercenter.AuthenticationError
		invalidErr   *partnercenter.InvalidResponseError
		ambiguousErr *partnercenter.AmbiguousDomainError
	)
	switch {
	case errors.As(err, &authErr):
		return "Partner Center authentication failed", fmt.Sprintf("%s failed while obtaining an access token: %s", operation, authErr.Error())
	case errors.As(err, &apiErr):
		return apiErrorSummary(apiErr.StatusCode), apiErrorDetail(operation, apiErr)
	case errors.As(err, &invalidErr):
		return "Unexpected response from Partner Center", fmt.Sprintf("%s failed: %s", operation, invalidErr.Error())
	case errors.As(err, &ambiguousErr):
		return "More than one customer has this domain", fmt.Sprintf("%s failed: %s\nUse `id` to choose one.", operation, ambiguousErr.Error())
	case errors.Is(err, partnercenter.ErrNotFound):
		return "Customer not found", fmt.Sprintf("%s failed: %s\n%s", operation, err.Error(), statusHints[http.StatusNotFound])
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		return "Partner Center read timed out", fmt.Sprintf("%s did not finish within %s (retries included): %s\n"+
			"Raise timeouts.read on the data source if Partner Center is slow, or check the network path to it.", operation, timeout, err.Error())
	case errors.Is(err, context.Canceled):
		return "Partner Center read cancelled", fmt.Sprintf("%s was cancelled: %s", operation, err.Error())
	}
	return "Partner Center request failed", fmt.Sprintf("%s failed: %s", operation, err.Error())
}

func apiErrorSummary(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "Partner Center rejected the credentials"
	case http.StatusForbidden:
		return "Partner Center denied access"
	case http.StatusNotFound:
		return "Customer not found"
	case http.StatusTooManyRequests:
		return "Partner Center throttled the request"
	}
	return "Partner Center request failed"
}

func apiErrorDetail(operation string, e *partnercenter.APIError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s failed: Partner Center answered HTTP %d %s", operation, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	b.WriteString(".\n")
	if e.Code != "" {
		fmt.Fprintf(&b, "  Partner Center error code: %s\n", e.Code)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, "  Description: %s\n", e.Description)
	}
	fmt.Fprintf(&b, "  MS-RequestId: %s\n  MS-CorrelationId: %s\n", orNone(e.RequestID), orNone(e.CorrelationID))
	if hint, ok := statusHints[e.StatusCode]; ok {
		b.WriteString(hint)
	} else if e.StatusCode >= 500 {
		b.WriteString("Partner Center had a server error that persisted through the retries. Try again later; if it lasts, open a " +
			"support request quoting the MS-RequestId and MS-CorrelationId above.")
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
