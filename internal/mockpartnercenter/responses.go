package mockpartnercenter

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

const jsonContentType = "application/json; charset=utf-8"

// Partner Center error codes used by the mock. An unknown customer gets 1000
// ("Not found") or 60003 ("Tenant not found"), both seen from the live
// service; 60003 is sent as a string, as the service sends some codes, so
// that clients are tested for both forms. 20002 is a tenant with no
// relationship to the partner, 900420 a token for another audience. 2007 is
// used for malformed ids and 2000 for other invalid input — the
// documentation gives 400s with 2007/2200 without listing every code, so
// these are the mock's choice.
const (
	pcCodeInvalidInput   = 2000
	pcCodeInvalidID      = 2007
	pcCodeNotFound       = 1000
	pcCodeTenantNotFound = "60003"
	pcCodeNoRelationship = 20002
	pcCodeWrongAudience  = "900420"
	pcCodeInternal       = 10000
)

// pcError is Partner Center's documented error body. Code is a number or
// a string, as the live service sends either.
type pcError struct {
	Code        any      `json:"code"`
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
func writePCError(w http.ResponseWriter, status int, code any, description string) {
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

// throttleBody is what the live service's rate limiter answers with: not
// Partner Center's error shape but {"statusCode", "message"}.
type throttleBody struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
}

// writeThrottle answers 429 as the live service's rate limiter does:
// Retry-After in seconds and a body that repeats it in words.
func writeThrottle(w http.ResponseWriter, retryAfter string) {
	msg := "Rate limit is exceeded."
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
		if _, err := strconv.Atoi(retryAfter); err == nil {
			msg = "Rate limit is exceeded. Try again in " + retryAfter + " seconds."
		}
	}
	writeJSON(w, http.StatusTooManyRequests, throttleBody{StatusCode: http.StatusTooManyRequests, Message: msg})
}
