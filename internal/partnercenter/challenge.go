package partnercenter

import (
	"regexp"
	"strings"
)

// errorDescriptionParam finds RFC 6750's error_description parameter in a
// WWW-Authenticate challenge, as a quoted string (with backslash escapes)
// or a bare token.
var errorDescriptionParam = regexp.MustCompile(`(?i)(?:^|[\s,])error_description\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))`)

// challengeDescription returns the first error_description of the
// WWW-Authenticate headers, ready to show, or "" when none has one.
func challengeDescription(headers []string) string {
	for _, h := range headers {
		m := errorDescriptionParam.FindStringSubmatch(h)
		if m == nil {
			continue
		}
		text := m[2]
		if m[1] != "" {
			text = unquoteChallenge(m[1])
		}
		if text = clip(text); text != "" {
			return text
		}
	}
	return ""
}

// unquoteChallenge removes the backslash escapes of a quoted-string.
func unquoteChallenge(s string) string {
	var b strings.Builder
	escaped := false
	for _, r := range s {
		if r == '\\' && !escaped {
			escaped = true
			continue
		}
		escaped = false
		b.WriteRune(r)
	}
	return b.String()
}
