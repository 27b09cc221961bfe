package partnercenter

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// authTestCert is a self-signed certificate made at test time, so that no
// key is ever committed.
type authTestCert struct {
	cert    *x509.Certificate
	key     crypto.Signer
	certPEM []byte
	keyPEM  []byte // PKCS#8
}

// RSA key generation is the slowest step, so each kind is made once.
var (
	authTestCertOnce  sync.Once
	authTestCertA     *authTestCert
	authTestCertB     *authTestCert
	authTestCertECDSA *authTestCert
)

func authTestCerts(t *testing.T) (a, b, ec *authTestCert) {
	t.Helper()
	authTestCertOnce.Do(func() {
		authTestCertA = newAuthTestCert(t, mustRSAKey(t), "partnercenter-test-a")
		authTestCertB = newAuthTestCert(t, mustRSAKey(t), "partnercenter-test-b")
		ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		authTestCertECDSA = newAuthTestCert(t, ecKey, "partnercenter-test-ec")
	})
	if authTestCertA == nil {
		t.Fatal("test certificates could not be made")
	}
	return authTestCertA, authTestCertB, authTestCertECDSA
}

func mustRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newAuthTestCert(t *testing.T, key crypto.Signer, cn string) *authTestCert {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return &authTestCert{
		cert:    cert,
		key:     key,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}
}

func (c *authTestCert) clientCertificate() *ClientCertificate {
	return &ClientCertificate{Certificate: c.cert, PrivateKey: c.key}
}

func (c *authTestCert) pkcs12(t *testing.T, password string) []byte {
	t.Helper()
	pfx, err := pkcs12.Modern.Encode(c.key, c.cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return pfx
}

func TestParseClientCertificate(t *testing.T) {
	a, b, ec := authTestCerts(t)
	const password = "pfx-Pa55word!"
	pfx := a.pkcs12(t, password)
	rsaKey, ok := a.key.(*rsa.PrivateKey)
	if !ok {
		t.Fatalf("test key is %T", a.key)
	}
	pkcs1PEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)})
	b64 := func(data []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(data)) }
	wrapped := func(data []byte) []byte { // base64 with line breaks, as `base64` prints it
		s := base64.StdEncoding.EncodeToString(data)
		var out strings.Builder
		for len(s) > 76 {
			out.WriteString(s[:76] + "\n")
			s = s[76:]
		}
		out.WriteString(s + "\n")
		return []byte(out.String())
	}
	concat := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	encryptedPEM := []byte("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END RSA PRIVATE KEY-----\n")
	encryptedPKCS8 := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1, 2, 3}})

	tests := []struct {
		name     string
		data     []byte
		password string
		want     *authTestCert // nil: an error is expected
		wantErr  string
	}{
		{name: "PEM cert then PKCS#8 key", data: concat(a.certPEM, a.keyPEM), want: a},
		{name: "PEM key then cert", data: concat(a.keyPEM, a.certPEM), want: a},
		{name: "PEM PKCS#1 key", data: concat(a.certPEM, pkcs1PEM), want: a},
		{name: "PEM chain, leaf not first", data: concat(b.certPEM, a.certPEM, a.keyPEM), want: a},
		{name: "PEM password ignored", data: concat(a.certPEM, a.keyPEM), password: "whatever", want: a},
		{name: "PKCS#12 with password", data: pfx, password: password, want: a},
		{name: "PKCS#12 without password", data: a.pkcs12(t, ""), want: a},
		{name: "base64 PEM", data: b64(concat(a.certPEM, a.keyPEM)), want: a},
		{name: "base64 PKCS#12", data: b64(pfx), password: password, want: a},
		{name: "wrapped base64 PKCS#12", data: wrapped(pfx), password: password, want: a},
		{name: "PKCS#12 wrong password", data: pfx, password: "wrong-" + password, wantErr: "password is wrong"},
		{name: "base64 PKCS#12 wrong password", data: b64(pfx), password: "nope-" + password, wantErr: "password is wrong"},
		{name: "garbage", data: []byte("this is not a certificate!"), wantErr: "neither PEM nor"},
		{name: "garbage base64", data: b64([]byte("still not a certificate")), wantErr: "neither PEM nor"},
		{name: "empty", data: []byte("  \n"), wantErr: "empty"},
		{name: "PEM without key", data: a.certPEM, wantErr: "no PRIVATE KEY"},
		{name: "PEM without certificate", data: a.keyPEM, wantErr: "no CERTIFICATE"},
		{name: "PEM key of another certificate", data: concat(b.certPEM, a.keyPEM), wantErr: "does not belong"},
		{name: "PEM ECDSA key", data: concat(ec.certPEM, ec.keyPEM), wantErr: "only RSA"},
		{name: "encrypted PEM", data: concat(a.certPEM, encryptedPEM), wantErr: "encrypted PEM"},
		{name: "encrypted PKCS#8 PEM", data: concat(a.certPEM, encryptedPKCS8), wantErr: "encrypted PEM"},
		{name: "bad PEM certificate", data: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), wantErr: "not a valid certificate"},
		{name: "bad PEM key", data: concat(a.certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})), wantErr: "not a valid PKCS#8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClientCertificate(tt.data, tt.password)
			if tt.want == nil {
				if err == nil {
					t.Fatal("expected an error")
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q does not mention %q", err, tt.wantErr)
				}
				if tt.password != "" && strings.Contains(err.Error(), tt.password) {
					t.Errorf("error leaks the password: %q", err)
				}
				if strings.Contains(err.Error(), "MII") {
					t.Errorf("error seems to contain key material: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !got.Certificate.Equal(tt.want.cert) {
				t.Errorf("got certificate %q, want %q", got.Certificate.Subject.CommonName, tt.want.cert.Subject.CommonName)
			}
			if _, ok := got.PrivateKey.Public().(*rsa.PublicKey); !ok {
				t.Errorf("private key is %T", got.PrivateKey)
			}
		})
	}
}

func TestClientCertificateValidate(t *testing.T) {
	a, b, ec := authTestCerts(t)
	tests := []struct {
		name    string
		cc      *ClientCertificate
		wantErr string
	}{
		{"ok", a.clientCertificate(), ""},
		{"nil", nil, "certificate is missing"},
		{"no key", &ClientCertificate{Certificate: a.cert}, "private key is missing"},
		{"mismatch", &ClientCertificate{Certificate: a.cert, PrivateKey: b.key}, "does not belong"},
		{"ecdsa", ec.clientCertificate(), "ECDSA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cc.validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// An expired or not yet valid certificate is refused locally, naming the
// date, both when configured and when a later assertion would be signed.
func TestClientCertificateValidityPeriod(t *testing.T) {
	a, _, _ := authTestCerts(t)
	cc := a.clientCertificate()
	notAfter := cc.Certificate.NotAfter.UTC().Format("2006-01-02 15:04:05 UTC")
	notBefore := cc.Certificate.NotBefore.UTC().Format("2006-01-02 15:04:05 UTC")
	if _, err := newClientAssertion(cc, "client", "https://login.example/token", cc.Certificate.NotAfter.Add(time.Minute)); err == nil ||
		!strings.Contains(err.Error(), "expired on "+notAfter) {
		t.Errorf("signing after expiry: %v", err)
	}
	if _, err := newClientAssertion(cc, "client", "https://login.example/token", cc.Certificate.NotBefore.Add(-time.Minute)); err == nil ||
		!strings.Contains(err.Error(), "not valid before "+notBefore) {
		t.Errorf("signing before validity: %v", err)
	}
	expired := *cc.Certificate
	expired.NotAfter = time.Now().Add(-time.Hour)
	if err := (&ClientCertificate{Certificate: &expired, PrivateKey: cc.PrivateKey}).validate(); err == nil || !strings.Contains(err.Error(), "expired on") {
		t.Errorf("validate: %v", err)
	}
}
