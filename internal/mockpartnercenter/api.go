package mockpartnercenter

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// serverID is sent as MS-ServerId; Partner Center sends a short opaque id of
// the front-end that answered.
const serverID = "mockpc-020120514"

// maxEchoedHeader bounds request id headers echoed back to the caller.
const maxEchoedHeader = 256

// apiFront runs the steps every /v1 request goes through before its route
// answers: count and record it under route ("" for misses), stamp the
// Partner Center response headers, add latency, authenticate and apply the
// rate limit. Faults are the route's to apply (applyFault), after these, so
// a fault never hides a missing token.
func (s *Server) apiFront(route Route, next http.HandlerFunc) http.Handler {
	return s.front(route, false, next)
}

// front is apiFront for either service: graph selects Microsoft Graph's
// headers, token audience and error shapes.
func (s *Server) front(route Route, graph bool, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.countAPI(r, route)
		r = r.WithContext(context.WithValue(r.Context(), routeContextKey{}, route))
		aud, unauthorized, throttle := s.opts.Audience, writeUnauthorized, writeThrottle
		if graph {
			aud, unauthorized, throttle = s.opts.GraphAudience, writeGraphUnauthorized, writeGraphThrottle
			setGraphHeaders(w, r)
		} else {
			setPartnerCenterHeaders(w, r)
		}
		if !s.wait(r.Context(), s.opts.Latency) {
			return
		}
		if desc, ok := s.authorize(r, aud); !ok {
			unauthorized(w, desc)
			return
		}
		if seconds, ok := s.admit(time.Now()); !ok {
			throttle(w, strconv.Itoa(seconds))
			return
		}
		next(w, r)
	})
}

// acceptJSON refuses requests whose Accept headers rule out JSON, the only
// form Partner Center answers in.
func acceptJSON(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !acceptsJSON(r.Header.Values("Accept")) {
			writePCError(w, http.StatusNotAcceptable, http.StatusNotAcceptable,
				"The resource can only be returned as application/json.")
			return
		}
		next(w, r)
	}
}

// setPartnerCenterHeaders echoes MS-RequestId and MS-CorrelationId (making
// them up when absent, as Partner Center does) and adds MS-CV and
// MS-ServerId, so clients can be tested for reporting them in errors.
func setPartnerCenterHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("MS-RequestId", echoOrNew(r.Header.Get("MS-RequestId")))
	h.Set("MS-CorrelationId", echoOrNew(r.Header.Get("MS-CorrelationId")))
	cv := r.Header.Get("MS-CV")
	if cv == "" || len(cv) > maxEchoedHeader {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		cv = base64.RawStdEncoding.EncodeToString(b)
	}
	h.Set("MS-CV", cv+".0")
	h.Set("MS-ServerId", serverID)
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
}

func echoOrNew(v string) string {
	if v == "" || len(v) > maxEchoedHeader {
		return uuid.NewString()
	}
	return v
}

// authorize checks the bearer token, which must have been issued for
// audience. It returns the RFC 6750 error_description for the challenge (""
// when no token was sent).
func (s *Server) authorize(r *http.Request, audience string) (string, bool) {
	auth := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(auth, " ")
	if auth == "" {
		return "", false
	}
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "The authorization header is not a bearer token", false
	}
	s.mu.Lock()
	tok, known := s.accessTokens[token]
	s.mu.Unlock()
	switch {
	case !known:
		return "The access token is invalid", false
	case !time.Now().Before(tok.expiry):
		return "The access token expired", false
	case tok.audience != audience:
		return "The access token audience is not valid", false
	}
	return "", true
}

// acceptsJSON reports whether the Accept headers allow application/json. No
// Accept header means anything goes (RFC 9110 §12.5.1).
func acceptsJSON(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			if mt == "application/json" || mt == "application/*" || mt == "*/*" {
				return true
			}
		}
	}
	return false
}
