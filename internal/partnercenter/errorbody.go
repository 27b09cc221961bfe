package partnercenter

import (
	"bytes"
	"encoding/json"
	"html"
	"mime"
	"strings"
	"unicode/utf8"
)

// maxErrorBodyBytes bounds how much of an error response is read: error
// bodies are small, and a gateway's HTML page is not worth more.
const maxErrorBodyBytes = 64 << 10

// errorDetails is what an error body says, ready to show.
type errorDetails struct {
	Code, Description, Source string
	// Name is the newer shape's errorName, e.g.
	// PartnerConfirmedAgreementAlreadyExists.
	Name string
	// Retryable is the newer shape's isRetryable, nil when absent.
	Retryable *bool
	Data      []string
	// RequestID and ClientRequestID are Microsoft Graph's innerError ids.
	RequestID, ClientRequestID string
}

// errorEnvelope accepts Partner Center's {code, description, data, source},
// its newer {code, message, description, errorName, isRetryable} and the
// {error: {code, message, innerError}} shape of Microsoft Graph and
// Microsoft's gateways. Fields are raw so that an unexpected type (a numeric
// code, an object description) degrades into text instead of failing the
// whole decode.
type errorEnvelope struct {
	Code        json.RawMessage `json:"code"`
	Description json.RawMessage `json:"description"`
	Message     json.RawMessage `json:"message"`
	Data        json.RawMessage `json:"data"`
	Source      json.RawMessage `json:"source"`
	ErrorName   json.RawMessage `json:"errorName"`
	IsRetryable json.RawMessage `json:"isRetryable"`
	Error       json.RawMessage `json:"error"`
	// InnerError is Microsoft Graph's {request-id, client-request-id, date}.
	InnerError struct {
		RequestID       json.RawMessage `json:"request-id"`
		ClientRequestID json.RawMessage `json:"client-request-id"`
	} `json:"innerError"`
}

// parseErrorBody extracts the details of an error response, each made safe
// to show by redact. A body that is not JSON contributes only when it is
// short plain text; HTML pages from proxies say nothing the status code does
// not.
func parseErrorBody(body []byte, contentType string, redact *secretRedactor) errorDetails {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return errorDetails{}
	}
	if d, ok := parseErrorJSON(body, 0); ok {
		return d.redacted(redact)
	}
	mediaType, _, _ := mime.ParseMediaType(contentType)
	if strings.Contains(mediaType, "html") || body[0] == '<' || !utf8.Valid(body) {
		return errorDetails{}
	}
	return errorDetails{Description: redact.text(html.UnescapeString(string(body)))}
}

// maxErrorDataItems keeps a flood of data items out of one message.
const maxErrorDataItems = 10

// redacted is d with every text passed through redact, which also caps it.
func (d errorDetails) redacted(redact *secretRedactor) errorDetails {
	out := errorDetails{
		Code: redact.text(d.Code), Description: redact.text(d.Description), Source: redact.text(d.Source),
		Name: redact.text(d.Name), Retryable: d.Retryable,
		RequestID: redact.text(d.RequestID), ClientRequestID: redact.text(d.ClientRequestID),
	}
	for _, s := range d.Data {
		if s = redact.text(s); s != "" && len(out.Data) < maxErrorDataItems {
			out.Data = append(out.Data, s)
		}
	}
	return out
}

func parseErrorJSON(body []byte, depth int) (errorDetails, bool) {
	var env errorEnvelope
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &env) != nil {
		return errorDetails{}, false
	}
	d := errorDetails{
		Code:   rawText(env.Code),
		Source: rawText(env.Source),
		Name:   rawText(env.ErrorName),
		Data:   rawList(env.Data),

		RequestID:       rawText(env.InnerError.RequestID),
		ClientRequestID: rawText(env.InnerError.ClientRequestID),
	}
	var retryable bool
	if json.Unmarshal(env.IsRetryable, &retryable) == nil {
		d.Retryable = &retryable
	}
	desc := rawText(env.Description)
	if desc == "" {
		desc = rawText(env.Message)
	}
	if desc == "" && depth < 3 {
		if inner, ok := parseErrorJSON(bytes.TrimSpace(env.Error), depth+1); ok {
			if d.Code == "" {
				d.Code = inner.Code
			}
			desc = inner.Description
			d.RequestID, d.ClientRequestID = inner.RequestID, inner.ClientRequestID
		}
	}
	d.Description = unnestedDescription(desc, depth)
	return d, true
}

// unnestedDescription decodes HTML entities and, when the text is itself a JSON error
// (some Partner Center services nest one), shows the inner message.
func unnestedDescription(s string, depth int) string {
	s = strings.TrimSpace(s)
	if depth < 3 && strings.HasPrefix(s, "{") {
		for _, candidate := range []string{s, html.UnescapeString(s)} {
			if inner, ok := parseErrorJSON([]byte(candidate), depth+1); ok && inner.Description != "" {
				return inner.Description
			}
		}
	}
	return html.UnescapeString(s)
}

// rawText renders a JSON value as text: strings unquoted, anything else as
// compact JSON, null as "".
func rawText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(raw)
}

// rawList renders a JSON array as texts, or a lone value as one text.
func rawList(raw json.RawMessage) []string {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		if s := rawText(raw); s != "" {
			return []string{html.UnescapeString(s)}
		}
		return nil
	}
	var out []string
	for _, item := range items {
		if s := rawText(item); s != "" {
			out = append(out, html.UnescapeString(s))
		}
	}
	return out
}
