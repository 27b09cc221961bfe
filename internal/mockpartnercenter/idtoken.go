package mockpartnercenter

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// federatedAudience is the audience Entra ID requires of a federated ID
// token presented as a client assertion.
const federatedAudience = "api://AzureADTokenExchange"

// Paths of the mock's CI ID-token endpoints, shaped after GitHub Actions'
// ACTIONS_ID_TOKEN_REQUEST_URL and Azure DevOps' SYSTEM_OIDCREQUESTURI.
const (
	gitHubActionsIDTokenPath = "/github-actions/_apis/distributedtask/hubs/Actions/plans/1/jobs/1/idtoken"
	azureDevOpsIDTokenPath   = "/azure-devops/_apis/distributedtask/hubs/build/plans/1/jobs/1/oidctoken"
)

// workloadIdentity is a federated identity credential registered on the
// mock's application: Entra ID accepts an ID token whose issuer and subject
// match one of them exactly.
type workloadIdentity struct {
	issuer, subject string
}

// The issuers and subjects are those the real CI systems use, so the
// tokens look like what Entra ID sees.
var (
	gitHubActionsIdentity  = workloadIdentity{"https://token.actions.githubusercontent.com", "repo:contoso/partner-infra:environment:production"}
	azureDevOpsIdentity    = workloadIdentity{"https://vstoken.dev.azure.com/33333333-3333-3333-3333-333333333333", "sc://contoso/partner-infra/partner-center"}
	terraformCloudIdentity = workloadIdentity{"https://app.terraform.io", "organization:contoso:project:partner:workspace:customers:run_phase:plan"}
	workloadIdentities     = []workloadIdentity{gitHubActionsIdentity, azureDevOpsIdentity, terraformCloudIdentity}
)

// GitHubActionsRequestURL is the URL a GitHub Actions job would find in
// ACTIONS_ID_TOKEN_REQUEST_URL; it already carries a query string.
func (s *Server) GitHubActionsRequestURL() string {
	return s.url + gitHubActionsIDTokenPath + "?api-version=2.0"
}

// AzureDevOpsRequestURL is the URL an Azure DevOps job would find in
// SYSTEM_OIDCREQUESTURI.
func (s *Server) AzureDevOpsRequestURL() string {
	return s.url + azureDevOpsIDTokenPath
}

// IssueIDToken returns an ID token as HCP Terraform's dynamic credentials
// (or a Kubernetes workload identity) would write to a file: valid for
// Options.IDTokenLifetime and accepted as a federated client assertion.
func (s *Server) IssueIDToken() string {
	return s.signIDToken(terraformCloudIdentity, federatedAudience, s.opts.IDTokenLifetime)
}

func (s *Server) signIDToken(id workloadIdentity, audience string, lifetime time.Duration) string {
	now := time.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.RegisteredClaims{
		Issuer:    id.issuer,
		Subject:   id.subject,
		Audience:  jwt.ClaimStrings{audience},
		ID:        uuid.NewString(),
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(lifetime)),
	})
	signed, err := tok.SignedString(s.idTokenKey)
	if err != nil {
		panic("mockpartnercenter: signing an ID token: " + err.Error()) // an ECDSA key always signs
	}
	return signed
}

// serveGitHubActionsIDToken answers as GitHub Actions' ID-token service:
// GET with the job's request token, the audience in the query, the token in
// "value". Without audience GitHub uses the repository owner's URL, which
// Entra ID then refuses.
func (s *Server) serveGitHubActionsIDToken(w http.ResponseWriter, r *http.Request) {
	s.countRoute(RouteIDToken)
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "Method not allowed"})
		return
	}
	if !s.validRequestToken(r) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return
	}
	audience := r.URL.Query().Get("audience")
	if audience == "" {
		audience = "https://github.com/contoso"
	}
	writeJSON(w, http.StatusOK, struct {
		Count int    `json:"count"`
		Value string `json:"value"`
	}{Count: 1, Value: s.signIDToken(gitHubActionsIdentity, audience, s.opts.IDTokenLifetime)})
}

// serveAzureDevOpsIDToken answers as Azure DevOps' oidctoken API: POST with
// System.AccessToken, api-version and the service connection in the query,
// the token in "oidcToken".
func (s *Server) serveAzureDevOpsIDToken(w http.ResponseWriter, r *http.Request) {
	s.countRoute(RouteIDToken)
	q := r.URL.Query()
	switch {
	case r.Method != http.MethodPost:
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "The requested resource does not support http method '" + sanitize(r.Method) + "'."})
	case !s.validRequestToken(r):
		// Azure DevOps answers an unknown access token with 203 and a
		// sign-in page; a 401 keeps the mock simple and still a failure.
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "TF400813: The user is not authorized to access this resource."})
	case q.Get("api-version") == "":
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "No api-version was supplied for the \"POST\" request. The version must be supplied as part of the query string."})
	case q.Get("api-version") != "7.1":
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "The requested REST API version of " + sanitize(q.Get("api-version")) + " is not supported by this endpoint."})
	case !strings.EqualFold(q.Get("serviceConnectionId"), s.opts.ServiceConnectionID):
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Service connection " + sanitize(q.Get("serviceConnectionId")) + " was not found or is not authorized for this pipeline."})
	default:
		writeJSON(w, http.StatusOK, struct {
			OIDCToken string `json:"oidcToken"`
		}{s.signIDToken(azureDevOpsIdentity, federatedAudience, s.opts.IDTokenLifetime)})
	}
}

func (s *Server) validRequestToken(r *http.Request) bool {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return strings.EqualFold(scheme, "Bearer") &&
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.opts.OIDCRequestToken)) == 1
}

// verifyFederatedAssertion checks a federated ID token presented as a client
// assertion as Entra ID does: signed by a trusted issuer (here, the mock),
// not expired, for api://AzureADTokenExchange, and matching a registered
// federated identity credential by issuer and subject.
func (s *Server) verifyFederatedAssertion(assertion string) *assertionError {
	claims := jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(assertion, &claims, func(*jwt.Token) (any, error) {
		return &s.idTokenKey.PublicKey, nil
	}, jwt.WithValidMethods([]string{"ES256"}), jwt.WithoutClaimsValidation())
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return &assertionError{50027, "JWT token is invalid or malformed."}
	case err != nil:
		return &assertionError{50013, "Assertion failed signature validation. [Reason - The key was not found.]"}
	}
	known := slices.ContainsFunc(workloadIdentities, func(id workloadIdentity) bool { return id.issuer == claims.Issuer })
	if !known {
		return &assertionError{700211, fmt.Sprintf("No matching federated identity record found for presented assertion issuer '%s'.", sanitize(claims.Issuer))}
	}
	if !slices.Contains(claims.Audience, federatedAudience) {
		return &assertionError{700212, fmt.Sprintf("No matching federated identity record found for presented assertion audience '%s'.",
			sanitize(strings.Join(claims.Audience, ",")))}
	}
	now := time.Now()
	if claims.ExpiresAt == nil || !claims.ExpiresAt.After(now) {
		return &assertionError{700024, fmt.Sprintf("Client assertion is not within its valid time range. Current time: %s.", now.UTC().Format(entraTimeFormat))}
	}
	if !slices.Contains(workloadIdentities, workloadIdentity{claims.Issuer, claims.Subject}) {
		return &assertionError{70021, fmt.Sprintf("No matching federated identity record found for presented assertion. Assertion Issuer: '%s'. Assertion Subject: '%s'.",
			sanitize(claims.Issuer), sanitize(claims.Subject))}
	}
	return nil
}
