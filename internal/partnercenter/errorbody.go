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

// maxErrorTextRunes keeps one server message from flooding a diagnostic.
const maxErrorTextRunes = 1000

// errorDetails is what an error body says, ready to show.
type errorDetails struct {
	Code, Description, Source string
	Data                      []string
}

// errorEnvelope accepts Partner Center's {code, description, data, source}
// and the {error: {code, message}} shape of Microsoft's gateways. Fields are
// raw so that an unexpected type (a numeric code, an object description)
// degrades into text instead of failing the whole decode.
type errorEnvelope struct {
	Code        json.RawMessage `json:"code"`
	Description json.RawMessage `json:"description"`
	Message     json.RawMessage `json:"message"`
	Data        json.RawMessage `json:"data"`
	Source      json.RawMessage `json:"source"`
	Error       json.RawMessage `json:"error"`
}

// parseErrorBody extracts the details of an error response. A body that is
// not JSON contributes only when it is short plain text; HTML pages from
// proxies say nothing the status code does not.
func parseErrorBody(body []byte, contentType string) errorDetails {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return errorDetails{}
	}
	if d, ok := parseErrorJSON(body, 0); ok {
		return d
	}
	mediaType, _, _ := mime.ParseMediaType(contentType)
	if strings.Contains(mediaType, "html") || body[0] == '<' || !utf8.Valid(body) {
		return errorDetails{}
	}
	return errorDetails{Description: clip(html.UnescapeString(string(body)))}
}

func parseErrorJSON(body []byte, depth int) (errorDetails, bool) {
	var env errorEnvelope
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &env) != nil {
		return errorDetails{}, false
	}
	d := errorDetails{
		Code:   clip(rawText(env.Code)),
		Source: clip(rawText(env.Source)),
		Data:   rawList(env.Data),
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
		}
	}
	d.Description = describe(desc, depth)
	return d, true
}

// describe decodes HTML entities and, when the text is itself a JSON error
// (some Partner Center services nest one), shows the inner message.
func describe(s string, depth int) string {
	s = strings.TrimSpace(s)
	if depth < 3 && strings.HasPrefix(s, "{") {
		for _, candidate := range []string{s, html.UnescapeString(s)} {
			if inner, ok := parseErrorJSON([]byte(candidate), depth+1); ok && inner.Description != "" {
				return inner.Description
			}
		}
	}
	return clip(html.UnescapeString(s))
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
			return []string{clip(html.UnescapeString(s))}
		}
		return nil
	}
	var out []string
	for _, item := range items {
		if s := rawText(item); s != "" {
			out = append(out, clip(html.UnescapeString(s)))
		}
	}
	return out
}

// clip makes server text safe for a one-line message: valid UTF-8, no
// control characters, surrounding space trimmed and length capped.
func clip(s string) string {
	s = strings.TrimSpace(oneLine(strings.ToValidUTF8(s, "\uFFFD")))
	if utf8.RuneCountInString(s) <= maxErrorTextRunes {
		return s
	}
	runes := []rune(s)
	return string(runes[:maxErrorTextRunes]) + "…"
}
