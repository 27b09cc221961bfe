package partnercenter

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

type assertionKey struct{}

// withAssertion hands the assertion of one token request to
// tokenRequestTransport through the request's context: oauth2 offers no
// other way to add it to a refresh_token grant.
func withAssertion(ctx context.Context, assertion string) context.Context {
	return context.WithValue(ctx, assertionKey{}, assertion)
}

// tokenRequestTransport completes the form of the POST to the token URL
// on its way out. oauth2.Config's refresh sends only grant_type,
// refresh_token and the client credentials, and has no hook for more:
// Entra ID's v2 endpoint also wants the scope, and with a client assertion
// (from the request's context) the client secret is replaced by it.
type tokenRequestTransport struct {
	base     http.RoundTripper
	tokenURL *url.URL
	scope    string
}

// RoundTrip implements http.RoundTripper.
func (t *tokenRequestTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost || !sameEndpoint(req.URL, t.tokenURL) {
		return t.base.RoundTrip(req)
	}
	form, err := readForm(req)
	if err != nil {
		return nil, err
	}
	if t.scope != "" && form.Get("scope") == "" {
		form.Set("scope", t.scope)
	}
	if assertion, _ := req.Context().Value(assertionKey{}).(string); assertion != "" {
		form.Del("client_secret")
		form.Set("client_assertion_type", clientAssertionType)
		form.Set("client_assertion", assertion)
	}
	body := []byte(form.Encode())

	// A RoundTripper must not modify the request it was given.
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	out.ContentLength = int64(len(body))
	out.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return t.base.RoundTrip(out)
}

func readForm(req *http.Request) (url.Values, error) {
	if req.Body == nil {
		return url.Values{}, nil
	}
	raw, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the token request body: %w", err)
	}
	form, err := url.ParseQuery(string(raw))
	if err != nil {
		// Not quoting the body: it holds the refresh token.
		return nil, errors.New("the token request body is not a valid form")
	}
	return form, nil
}

func sameEndpoint(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host) && a.Path == b.Path
}

// withTokenRequestTransport returns a token endpoint client made from hc
// (see tokenEndpointClient) whose transport completes token requests. Every
// request of a token source goes through it, token requests and federated
// ID-token requests alike. hc itself is left alone because the provider
// shares it with API calls.
func withTokenRequestTransport(hc *http.Client, tokenURL *url.URL, scope string) *http.Client {
	out := tokenEndpointClient(hc)
	out.Transport = &tokenRequestTransport{base: out.Transport, tokenURL: tokenURL, scope: scope}
	return out
}
