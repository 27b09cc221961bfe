package mockpartnercenter

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func startTestServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// requestIDToken calls a CI ID-token endpoint and returns the status and
// the decoded body.
func requestIDToken(t *testing.T, method, u, bearer string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("body %q: %v", raw, err)
	}
	return resp.StatusCode, body
}

func clientCredentialsForm(assertion string) url.Values {
	return url.Values{
		"grant_type":            {"client_credentials"},
		"client_id":             {DefaultClientID},
		"client_assertion_type": {jwtBearerAssertionType},
		"client_assertion":      {assertion},
		"scope":                 {DefaultAudience + "/.default"},
	}
}

func TestGitHubActionsIDToken(t *testing.T) {
	s := startTestServer(t, Options{})
	withAudience := s.GitHubActionsRequestURL() + "&audience=" + url.QueryEscape(federatedAudience)
	tests := []struct {
		name, method, url, bearer string
		status                    int
		wantAudience              string
	}{
		{"issued for the requested audience", http.MethodGet, withAudience, DefaultOIDCRequestToken, 200, federatedAudience},
		{"no audience: the owner's URL", http.MethodGet, s.GitHubActionsRequestURL(), DefaultOIDCRequestToken, 200, "https://github.com/contoso"},
		{"wrong request token", http.MethodGet, withAudience, "guess", 401, ""},
		{"no request token", http.MethodGet, withAudience, "", 401, ""},
		{"POST refused", http.MethodPost, withAudience, DefaultOIDCRequestToken, 405, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := requestIDToken(t, tc.method, tc.url, tc.bearer)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, body)
			}
			if tc.status != 200 {
				return
			}
			value, _ := body["value"].(string)
			claims := jwt.RegisteredClaims{}
			if _, _, err := jwt.NewParser().ParseUnverified(value, &claims); err != nil {
				t.Fatalf("value is not a JWT: %v", err)
			}
			if len(claims.Audience) != 1 || claims.Audience[0] != tc.wantAudience || claims.Issuer != gitHubActionsIdentity.issuer {
				t.Fatalf("aud %v iss %q", claims.Audience, claims.Issuer)
			}
		})
	}
}

func TestAzureDevOpsIDToken(t *testing.T) {
	s := startTestServer(t, Options{})
	query := func(version, connection string) string {
		return s.AzureDevOpsRequestURL() + "?" + url.Values{"api-version": {version}, "serviceConnectionId": {connection}}.Encode()
	}
	tests := []struct {
		name, method, url, bearer string
		status                    int
	}{
		{"issued", http.MethodPost, query("7.1", DefaultServiceConnectionID), DefaultOIDCRequestToken, 200},
		{"wrong api-version", http.MethodPost, query("6.0", DefaultServiceConnectionID), DefaultOIDCRequestToken, 400},
		{"no api-version", http.MethodPost, s.AzureDevOpsRequestURL() + "?serviceConnectionId=" + DefaultServiceConnectionID, DefaultOIDCRequestToken, 400},
		{"unknown service connection", http.MethodPost, query("7.1", "44444444-4444-4444-4444-444444444444"), DefaultOIDCRequestToken, 404},
		{"wrong request token", http.MethodPost, query("7.1", DefaultServiceConnectionID), "guess", 401},
		{"GET refused", http.MethodGet, query("7.1", DefaultServiceConnectionID), DefaultOIDCRequestToken, 405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := requestIDToken(t, tc.method, tc.url, tc.bearer)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, body)
			}
			if status == 200 {
				if tok, _ := body["oidcToken"].(string); tok == "" {
					t.Fatalf("no oidcToken in %v", body)
				}
			}
		})
	}
	if got := s.Requests(RouteIDToken); got != len(tests) {
		t.Errorf("ID token requests = %d, want %d", got, len(tests))
	}
}

// App-only: the client_credentials grant with a secret, a certificate or a
// federated ID token gives a token the API accepts, without a refresh token.
func TestClientCredentialsGrant(t *testing.T) {
	cs := testCerts(t)
	s := startTestServer(t, Options{ClientCertificate: cs[0].cert})
	now := time.Now()
	certAssertion := signAssertion(t, assertionSpec{
		method: jwt.SigningMethodRS256, key: cs[0].key, headers: map[string]string{"x5t": x5t(cs[0].cert)},
		claims: jwt.MapClaims{"aud": tokenURL(s.URL()), "iss": DefaultClientID, "sub": DefaultClientID,
			"exp": now.Add(time.Minute).Unix(), "nbf": now.Unix(), "jti": "1"},
	})
	_, gh := requestIDToken(t, http.MethodGet, s.GitHubActionsRequestURL()+"&audience="+url.QueryEscape(federatedAudience), DefaultOIDCRequestToken)
	ghToken, _ := gh["value"].(string)
	hcpToken := s.IssueIDToken()
	secretForm := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {DefaultClientID},
		"client_secret": {DefaultClientSecret}, "scope": {DefaultAudience + "/.default"},
	}
	tests := []struct {
		name     string
		form     url.Values
		wantAuth string
	}{
		{"secret", secretForm, "client_secret"},
		{"certificate", clientCredentialsForm(certAssertion), "certificate"},
		{"GitHub Actions ID token", clientCredentialsForm(ghToken), "federated"},
		{"HCP Terraform ID token", clientCredentialsForm(hcpToken), "federated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.ResetCounters()
			resp, body := postForm(t, tokenURL(s.URL()), tc.form)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			var tok map[string]any
			decodeJSON(t, body, &tok)
			if _, ok := tok["refresh_token"]; ok {
				t.Errorf("an App-only token response carries a refresh token: %s", body)
			}
			access, _ := tok["access_token"].(string)
			if resp, body := apiGet(t, s.URL(), access, "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != http.StatusOK {
				t.Fatalf("API refused the App-only token: %d %s", resp.StatusCode, body)
			}
			grants := s.TokenGrants()
			if len(grants) != 1 || grants[0].GrantType != "client_credentials" || grants[0].ClientAuth != tc.wantAuth {
				t.Fatalf("grants = %+v", grants)
			}
		})
	}
}

func TestClientCredentialsGrantRefusals(t *testing.T) {
	s := startTestServer(t, Options{IDTokenLifetime: 50 * time.Millisecond})
	_, ghNoAudience := requestIDToken(t, http.MethodGet, s.GitHubActionsRequestURL(), DefaultOIDCRequestToken)
	wrongAudience, _ := ghNoAudience["value"].(string)
	expired := s.IssueIDToken()
	time.Sleep(100 * time.Millisecond)
	foreign := signAssertion(t, assertionSpec{method: jwt.SigningMethodRS256, key: testCerts(t)[0].key,
		claims: jwt.MapClaims{"iss": gitHubActionsIdentity.issuer, "sub": gitHubActionsIdentity.subject, "aud": federatedAudience,
			"exp": time.Now().Add(time.Minute).Unix()}})
	sign := func(id workloadIdentity) string { return s.signIDToken(id, federatedAudience, time.Minute) }
	userScope := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {DefaultClientID},
		"client_secret": {DefaultClientSecret}, "scope": {DefaultAudience + "/user_impersonation"},
	}
	tests := []struct {
		name    string
		form    url.Values
		status  int
		errName string
		code    int
	}{
		{"ID token for another audience", clientCredentialsForm(wrongAudience), 401, "invalid_client", 700212},
		{"expired ID token", clientCredentialsForm(expired), 401, "invalid_client", 700024},
		{"ID token not signed by the issuer", clientCredentialsForm(foreign), 401, "invalid_client", 50013},
		{"unknown issuer", clientCredentialsForm(sign(workloadIdentity{"https://issuer.example", "x"})), 401, "invalid_client", 700211},
		{"unknown subject", clientCredentialsForm(sign(workloadIdentity{gitHubActionsIdentity.issuer, "repo:someone/else:ref:refs/heads/main"})), 401, "invalid_client", 70021},
		{"delegated scope", userScope, 400, "invalid_scope", 1002012},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := postForm(t, tokenURL(s.URL()), tc.form)
			checkEntraError(t, resp, body, tc.status, tc.errName, tc.code)
			mustNotContain(t, body, tc.form.Get("client_assertion"))
		})
	}
	if grants := s.TokenGrants(); len(grants) != 0 {
		t.Fatalf("refused requests were recorded as grants: %+v", grants)
	}
}
