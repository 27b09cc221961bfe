package partnercenter

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// entraError builds an Entra ID error body the way the service does: the
// description starts with the AADSTS code and ends with trace lines. echo
// is appended to the description to check that secrets a server might
// echo back are removed.
func entraError(oauthCode string, aadsts int, text, echo string) map[string]any {
	desc := text
	if aadsts != 0 {
		desc = fmt.Sprintf("AADSTS%d: %s %s", aadsts, text, echo)
	}
	desc += "\r\nTrace ID: 0b1f6c1e-0000-4000-8000-000000000001\r\nCorrelation ID: 5c3a1f2e-0000-4000-8000-000000000002\r\nTimestamp: 2024-05-01 10:00:00Z"
	body := map[string]any{
		"error":             oauthCode,
		"error_description": desc,
		"timestamp":         "2024-05-01 10:00:00Z",
		"trace_id":          "0b1f6c1e-0000-4000-8000-000000000001",
		"correlation_id":    "5c3a1f2e-0000-4000-8000-000000000002",
		"error_uri":         "https://login.microsoftonline.com/error?code=" + fmt.Sprint(aadsts),
	}
	if aadsts != 0 {
		body["error_codes"] = []int{aadsts}
	}
	return body
}

func TestRefreshTokenErrorMapping(t *testing.T) {
	a, _, _ := authTestCerts(t)
	const accessLike = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"
	tests := []struct {
		name       string
		status     int
		oauthCode  string
		aadsts     int
		text       string
		noBody     bool // omit error_codes: the code must come from the description
		useCert    bool
		wantReason string
		wantHint   string
		wantAADSTS string
	}{
		{name: "expired refresh token", status: 400, oauthCode: "invalid_grant", aadsts: 700082, text: "The refresh token has expired due to inactivity.", wantReason: "expired", wantHint: "consent flow", wantAADSTS: "AADSTS700082"},
		{name: "invalid refresh token", status: 400, oauthCode: "invalid_grant", aadsts: 70000, text: "Provided grant is invalid or malformed.", wantReason: "invalid, revoked", wantHint: "new refresh token", wantAADSTS: "AADSTS70000"},
		{name: "refresh token revoked", status: 400, oauthCode: "invalid_grant", aadsts: 70008, text: "The provided authorization code or refresh token has expired due to inactivity.", wantReason: "invalid, revoked", wantAADSTS: "AADSTS70008"},
		{name: "grant revoked by password change", status: 400, oauthCode: "invalid_grant", aadsts: 50173, text: "The provided grant has expired due to it being revoked.", wantReason: "another application or tenant", wantAADSTS: "AADSTS50173"},
		{name: "invalid_grant without code", status: 400, oauthCode: "invalid_grant", text: "bad grant", wantReason: "invalid, revoked"},
		{name: "wrong client secret", status: 401, oauthCode: "invalid_client", aadsts: 7000215, text: "Invalid client secret provided.", wantReason: "client secret is wrong", wantHint: "not its ID", wantAADSTS: "AADSTS7000215"},
		{name: "expired client secret", status: 401, oauthCode: "invalid_client", aadsts: 7000222, text: "The provided client secret keys are expired.", wantReason: "client secret has expired", wantAADSTS: "AADSTS7000222"},
		{name: "invalid_client without code", status: 401, oauthCode: "invalid_client", text: "nope", wantReason: "client credentials were rejected"},
		{name: "certificate not registered", status: 401, oauthCode: "invalid_client", aadsts: 700027, text: "Client assertion failed signature validation.", useCert: true, wantReason: "certificate is not registered", wantAADSTS: "AADSTS700027"},
		{name: "assertion clock skew", status: 401, oauthCode: "invalid_client", aadsts: 700024, text: "Client assertion is not within its valid time range.", useCert: true, wantReason: "validity period", wantHint: "clock", wantAADSTS: "AADSTS700024"},
		{name: "app not found", status: 400, oauthCode: "unauthorized_client", aadsts: 700016, text: "Application with identifier 'client-1' was not found in the directory.", wantReason: "not found in the tenant", wantAADSTS: "AADSTS700016"},
		{name: "unauthorized_client without code", status: 400, oauthCode: "unauthorized_client", text: "no", wantReason: "not found in the tenant"},
		{name: "tenant not found", status: 400, oauthCode: "invalid_request", aadsts: 90002, text: "Tenant 'tenant-1' not found.", wantReason: "tenant was not found", wantHint: "tenant_id", wantAADSTS: "AADSTS90002"},
		{name: "tenant id malformed", status: 400, oauthCode: "invalid_request", aadsts: 900023, text: "Specified tenant identifier is neither a valid DNS name, nor a valid external domain.", wantReason: "tenant was not found", wantAADSTS: "AADSTS900023"},
		{name: "invalid scope", status: 400, oauthCode: "invalid_scope", aadsts: 70011, text: "The provided value for the input parameter 'scope' is not valid.", wantReason: "scope is invalid", wantAADSTS: "AADSTS70011"},
		{name: "MFA required", status: 400, oauthCode: "invalid_grant", aadsts: 50076, text: "Due to a configuration change made by your administrator, you must use multi-factor authentication.", wantReason: "multi-factor", wantHint: "interactively", wantAADSTS: "AADSTS50076"},
		{name: "MFA registration", status: 400, oauthCode: "invalid_grant", aadsts: 50079, text: "The user is required to use multi-factor authentication.", wantReason: "conditional access", wantAADSTS: "AADSTS50079"},
		{name: "interaction_required without code", status: 400, oauthCode: "interaction_required", text: "interaction", wantReason: "interactive"},
		{name: "code only in description", status: 400, oauthCode: "invalid_grant", aadsts: 700082, text: "The refresh token has expired.", noBody: true, wantReason: "expired", wantAADSTS: "AADSTS700082"},
		{name: "unknown code", status: 400, oauthCode: "invalid_request", aadsts: 9999999, text: "Something else.", wantReason: "rejected the token request", wantAADSTS: "AADSTS9999999"},
		{name: "server error", status: 503, oauthCode: "temporarily_unavailable", text: "busy", wantReason: "server-side error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sentAssertion string
			entra := newFakeEntra(t, func(form url.Values) (int, any) {
				sentAssertion = form.Get("client_assertion")
				echo := strings.Join([]string{form.Get("client_secret"), form.Get("refresh_token"), sentAssertion, accessLike}, " ")
				body := entraError(tt.oauthCode, tt.aadsts, tt.text, echo)
				if tt.noBody {
					delete(body, "error_codes")
				}
				return tt.status, body
			})
			cfg := testRefreshConfig(entra.srv.URL)
			cfg.RefreshToken = "0.AXsecret-refresh-token-value"
			cfg.ClientSecret = "Xy8Q~client-secret-value"
			if tt.useCert {
				cfg.ClientSecret, cfg.ClientCertificate = "", a.clientCertificate()
			}
			src, err := NewRefreshTokenSource(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.Token(t.Context())
			if !errors.Is(err, ErrAuthentication) {
				t.Fatalf("errors.Is(err, ErrAuthentication) is false for %v", err)
			}
			var ae *AuthenticationError
			if !errors.As(err, &ae) {
				t.Fatalf("error is %T", err)
			}
			if !strings.Contains(ae.Reason, tt.wantReason) {
				t.Errorf("Reason = %q, want it to mention %q", ae.Reason, tt.wantReason)
			}
			if !strings.Contains(ae.Hint, tt.wantHint) || ae.Hint == "" {
				t.Errorf("Hint = %q, want it to mention %q", ae.Hint, tt.wantHint)
			}
			if ae.AADSTSCode != tt.wantAADSTS {
				t.Errorf("AADSTSCode = %q, want %q", ae.AADSTSCode, tt.wantAADSTS)
			}
			if ae.ErrorCode != tt.oauthCode || ae.StatusCode != tt.status {
				t.Errorf("ErrorCode, StatusCode = %q, %d", ae.ErrorCode, ae.StatusCode)
			}
			if ae.TraceID != "0b1f6c1e-0000-4000-8000-000000000001" || ae.CorrelationID != "5c3a1f2e-0000-4000-8000-000000000002" {
				t.Errorf("TraceID, CorrelationID = %q, %q", ae.TraceID, ae.CorrelationID)
			}
			if strings.ContainsAny(ae.Description, "\r\n") || strings.Contains(ae.Description, "Timestamp") {
				t.Errorf("Description keeps the trace lines: %q", ae.Description)
			}
			msg := err.Error()
			for _, s := range []string{ae.Reason, ae.Hint, tt.wantAADSTS, ae.TraceID} {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
			secrets := []string{"secret-refresh-token-value", "client-secret-value", accessLike}
			if tt.useCert {
				if sentAssertion == "" {
					t.Fatal("no assertion was sent")
				}
				secrets = append(secrets, sentAssertion)
			}
			for _, s := range secrets {
				if strings.Contains(msg, s) || strings.Contains(fmt.Sprintf("%+v", ae), s) {
					t.Errorf("error leaks %q: %s", s, msg)
				}
			}
		})
	}
}

func TestRefreshTokenErrorNotOAuth(t *testing.T) {
	// A proxy or a wrong authority_host answers with HTML, not OAuth JSON.
	entra := newFakeEntra(t, func(url.Values) (int, any) { return http.StatusNotFound, "<html>not here</html>" })
	src, err := NewRefreshTokenSource(testRefreshConfig(entra.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(t.Context())
	var ae *AuthenticationError
	if !errors.As(err, &ae) {
		t.Fatalf("error is %T: %v", err, err)
	}
	if ae.StatusCode != http.StatusNotFound || !strings.Contains(ae.Reason, "HTTP 404") || !strings.Contains(ae.Hint, "authority_host") {
		t.Errorf("got %+v", ae)
	}
}

func TestAuthenticationErrorMessage(t *testing.T) {
	inner := errors.New("inner")
	e := &AuthenticationError{
		Reason:        "the refresh token has expired",
		Hint:          "obtain a new refresh token",
		ErrorCode:     "invalid_grant",
		AADSTSCode:    "AADSTS700082",
		Description:   "AADSTS700082: The refresh token has expired.",
		StatusCode:    400,
		TraceID:       "trace-1",
		CorrelationID: "corr-1",
		Err:           inner,
	}
	want := "partner center authentication failed: the refresh token has expired (AADSTS700082, invalid_grant, HTTP 400). " +
		"Entra ID said: AADSTS700082: The refresh token has expired. To fix: obtain a new refresh token. Trace ID: trace-1. Correlation ID: corr-1"
	if got := e.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	if !errors.Is(e, ErrAuthentication) || !errors.Is(e, inner) || errors.Unwrap(e) != inner {
		t.Error("errors.Is / Unwrap do not work")
	}
	wrapped := fmt.Errorf("reading customer: %w", e)
	if !errors.Is(wrapped, ErrAuthentication) {
		t.Error("errors.Is through a wrap failed")
	}
	if got := (&AuthenticationError{}).Error(); got != "partner center authentication failed: the credential was rejected" {
		t.Errorf("empty error message %q", got)
	}
}
