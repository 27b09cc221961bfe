package partnercenter

import (
	"crypto/sha1"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// Each grant posts exactly its own form: the fields Entra ID's v2 endpoint
// wants, the scope included, and the secret or the assertion, never both.
func TestTokenGrantForms(t *testing.T) {
	a, _, _ := authTestCerts(t)
	var forms []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		if r.Method != http.MethodPost || r.URL.Path != "/tenant/oauth2/v2.0/token" || r.ContentLength != int64(len(body)) ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("%s %s, Content-Length %d for %d bytes, Content-Type %q", r.Method, r.URL.Path, r.ContentLength, len(body), r.Header.Get("Content-Type"))
		}
		forms = append(forms, form)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"at","token_type":"Bearer","expires_in":"3600"}`)
	}))
	defer srv.Close()
	tokenURL := srv.URL + "/tenant/oauth2/v2.0/token"
	base := ClientCredentialsConfig{AuthorityHost: srv.URL, TenantID: "tenant", ClientID: "client-1", Audience: "api/", HTTPClient: srv.Client()}
	withSecret, withCertificate, federated := base, base, base
	withSecret.ClientSecret = "s3cret"
	withCertificate.ClientCertificate = a.clientCertificate()
	federated.FederatedToken = &FederatedToken{Token: "id-token"}
	refresh := RefreshTokenConfig{AuthorityHost: srv.URL, TenantID: "tenant", ClientID: "client-1", Audience: "api",
		ClientSecret: "s3cret", RefreshToken: "rt", HTTPClient: srv.Client()}
	refreshWithCertificate := refresh
	refreshWithCertificate.ClientSecret, refreshWithCertificate.ClientCertificate = "", a.clientCertificate()

	const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	tests := []struct {
		name   string
		source func() (TokenSource, error)
		want   url.Values // client_assertion "" is checked by verifyClientAssertion
	}{
		{"client credentials with a secret", func() (TokenSource, error) { return NewClientCredentialsSource(withSecret) },
			url.Values{"grant_type": {"client_credentials"}, "client_id": {"client-1"}, "client_secret": {"s3cret"}, "scope": {"api/.default"}}},
		{"client credentials with a certificate", func() (TokenSource, error) { return NewClientCredentialsSource(withCertificate) },
			url.Values{"grant_type": {"client_credentials"}, "client_id": {"client-1"}, "client_assertion_type": {assertionType}, "client_assertion": {""}, "scope": {"api/.default"}}},
		{"client credentials with a federated token", func() (TokenSource, error) { return NewClientCredentialsSource(federated) },
			url.Values{"grant_type": {"client_credentials"}, "client_id": {"client-1"}, "client_assertion_type": {assertionType}, "client_assertion": {"id-token"}, "scope": {"api/.default"}}},
		{"refresh token with a secret", func() (TokenSource, error) { return NewRefreshTokenSource(refresh) },
			url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt"}, "client_id": {"client-1"}, "client_secret": {"s3cret"}, "scope": {"api/user_impersonation offline_access"}}},
		{"refresh token with a certificate", func() (TokenSource, error) { return NewRefreshTokenSource(refreshWithCertificate) },
			url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt"}, "client_id": {"client-1"}, "client_assertion_type": {assertionType}, "client_assertion": {""}, "scope": {"api/user_impersonation offline_access"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forms = nil
			src, err := tt.source()
			if err != nil {
				t.Fatal(err)
			}
			tok, err := src.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken != "at" || tok.ExpiresIn != 3600 || time.Until(tok.Expiry) < 59*time.Minute {
				t.Errorf("token %+v: expires_in as a string must be read", tok)
			}
			if len(forms) != 1 {
				t.Fatalf("%d token requests", len(forms))
			}
			got := forms[0]
			if tt.want.Get("client_assertion") == "" && tt.want.Has("client_assertion") {
				verifyClientAssertion(t, got.Get("client_assertion"), a, "client-1", tokenURL)
				got.Set("client_assertion", "")
			}
			if got.Encode() != tt.want.Encode() {
				t.Errorf("form\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}
