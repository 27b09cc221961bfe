package mockpartnercenter

import (
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// entraError is the error body of Entra ID's token endpoint.
type entraError struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	Codes         []int  `json:"error_codes"`
	Timestamp     string `json:"timestamp"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
	ErrorURI      string `json:"error_uri"`
}

// entraTimeFormat is how Entra ID writes timestamps in its errors.
const entraTimeFormat = "2006-01-02 15:04:05Z"

// writeEntraError writes an Entra-shaped error. Like Entra ID, the
// description repeats the trace id, correlation id and timestamp after the
// AADSTS message. Callers must never put the secret, refresh token or
// assertion into msg: clients log these descriptions.
func writeEntraError(w http.ResponseWriter, r *http.Request, status int, errName string, code int, msg string) {
	now := time.Now().UTC().Format(entraTimeFormat)
	trace := uuid.NewString()
	// Entra ID reuses the caller's client-request-id as correlation id.
	corr := r.Header.Get("client-request-id")
	if _, err := uuid.Parse(corr); err != nil {
		corr = uuid.NewString()
	}
	w.Header().Set("client-request-id", corr)
	w.Header().Set("x-ms-request-id", trace)
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, status, entraError{
		Error: errName,
		Description: fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			code, msg, trace, corr, now),
		Codes:         []int{code},
		Timestamp:     now,
		TraceID:       trace,
		CorrelationID: corr,
		ErrorURI:      fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", code),
	})
}
