package mockpartnercenter

import (
	"crypto/sha1" //nolint:gosec // x5t is defined as a SHA-1 thumbprint (RFC 7515 §4.1.7)
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// assertionLeeway is the clock skew tolerated on nbf: enough for a client and
// the mock on one machine, small enough that a wrong nbf is still caught.
const assertionLeeway = 30 * time.Second

// assertionError carries the AADSTS code and message for a rejected assertion.
type assertionError struct {
	code int
	msg  string
}

// signedByClient reports whether an assertion claims to be signed by the
// application's certificate: it names a thumbprint or its issuer is the
// client id (RFC 7523 §3). A federated ID token names its CI issuer instead.
func signedByClient(assertion, clientID string) bool {
	claims := jwt.MapClaims{}
	tok, _, err := jwt.NewParser().ParseUnverified(assertion, claims)
	if err != nil {
		return true // malformed: the certificate checks report it
	}
	_, x5t := tok.Header["x5t"]
	_, x5tS256 := tok.Header["x5t#S256"]
	iss, _ := claims.GetIssuer()
	return x5t || x5tS256 || strings.EqualFold(iss, clientID)
}

// verifyAssertion checks a client assertion as Entra ID does (RFC 7523 and
// Microsoft's "certificate credentials" rules): RS256/PS256 signature by the
// registered certificate, identified by x5t (or x5t#S256); aud is the token
// endpoint URL the request was sent to; iss and sub are the client id; exp in
// the future, nbf not; jti present.
func (s *Server) verifyAssertion(r *http.Request, assertion string) *assertionError {
	cert := s.opts.ClientCertificate
	if cert == nil {
		return &assertionError{700027, "Client assertion contains an invalid signature. [Reason - The key was not found.]"}
	}
	sha1Sum := sha1.Sum(cert.Raw) //nolint:gosec // see import
	sha256Sum := sha256.Sum256(cert.Raw)
	wantX5t := base64.RawURLEncoding.EncodeToString(sha1Sum[:])
	wantX5tS256 := base64.RawURLEncoding.EncodeToString(sha256Sum[:])

	var thumbErr *assertionError
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256", "PS256"}),
		jwt.WithoutClaimsValidation(), // checked below, each with its own AADSTS code
	)
	claims := jwt.MapClaims{}
	_, err := parser.ParseWithClaims(assertion, claims, func(t *jwt.Token) (any, error) {
		x5t, _ := t.Header["x5t"].(string)
		x5tS256, _ := t.Header["x5t#S256"].(string)
		switch {
		case x5t == "" && x5tS256 == "":
			thumbErr = &assertionError{700027, "Client assertion failed signature validation. [Reason - The key was not found.]"}
		case x5t != "" && strings.TrimRight(x5t, "=") != wantX5t,
			x5t == "" && strings.TrimRight(x5tS256, "=") != wantX5tS256:
			thumbErr = &assertionError{700027, fmt.Sprintf(
				"The certificate with identifier used to sign the client assertion is not registered on application. "+
					"[Reason - The key was not found., Thumbprint of key used by client: '%s']", sanitize(x5t+x5tS256))}
		default:
			return cert.PublicKey, nil
		}
		return nil, jwt.ErrTokenUnverifiable
	})
	if thumbErr != nil {
		return thumbErr
	}
	if err != nil {
		if errors.Is(err, jwt.ErrTokenMalformed) {
			return &assertionError{50027, "JWT token is invalid or malformed."}
		}
		return &assertionError{700027, "Client assertion failed signature validation."}
	}
	return s.checkAssertionClaims(r, claims)
}

// checkAssertionClaims validates the registered claims of a signed assertion.
func (s *Server) checkAssertionClaims(r *http.Request, claims jwt.MapClaims) *assertionError {
	wantAud := "http://" + r.Host + r.URL.Path
	aud, err := claims.GetAudience()
	if err != nil || !slices.Contains(aud, wantAud) {
		return &assertionError{700023, "Client assertion audience claim does not match Realm issuer. Review the documentation at " +
			"https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials ."}
	}
	iss, _ := claims.GetIssuer()
	sub, _ := claims.GetSubject()
	if !strings.EqualFold(iss, s.opts.ClientID) || !strings.EqualFold(sub, s.opts.ClientID) {
		return &assertionError{700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at " +
			"https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials ."}
	}
	now := time.Now()
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		return &assertionError{50027, "JWT token is invalid or malformed. [Reason - The 'exp' claim is missing.]"}
	}
	nbf, err := claims.GetNotBefore()
	if err != nil {
		return &assertionError{50027, "JWT token is invalid or malformed. [Reason - The 'nbf' claim is not a number.]"}
	}
	if !exp.After(now) || (nbf != nil && nbf.After(now.Add(assertionLeeway))) {
		from := "unset"
		if nbf != nil {
			from = nbf.UTC().Format(entraTimeFormat)
		}
		return &assertionError{700024, fmt.Sprintf(
			"Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry time of assertion %s.",
			now.UTC().Format(entraTimeFormat), from, exp.UTC().Format(entraTimeFormat))}
	}
	if jti, _ := claims["jti"].(string); jti == "" {
		return &assertionError{50027, "JWT token is invalid or malformed. [Reason - The 'jti' claim is missing.]"}
	}
	return nil
}
