package partnercenter

import (
	"errors"
	"fmt"
	"strings"
)

// ErrTokenAudience is returned by TokenSourceFor for a credential that
// cannot issue tokens for another API: an access token obtained elsewhere
// is for one audience only.
var ErrTokenAudience = errors.New("this credential cannot issue tokens for another API")

// TokenSourceFor returns a TokenSource that issues tokens for audience
// (e.g. Cloud.GraphTokenAudience()) from the same credential as src. The
// refresh-token flow asks for {audience}/.default offline_access and
// shares src's refresh token, so that a rotation seen by either source is
// used by both; the client credentials flows ask for {audience}/.default;
// the Azure CLI is asked with --resource audience. Secrets stay redacted by
// the same redactor as src's. A static access token gives ErrTokenAudience.
// It makes no network call. Each Client built on the result keeps its own
// token cache, so each API's token is fetched and renewed on its own.
func TokenSourceFor(src TokenSource, audience string) (TokenSource, error) {
	audience = strings.TrimRight(strings.TrimSpace(audience), "/")
	if audience == "" {
		return nil, errors.New("token source for another API: the audience must be set")
	}
	if c, ok := src.(*tokenCache); ok {
		src = c.src
	}
	switch s := src.(type) {
	case *refreshTokenSource:
		grant := s.tokenGrant
		grant.scope = audience + "/.default offline_access"
		return &refreshTokenSource{tokenGrant: grant, held: s.held}, nil
	case *clientCredentialsSource:
		grant := s.tokenGrant
		grant.scope = audience + "/.default"
		return &clientCredentialsSource{tokenGrant: grant}, nil
	case *azureCLITokenSource:
		cfg := s.cfg
		cfg.Audience = audience
		return &azureCLITokenSource{cfg: cfg}, nil
	case *staticTokenSource:
		return nil, ErrTokenAudience
	}
	return nil, fmt.Errorf("%w (%T)", ErrTokenAudience, src)
}
