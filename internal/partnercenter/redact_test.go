package partnercenter

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// Entra ID secrets and refresh tokens hold +, / and =, which change in
// every encoding; a server echoing a request shows them in one of those.
func TestSecretRedactorFindsEveryEncoding(t *testing.T) {
	const secret = "Ab1~x+y/z=q<r>&s"
	jsonEscaped, _ := json.Marshal(secret)
	r := newSecretRedactor(secret, "")
	for name, echoed := range map[string]string{
		"raw":                   secret,
		"form-encoded":          url.QueryEscape(secret),
		"form-encoded, lower":   strings.ToLower(url.QueryEscape(secret)[:6]) + url.QueryEscape(secret)[6:],
		"path-encoded":          url.PathEscape(secret),
		"JSON-escaped":          strings.Trim(string(jsonEscaped), `"`),
		"JSON-escaped slash":    strings.ReplaceAll(strings.Trim(string(jsonEscaped), `"`), "/", `\/`),
		"JSON without HTML esc": `Ab1~x+y/z=q<r>&s`,
	} {
		got := r.text("client_secret=" + echoed + "&grant_type=refresh_token")
		if strings.Contains(got, "x+y") || strings.Contains(got, "x%2By") || strings.Contains(strings.ToLower(got), "z%3dq") ||
			strings.Contains(got, `y\/z`) || !strings.Contains(got, "[redacted]") {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func TestSecretRedactorPatterns(t *testing.T) {
	r := newSecretRedactor("s3cret")
	r.add("opaque-access-token")
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"has s3cret inside", "has [redacted] inside"},
		{"token opaque-access-token was refused", "token [redacted] was refused"},
		{"Authorization: Bearer abc.def-ghi is invalid", "Authorization: Bearer [redacted] is invalid"},
		{`header "bearer xyz"`, `header "Bearer [redacted]"`},
		{"token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x end", "token [redacted token] end"},
		{"a\tb\x00c\u2028d", "a b c d"},
		{"  padded  ", "padded"},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		if got := r.text(tt.in); got != tt.want {
			t.Errorf("text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The cap comes after redaction: a secret straddling the cut must not leave
// its first half behind.
func TestSecretRedactorCapsAfterRedacting(t *testing.T) {
	secret := "0123456789abcdefghij"
	r := newSecretRedactor(secret)
	in := strings.Repeat("é", maxServerTextRunes-5) + secret + strings.Repeat("x", 50)
	got := r.text(in)
	if strings.Contains(got, "01234") {
		t.Errorf("the cut left part of the secret: …%q", got[len(got)-30:])
	}
	if n := utf8.RuneCountInString(got); n != maxServerTextRunes+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("%d runes; want the cap %d and an ellipsis", n, maxServerTextRunes)
	}
	var none *secretRedactor
	if none.text("Bearer x") != "Bearer [redacted]" || none.text("s3cret") != "s3cret" {
		t.Error("a nil redactor must still apply the patterns and know no secret")
	}
}

// Tokens issued while reads run are added concurrently with redaction.
func TestSecretRedactorConcurrentUse(t *testing.T) {
	r := newSecretRedactor()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 50 {
			r.add("token-" + strings.Repeat("z", i+1))
		}
	}()
	for range 50 {
		_ = r.text("token-zzz")
	}
	<-done
	if got := r.text("x token-zzz y"); got != "x [redacted] y" {
		t.Errorf("got %q", got)
	}
}

// A token endpoint that echoes the request shows the secret and the refresh
// token form-encoded; neither may reach the error in any encoding.
func TestRefreshTokenSourceRedactsEchoedCredentials(t *testing.T) {
	const (
		secret  = "Qx8~abc+def/ghi=="
		refresh = "0.AXoA+rt/part=two"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		// The body as sent, form-encoded, and a JSON-escaped copy.
		_, _ = io.WriteString(w, `{"error":"invalid_client","error_description":"AADSTS7000215: bad request `+
			strings.ReplaceAll(string(body), `"`, ``)+` raw `+strings.ReplaceAll(secret, "/", `\/`)+` `+refresh+`","error_codes":[7000215]}`)
	}))
	defer srv.Close()
	cfg := testRefreshConfig(srv.URL)
	cfg.ClientSecret, cfg.RefreshToken = secret, refresh
	src, err := NewRefreshTokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(t.Context())
	if err == nil {
		t.Fatal("expected an error")
	}
	msg := err.Error()
	if !strings.Contains(msg, "[redacted]") {
		t.Fatalf("the echo was not kept with redactions: %s", msg)
	}
	for _, value := range []string{secret, refresh} {
		for _, form := range []string{value, url.QueryEscape(value), url.PathEscape(value), strings.ReplaceAll(value, "/", `\/`)} {
			if strings.Contains(msg, form) {
				t.Errorf("the error holds %q: %s", form, msg)
			}
		}
	}
}

// An API error that quotes the Authorization header, or the token alone,
// shows neither the issued token nor a configured one.
func TestAPIErrorRedactsAccessTokens(t *testing.T) {
	const configured = "opaque+access/token=="
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token := strings.TrimPrefix(auth, "Bearer ")
		writeJSON(w, http.StatusUnauthorized, `{"code":900420,"description":"Authorization: `+auth+` refused; token `+
			url.QueryEscape(token)+`","data":["`+token+`","Bearer something-else"]}`)
	})
	t.Run("issued token", func(t *testing.T) {
		env := newAPITestClient(t, echo)
		_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
			t.Fatalf("err = %v", err)
		}
		if msg := err.Error(); strings.Contains(msg, "token-1") || strings.Contains(msg, "token-2") ||
			strings.Contains(msg, "something-else") || !strings.Contains(msg, "[redacted]") {
			t.Errorf("the error shows a token: %s", msg)
		}
	})
	t.Run("configured token", func(t *testing.T) {
		env := newAPITestClient(t, echo, func(cfg *Config) { cfg.TokenSource = NewStaticTokenSource(configured) })
		_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
		if err == nil {
			t.Fatal("expected an error")
		}
		for _, form := range []string{configured, url.QueryEscape(configured), "access/token", "access%2Ftoken"} {
			if strings.Contains(err.Error(), form) {
				t.Errorf("the error holds %q: %s", form, err)
			}
		}
	})
}

// A long plan renews its access token and assertion hundreds of times: the
// redactor keeps the credential's secrets and the current and previous of
// each rotating kind, so its size stops growing after two renewals.
func TestSecretRedactorStaysBoundedOverRenewals(t *testing.T) {
	r := newSecretRedactor("client+secret/=", "refresh-token")
	renew := func(i int) (access string) {
		access = fmt.Sprintf("access-%04d-%s", i, strings.Repeat("A+/=", 625)) // 2.5 KB, like Entra ID's
		r.remember(rotatingAccessToken, access)
		r.remember(rotatingAssertion, fmt.Sprintf("assertion-%04d-%s", i, strings.Repeat("b", 1500)))
		return access
	}
	renew(0)
	renew(1)
	formsAfterTwo, bytesAfterTwo := r.size()
	var previous, current string
	for i := 2; i < 1000; i++ {
		previous = current
		current = renew(i)
	}
	forms, size := r.size()
	t.Logf("after 2 renewals: %d forms, %d bytes; after 1000: %d forms, %d bytes", formsAfterTwo, bytesAfterTwo, forms, size)
	if forms != formsAfterTwo || size != bytesAfterTwo {
		t.Errorf("after 1000 renewals %d forms of %d bytes; after 2: %d forms of %d bytes", forms, size, formsAfterTwo, bytesAfterTwo)
	}
	for _, secret := range []string{"client+secret/=", "refresh-token", current, previous, url.QueryEscape(current)} {
		if got := r.text("echo " + secret + " end"); got != "echo [redacted] end" {
			t.Errorf("%.20s… not redacted: %.40q", secret, got)
		}
	}
}

// Megabyte tokens renewed many times once made the one big pattern fail to
// compile, and the panic printed every secret. Redaction is substring search
// now: it cannot fail, and stays quick.
func TestSecretRedactorHugeTokensNeverPanic(t *testing.T) {
	r := newSecretRedactor("client-secret")
	var tok string
	for i := range 6 {
		tok = fmt.Sprintf("%02d", i) + strings.Repeat("x+", 1<<19)
		r.remember(rotatingAccessToken, tok)
	}
	if got := r.text("a " + tok + " b"); got != "a [redacted] b" {
		t.Errorf("got %.40q", got)
	}
	if _, size := r.size(); size > 2*len(secretForms(tok))*len(url.QueryEscape(url.QueryEscape(tok))) {
		t.Errorf("the redactor holds %d bytes for two 1 MiB tokens", size)
	}
}

// .NET's serializers escape +, &, < and the like as \u002B (upper-case hex),
// some escape every symbol; proxies percent-encode an encoded form again.
func TestSecretRedactorNetEscapesAndDoubleEncoding(t *testing.T) {
	const secret = "Ab1~x+y/z=q<r>&s"
	r := newSecretRedactor(secret)
	for name, echoed := range map[string]string{
		".NET default":          `Ab1~x\u002By/z=q\u003Cr\u003E\u0026s`,
		".NET every symbol":     `Ab1~x\u002By\u002Fz\u003Dq\u003Cr\u003E\u0026s`,
		"percent-encoded twice": url.QueryEscape(url.QueryEscape(secret)),
		"path-encoded twice":    url.PathEscape(url.PathEscape(secret)),
	} {
		if got := r.text(`{"echo":"` + echoed + `"}`); got != `{"echo":"[redacted]"}` {
			t.Errorf("%s: %q", name, got)
		}
	}
}

// A token echoed base64-encoded, alone or inside an encoded header at any
// offset, is redacted; the text around it is kept.
func TestSecretRedactorBase64Forms(t *testing.T) {
	const tok = "graph+access/token=0123456789"
	r := newSecretRedactor(tok)
	for _, prefix := range []string{"", "Bearer ", "Bearer x", "Bearer xy"} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
			echoed := enc.EncodeToString([]byte(prefix + tok + " was refused"))
			got := r.text("header " + echoed)
			// The characters of the echo that encode the token's middle.
			from := (len(prefix)*8+5)/6 + 2
			if middle := echoed[from : from+16]; !strings.Contains(got, redactedText) || strings.Contains(got, middle) {
				t.Errorf("prefix %q: %q", prefix, got)
			}
			if !strings.HasSuffix(got, echoed[len(echoed)-8:]) {
				t.Errorf("prefix %q: the text after the token went: %q", prefix, got)
			}
		}
	}
	if got := newSecretRedactor("short-secret").text(base64.StdEncoding.EncodeToString([]byte("unrelated text"))); strings.Contains(got, redactedText) {
		t.Errorf("unrelated text redacted: %q", got)
	}
}
