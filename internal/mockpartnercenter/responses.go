package mockpartnercenter

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

const jsonContentType = "application/json; charset=utf-8"

// Partner Center error codes used by the mock. 3000 ("not found") is the one
// the documentation shows for a missing customer; 2007 is used for malformed
// ids and 2000 for other invalid input — the documentation gives 400s with
// 2007/2200 without listing every code, so these are the mock's choice.
const (
	pcCodeInvalidInput = 2000
	pcCodeInvalidID    = 2007
	pcCodeNotFound     = 3000
	pcCodeInternal     = 10000
)

// pcError is Partner Center's documented error body.
type pcError struct {
	Code        int      `json:"code"`
	Description string   `json:"description"`
	Data        []string `json:"data"`
	Source      string   `json:"source"`
}

// writeJSON writes v with status. Encoding errors cannot happen for the
// mock's own types; a failed write means the client went away.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshal(v)
	if err != nil {
		http.Error(w, "", http.StatusInternalServerError)
		return
	}
	writeRawJSON(w, status, body)
}

// marshal is json.Marshal without HTML escaping: .NET services write "&"
// and "<" as they are, and so does the mock.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// writeRawJSON writes an already-encoded JSON body.
func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writePCError writes a Partner Center error body. "PartnerFD" (the front
// door) is the source the documentation's samples show.
func writePCError(w http.ResponseWriter, status, code int, description string) {
	writeJSON(w, status, pcError{Code: code, Description: description, Data: []string{}, Source: "PartnerFD"})
}

// writeUnauthorized answers like Partner Center's edge: 401 with no body and
// a WWW-Authenticate challenge. errDesc is empty when no token was sent, as
// RFC 6750 §3.1 asks.
func writeUnauthorized(w http.ResponseWriter, errDesc string) {
	challenge := `Bearer realm="api.partnercenter.microsoft.com"`
	if errDesc != "" {
		challenge += `, error="invalid_token", error_description="` + errDesc + `"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusUnauthorized)
}

// writeGatewayError answers as a gateway in front of Partner Center would:
// no Partner Center body, so the client must fall back to the status text.
// 503 carries a short text/plain body, 502 and 504 none at all.
func writeGatewayError(w http.ResponseWriter, status int) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		body := "Service Unavailable"
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
		return
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(status)
}

// writeStatus answers status the way the mock answers it everywhere, for
// FaultStatusSequence: gateway statuses without a body, 401 like the edge,
// everything else with a Partner Center error body.
func writeStatus(w http.ResponseWriter, status int, retryAfter string) {
	switch {
	case status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		writeGatewayError(w, status)
	case status == http.StatusUnauthorized:
		writeUnauthorized(w, "")
	case status == http.StatusTooManyRequests:
		writeThrottle(w, retryAfter)
	case status >= 500:
		writePCError(w, status, pcCodeInternal, "An unexpected error occurred while processing the request.")
	case status >= 400:
		writePCError(w, status, status, http.StatusText(status))
	default:
		// A non-error status in a sequence is answered with an empty body of
		// that status; the client must not mistake it for a customer.
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(status)
	}
}

// writeThrottle answers 429. Partner Center sends Retry-After (seconds) when
// throttling; the body uses the Partner Center error shape with the HTTP
// status as code, which is what throttled Partner Center calls report.
func writeThrottle(w http.ResponseWriter, retryAfter string) {
	desc := "Rate limit is exceeded."
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
		if _, err := strconv.Atoi(retryAfter); err == nil {
			desc = "Rate limit is exceeded. Try again in " + retryAfter + " seconds."
		}
	}
	writePCError(w, http.StatusTooManyRequests, http.StatusTooManyRequests, desc)
}
