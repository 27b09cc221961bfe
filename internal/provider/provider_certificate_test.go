package provider

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// newTestCertificate makes a self-signed application certificate.
func newTestCertificate(t *testing.T) (*x509.Certificate, *rsa.PrivateKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "partner-app"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func certificateConfig(mock *mockpartnercenter.Server, credential string) string {
	return acctest.RefreshTokenProviderBlock(mock, credential) + fmt.Sprintf(`
data "partnercenter_customer" "test" {
  id = %q
}
`, acctest.DocumentedID)
}

// The application proves itself with a signed client assertion; the mock
// verifies the signature against the registered certificate.
func TestAccProvider_clientCertificate(t *testing.T) {
	cert, key := newTestCertificate(t)
	other, otherKey := newTestCertificate(t)
	mock := acctest.StartMock(t, mockpartnercenter.Options{ClientCertificate: cert})

	pemBundle := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pemBundle = append(pemBundle, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	t.Setenv("PARTNERCENTER_CLIENT_CERTIFICATE", base64.StdEncoding.EncodeToString(pemBundle))

	pfx, err := pkcs12.Modern.Encode(key, cert, nil, "pfx-password")
	if err != nil {
		t.Fatal(err)
	}
	pfxPath := filepath.Join(t.TempDir(), "partner-app.pfx")
	if err := os.WriteFile(pfxPath, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
	unregistered, err := pkcs12.Modern.Encode(otherKey, other, nil, "pfx-password")
	if err != nil {
		t.Fatal(err)
	}
	unregisteredPath := filepath.Join(t.TempDir(), "other-app.pfx")
	if err := os.WriteFile(unregisteredPath, unregistered, 0o600); err != nil {
		t.Fatal(err)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				// PEM from the environment.
				Config: certificateConfig(mock, ""),
				Check:  resource.TestCheckResourceAttr("data.partnercenter_customer.test", "company_profile.company_name", "1kl as kjk"),
			},
			{
				// A PKCS#12 file with a password; configuration wins over the environment.
				Config: certificateConfig(mock, fmt.Sprintf("client_certificate_path = %q\n  client_certificate_password = \"pfx-password\"", pfxPath)),
				Check:  resource.TestCheckResourceAttr("data.partnercenter_customer.test", "company_profile.company_name", "1kl as kjk"),
			},
			{
				Config:      certificateConfig(mock, fmt.Sprintf("client_certificate_path = %q\n  client_certificate_password = \"wrong\"", pfxPath)),
				ExpectError: acctest.ErrorPattern(`Invalid Partner Center credentials.*client certificate`),
			},
			{
				Config:      certificateConfig(mock, fmt.Sprintf("client_certificate_path = %q\n  client_certificate_password = \"pfx-password\"", unregisteredPath)),
				ExpectError: acctest.ErrorPattern(`Partner Center authentication failed.*AADSTS700027`),
			},
		},
	})
}
