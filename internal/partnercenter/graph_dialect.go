package partnercenter

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// Microsoft Graph's request id headers: the client names each request with
// client-request-id, which Graph echoes when asked to, and Graph names it
// with request-id in its answer and its logs.
const (
	graphRequestIDHeader       = "request-id"
	graphClientRequestIDHeader = "client-request-id"
)

// setGraphHeaders sets the headers Graph reads instead of Partner Center's
// MS-* ones.
func setGraphHeaders(h http.Header, requestID string) {
	h.Set(graphClientRequestIDHeader, requestID)
	h.Set("return-client-request-id", "true")
}

// service names the API the client calls, for messages and logs.
func (c *Client) service() string { return serviceName(c.graph) }

func serviceName(graph bool) string {
	if graph {
		return "Microsoft Graph"
	}
	return "Partner Center"
}

// idSuffixFor renders the ids of a request under the names its API gives
// them, so that support can search for them as written.
func idSuffixFor(graph bool, requestID, correlationID string, attempts int) string {
	requestName, correlationName := "MS-RequestId ", "MS-CorrelationId "
	if graph {
		requestName, correlationName = graphRequestIDHeader+" ", graphClientRequestIDHeader+" "
	}
	var parts []string
	if requestID != "" {
		parts = append(parts, requestName+requestID)
	}
	if correlationID != "" {
		parts = append(parts, correlationName+correlationID)
	}
	if attempts > 1 {
		parts = append(parts, strconv.Itoa(attempts)+" attempts")
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// IsPreconditionFailed reports an HTTP 412 answer: the If-Match etag no
// longer matches, because the object changed since it was read.
func IsPreconditionFailed(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusPreconditionFailed
}
