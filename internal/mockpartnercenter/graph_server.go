package mockpartnercenter

import (
	"cmp"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// graphRoutes is the route table of Microsoft Graph's /v1.0, served on the
// Graph listener; its routes are counted and faulted like those of /v1.
var graphRoutes []apiRoute

// GraphURL returns the Graph root ("http://127.0.0.1:port", without /v1.0),
// or "" if not started.
func (s *Server) GraphURL() string { return s.graphURL }

// newGraphHandler routes the Graph listener. A path no route knows gets
// Graph's 400 for an unknown segment.
func (s *Server) newGraphHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range graphRoutes {
		mux.Handle(rt.pattern, s.front(rt.route, true, func(w http.ResponseWriter, r *http.Request) { rt.serve(s, w, r) }))
	}
	mux.Handle("/", s.front("", true, func(w http.ResponseWriter, r *http.Request) {
		seg := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		graphErr(w.Header(), http.StatusBadRequest, "Resource not found for the segment '"+sanitize(seg)+"'.").write(w)
	}))
	return mux
}

// setGraphHeaders stamps Graph's request-id (new) and client-request-id
// (echoed, or new as Graph makes one up).
func setGraphHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("request-id", uuid.NewString())
	h.Set("client-request-id", echoOrNew(r.Header.Get("client-request-id")))
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
}

func writeGraphUnauthorized(w http.ResponseWriter, desc string) {
	graphErr(w.Header(), http.StatusUnauthorized, cmp.Or(desc, "Access token is empty.")).write(w)
}

// graphErr is Graph's error: a code from the status (its text, as Graph's
// codes mostly are), message, and an innerError
// naming the response's request ids (h, its headers).
func graphErr(h http.Header, status int, message string) answer {
	inner := map[string]string{"date": time.Now().UTC().Format("2006-01-02T15:04:05"),
		"request-id": h.Get("request-id"), "client-request-id": h.Get("client-request-id")}
	code := strings.ReplaceAll(http.StatusText(status), " ", "")
	if status == http.StatusUnauthorized {
		code = "InvalidAuthenticationToken"
	}
	return jsonAnswer(status, map[string]any{"error": map[string]any{"code": code, "message": message, "innerError": inner}})
}

// writeGraphThrottle is Graph's 429: Retry-After in seconds and its error.
func writeGraphThrottle(w http.ResponseWriter, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	graphErr(w.Header(), http.StatusTooManyRequests, "Too many requests.").write(w)
}

// answerGraphFault answers, for a Graph route (all named gdap_...), the
// faults whose body has the service's shape; it reports whether it did.
func answerGraphFault(w http.ResponseWriter, r *http.Request, f Fault, status int) bool {
	if route, _ := r.Context().Value(routeContextKey{}).(Route); !strings.HasPrefix(string(route), "gdap_") {
		return false
	}
	switch {
	case f.Kind == FaultThrottle:
		writeGraphThrottle(w, f.RetryAfter)
	case f.Kind == FaultServerError:
		graphErr(w.Header(), http.StatusInternalServerError, "An internal server error occurred.").write(w)
	case f.Kind == FaultStatusSequence && status >= 400:
		graphErr(w.Header(), status, http.StatusText(status)).write(w)
	default:
		return false
	}
	return true
}
