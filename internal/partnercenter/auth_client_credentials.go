package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// ClientCredentialsConfig configures App-only authentication: the partner's
// Entra ID application gets tokens for itself, with no user, through the
// client credentials grant. It proves itself with a secret, a certificate or
// a federated ID token (workload identity federation).
type ClientCredentialsConfig struct {
	// AuthorityHost is the Entra ID login host, e.g.
	// https://login.microsoftonline.com, or a mock server's URL.
	AuthorityHost string
	// TenantID is the partner tenant (GUID or domain name).
	TenantID string
	// ClientID is the Entra ID application's ID.
	ClientID string
	// Set exactly one of ClientSecret, ClientCertificate and FederatedToken.
	ClientSecret      string
	ClientCertificate *ClientCertificate
	FederatedToken    *FederatedToken
	// Audience is the API the token is for: Cloud.TokenAudience().
	Audience string
	// HTTPClient sends token requests and ID-token requests, never along a
	// redirect; nil means SharedHTTPClient().
	HTTPClient *http.Client
}

// clientCredentialsSource runs the grant on every call; caching access
// tokens is tokenCache's job.
type clientCredentialsSource struct {
	conf       clientcredentials.Config
	tokenURL   string
	httpClient *http.Client
	assertion  clientAssertion // nil: the secret authenticates
	redact     *secretRedactor
}

// NewClientCredentialsSource checks cfg and returns a TokenSource that runs
// the client credentials grant at {AuthorityHost}/{TenantID}/oauth2/v2.0/token
// with scope {Audience}/.default. With a federated token it takes a new ID
// token for every access token. It makes no network call.
func NewClientCredentialsSource(cfg ClientCredentialsConfig) (TokenSource, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	tokenURL, parsedTokenURL, err := tokenEndpoint(cfg.AuthorityHost, cfg.TenantID)
	if err != nil {
		return nil, err
	}
	scope := strings.TrimRight(cfg.Audience, "/") + "/.default"
	hc := withTokenRequestTransport(cfg.HTTPClient, parsedTokenURL, scope)
	s := &clientCredentialsSource{
		conf: clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     tokenURL,
			Scopes:       []string{scope},
			// Entra ID wants credentials in the form; setting the style
			// also avoids oauth2's probe that would send them twice.
			AuthStyle: oauth2.AuthStyleInParams,
		},
		tokenURL:   tokenURL,
		httpClient: hc,
		redact:     newSecretRedactor(cfg.ClientSecret),
	}
	switch {
	case cfg.ClientCertificate != nil:
		s.assertion = certificateAssertion(cfg.ClientCertificate, cfg.ClientID, tokenURL)
	case cfg.FederatedToken != nil:
		fed := *cfg.FederatedToken
		s.assertion = func(ctx context.Context) (string, error) { return fed.idToken(ctx, hc) }
		s.redact.add(fed.secrets()...)
	}
	return s, nil
}

func (cfg ClientCredentialsConfig) validate() error {
	if err := checkTokenConfig("client credentials", cfg.AuthorityHost, []namedValue{
		{"AuthorityHost", cfg.AuthorityHost},
		{"TenantID", cfg.TenantID},
		{"ClientID", cfg.ClientID},
		{"Audience", cfg.Audience},
	}); err != nil {
		return err
	}
	set := 0
	for _, isSet := range []bool{cfg.ClientSecret != "", cfg.ClientCertificate != nil, cfg.FederatedToken != nil} {
		if isSet {
			set++
		}
	}
	if set != 1 {
		return errors.New("client credentials: set exactly one of ClientSecret, ClientCertificate and FederatedToken")
	}
	if cfg.ClientCertificate != nil {
		if err := cfg.ClientCertificate.validate(); err != nil {
			return fmt.Errorf("client credentials: %w", err)
		}
	}
	if cfg.FederatedToken != nil {
		if err := cfg.FederatedToken.validate(); err != nil {
			return fmt.Errorf("client credentials: %w", err)
		}
	}
	return nil
}

// Token runs the grant. The request uses ctx, so cancelling ctx cancels it.
func (s *clientCredentialsSource) Token(ctx context.Context) (*oauth2.Token, error) {
	hctx := context.WithValue(ctx, oauth2.HTTPClient, s.httpClient)
	assertion := ""
	if s.assertion != nil {
		var err error
		if assertion, err = s.assertion(ctx); err != nil {
			return nil, err
		}
		// An assertion is a credential for as long as it lives.
		s.redact.remember(rotatingAssertion, assertion)
		hctx = withAssertion(hctx, assertion)
	}
	tok, err := s.conf.Token(hctx)
	if err != nil {
		return nil, tokenRequestError(err, s.tokenURL, s.redact)
	}
	return &oauth2.Token{
		AccessToken: tok.AccessToken,
		TokenType:   tok.TokenType,
		Expiry:      tok.Expiry,
		ExpiresIn:   tok.ExpiresIn,
	}, nil
}

// redactor lets the Client redact this credential's secrets from API text.
func (s *clientCredentialsSource) redactor() *secretRedactor { return s.redact }
