package partnercenter

import (
	"crypto/sha1"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// verifyClientAssertion checks an assertion the way Entra ID would: the
// signature against the certificate, the x5t thumbprint and the claims.
func verifyClientAssertion(t *testing.T, assertion string, cert *authTestCert, clientID, tokenURL string) {
	t.Helper()
	var claims jwt.RegisteredClaims
	tok, err := jwt.ParseWithClaims(assertion, &claims, func(*jwt.Token) (any, error) {
		return cert.cert.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithAudience(tokenURL), jwt.WithIssuer(clientID), jwt.WithSubject(clientID), jwt.WithIssuedAt(), jwt.WithExpirationRequired())
	if err != nil {
		t.Fatalf("assertion does not verify: %v", err)
	}
	thumb := sha1.Sum(cert.cert.Raw)
	if got, want := tok.Header["x5t"], base64.RawURLEncoding.EncodeToString(thumb[:]); got != want {
		t.Errorf("x5t = %v, want %v", got, want)
	}
	if tok.Header["typ"] != "JWT" {
		t.Errorf("typ = %v", tok.Header["typ"])
	}
	if _, err := uuid.Parse(claims.ID); err != nil {
		t.Errorf("jti %q is not a UUID", claims.ID)
	}
	if claims.NotBefore == nil || claims.IssuedAt == nil || claims.ExpiresAt == nil {
		t.Fatalf("nbf/iat/exp missing: %+v", claims)
	}
	if life := claims.ExpiresAt.Sub(claims.NotBefore.Time); life != 10*time.Minute {
		t.Errorf("lifetime = %v, want 10m", life)
	}
	if d := time.Since(claims.IssuedAt.Time); d < -time.Minute || d > time.Minute {
		t.Errorf("iat is %v away from now", d)
	}
}

func TestNewClientAssertion(t *testing.T) {
	a, b, _ := authTestCerts(t)
	const tokenURL = "https://login.example/tenant/oauth2/v2.0/token"
	first, err := newClientAssertion(a.clientCertificate(), "client-1", tokenURL, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	verifyClientAssertion(t, first, a, "client-1", tokenURL)

	second, err := newClientAssertion(a.clientCertificate(), "client-1", tokenURL, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if first == second {
		t.Error("two assertions are identical: jti must be fresh")
	}
	// A signature by a different key must not verify with a's certificate.
	other, err := newClientAssertion(&ClientCertificate{Certificate: a.cert, PrivateKey: b.key}, "client-1", tokenURL, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jwt.Parse(other, func(*jwt.Token) (any, error) { return a.cert.PublicKey, nil }); err == nil {
		t.Error("assertion signed by another key verified")
	}
}

func TestTokenRequestTransport(t *testing.T) {
	a, _, _ := authTestCerts(t)
	type seen struct {
		method, path string
		form         url.Values
	}
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		if r.ContentLength != int64(len(body)) {
			t.Errorf("Content-Length %d, body %d bytes", r.ContentLength, len(body))
		}
		got = append(got, seen{r.Method, r.URL.Path, form})
	}))
	defer srv.Close()
	tokenURL, _ := url.Parse(srv.URL + "/tenant/oauth2/v2.0/token")
	hc := withTokenRequestTransport(srv.Client(), tokenURL, "api/user_impersonation offline_access")
	if hc.Transport == srv.Client().Transport {
		t.Fatal("the caller's client was modified instead of copied")
	}

	assertion, err := certificateAssertion(a.clientCertificate(), "client-1", tokenURL.String())(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	post := func(u string) {
		form := url.Values{"client_id": {"client-1"}, "client_secret": {"s3cret"}, "grant_type": {"refresh_token"}}
		req, err := http.NewRequestWithContext(withAssertion(t.Context(), assertion), http.MethodPost, u, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	post(tokenURL.String())
	post(srv.URL + "/elsewhere")
	resp, err := hc.Get(tokenURL.String())
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()

	if len(got) != 3 {
		t.Fatalf("%d requests", len(got))
	}
	tok := got[0].form
	if tok.Has("client_secret") {
		t.Error("client_secret not removed from the token request")
	}
	if tok.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		t.Errorf("client_assertion_type = %q", tok.Get("client_assertion_type"))
	}
	if tok.Get("scope") != "api/user_impersonation offline_access" {
		t.Errorf("scope = %q", tok.Get("scope"))
	}
	if tok.Get("grant_type") != "refresh_token" || tok.Get("client_id") != "client-1" {
		t.Errorf("other fields lost: %v", tok)
	}
	verifyClientAssertion(t, tok.Get("client_assertion"), a, "client-1", tokenURL.String())

	if other := got[1].form; other.Has("client_assertion") || other.Has("scope") || other.Get("client_secret") != "s3cret" {
		t.Errorf("a request to another URL was rewritten: %v", other)
	}
	if got[2].method != http.MethodGet || got[2].form.Has("client_assertion") {
		t.Errorf("a GET was rewritten: %+v", got[2])
	}
}
