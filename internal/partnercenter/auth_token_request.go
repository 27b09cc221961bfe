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

// postTokenForm posts one grant's form to the token endpoint through hc (a
// tokenEndpointClient, so never along a redirect) and decodes the answer
// once: the token, or a *tokenEndpointError.
func postTokenForm(ctx context.Context, hc *http.Client, tokenURL string, form url.Values) (*oauth2.Token, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer closeBody(resp)
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenResponse+1))
	if err != nil {
		return nil, fmt.Errorf("reading the token response: %w", err)
	}
	if len(body) > maxTokenResponse {
		return nil, fmt.Errorf("the token response is larger than %d KiB", maxTokenResponse>>10)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		refusal := &tokenEndpointError{statusCode: resp.StatusCode}
		_ = json.Unmarshal(body, &refusal.body) // a body that is not JSON leaves only the status
		return nil, refusal
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
		return nil, fmt.Errorf("the token response is not valid JSON (HTTP %d)", resp.StatusCode)
	}
	if answer.AccessToken == "" {
		return nil, fmt.Errorf("the token response holds no access_token (HTTP %d)", resp.StatusCode)
	}
	tok := &oauth2.Token{AccessToken: answer.AccessToken, TokenType: answer.TokenType, RefreshToken: answer.RefreshToken}
	if secs, err := answer.ExpiresIn.Int64(); err == nil && secs > 0 {
		tok.ExpiresIn = secs
		tok.Expiry = time.Now().Add(time.Duration(secs) * time.Second)
	}
	return tok, nil
}
