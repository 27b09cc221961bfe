package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/oauth2"
)

// RefreshTokenConfig configures the secure application model: an Entra ID
// application redeems a partner user's refresh token for App+User access
// tokens.
type RefreshTokenConfig struct {
	// AuthorityHost is the Entra ID login host, e.g.
	// https://login.microsoftonline.com, or a mock server's URL.
	AuthorityHost string
	// TenantID is the partner tenant (GUID or domain name).
	TenantID string
	// ClientID is the Entra ID application's ID.
	ClientID string
	// ClientSecret authenticates the application. Set exactly one of
	// ClientSecret and ClientCertificate.
	ClientSecret string
	// ClientCertificate authenticates the application with a signed
	// client assertion instead of a secret.
	ClientCertificate *ClientCertificate
	// RefreshToken is the token from the consent flow. Entra ID may
	// rotate it; the source keeps the latest one in memory.
	RefreshToken string
	// Audience is the API the token is for: Cloud.TokenAudience().
	Audience string
	// HTTPClient sends token requests; nil selects SharedHTTPClient(). It
	// never follows a redirect of a token request.
	HTTPClient *http.Client
}

// refreshTokenSource redeems the refresh token on every call; caching
// access tokens is tokenCache's job.
type refreshTokenSource struct {
	tokenGrant
	// held is shared with the sources TokenSourceFor derives for other
	// APIs: Entra ID may send a new refresh token with any redemption, and
	// every API's source then redeems the newest.
	held *heldRefreshToken
}

// heldRefreshToken is the latest refresh token of one credential.
type heldRefreshToken struct {
	mu    sync.Mutex
	token string
}

// NewRefreshTokenSource checks cfg and returns a TokenSource that redeems
// the refresh token at {AuthorityHost}/{TenantID}/oauth2/v2.0/token. It
// makes no network call.
func NewRefreshTokenSource(cfg RefreshTokenConfig) (TokenSource, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	tokenURL, err := tokenEndpoint(cfg.AuthorityHost, cfg.TenantID)
	if err != nil {
		return nil, err
	}
	var assertion clientAssertion
	if cfg.ClientCertificate != nil {
		assertion = certificateAssertion(cfg.ClientCertificate, cfg.ClientID, tokenURL)
	}
	return &refreshTokenSource{
		tokenGrant: tokenGrant{
			clientID:     cfg.ClientID,
			clientSecret: cfg.ClientSecret,
			assertion:    assertion,
			scope:        strings.TrimRight(cfg.Audience, "/") + "/user_impersonation offline_access",
			tokenURL:     tokenURL,
			httpClient:   tokenEndpointClient(cfg.HTTPClient),
			redact:       newSecretRedactor(cfg.ClientSecret, cfg.RefreshToken),
		},
		held: &heldRefreshToken{token: cfg.RefreshToken},
	}, nil
}

func (cfg RefreshTokenConfig) validate() error {
	if err := checkTokenConfig("refresh token credential", cfg.AuthorityHost, []namedValue{
		{"AuthorityHost", cfg.AuthorityHost},
		{"TenantID", cfg.TenantID},
		{"ClientID", cfg.ClientID},
		{"RefreshToken", cfg.RefreshToken},
		{"Audience", cfg.Audience},
	}); err != nil {
		return err
	}
	if strings.ContainsAny(cfg.TenantID, "/?#% \t\r\n") {
		return fmt.Errorf("refresh token credential: TenantID %q is not a tenant GUID or domain name", cfg.TenantID)
	}
	switch {
	case cfg.ClientSecret == "" && cfg.ClientCertificate == nil:
		return errors.New("refresh token credential: set ClientSecret or ClientCertificate")
	case cfg.ClientSecret != "" && cfg.ClientCertificate != nil:
		return errors.New("refresh token credential: set only one of ClientSecret and ClientCertificate")
	case cfg.ClientCertificate != nil:
		if err := cfg.ClientCertificate.validate(); err != nil {
			return fmt.Errorf("refresh token credential: %w", err)
		}
	}
	return nil
}

// exactlyOne reports whether exactly one of the alternatives is set.
func exactlyOne(set ...bool) bool {
	n := 0
	for _, isSet := range set {
		if isSet {
			n++
		}
	}
	return n == 1
}

// namedValue is a configuration field and its value, for error messages.
type namedValue struct{ name, value string }

// tokenEndpoint is Entra ID's v2 token endpoint of the tenant at the
// authority host: {AuthorityHost}/{TenantID}/oauth2/v2.0/token.
func tokenEndpoint(authorityHost, tenantID string) (string, error) {
	raw := strings.TrimRight(authorityHost, "/") + "/" + url.PathEscape(tenantID) + "/oauth2/v2.0/token"
	if _, err := url.Parse(raw); err != nil {
		return "", fmt.Errorf("token URL %q: %w", redactUserinfo(raw), err)
	}
	return raw, nil
}

// checkTokenConfig is the start of every token source's validation: it names
// each required field left empty, then checks the authority host.
func checkTokenConfig(flow, authorityHost string, required []namedValue) error {
	var missing []string
	for _, f := range required {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %s must be set", flow, strings.Join(missing, ", "))
	}
	if err := CheckEndpointURL(authorityHost); err != nil {
		return fmt.Errorf("%s: AuthorityHost: %w", flow, err)
	}
	return nil
}

// Token redeems the latest refresh token. The request uses ctx, so
// cancelling ctx cancels it. The returned token carries no refresh token,
// not even in its extra fields: that long-lived secret stays inside the
// source.
func (s *refreshTokenSource) Token(ctx context.Context) (*oauth2.Token, error) {
	s.held.mu.Lock()
	rt := s.held.token
	s.held.mu.Unlock()

	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {rt},
		"client_id":     {s.clientID},
		"scope":         {s.scope},
	}
	if s.assertion == nil {
		form.Set("client_secret", s.clientSecret)
	} else {
		assertion, err := s.nextAssertion(ctx)
		if err != nil {
			return nil, err
		}
		form.Set("client_assertion_type", clientAssertionType)
		form.Set("client_assertion", assertion)
	}
	tok, rotated, err := s.post(ctx, form)
	if err != nil {
		return nil, err
	}
	if rotated != "" && rotated != rt {
		s.redact.remember(rotatingRefreshToken, rotated)
		s.held.mu.Lock()
		// Only replace the token this request redeemed: if a concurrent
		// request already stored a newer one, keep it.
		if s.held.token == rt {
			s.held.token = rotated
		}
		s.held.mu.Unlock()
	}
	return tok, nil
}
