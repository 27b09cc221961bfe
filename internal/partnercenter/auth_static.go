package partnercenter

import (
	"context"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
)

// staticTokenSource always returns the same access token.
type staticTokenSource struct {
	token oauth2.Token
}

// NewStaticTokenSource returns a TokenSource for an access token obtained
// elsewhere. When the token is a JWT, its exp claim is read (without
// verifying the signature, which only the API can do) so that an expired
// token is reported as such instead of as a bare 401; otherwise the
// expiry is unknown (zero).
func NewStaticTokenSource(accessToken string) TokenSource {
	accessToken = strings.TrimSpace(accessToken)
	accessToken = strings.TrimSpace(strings.TrimPrefix(accessToken, "Bearer "))
	s := &staticTokenSource{token: oauth2.Token{AccessToken: accessToken, TokenType: "Bearer"}}
	var claims jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(accessToken, &claims); err == nil && claims.ExpiresAt != nil {
		s.token.Expiry = claims.ExpiresAt.Time
	}
	return s
}

// redactor knows the access token, so that server text quoting it is
// redacted.
func (s *staticTokenSource) redactor() *secretRedactor {
	return newSecretRedactor(s.token.AccessToken)
}

// Token returns a copy of the token, so callers cannot change the source.
func (s *staticTokenSource) Token(context.Context) (*oauth2.Token, error) {
	if s.token.AccessToken == "" {
		return nil, &AuthenticationError{
			Reason: "the access token is empty",
			Hint:   "set access_token / PARTNERCENTER_ACCESS_TOKEN, or choose another credential",
		}
	}
	tok := s.token
	return &tok, nil
}
