package mockpartnercenter

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is a SHA-1 thumbprint by definition
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

type testCert struct {
	cert *x509.Certificate
	key  *rsa.PrivateKey
}

var (
	certOnce  sync.Once
	certs     [2]testCert
	errCertGn error
)

// testCerts returns two self-signed certificates, made once per test binary
// because RSA key generation is slow under -race.
func testCerts(t *testing.T) [2]testCert {
	t.Helper()
	certOnce.Do(func() {
		for i := range certs {
			key, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				errCertGn = err
				return
			}
			tmpl := &x509.Certificate{
				SerialNumber: big.NewInt(int64(i + 1)),
				Subject:      pkix.Name{CommonName: "mock partner app"},
				NotBefore:    time.Now().Add(-time.Hour),
				NotAfter:     time.Now().Add(time.Hour),
			}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
			if err != nil {
				errCertGn = err
				return
			}
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				errCertGn = err
				return
			}
			certs[i] = testCert{cert: cert, key: key}
		}
	})
	if errCertGn != nil {
		t.Fatal(errCertGn)
	}
	return certs
}

func x5t(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw) //nolint:gosec // see import
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func x5tS256(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// assertionSpec describes one client assertion to build.
type assertionSpec struct {
	method  jwt.SigningMethod
	key     *rsa.PrivateKey
	headers map[string]string
	claims  jwt.MapClaims
	drop    []string // claims to remove
}

func signAssertion(t *testing.T, spec assertionSpec) string {
	t.Helper()
	tok := jwt.NewWithClaims(spec.method, spec.claims)
	for k, v := range spec.headers {
		tok.Header[k] = v
	}
	for _, c := range spec.drop {
		delete(spec.claims, c)
	}
	s, err := tok.SignedString(spec.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestClientAssertion(t *testing.T) {
	cs := testCerts(t)
	good, other := cs[0], cs[1]
	s, ts := newTestServer(t, Options{ClientCertificate: good.cert})
	_ = s
	aud := tokenURL(ts.URL)
	claims := func() jwt.MapClaims {
		now := time.Now()
		return jwt.MapClaims{
			"aud": aud, "iss": DefaultClientID, "sub": DefaultClientID,
			"exp": now.Add(5 * time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix(),
			"iat": now.Unix(), "jti": uuid.NewString(),
		}
	}
	claimsWith := func(k string, v any) jwt.MapClaims {
		c := claims()
		c[k] = v
		return c
	}
	hdr := map[string]string{"x5t": x5t(good.cert)}
	tests := []struct {
		name string
		spec assertionSpec
		code int // 0 = success
	}{
		{"RS256 x5t", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claims()}, 0},
		{"PS256 x5t", assertionSpec{method: jwt.SigningMethodPS256, key: good.key, headers: hdr, claims: claims()}, 0},
		{"RS256 x5t#S256", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: map[string]string{"x5t#S256": x5tS256(good.cert)}, claims: claims()}, 0},
		{"aud as array", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claimsWith("aud", []string{aud})}, 0},
		{"signed by other key", assertionSpec{method: jwt.SigningMethodRS256, key: other.key, headers: hdr, claims: claims()}, 700027},
		{"thumbprint of other cert", assertionSpec{method: jwt.SigningMethodRS256, key: other.key, headers: map[string]string{"x5t": x5t(other.cert)}, claims: claims()}, 700027},
		{"no thumbprint", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, claims: claims()}, 700027},
		{"RS384 refused", assertionSpec{method: jwt.SigningMethodRS384, key: good.key, headers: hdr, claims: claims()}, 700027},
		{"wrong audience", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claimsWith("aud", "https://login.microsoftonline.com/"+DefaultTenantID+"/oauth2/v2.0/token")}, 700023},
		{"https audience", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claimsWith("aud", strings.Replace(aud, "http://", "https://", 1))}, 700023},
		{"wrong issuer", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claimsWith("iss", "someone-else")}, 700021},
		{"wrong subject", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claimsWith("sub", "someone-else")}, 700021},
		{"expired", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claimsWith("exp", time.Now().Add(-time.Minute).Unix())}, 700024},
		{"not yet valid", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claimsWith("nbf", time.Now().Add(10*time.Minute).Unix())}, 700024},
		{"no exp", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claims(), drop: []string{"exp"}}, 50027},
		{"no jti", assertionSpec{method: jwt.SigningMethodRS256, key: good.key, headers: hdr, claims: claims(), drop: []string{"jti"}}, 50027},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertion := signAssertion(t, tc.spec)
			f := validTokenForm()
			f.Del("client_secret")
			f.Set("client_assertion_type", jwtBearerAssertionType)
			f.Set("client_assertion", assertion)
			resp, body := postForm(t, aud, f)
			if tc.code == 0 {
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d: %s", resp.StatusCode, body)
				}
				return
			}
			checkEntraError(t, resp, body, http.StatusUnauthorized, "invalid_client", tc.code)
			mustNotContain(t, body, assertion)
		})
	}
}

func TestClientAssertionMalformed(t *testing.T) {
	cs := testCerts(t)
	_, ts := newTestServer(t, Options{ClientCertificate: cs[0].cert})
	tests := []struct {
		name, assertion, typ string
		status               int
		errName              string
		code                 int
	}{
		{"garbage", "not-a-jwt", jwtBearerAssertionType, 401, "invalid_client", 50027},
		{"wrong assertion type", "a.b.c", "urn:something:else", 400, "invalid_request", 900144},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := validTokenForm()
			f.Del("client_secret")
			f.Set("client_assertion_type", tc.typ)
			f.Set("client_assertion", tc.assertion)
			resp, body := postForm(t, tokenURL(ts.URL), f)
			checkEntraError(t, resp, body, tc.status, tc.errName, tc.code)
		})
	}
}

func TestClientAssertionWithoutCertificate(t *testing.T) {
	cs := testCerts(t)
	_, ts := newTestServer(t, Options{})
	now := time.Now()
	assertion := signAssertion(t, assertionSpec{
		method: jwt.SigningMethodRS256, key: cs[0].key, headers: map[string]string{"x5t": x5t(cs[0].cert)},
		claims: jwt.MapClaims{"aud": tokenURL(ts.URL), "iss": DefaultClientID, "sub": DefaultClientID,
			"exp": now.Add(time.Minute).Unix(), "jti": "1"},
	})
	f := validTokenForm()
	f.Del("client_secret")
	f.Set("client_assertion_type", jwtBearerAssertionType)
	f.Set("client_assertion", assertion)
	resp, body := postForm(t, tokenURL(ts.URL), f)
	checkEntraError(t, resp, body, 401, "invalid_client", 700027)
}
