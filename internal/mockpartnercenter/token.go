package mockpartnercenter

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	maxTokenRequestBody    = 64 << 10
)

// tokenResponse is the v2.0 endpoint's success body.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// serveToken implements the refresh_token (App+User) and client_credentials
// (App-only) grants of Entra ID's token endpoint.
// Checks run in the order Entra ID appears to apply them: endpoint, tenant,
// request shape, client authentication, scope, then the grant itself.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	s.countToken()
	if !s.wait(r.Context(), s.opts.Latency) {
		return
	}
	if s.takeTokenFault(TokenFaultServerError) {
		writeEntraError(w, r, http.StatusInternalServerError, "temporarily_unavailable", 90033,
			"A transient error has occurred. Please try again.")
		return
	}
	if r.Method != http.MethodPost {
		writeEntraError(w, r, http.StatusBadRequest, "invalid_request", 900561,
			fmt.Sprintf("The endpoint only accepts POST, OPTIONS requests. Received a %s request.", sanitize(r.Method)))
		return
	}
	if !strings.EqualFold(tenant, s.opts.TenantID) {
		writeEntraError(w, r, http.StatusBadRequest, "invalid_request", 90002,
			fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. "+
				"Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", sanitize(tenant)))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBody)
	if err := r.ParseForm(); err != nil {
		writeMissingParameter(w, r, "grant_type")
		return
	}
	form := r.PostForm
	grant := form.Get("grant_type")
	if grant == "" {
		writeMissingParameter(w, r, "grant_type")
		return
	}
	if grant != "refresh_token" && grant != "client_credentials" {
		writeEntraError(w, r, http.StatusBadRequest, "unsupported_grant_type", 70003,
			fmt.Sprintf("The app requested an unsupported grant type '%s'.", sanitize(grant)))
		return
	}
	auth, ok := s.authenticateClient(w, r, form)
	if !ok {
		return
	}
	aud, ok := s.checkScope(w, r, form, grant)
	if !ok {
		return
	}
	if grant == "client_credentials" {
		// App-only: no user, so no refresh token to redeem or return.
		s.recordGrant(TokenGrant{GrantType: grant, ClientAuth: auth.method, FederatedToken: auth.federatedToken, Scope: form.Get("scope"), Audience: aud})
		s.issueToken(w, "", aud)
		return
	}
	refresh := form.Get("refresh_token")
	if refresh == "" {
		writeMissingParameter(w, r, "refresh_token")
		return
	}
	if s.refreshTokenFault(w, r) {
		return
	}
	if !s.knownRefreshToken(refresh) {
		// Entra ID's answer to a refresh token it cannot read or does not know.
		writeEntraError(w, r, http.StatusBadRequest, "invalid_grant", 70000,
			"Provided grant is invalid or malformed.")
		return
	}
	issued := refresh
	if s.opts.RotateRefreshToken {
		issued = randomToken(64)
		s.locked(func() { s.refreshTokens[issued] = true })
	}
	s.recordGrant(TokenGrant{GrantType: grant, ClientAuth: auth.method, FederatedToken: auth.federatedToken, Scope: form.Get("scope"), Audience: aud,
		RefreshToken: refresh, IssuedRefreshToken: issued})
	s.issueToken(w, issued, aud)
}

// clientAuthentication is how a token request's client proved itself.
type clientAuthentication struct {
	method         string // client_secret, certificate or federated
	federatedToken string
}

// authenticateClient checks client_id and either the secret (form or HTTP
// Basic, RFC 6749 §2.3.1) or a client assertion (RFC 7523): signed by the
// application's certificate, or a federated ID token. It writes the error
// itself and reports whether the client is authenticated.
func (s *Server) authenticateClient(w http.ResponseWriter, r *http.Request, form url.Values) (clientAuthentication, bool) {
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if user, pass, ok := r.BasicAuth(); ok {
		// RFC 6749 §2.3.1: Basic credentials are form-urlencoded first.
		clientID, secret = formUnescape(user), formUnescape(pass)
	}
	assertion, assertionType := form.Get("client_assertion"), form.Get("client_assertion_type")
	if clientID == "" {
		writeMissingParameter(w, r, "client_id")
		return clientAuthentication{}, false
	}
	if !strings.EqualFold(clientID, s.opts.ClientID) {
		writeEntraError(w, r, http.StatusBadRequest, "unauthorized_client", 700016,
			fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. "+
				"This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. "+
				"You may have sent your authentication request to the wrong tenant.", sanitize(clientID), s.opts.TenantID))
		return clientAuthentication{}, false
	}
	switch {
	case secret != "" && assertion != "":
		// RFC 6749 §2.3: one authentication method per request. The code is
		// the one Entra ID uses for client credential problems in the body.
		writeEntraError(w, r, http.StatusBadRequest, "invalid_request", 7000218,
			"The request body must contain only one of the following parameters: 'client_assertion' or 'client_secret'.")
		return clientAuthentication{}, false
	case secret != "":
		if subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) != 1 {
			writeEntraError(w, r, http.StatusUnauthorized, "invalid_client", 7000215,
				fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, "+
					"not the client secret ID, for a secret added to app '%s'.", s.opts.ClientID))
			return clientAuthentication{}, false
		}
		return clientAuthentication{method: "client_secret"}, true
	case assertion != "":
		if assertionType != jwtBearerAssertionType {
			writeMissingParameter(w, r, "client_assertion_type' with the value '"+jwtBearerAssertionType)
			return clientAuthentication{}, false
		}
		if !signedByClient(assertion, clientID) {
			if aerr := s.verifyFederatedAssertion(assertion); aerr != nil {
				writeEntraError(w, r, http.StatusUnauthorized, "invalid_client", aerr.code, aerr.msg)
				return clientAuthentication{}, false
			}
			return clientAuthentication{method: "federated", federatedToken: assertion}, true
		}
		if aerr := s.verifyAssertion(r, assertion); aerr != nil {
			writeEntraError(w, r, http.StatusUnauthorized, "invalid_client", aerr.code, aerr.msg)
			return clientAuthentication{}, false
		}
		return clientAuthentication{method: "certificate"}, true
	default:
		writeEntraError(w, r, http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return clientAuthentication{}, false
	}
}

// checkScope requires the Partner Center audience: scope must name
// {Audience}/user_impersonation or {Audience}/.default (only .default for
// client_credentials, as Entra ID insists); or Graph's, {GraphAudience}/.default.
// It returns the audience (the option's value) the token is for.
func (s *Server) checkScope(w http.ResponseWriter, r *http.Request, form url.Values, grant string) (string, bool) {
	aud := strings.TrimSuffix(s.opts.Audience, "/")
	scope := form.Get("scope")
	if scope == "" {
		writeEntraError(w, r, http.StatusBadRequest, "invalid_scope", 70011,
			"The provided request must include a 'scope' input parameter.")
		return "", false
	}
	for _, sc := range strings.Fields(scope) {
		if strings.EqualFold(sc, strings.TrimSuffix(s.opts.GraphAudience, "/")+"/.default") {
			return s.opts.GraphAudience, true
		}
		if strings.EqualFold(sc, aud+"/.default") {
			return s.opts.Audience, true
		}
		if strings.EqualFold(sc, aud+"/user_impersonation") && grant == "client_credentials" {
			writeEntraError(w, r, http.StatusBadRequest, "invalid_scope", 1002012,
				fmt.Sprintf("The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", sanitize(sc)))
			return "", false
		}
		if strings.EqualFold(sc, aud+"/user_impersonation") {
			return s.opts.Audience, true
		}
	}
	writeEntraError(w, r, http.StatusBadRequest, "invalid_scope", 70011,
		fmt.Sprintf("The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", sanitize(scope)))
	return "", false
}

// writeMissingParameter is Entra ID's answer to a token request without a
// parameter it needs.
func writeMissingParameter(w http.ResponseWriter, r *http.Request, name string) {
	writeEntraError(w, r, http.StatusBadRequest, "invalid_request", 900144,
		"The request body must contain the following parameter: '"+name+"'.")
}

func (s *Server) knownRefreshToken(rt string) bool {
	return withLock(s, func() bool { return s.refreshTokens[rt] })
}

// issuedToken is what the mock remembers of an access token: API routes
// refuse a token issued for the other API.
type issuedToken struct {
	expiry   time.Time
	audience string
}

// issueToken mints an opaque access token for audience and answers in the
// endpoint's shape; refresh is "" for App-only tokens, which come without one.
func (s *Server) issueToken(w http.ResponseWriter, refresh, audience string) {
	now := time.Now()
	lifetime := s.opts.TokenLifetime
	access := randomToken(48)
	s.mu.Lock()
	s.accessTokens[access] = issuedToken{expiry: now.Add(lifetime), audience: audience}
	s.issued = appendBounded(s.issued, access)
	s.mu.Unlock()

	secs := int(lifetime.Round(time.Second) / time.Second)
	scope := ""
	if refresh != "" {
		scope = strings.TrimSuffix(s.opts.Audience, "/") + "/user_impersonation"
		if audience == s.opts.GraphAudience {
			// Entra lists the delegated permissions granted; this is the one GDAP needs.
			scope = strings.TrimSuffix(audience, "/") + "/DelegatedAdminRelationship.ReadWrite.All"
		}
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, tokenResponse{
		TokenType:    "Bearer",
		Scope:        scope,
		ExpiresIn:    secs,
		ExtExpiresIn: secs,
		AccessToken:  access,
		RefreshToken: refresh,
	})
}

// randomToken returns n random bytes, base64url-encoded: opaque on purpose,
// so clients cannot peek inside as they might with a JWT.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

func formUnescape(v string) string {
	if u, err := url.QueryUnescape(v); err == nil {
		return u
	}
	return v
}

// sanitize bounds caller-supplied text echoed in error messages.
func sanitize(v string) string {
	const maxEcho = 200
	if len(v) > maxEcho {
		v = v[:maxEcho] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, v)
}
