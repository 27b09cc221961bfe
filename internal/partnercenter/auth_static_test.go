package partnercenter

import (
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestStaticTokenSource(t *testing.T) {
	a, _, _ := authTestCerts(t)
	key := a.key
	exp := time.Now().Add(42 * time.Minute).Truncate(time.Second)
	signed := func(claims jwt.Claims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	withExp := signed(jwt.RegisteredClaims{ExpiresAt: jwt.NewNumericDate(exp), Audience: jwt.ClaimStrings{"https://api.partnercenter.microsoft.com"}})
	expired := signed(jwt.RegisteredClaims{ExpiresAt: jwt.NewNumericDate(time.Unix(1600000000, 0))})
	noExp := signed(jwt.MapClaims{"aud": "x"})

	tests := []struct {
		name      string
		in, token string
		expiry    time.Time
	}{
		{"JWT with exp", withExp, withExp, exp},
		{"expired JWT keeps its exp", expired, expired, time.Unix(1600000000, 0)},
		{"JWT without exp", noExp, noExp, time.Time{}},
		{"opaque token", "opaque-token-value", "opaque-token-value", time.Time{}},
		{"Bearer prefix and spaces", "  Bearer " + withExp + "\n", withExp, exp},
		{"malformed JWT", "eyJhbGciOi.broken", "eyJhbGciOi.broken", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := NewStaticTokenSource(tt.in)
			tok, err := src.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken != tt.token || tok.TokenType != "Bearer" || !tok.Expiry.Equal(tt.expiry) {
				t.Errorf("token %q %q, expiry %v; want expiry %v", tok.AccessToken, tok.TokenType, tok.Expiry, tt.expiry)
			}
			tok.AccessToken = "changed"
			if again, _ := src.Token(t.Context()); again.AccessToken != tt.token {
				t.Error("a caller changed the source's token")
			}
		})
	}
}

func TestStaticTokenSourceEmpty(t *testing.T) {
	_, err := NewStaticTokenSource(" ").Token(t.Context())
	if !errors.Is(err, ErrAuthentication) {
		t.Fatalf("error = %v, want an authentication error", err)
	}
}
