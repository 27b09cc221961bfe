package mockpartnercenter

import (
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

// serveAPI runs the steps every /v1 request goes through: count and record,
// stamp the Partner Center response headers, add latency, authenticate,
// apply the rate limit, negotiate, then hand over to the route (faults are applied there, after
// authentication, so a fault never hides a missing token).
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	route, customerID := apiRoute(r.URL.Path)
	s.countAPI(r, route)
	setPartnerCenterHeaders(w, r)
	if !s.wait(r.Context(), s.opts.Latency) {
		return
	}
	if desc, ok := s.authorize(r); !ok {
		writeUnauthorized(w, desc)
		return
	}
	if seconds, ok := s.admit(time.Now()); !ok {
		writeThrottle(w, strconv.Itoa(seconds))
		return
	}
	if route == "" {
		// Unknown resources get the front door's bare 404.
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET")
		writePCError(w, http.StatusMethodNotAllowed, http.StatusMethodNotAllowed,
			"The requested resource does not support http method '"+sanitize(r.Method)+"'.")
		return
	}
	if !acceptsJSON(r.Header.Values("Accept")) {
		writePCError(w, http.StatusNotAcceptable, http.StatusNotAcceptable,
			"The resource can only be returned as application/json.")
		return
	}
	switch route {
	case RouteGetCustomer:
		s.serveGetCustomer(w, r, customerID)
	case RouteListCustomers:
		s.serveListCustomers(w, r)
	}
}

// apiRoute maps a path to its route: /v1/customers is the list and
// /v1/customers/{id} one customer. Anything else is "" (unknown).
func apiRoute(path string) (Route, string) {
	rest, ok := strings.CutPrefix(path, "/v1/customers")
	switch {
	case !ok:
		return "", ""
	case rest == "":
		return RouteListCustomers, ""
	case strings.HasPrefix(rest, "/") && len(rest) > 1 && !strings.Contains(rest[1:], "/"):
		return RouteGetCustomer, rest[1:]
	}
	return "", ""
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

// authorize checks the bearer token. It returns the RFC 6750
// error_description for the challenge ("" when no token was sent).
func (s *Server) authorize(r *http.Request) (string, bool) {
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
	exp, known := s.accessTokens[token]
	s.mu.Unlock()
	switch {
	case !known:
		return "The access token is invalid", false
	case !time.Now().Before(exp):
		return "The access token expired", false
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
