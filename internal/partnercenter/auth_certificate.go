package partnercenter

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// ClientCertificate is an application credential: a certificate registered
// on the Entra ID application and its RSA private key, used to sign client
// assertions instead of sending a client secret.
type ClientCertificate struct {
	Certificate *x509.Certificate
	// PrivateKey must have an RSA public key: client assertions are
	// signed with RS256. Any crypto.Signer works, so keys held in
	// hardware can be used.
	PrivateKey crypto.Signer
}

// validate checks that the key is RSA and belongs to the certificate, so
// that a mismatched pair fails at configuration time rather than as an
// opaque AADSTS700027 from Entra ID.
func (c *ClientCertificate) validate() error {
	if c == nil || c.Certificate == nil {
		return errors.New("client certificate: the certificate is missing")
	}
	if c.PrivateKey == nil {
		return errors.New("client certificate: the private key is missing")
	}
	pub, ok := c.PrivateKey.Public().(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("client certificate: the private key is %s, but only RSA keys are supported", keyKind(c.PrivateKey.Public()))
	}
	if !pub.Equal(c.Certificate.PublicKey) {
		return errors.New("client certificate: the private key does not belong to the certificate")
	}
	return c.checkValidity(time.Now())
}

// checkValidity refuses a certificate outside its validity period: Entra ID
// would refuse the assertion with a less helpful message.
func (c *ClientCertificate) checkValidity(now time.Time) error {
	const layout = "2006-01-02 15:04:05 UTC"
	switch {
	case now.After(c.Certificate.NotAfter):
		return fmt.Errorf("client certificate: the certificate expired on %s; register a new one on the application and configure it",
			c.Certificate.NotAfter.UTC().Format(layout))
	case now.Before(c.Certificate.NotBefore):
		return fmt.Errorf("client certificate: the certificate is not valid before %s; check this machine's clock or use a certificate valid now",
			c.Certificate.NotBefore.UTC().Format(layout))
	}
	return nil
}

// ErrCertificatePassword is returned by ParseClientCertificate when the
// PKCS#12 password is wrong, so that callers can point at the password
// rather than at the certificate.
var ErrCertificatePassword = errors.New("client certificate: the PKCS#12 password is wrong")

// ParseClientCertificate reads a certificate and its private key from
// PKCS#12 (DER) or PEM data, or from either one encoded as base64 text.
// password decrypts PKCS#12 data and is ignored for PEM. Errors never
// include the password or key material.
func ParseClientCertificate(data []byte, password string) (*ClientCertificate, error) {
	cc, err := parseCertificateData(data, password, true)
	if err != nil {
		return nil, err
	}
	if err := cc.validate(); err != nil {
		return nil, err
	}
	return cc, nil
}

func parseCertificateData(data []byte, password string, allowBase64 bool) (*ClientCertificate, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("client certificate: the data is empty")
	}
	if bytes.Contains(trimmed, []byte("-----BEGIN")) {
		return parsePEMCertificate(trimmed)
	}
	if allowBase64 {
		if decoded, ok := decodeBase64Text(trimmed); ok {
			cc, err := parseCertificateData(decoded, password, false)
			if err != nil {
				return nil, fmt.Errorf("%w (after decoding base64)", err)
			}
			return cc, nil
		}
	}
	return parsePKCS12Certificate(data, password)
}

// decodeBase64Text decodes standard base64 with or without padding and
// line breaks. Binary PKCS#12 data is never valid base64 text, so trying
// base64 first cannot misread a real PFX file.
func decodeBase64Text(data []byte) ([]byte, bool) {
	s := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, string(data))
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
		if out, err := enc.DecodeString(s); err == nil && len(out) > 0 {
			return out, true
		}
	}
	return nil, false
}

func parsePKCS12Certificate(data []byte, password string) (*ClientCertificate, error) {
	key, cert, _, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, ErrCertificatePassword
		}
		// go-pkcs12's messages describe structure only, never content.
		return nil, fmt.Errorf("client certificate: the data is neither PEM nor a readable PKCS#12 (.pfx) file: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, errors.New("client certificate: the PKCS#12 file's private key cannot sign")
	}
	return &ClientCertificate{Certificate: cert, PrivateKey: signer}, nil
}

// parsePEMCertificate takes the first private key and the certificate that
// matches it, so that a PEM bundle with a chain works in any order.
func parsePEMCertificate(data []byte) (*ClientCertificate, error) {
	var (
		certs []*x509.Certificate
		key   crypto.Signer
		rest  = data
	)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch block.Type {
		case "CERTIFICATE":
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("client certificate: a PEM CERTIFICATE block is not a valid certificate: %w", err)
			}
			certs = append(certs, cert)
		case "PRIVATE KEY", "RSA PRIVATE KEY":
			if key != nil {
				continue
			}
			// Legacy OpenSSL encryption is marked by a Proc-Type header.
			if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
				return nil, errors.New("client certificate: encrypted PEM private keys are not supported; use an unencrypted PEM key or a password-protected PKCS#12 (.pfx) file")
			}
			k, err := parsePEMKey(block)
			if err != nil {
				return nil, err
			}
			key = k
		case "ENCRYPTED PRIVATE KEY":
			return nil, errors.New("client certificate: encrypted PEM private keys are not supported; use an unencrypted PEM key or a password-protected PKCS#12 (.pfx) file")
		}
	}
	if len(certs) == 0 {
		return nil, errors.New("client certificate: the PEM data has no CERTIFICATE block")
	}
	if key == nil {
		return nil, errors.New("client certificate: the PEM data has no PRIVATE KEY or RSA PRIVATE KEY block")
	}
	for _, cert := range certs {
		if pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool }); ok && pub.Equal(cert.PublicKey) {
			return &ClientCertificate{Certificate: cert, PrivateKey: key}, nil
		}
	}
	return nil, errors.New("client certificate: the private key does not belong to any certificate in the PEM data")
}

// parsePEMKey does not wrap x509's errors: they describe structure only,
// but saying less about key bytes is the safer habit.
func parsePEMKey(block *pem.Block) (crypto.Signer, error) {
	if block.Type == "RSA PRIVATE KEY" {
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("client certificate: the RSA PRIVATE KEY block is not a valid PKCS#1 key")
		}
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("client certificate: the PRIVATE KEY block is not a valid PKCS#8 key")
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, errors.New("client certificate: the private key cannot sign")
	}
	return signer, nil
}

func keyKind(pub crypto.PublicKey) string {
	switch pub.(type) {
	case *rsa.PublicKey:
		return "RSA"
	case *ecdsa.PublicKey:
		return "ECDSA"
	case ed25519.PublicKey:
		return "Ed25519"
	default:
		return fmt.Sprintf("%T", pub)
	}
}
