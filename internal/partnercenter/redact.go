package partnercenter

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// maxServerTextRunes keeps one server message from flooding a diagnostic.
const maxServerTextRunes = 1000

const redactedText = "[redacted]"

var (
	// bearerPattern finds a bearer credential quoted by a server, such as an
	// echoed Authorization header.
	bearerPattern = regexp.MustCompile(`(?i)\bbearer\s+[^\s"',;\\]+`)
	// jwtPattern finds anything shaped like a JWT: access tokens, identity
	// tokens and client assertions.
	jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
)

// secretRedactor knows the secrets and tokens of one credential (client
// secret, refresh token, configured access token) and the access tokens
// issued for it, and removes each of them from text a server sent before
// that text is shown or logged. A server may echo a request in any
// encoding it travelled in, so each secret is searched for raw, form- and
// URL-encoded and JSON-escaped, ignoring letter case (percent escapes come
// back in either). It is safe for concurrent use; a nil *secretRedactor
// knows no secrets.
type secretRedactor struct {
	mu      sync.RWMutex
	known   map[string]bool
	pattern *regexp.Regexp // nil until a secret is known
}

func newSecretRedactor(secrets ...string) *secretRedactor {
	r := &secretRedactor{known: make(map[string]bool)}
	r.add(secrets...)
	return r
}

// add makes r redact secrets as well; empty strings are ignored.
func (r *secretRedactor) add(secrets ...string) {
	r.mu.RLock()
	fresh := slices.ContainsFunc(secrets, func(s string) bool { return s != "" && !r.known[s] })
	r.mu.RUnlock()
	if !fresh {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if s != "" {
			r.known[s] = true
		}
	}
	var forms []string
	for s := range r.known {
		forms = append(forms, secretForms(s)...)
	}
	// Longest first, so that a secret containing another is removed whole.
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	forms = slices.Compact(forms)
	for i, f := range forms {
		forms[i] = regexp.QuoteMeta(f)
	}
	r.pattern = regexp.MustCompile("(?i)" + strings.Join(forms, "|"))
}

// values returns the secrets r knows.
func (r *secretRedactor) values() []string {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.known))
	for s := range r.known {
		out = append(out, s)
	}
	return out
}

// secretForms is a secret in each encoding it can travel in and come back.
func secretForms(s string) []string {
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s)}
	for _, escapeHTML := range []bool{true, false} {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(escapeHTML)
		if enc.Encode(s) == nil {
			quoted := strings.TrimSpace(buf.String())
			escaped := quoted[1 : len(quoted)-1]
			// Some serializers also escape the slash.
			forms = append(forms, escaped, strings.ReplaceAll(escaped, "/", `\/`))
		}
	}
	return forms
}

// text makes server-provided text safe to show on one line: every known
// secret, any bearer credential and anything shaped like a JWT is replaced,
// control characters become spaces, and the length is capped. Secrets are
// removed before the cap, so that a cut cannot leave half of one.
func (r *secretRedactor) text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r != nil {
		r.mu.RLock()
		if r.pattern != nil {
			s = r.pattern.ReplaceAllLiteralString(s, redactedText)
		}
		r.mu.RUnlock()
	}
	s = bearerPattern.ReplaceAllLiteralString(s, "Bearer "+redactedText)
	s = jwtPattern.ReplaceAllLiteralString(s, "[redacted token]")
	s = strings.TrimSpace(oneLine(s))
	if utf8.RuneCountInString(s) <= maxServerTextRunes {
		return s
	}
	runes := []rune(s)
	return string(runes[:maxServerTextRunes]) + "…"
}

// sanitizeServerText makes server text safe to show where no secret is
// known: only the patterns, the one-line rule and the cap apply.
func sanitizeServerText(s string) string {
	var none *secretRedactor
	return none.text(s)
}

// redactorOf returns the redactor of a token source that holds secrets, so
// that a Client and its token source redact the same secrets, or a new one.
func redactorOf(src TokenSource) *secretRedactor {
	if s, ok := src.(interface{ redactor() *secretRedactor }); ok {
		if r := s.redactor(); r != nil {
			return r
		}
	}
	return newSecretRedactor()
}
