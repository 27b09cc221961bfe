package partnercenter

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// rotatingSecret is a kind of secret that is replaced while the provider
// runs. Only the current and the previous one of each kind are kept: a long
// plan renews its access token hundreds of times, and an older token can no
// longer be in flight.
type rotatingSecret int

const (
	rotatingAccessToken rotatingSecret = iota
	rotatingAssertion
	rotatingRefreshToken
	rotatingKinds
)

// secretRedactor knows the secrets of one credential (client secret,
// refresh token, configured access token, CI request token) for as long as
// it lives, and the current and previous access token, client assertion and
// rotated refresh token; it removes each of them from text a server sent
// before that text is shown or logged. A server may echo a request in any
// encoding it travelled in, so each secret is searched for raw, form- and
// URL-encoded (once or twice) and JSON-escaped (Go's and .NET's way),
// ignoring ASCII letter case (percent and \u escapes come back in either).
// Matching is plain substring search, so no secret can make it fail. It is
// safe for concurrent use; a nil *secretRedactor knows no secrets.
type secretRedactor struct {
	mu       sync.RWMutex
	lasting  []string
	rotating [rotatingKinds][2]string // current, previous
	forms    []string                 // every encoding of every secret, ASCII lower case, longest first
	// formsOf caches each known secret's encodings, so that a renewal
	// encodes only the new secret.
	formsOf map[string][]string
}

func newSecretRedactor(secrets ...string) *secretRedactor {
	r := &secretRedactor{}
	r.add(secrets...)
	return r
}

// add makes r redact secrets for as long as it lives; empty strings are
// ignored. It is for the credential's own secrets, a bounded set.
func (r *secretRedactor) add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	changed := false
	for _, s := range secrets {
		if s != "" && !slices.Contains(r.lasting, s) {
			r.lasting = append(r.lasting, s)
			changed = true
		}
	}
	if changed {
		r.rebuild()
	}
}

// remember makes s the current secret of its kind; the one it replaces
// stays known as the previous, and the one before that is forgotten.
func (r *secretRedactor) remember(kind rotatingSecret, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	slot := &r.rotating[kind]
	if s == "" || s == slot[0] {
		return
	}
	slot[1], slot[0] = slot[0], s
	r.rebuild()
}

// rebuild recomputes forms from the secrets known; r.mu is held.
func (r *secretRedactor) rebuild() {
	secrets := slices.Clone(r.lasting)
	for _, slot := range r.rotating {
		secrets = append(secrets, slot[0], slot[1])
	}
	var forms []string
	formsOf := make(map[string][]string, len(secrets))
	for _, s := range secrets {
		if s == "" {
			continue
		}
		encoded, known := r.formsOf[s]
		if !known {
			encoded = secretForms(s)
			for i, f := range encoded {
				encoded[i] = asciiLower(f)
			}
		}
		formsOf[s] = encoded
		forms = append(forms, encoded...)
	}
	r.formsOf = formsOf
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	r.forms = slices.Compact(forms)
}

// size is how many encodings r searches for and their total length in
// bytes: what its memory grows with.
func (r *secretRedactor) size() (forms, bytes int) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, f := range r.forms {
		bytes += len(f)
	}
	return len(r.forms), bytes
}

// secretForms is a secret in each encoding it can travel in and come back.
func secretForms(s string) []string {
	forms := []string{s,
		url.QueryEscape(s), url.QueryEscape(url.QueryEscape(s)),
		url.PathEscape(s), url.PathEscape(url.PathEscape(s)),
		escapeEveryRune(s, func(r rune) bool { return strings.ContainsRune(`"&'+<>\`+"`", r) }),
		escapeEveryRune(s, func(r rune) bool { return !isUnreserved(r) }),
	}
	forms = append(forms, base64Forms(s)...)
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

// base64Forms are s base64-encoded, as gateways echo headers, at each of the
// three alignments it can have inside a longer encoded text (a whole
// "Bearer <token>" header, say), in both alphabets: only the characters that
// s alone determines. A short secret has none, lest they match by chance.
func base64Forms(s string) []string {
	if len(s) < 12 {
		return nil
	}
	var forms []string
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		for pad := range 3 {
			full := enc.EncodeToString(append(make([]byte, pad), s...))
			forms = append(forms, full[(pad*8+5)/6:(pad+len(s))*8/6])
		}
	}
	return forms
}

// escapeEveryRune is s JSON-escaped the way .NET's encoders do it: each
// rune that escape selects, every control character and everything beyond
// ASCII becomes a \uXXXX escape (a surrogate pair beyond the BMP).
func escapeEveryRune(s string, escape func(rune) bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04X\u%04X`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		case r < 0x20 || r > 0x7E || escape(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isUnreserved is RFC 3986's set of characters no encoding changes.
func isUnreserved(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)
}

// asciiLower lowers ASCII letters only, so that byte offsets stay the same.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// removeKnown replaces every occurrence of every known form in s. Matches
// are found in the original text (not in text already redacted) and
// overlapping ones are merged, so a secret containing another goes whole.
func (r *secretRedactor) removeKnown(s string) string {
	r.mu.RLock()
	forms := r.forms
	r.mu.RUnlock()
	if len(forms) == 0 {
		return s
	}
	lower := asciiLower(s)
	type span struct{ from, to int }
	var found []span
	for _, f := range forms {
		for at := 0; ; {
			i := strings.Index(lower[at:], f)
			if i < 0 {
				break
			}
			found = append(found, span{at + i, at + i + len(f)})
			at += i + 1
		}
	}
	if len(found) == 0 {
		return s
	}
	slices.SortFunc(found, func(a, b span) int { return a.from - b.from })
	var b strings.Builder
	last := 0
	for i := 0; i < len(found); {
		from, to := found[i].from, found[i].to
		for i++; i < len(found) && found[i].from < to; i++ {
			to = max(to, found[i].to)
		}
		b.WriteString(s[last:from])
		b.WriteString(redactedText)
		last = to
	}
	b.WriteString(s[last:])
	return b.String()
}

// text makes server-provided text safe to show on one line: every known
// secret, any bearer credential and anything shaped like a JWT is replaced,
// control characters become spaces, and the length is capped. Secrets are
// removed before the cap, so that a cut cannot leave half of one.
func (r *secretRedactor) text(s string) string {
	if r != nil {
		// Before the UTF-8 repair, which would change a secret's bytes.
		s = r.removeKnown(s)
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
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
