package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// maxTokenResponse bounds what is read of a token endpoint's answer: a
// token response is a few kilobytes.
const maxTokenResponse = 1 << 20

// tokenEndpointError is a token endpoint's refusal: its HTTP status and
// error body, RFC 6749's fields and Entra ID's own. Its message holds
// neither the body nor anything else the server wrote.
type tokenEndpointError struct {
	statusCode int
	body       tokenErrorBody
}

type tokenErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
}

func (e *tokenEndpointError) Error() string {
	return fmt.Sprintf("the token endpoint answered HTTP %d", e.statusCode)
}

// tokenGrant is what both grants share: the application, how it proves
// itself, and where it asks. Each grant's Token builds its own form.
type tokenGrant struct {
	clientID, clientSecret string
	assertion              clientAssertion // nil: the secret authenticates
	scope                  string
	tokenURL               string
	httpClient             *http.Client // a tokenEndpointClient: never along a redirect
	redact                 *secretRedactor
}

// nextAssertion makes the client assertion of one token request. An
// assertion is a credential for as long as it lives, so it is redacted.
func (g *tokenGrant) nextAssertion(ctx context.Context) (string, error) {
	assertion, err := g.assertion(ctx)
	if err != nil {
		return "", err
	}
	g.redact.remember(rotatingAssertion, assertion)
	return assertion, nil
}

// redactor lets the Client redact the grant's secrets (the client secret,
// the refresh tokens, the assertions) from API text.
func (g *tokenGrant) redactor() *secretRedactor { return g.redact }

// post sends one grant's form and returns the access token and the refresh
// token Entra ID sent along, if any; a failure is explained by
// tokenRequestError.
func (g *tokenGrant) post(ctx context.Context, form url.Values) (*oauth2.Token, string, error) {
	tok, refreshToken, err := postTokenForm(ctx, g.httpClient, g.tokenURL, form)
	if err != nil {
		return nil, "", tokenRequestError(err, g.tokenURL, g.redact)
	}
	return tok, refreshToken, nil
}

// postTokenForm posts form to the token endpoint through hc and decodes the
// answer once: the access token (which never carries the refresh token) and
// the refresh token, or a *tokenEndpointError.
func postTokenForm(ctx context.Context, hc *http.Client, tokenURL string, form url.Values) (*oauth2.Token, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer closeBody(resp)
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenResponse+1))
	if err != nil {
		return nil, "", fmt.Errorf("reading the token response: %w", err)
	}
	if len(body) > maxTokenResponse {
		return nil, "", fmt.Errorf("the token response is larger than %d KiB", maxTokenResponse>>10)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		refusal := &tokenEndpointError{statusCode: resp.StatusCode}
		_ = json.Unmarshal(body, &refusal.body) // a body that is not JSON leaves only the status
		return nil, "", refusal
	}
	var answer struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		RefreshToken string `json:"refresh_token"`
		// A number, or a string holding one in Entra ID's v1 answers.
		ExpiresIn json.Number `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		// Not quoting the body: it may hold a token.
		return nil, "", fmt.Errorf("the token response is not valid JSON (HTTP %d)", resp.StatusCode)
	}
	if answer.AccessToken == "" {
		return nil, "", fmt.Errorf("the token response holds no access_token (HTTP %d)", resp.StatusCode)
	}
	tok := &oauth2.Token{AccessToken: answer.AccessToken, TokenType: answer.TokenType}
	if secs, err := answer.ExpiresIn.Int64(); err == nil && secs > 0 {
		tok.ExpiresIn = secs
		tok.Expiry = time.Now().Add(time.Duration(secs) * time.Second)
	}
	return tok, answer.RefreshToken, nil
}
