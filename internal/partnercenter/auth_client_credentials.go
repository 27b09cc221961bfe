package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
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
	tokenGrant
}

// NewClientCredentialsSource checks cfg and returns a TokenSource that runs
// the client credentials grant at {AuthorityHost}/{TenantID}/oauth2/v2.0/token
// with scope {Audience}/.default. With a federated token it takes a new ID
// token for every access token. It makes no network call.
func NewClientCredentialsSource(cfg ClientCredentialsConfig) (TokenSource, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	tokenURL, err := tokenEndpoint(cfg.AuthorityHost, cfg.TenantID)
	if err != nil {
		return nil, err
	}
	hc := tokenEndpointClient(cfg.HTTPClient)
	s := &clientCredentialsSource{tokenGrant{
		clientID:     cfg.ClientID,
		clientSecret: cfg.ClientSecret,
		scope:        strings.TrimRight(cfg.Audience, "/") + "/.default",
		tokenURL:     tokenURL,
		httpClient:   hc,
		redact:       newSecretRedactor(cfg.ClientSecret),
	}}
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
	if !exactlyOne(cfg.ClientSecret != "", cfg.ClientCertificate != nil, cfg.FederatedToken != nil) {
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
	var form url.Values
	if s.assertion == nil {
		form = url.Values{
			"grant_type":    {"client_credentials"},
			"client_id":     {s.clientID},
			"client_secret": {s.clientSecret},
			"scope":         {s.scope},
		}
	} else {
		// Signed with the certificate, or the federated ID token.
		assertion, err := s.nextAssertion(ctx)
		if err != nil {
			return nil, err
		}
		form = url.Values{
			"grant_type":            {"client_credentials"},
			"client_id":             {s.clientID},
			"client_assertion_type": {clientAssertionType},
			"client_assertion":      {assertion},
			"scope":                 {s.scope},
		}
	}
	// The client credentials grant issues no refresh token.
	tok, _, err := s.post(ctx, form)
	return tok, err
}
