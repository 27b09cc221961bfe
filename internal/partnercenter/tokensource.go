package partnercenter

import (
	"context"

	"golang.org/x/oauth2"
)

// TokenSource supplies access tokens for the Partner Center API.
//
// Unlike oauth2.TokenSource it takes a context, so that a cancelled read also
// cancels the token request it is waiting for. Implementations need not cache:
// the Client caches, renews before expiry and shares one renewal among
// concurrent callers.
type TokenSource interface {
	Token(ctx context.Context) (*oauth2.Token, error)
}
