package partnercenter

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Sentinels matched by *APIError with errors.Is, by HTTP status.
var (
	// ErrNotFound matches 404 responses and *CustomerDomainNotFoundError.
	ErrNotFound = errors.New("partner center: not found")
	// ErrUnauthorized matches 401 responses: the token was rejected.
	ErrUnauthorized = errors.New("partner center: unauthorized")
	// ErrForbidden matches 403 responses: the user lacks a role or the
	// partner lacks a relationship with the customer.
	ErrForbidden = errors.New("partner center: forbidden")
	// ErrThrottled matches 429 responses.
	ErrThrottled = errors.New("partner center: throttled")
)

// APIError is a non-success HTTP response from Partner Center or, when
// Graph is true, from Microsoft Graph.
type APIError struct {
	// Graph is true for Microsoft Graph's answer: Code and Description are
	// Graph's error code and message, and RequestID and CorrelationID its
	// request-id and client-request-id.
	Graph bool
	// Operation names the read, e.g. `get customer "eebd1b55-…"`.
	Operation string
	// StatusCode is the HTTP status of the last attempt.
	StatusCode int
	// Status is that response's status line as sent ("401 Unauthorized"),
	// reason phrase included: Partner Center's edge may explain a body-less
	// refusal there and nowhere else.
	Status string
	// Challenge is the error_description of the response's WWW-Authenticate
	// header, "" when there is none.
	Challenge string
	// Code is Partner Center's error code, "" when the body had none.
	Code string
	// Description is Partner Center's message, HTML entities decoded.
	Description string
	// ErrorName is the newer error shape's errorName, e.g.
	// PartnerConfirmedAgreementAlreadyExists; "" in the classic shape.
	ErrorName string
	// Retryable is the newer shape's isRetryable, nil when absent. It
	// informs; the client's retries follow the HTTP status.
	Retryable *bool
	// Data holds the body's additional details.
	Data []string
	// Source names the Partner Center component that answered.
	Source string
	// RequestID and CorrelationID are the MS-RequestId and MS-CorrelationId
	// of the response (or of the request when the response lacked them).
	RequestID, CorrelationID string
	// Attempts is the number of HTTP attempts made, retries included.
	Attempts int
}

// Error returns everything support needs on one line.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	b.WriteString(": HTTP ")
	b.WriteString(e.StatusLine())
	if e.Code != "" {
		b.WriteString(", error code " + e.Code)
	}
	if e.ErrorName != "" {
		b.WriteString(" (" + e.ErrorName + ")")
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	if e.Challenge != "" {
		b.WriteString(" (WWW-Authenticate: " + e.Challenge + ")")
	}
	if len(e.Data) > 0 {
		b.WriteString(" [" + strings.Join(e.Data, "; ") + "]")
	}
	b.WriteString(idSuffixFor(e.Graph, e.RequestID, e.CorrelationID, e.Attempts))
	return oneLine(b.String())
}

// StatusLine returns the status line as sent, or the status code and its
// standard text when the response gave none.
func (e *APIError) StatusLine() string {
	if e.Status != "" {
		return e.Status
	}
	line := strconv.Itoa(e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		line += " " + text
	}
	return line
}

// Partner Center error codes the client or the provider gives a meaning
// to, compared with APIError.Code. The service sends codes as numbers or as
// strings; both arrive as text, so each constant is the code as text. Every
// code is listed here, named Code followed by what it means.
const (
	// CodeNoRelationship is a tenant that is not a customer of the partner.
	CodeNoRelationship = "20002"
	// CodeWrongAudience is a token issued for another resource.
	CodeWrongAudience = "900420"
	// CodeMFARequired is an App+User token without multi-factor authentication.
	CodeMFARequired = "900421"
)

// MFARequired reports a 401 for a token that lacks multi-factor
// authentication: code 900421, or a reason phrase or WWW-Authenticate
// challenge that mentions MFA (the edge may send no body at all).
func (e *APIError) MFARequired() bool {
	if e.StatusCode != http.StatusUnauthorized {
		return false
	}
	if e.Code == CodeMFARequired {
		return true
	}
	for _, text := range []string{e.Status, e.Challenge, e.Description} {
		lower := strings.ToLower(text)
		if mentionsMFA.MatchString(lower) || strings.Contains(lower, "multi-factor") || strings.Contains(lower, "multifactor") {
			return true
		}
	}
	return false
}

// mentionsMFA finds "MFA" as a word, not inside another one.
var mentionsMFA = regexp.MustCompile(`\bmfa\b`)

// Is matches the sentinel for the response's status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrThrottled:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// InvalidResponseError is a response that could not be used: not JSON,
// malformed, too large, or about another object than the one requested.
type InvalidResponseError struct {
	// Graph is true for Microsoft Graph's answer, as in APIError.
	Graph                    bool
	Operation, Reason        string
	StatusCode               int
	RequestID, CorrelationID string
	Err                      error
}

// Error names the operation, the reason and the request's identifiers.
func (e *InvalidResponseError) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	b.WriteString(": invalid response")
	if e.StatusCode != 0 {
		b.WriteString(" (HTTP " + strconv.Itoa(e.StatusCode) + ")")
	}
	b.WriteString(": " + e.Reason)
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	b.WriteString(idSuffixFor(e.Graph, e.RequestID, e.CorrelationID, 0))
	return oneLine(b.String())
}

// Unwrap returns the underlying decoding error, if any.
func (e *InvalidResponseError) Unwrap() error { return e.Err }

// idSuffix renders Partner Center's ids of a request.
func idSuffix(requestID, correlationID string) string {
	return idSuffixFor(false, requestID, correlationID, 0)
}

// oneLine keeps server text from breaking a log line or a diagnostic.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return ' '
		}
		return r
	}, s)
}
