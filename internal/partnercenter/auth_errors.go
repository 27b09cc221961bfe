package partnercenter

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ErrAuthentication matches every *AuthenticationError with errors.Is, so
// callers can tell credential problems from API errors without a type switch.
var ErrAuthentication = errors.New("partner center authentication failed")

// AuthenticationError explains why an access token could not be obtained,
// in words a provider user can act on. It never holds secrets or tokens.
type AuthenticationError struct {
	// Reason is the plain-language cause.
	Reason string
	// Hint says what to do about it.
	Hint string
	// ErrorCode is the OAuth 2.0 error, e.g. invalid_grant.
	ErrorCode string
	// AADSTSCode is Entra ID's own code, e.g. AADSTS700082.
	AADSTSCode string
	// Description is the first line of Entra ID's error_description,
	// sanitized.
	Description string
	// StatusCode is the HTTP status of the token response, 0 when there
	// was none.
	StatusCode int
	// TraceID and CorrelationID identify the request for Microsoft support.
	TraceID, CorrelationID string
	// Err is the underlying error, if any.
	Err error
}

// Error returns the reason, the hint and the identifiers of the failed
// request in one message.
func (e *AuthenticationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrAuthentication.Error())
	b.WriteString(": ")
	if e.Reason != "" {
		b.WriteString(e.Reason)
	} else {
		b.WriteString("the credential was rejected")
	}
	var details []string
	if e.AADSTSCode != "" {
		details = append(details, e.AADSTSCode)
	}
	if e.ErrorCode != "" {
		details = append(details, e.ErrorCode)
	}
	if e.StatusCode != 0 {
		details = append(details, "HTTP "+strconv.Itoa(e.StatusCode))
	}
	if len(details) > 0 {
		b.WriteString(" (" + strings.Join(details, ", ") + ")")
	}
	// Descriptions usually end with a period already; avoid "..".
	if e.Description != "" {
		b.WriteString(". Entra ID said: " + strings.TrimRight(e.Description, ". "))
	}
	if e.Hint != "" {
		b.WriteString(". To fix: " + strings.TrimRight(e.Hint, ". "))
	}
	if e.TraceID != "" {
		b.WriteString(". Trace ID: " + e.TraceID)
	}
	if e.CorrelationID != "" {
		b.WriteString(". Correlation ID: " + e.CorrelationID)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *AuthenticationError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrAuthentication) true.
func (e *AuthenticationError) Is(target error) bool { return target == ErrAuthentication }

// authFailure is one row of the mapping from Entra ID codes to advice.
type authFailure struct {
	reason, hint string
}

var (
	failureRefreshExpired = authFailure{
		"the refresh token has expired (refresh tokens expire after 90 days of no use)",
		"obtain a new refresh token through the secure application model consent flow and set refresh_token / PARTNERCENTER_REFRESH_TOKEN",
	}
	failureRefreshInvalid = authFailure{
		"the refresh token is invalid, revoked, or was issued to another application or tenant",
		"obtain a new refresh token for this client_id and tenant_id through the secure application model consent flow and set refresh_token / PARTNERCENTER_REFRESH_TOKEN",
	}
	failureSecret = authFailure{
		"the client secret is wrong",
		"set client_secret to the secret's value (not its ID) from the application's Certificates & secrets page, and check that it has not expired",
	}
	failureSecretExpired = authFailure{
		"the client secret has expired",
		"create a new client secret for the application and set client_secret",
	}
	failureAssertion = authFailure{
		"the client assertion was rejected: the certificate is not registered on the application",
		"upload the certificate's public part to the application's Certificates & secrets page, or use the certificate that is registered there",
	}
	failureAssertionTime = authFailure{
		"the client assertion or federated token was rejected because it is outside its validity period",
		"check that this machine's clock is correct; a federated token given as oidc_token or in a file may have expired: give a fresh one",
	}
	failureFederatedMismatch = authFailure{
		"the federated token matches no federated credential of the application",
		"add a federated credential to the application whose issuer and subject are exactly the token's, with audience api://AzureADTokenExchange",
	}
	failureFederatedSignature = authFailure{
		"the federated token's signature could not be verified with its issuer's keys",
		"give the token exactly as the identity provider issued it",
	}
	failureClientCredentials = authFailure{
		"the client credentials were rejected",
		"check client_id and the client secret or certificate registered on the application",
	}
	failureAppNotFound = authFailure{
		"the application (client_id) was not found in the tenant",
		"check client_id and tenant_id, and that the application is registered in (or consented to by) the partner tenant",
	}
	failureTenantNotFound = authFailure{
		"the tenant was not found",
		"check tenant_id, and that environment / authority_host match the cloud the tenant lives in",
	}
	failureScope = authFailure{
		"the requested scope is invalid",
		"check environment / endpoint, and that the application has the Partner Center API permission (user_impersonation for App+User; App-only asks for /.default)",
	}
	failureInteraction = authFailure{
		"multi-factor authentication or conditional access requires an interactive sign-in that a refresh token cannot satisfy",
		"repeat the secure application model consent flow interactively (completing MFA) to obtain a new refresh token",
	}
	failureConsent = authFailure{
		"the user or an administrator has not consented to the application's permissions",
		"grant consent to the application's Partner Center API permission, then obtain a new refresh token",
	}
	failureServer = authFailure{
		"Entra ID could not issue a token because of a server-side error",
		"try again later",
	}
	failureOther = authFailure{
		"Entra ID rejected the token request",
		"read Entra ID's description below and check the credential settings",
	}
)

// aadstsFailures maps Entra ID's numeric codes, which are more specific
// than the OAuth error names, to advice.
var aadstsFailures = map[string]authFailure{
	"AADSTS700082":  failureRefreshExpired,
	"AADSTS70000":   failureRefreshInvalid,
	"AADSTS70008":   failureRefreshInvalid,
	"AADSTS50173":   failureRefreshInvalid,
	"AADSTS7000215": failureSecret,
	"AADSTS7000222": failureSecretExpired,
	"AADSTS700027":  failureAssertion,
	"AADSTS700024":  failureAssertionTime,
	"AADSTS70021":   failureFederatedMismatch,
	"AADSTS700211":  failureFederatedMismatch,
	"AADSTS700212":  failureFederatedMismatch,
	"AADSTS700213":  failureFederatedMismatch,
	"AADSTS50013":   failureFederatedSignature,
	"AADSTS700016":  failureAppNotFound,
	"AADSTS90002":   failureTenantNotFound,
	"AADSTS900023":  failureTenantNotFound,
	"AADSTS70011":   failureScope,
	"AADSTS50076":   failureInteraction,
	"AADSTS50079":   failureInteraction,
	"AADSTS65001":   failureConsent,
}

// oauthFailures is the fallback when no AADSTS code is known.
var oauthFailures = map[string]authFailure{
	"invalid_grant":        failureRefreshInvalid,
	"invalid_client":       failureClientCredentials,
	"unauthorized_client":  failureAppNotFound,
	"invalid_scope":        failureScope,
	"interaction_required": failureInteraction,
	"consent_required":     failureConsent,
}

var aadstsPattern = regexp.MustCompile(`AADSTS\d+`)

// tokenRequestError turns an error from a token request into an
// *AuthenticationError when Entra ID answered or redirected, or wraps it
// with the token URL when it did not (network errors stay network errors,
// and context errors stay matchable with errors.Is). The secrets redact knows, in every
// encoding, are removed from any text that came from the server, in case it
// echoes the request.
func tokenRequestError(err error, tokenURL string, redact *secretRedactor) error {
	var redirect *redirectError
	if errors.As(err, &redirect) {
		return &AuthenticationError{
			Reason:     "the token endpoint answered with a redirect to " + redirect.To + ", which is never followed: it would send the credentials there",
			Hint:       "check authority_host / environment: an Entra ID token endpoint does not redirect",
			StatusCode: redirect.StatusCode,
			Err:        redirect,
		}
	}
	var refusal *tokenEndpointError
	if !errors.As(err, &refusal) {
		return fmt.Errorf("requesting a token from %s: %w", tokenURL, err)
	}
	body := refusal.body
	ae := &AuthenticationError{
		ErrorCode:     redact.text(body.Error),
		StatusCode:    refusal.statusCode,
		TraceID:       redact.text(body.TraceID),
		CorrelationID: redact.text(body.CorrelationID),
		Err:           fmt.Errorf("token endpoint %s rejected the request", tokenURL),
	}
	if len(body.ErrorCodes) > 0 {
		ae.AADSTSCode = "AADSTS" + strconv.Itoa(body.ErrorCodes[0])
	}
	desc := firstLine(body.ErrorDescription)
	if ae.AADSTSCode == "" {
		ae.AADSTSCode = aadstsPattern.FindString(desc)
	}
	ae.Description = redact.text(desc)

	f, ok := aadstsFailures[ae.AADSTSCode]
	if !ok {
		f, ok = oauthFailures[body.Error]
	}
	if !ok {
		switch {
		case ae.StatusCode >= 500:
			f = failureServer
		case ae.ErrorCode == "" && ae.StatusCode != 0:
			f = authFailure{
				fmt.Sprintf("the token endpoint answered HTTP %d without an OAuth error", ae.StatusCode),
				"check authority_host / environment: the URL may not be an Entra ID token endpoint",
			}
		default:
			f = failureOther
		}
	}
	ae.Reason, ae.Hint = f.reason, f.hint
	return ae
}

// firstLine drops the "Trace ID: …", "Timestamp: …" lines that Entra ID
// appends to every description; the IDs are reported separately.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
