package mockpartnercenter

import (
	"bytes"
	"io"
	"net/http"
	"slices"
)

// maxRecorded bounds RecordedRequests and IssuedAccessTokens so a long
// benchmark run cannot grow the mock without limit; the oldest entries go
// first. Tests never come near it.
const maxRecorded = 10000

// RecordedRequest is one API (non-token, non-admin) request as received.
type RecordedRequest struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header // a clone: safe to keep and inspect
	// Body is the body of a write (not GET or HEAD), up to maxRecordedBody.
	Body []byte
}

// maxRecordedBody bounds the body kept of one recorded write.
const maxRecordedBody = 1 << 20

type counters struct {
	token     int
	api       int
	throttled int // by the rate limit
	writes    int // API requests with a method other than GET and HEAD
	route     map[Route]int
}

func newCounters() counters { return counters{route: make(map[Route]int)} }

// TokenRequests returns the number of token requests, successful or not.
func (s *Server) TokenRequests() int { return withLock(s, func() int { return s.counters.token }) }

// Requests returns the number of requests to route, whatever their outcome
// (401s, faults and 404s included).
func (s *Server) Requests(route Route) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if route == RouteToken {
		return s.counters.token
	}
	return s.counters.route[route]
}

// TotalAPIRequests returns the number of /v1 requests of any route.
func (s *Server) TotalAPIRequests() int { return withLock(s, func() int { return s.counters.api }) }

// WriteRequests returns the number of /v1 requests with a method other
// than GET and HEAD, of any route (misses included), whatever their
// outcome: a plan that must not write asserts it stays unchanged.
func (s *Server) WriteRequests() int { return withLock(s, func() int { return s.counters.writes }) }

// ResetCounters zeroes every counter and forgets recorded requests, issued
// tokens and grants (the tokens themselves stay valid).
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters = newCounters()
	s.recorded = nil
	s.issued = nil
	s.grants = nil
}

// RecordedRequests returns the API requests received so far, oldest first.
func (s *Server) RecordedRequests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RecordedRequest, len(s.recorded))
	for i, r := range s.recorded {
		r.Header = r.Header.Clone()
		r.Body = slices.Clone(r.Body)
		out[i] = r
	}
	return out
}

// IssuedAccessTokens returns every access token issued so far, oldest first,
// so tests can assert none of them leaks into logs or state.
func (s *Server) IssuedAccessTokens() []string {
	return withLock(s, func() []string { return slices.Clone(s.issued) })
}

// countAPI records an API request against route ("" for unknown paths).
func (s *Server) countAPI(r *http.Request, route Route) {
	rec := RecordedRequest{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Body != nil {
		// Read for the record, then given back to the handler unchanged.
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxRecordedBody+1))
		rec.Body = body[:min(len(body), maxRecordedBody)]
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters.api++
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.counters.writes++
	}
	if route != "" {
		s.counters.route[route]++
	}
	s.recorded = appendBounded(s.recorded, rec)
}

// countRoute counts a request that is neither an API nor a token request.
func (s *Server) countRoute(route Route) { s.locked(func() { s.counters.route[route]++ }) }

// TokenGrant is a token request the token endpoint granted.
type TokenGrant struct {
	// GrantType is refresh_token or client_credentials.
	GrantType string
	// ClientAuth is how the application proved itself: client_secret,
	// certificate or federated.
	ClientAuth string
	// FederatedToken is the ID token presented, for federated.
	FederatedToken string
	// Scope is the scope asked for; Audience the API the token was issued for.
	Scope, Audience string
	// RefreshToken is the refresh token redeemed and IssuedRefreshToken the
	// one answered (new with Options.RotateRefreshToken), for refresh_token.
	RefreshToken, IssuedRefreshToken string
}

// TokenGrants returns the granted token requests, oldest first.
func (s *Server) TokenGrants() []TokenGrant {
	return withLock(s, func() []TokenGrant { return slices.Clone(s.grants) })
}

func (s *Server) recordGrant(g TokenGrant) {
	s.locked(func() { s.grants = appendBounded(s.grants, g) })
}

func (s *Server) countToken() { s.locked(func() { s.counters.token++ }) }

// appendBounded appends v, dropping the oldest entries beyond maxRecorded.
func appendBounded[T any](list []T, v T) []T {
	if len(list) >= maxRecorded {
		list = slices.Delete(list, 0, len(list)-maxRecorded+1)
	}
	return append(list, v)
}
