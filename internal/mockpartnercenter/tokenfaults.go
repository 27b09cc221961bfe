package mockpartnercenter

import (
	"fmt"
	"net/http"
	"time"
)

// TokenFaultKind selects how the token endpoint misbehaves.
type TokenFaultKind int

// Token fault kinds. The zero value, TokenFaultNone, clears the token fault.
const (
	// TokenFaultNone means no fault.
	TokenFaultNone TokenFaultKind = iota
	// TokenFaultExpiredRefreshToken answers an otherwise valid request with
	// 400 invalid_grant AADSTS700082: the refresh token expired from
	// inactivity (the 90-day limit of the secure application model).
	TokenFaultExpiredRefreshToken
	// TokenFaultRevokedRefreshToken answers an otherwise valid request with
	// 400 invalid_grant AADSTS50173: the grant was revoked (password reset,
	// admin revocation) — Entra ID's specific code for that case.
	TokenFaultRevokedRefreshToken
	// TokenFaultServerError answers any token request with 500
	// temporarily_unavailable AADSTS90033 before looking at it.
	TokenFaultServerError
)

var tokenFaultKindNames = map[TokenFaultKind]string{
	TokenFaultNone:                "none",
	TokenFaultExpiredRefreshToken: "expired_refresh_token",
	TokenFaultRevokedRefreshToken: "revoked_refresh_token",
	TokenFaultServerError:         "server_error",
}

// String returns the kind's name, as test failures show it.
func (k TokenFaultKind) String() string {
	if n, ok := tokenFaultKindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("TokenFaultKind(%d)", int(k))
}

// TokenFault describes how the token endpoint misbehaves.
type TokenFault struct {
	Kind TokenFaultKind
	// Times is how many requests it applies to; 0 means until cleared.
	Times int
}

type tokenFaultState struct {
	f         TokenFault
	remaining int // 0 = unlimited
}

// SetTokenFault installs f on the token endpoint, replacing any previous one;
// TokenFault{} clears it.
func (s *Server) SetTokenFault(f TokenFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Kind == TokenFaultNone {
		s.tokenFault = nil
		return
	}
	s.tokenFault = &tokenFaultState{f: f, remaining: max(f.Times, 0)}
}

// takeTokenFault consumes one use of the token fault if it is of kind k.
func (s *Server) takeTokenFault(k TokenFaultKind) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.tokenFault
	if st == nil || st.f.Kind != k {
		return false
	}
	if st.remaining > 0 {
		st.remaining--
		if st.remaining == 0 {
			s.tokenFault = nil
		}
	}
	return true
}

// refreshTokenFault answers an expired or revoked refresh token fault, if
// one is set, and reports whether it did.
func (s *Server) refreshTokenFault(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case s.takeTokenFault(TokenFaultExpiredRefreshToken):
		issued := time.Now().Add(-91 * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05.0000000Z")
		writeEntraError(w, r, http.StatusBadRequest, "invalid_grant", 700082,
			"The refresh token has expired due to inactivity. The token was issued on "+issued+
				" and was inactive for 90.00:00:00.")
		return true
	case s.takeTokenFault(TokenFaultRevokedRefreshToken):
		writeEntraError(w, r, http.StatusBadRequest, "invalid_grant", 50173,
			"The provided grant has expired due to it being revoked, a fresh auth token is needed. "+
				"The user might have changed or reset their password.")
		return true
	}
	return false
}
