package partnercenter

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

const (
	clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// assertionLifetime is short because a fresh assertion is made for
	// every token request.
	assertionLifetime = 10 * time.Minute
)

// newClientAssertion returns an RFC 7523 client assertion for Entra ID:
// a JWT signed with RS256 whose x5t header names the certificate, so
// Entra ID knows which registered certificate to verify it with.
func newClientAssertion(cc *ClientCertificate, clientID, tokenURL string, now time.Time) (string, error) {
	// A run may outlive the certificate it started with.
	if err := cc.checkValidity(now); err != nil {
		return "", &AuthenticationError{Reason: err.Error(), Hint: "configure the application's current certificate"}
	}
	// x5t is defined as the SHA-1 thumbprint: it names the certificate and
	// protects nothing, so SHA-1 is fine here.
	thumb := sha1.Sum(cc.Certificate.Raw)
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.RegisteredClaims{
		Audience:  jwt.ClaimStrings{tokenURL},
		Issuer:    clientID,
		Subject:   clientID,
		ID:        uuid.NewString(),
		NotBefore: jwt.NewNumericDate(now),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(assertionLifetime)),
	})
	tok.Header["typ"] = "JWT"
	tok.Header["x5t"] = base64.RawURLEncoding.EncodeToString(thumb[:])
	signingString, err := tok.SigningString()
	if err != nil {
		return "", fmt.Errorf("building the client assertion: %w", err)
	}
	// Signing through crypto.Signer rather than jwt's SignedString keeps
	// keys that are not *rsa.PrivateKey (e.g. in an HSM) usable.
	digest := sha256.Sum256([]byte(signingString))
	sig, err := cc.PrivateKey.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return "", errors.New("signing the client assertion with the certificate's private key failed")
	}
	return signingString + "." + tok.EncodeSegment(sig), nil
}

// clientAssertion makes the client assertion of one token request: signed
// with the application's certificate, or a federated ID token. Each token
// request gets a fresh one.
type clientAssertion func(ctx context.Context) (string, error)

// certificateAssertion signs a new assertion for every token request.
func certificateAssertion(cc *ClientCertificate, clientID, tokenURL string) clientAssertion {
	return func(context.Context) (string, error) {
		return newClientAssertion(cc, clientID, tokenURL, time.Now())
	}
}
