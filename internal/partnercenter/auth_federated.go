package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// federatedTokenAudience is the audience Entra ID requires of an ID token
// used as a federated client assertion.
const federatedTokenAudience = "api://AzureADTokenExchange"

// azureDevOpsAPIVersion is the version of Azure DevOps' oidctoken API.
const azureDevOpsAPIVersion = "7.1"

// maxIDTokenResponse bounds what is read from a CI ID-token endpoint: an ID
// token is a few kilobytes.
const maxIDTokenResponse = 1 << 20

// FederatedToken says where the ID token of workload identity federation
// comes from. Set exactly one of Token, File and RequestURL. A new ID token
// is taken for every access token: CI ID tokens live only minutes.
type FederatedToken struct {
	// Token is the ID token itself.
	Token string
	// File holds the ID token, as written by HCP Terraform or a Kubernetes
	// workload identity; it is read again for every access token, because
	// its writer replaces the token before it expires.
	File string
	// RequestURL is the CI system's ID-token endpoint: GitHub Actions'
	// ACTIONS_ID_TOKEN_REQUEST_URL, or Azure DevOps' SYSTEM_OIDCREQUESTURI
	// when ServiceConnectionID is set. It must pass CheckRequestURL.
	RequestURL string
	// RequestToken is the bearer token for RequestURL. It is sent to
	// RequestURL's host only, never along a redirect.
	RequestToken string
	// ServiceConnectionID is the Azure DevOps service connection whose
	// federated credential is used.
	ServiceConnectionID string
}

func (f *FederatedToken) validate() error {
	switch {
	case !exactlyOne(strings.TrimSpace(f.Token) != "", strings.TrimSpace(f.File) != "", strings.TrimSpace(f.RequestURL) != ""):
		return errors.New("federated token: set exactly one of Token, File and RequestURL")
	case f.RequestURL != "" && f.RequestToken == "":
		return errors.New("federated token: RequestToken must be set with RequestURL")
	case f.RequestURL != "":
		if err := CheckRequestURL(f.RequestURL); err != nil {
			return fmt.Errorf("federated token: RequestURL: %w", err)
		}
	}
	return nil
}

// kind names the source in errors, without any secret.
func (f *FederatedToken) kind() string {
	switch {
	case f.File != "":
		return "the federated token file " + f.File
	case f.RequestURL != "" && f.ServiceConnectionID != "":
		return "Azure DevOps' ID-token endpoint"
	case f.RequestURL != "":
		return "GitHub Actions' ID-token endpoint"
	}
	return "the configured federated token"
}

// secrets are the values of f that must never be shown.
func (f *FederatedToken) secrets() []string {
	return []string{f.Token, f.RequestToken}
}

// CheckRequestURL reports why raw cannot serve as a CI ID-token endpoint,
// or nil when it can: the rules of CheckEndpointURL, except that a query
// string is allowed (GitHub Actions' URL carries one).
func CheckRequestURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL", redactUserinfo(raw))
	}
	u.RawQuery, u.ForceQuery = "", false
	if err := CheckEndpointURL(u.String()); err != nil {
		return err
	}
	return nil
}

// idToken returns a fresh ID token. hc sends the CI request; it must not
// follow redirects, so that the request token reaches no other host.
func (f *FederatedToken) idToken(ctx context.Context, hc *http.Client) (string, error) {
	switch {
	case f.Token != "":
		return strings.TrimSpace(f.Token), nil
	case f.File != "":
		raw, err := ReadCredentialFile(f.File, MaxTokenFileSize)
		if err != nil {
			return "", &AuthenticationError{
				Reason: "the federated token file cannot be read: " + describeFileError(err),
				Hint:   "check oidc_token_file_path (or AZURE_FEDERATED_TOKEN_FILE) and that the process writing the token is running",
			}
		}
		tok := strings.TrimSpace(string(raw))
		if tok == "" {
			return "", &AuthenticationError{
				Reason: "the federated token file " + f.File + " is empty",
				Hint:   "check that the process writing the token is running",
			}
		}
		return tok, nil
	case f.ServiceConnectionID != "":
		return f.requestIDToken(ctx, hc, http.MethodPost, url.Values{
			"api-version":         {azureDevOpsAPIVersion},
			"serviceConnectionId": {f.ServiceConnectionID},
		}, func(body []byte) string {
			var answer struct {
				OIDCToken string `json:"oidcToken"`
			}
			_ = json.Unmarshal(body, &answer)
			return answer.OIDCToken
		})
	default:
		return f.requestIDToken(ctx, hc, http.MethodGet, url.Values{"audience": {federatedTokenAudience}}, func(body []byte) string {
			var answer struct {
				Value string `json:"value"`
			}
			_ = json.Unmarshal(body, &answer)
			return answer.Value
		})
	}
}

// requestIDToken asks the CI system for an ID token: query is added to the
// request URL's own query, the request token goes in the Authorization
// header, and pick extracts the token from the JSON answer.
func (f *FederatedToken) requestIDToken(ctx context.Context, hc *http.Client, method string, query url.Values, pick func([]byte) string) (string, error) {
	u, err := url.Parse(f.RequestURL)
	if err != nil {
		return "", fmt.Errorf("federated token request URL: %w", err)
	}
	q := u.Query()
	for k, v := range query {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("federated token request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+f.RequestToken)
	req.Header.Set("Accept", "application/json")
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	shown := u.Redacted()
	if i := strings.IndexByte(shown, '?'); i >= 0 {
		shown = shown[:i] // the query may carry run identifiers; the path is enough to act on
	}
	resp, err := hc.Do(req)
	if err != nil {
		if redirect := (*redirectError)(nil); errors.As(err, &redirect) {
			return "", &AuthenticationError{
				Reason: f.kind() + " answered with a redirect, which is not followed so that the request token goes nowhere else",
				Hint:   "check oidc_request_url: it must be the URL the CI system provides",
			}
		}
		// *url.Error quotes the whole URL, query included.
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("requesting an ID token from %s: %w", shown, err)
	}
	defer closeBody(resp)
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxIDTokenResponse))
	if err != nil {
		return "", fmt.Errorf("reading the ID token from %s: %w", shown, err)
	}
	if resp.StatusCode != http.StatusOK {
		// Description is reserved for Entra ID's words, so the CI system's
		// own message goes into the reason.
		reason := f.kind() + " refused to issue an ID token"
		if said := newSecretRedactor(f.secrets()...).text(string(body)); said != "" {
			reason += " (it said: " + said + ")"
		}
		return "", &AuthenticationError{
			Reason:     reason,
			Hint:       idTokenHint(f),
			StatusCode: resp.StatusCode,
			Err:        fmt.Errorf("ID-token endpoint %s answered %s", shown, resp.Status),
		}
	}
	tok := strings.TrimSpace(pick(body))
	if tok == "" {
		return "", &AuthenticationError{
			Reason: f.kind() + " answered without an ID token",
			Hint:   "check oidc_request_url: it must be the URL the CI system provides",
			Err:    fmt.Errorf("ID-token endpoint %s sent no token", shown),
		}
	}
	return tok, nil
}

func idTokenHint(f *FederatedToken) string {
	if f.ServiceConnectionID != "" {
		return "check ado_pipeline_service_connection_id, that the pipeline may use that service connection, and that " +
			"oidc_request_token is the job's System.AccessToken (SYSTEM_ACCESSTOKEN)"
	}
	return "give the GitHub Actions job the permission `id-token: write`, and check that oidc_request_url and oidc_request_token " +
		"are the job's ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN"
}
