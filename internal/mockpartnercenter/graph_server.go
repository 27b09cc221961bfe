package mockpartnercenter

import (
	"cmp"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// graphRoutes is the route table of Microsoft Graph's /v1.0, served on the
// Graph listener; its routes are counted and faulted like those of /v1.
var graphRoutes []apiRoute

// graphContextKey marks a request to the Graph listener, whose faults answer
// in Graph's error shape.
type graphContextKey struct{}

// GraphURL returns the Graph root ("http://127.0.0.1:port", without /v1.0),
// or "" if not started.
func (s *Server) GraphURL() string { return s.graphURL }

// newGraphHandler routes the Graph listener. A path no route knows gets
// Graph's 400 for an unknown segment.
func (s *Server) newGraphHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range graphRoutes {
		mux.Handle(rt.pattern, s.graphFront(rt.route, func(w http.ResponseWriter, r *http.Request) { rt.serve(s, w, r) }))
	}
	mux.Handle("/", s.graphFront("", func(w http.ResponseWriter, r *http.Request) {
		seg := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		writeGraphError(w, http.StatusBadRequest, "Resource not found for the segment '"+sanitize(seg)+"'.")
	}))
	return mux
}

// graphFront is apiFront for Graph: count and record, Graph's response
// headers, latency, a token issued for Graph, the shared rate limit.
func (s *Server) graphFront(route Route, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.countAPI(r, route)
		ctx := context.WithValue(r.Context(), routeContextKey{}, route)
		r = r.WithContext(context.WithValue(ctx, graphContextKey{}, true))
		h := w.Header()
		h.Set("request-id", uuid.NewString())
		h.Set("client-request-id", echoOrNew(r.Header.Get("client-request-id")))
		h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
		if !s.wait(r.Context(), s.opts.Latency) {
			return
		}
		if desc, ok := s.authorize(r, s.opts.GraphAudience); !ok {
			writeGraphError(w, http.StatusUnauthorized, cmp.Or(desc, "Access token is empty."))
		} else if seconds, ok := s.admit(time.Now()); !ok {
			writeGraphThrottle(w, strconv.Itoa(seconds))
		} else {
			next(w, r)
		}
	})
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

func writeGraphError(w http.ResponseWriter, status int, message string) {
	graphErr(w.Header(), status, message).write(w)
}

// writeGraphThrottle is Graph's 429: Retry-After in seconds and its error.
func writeGraphThrottle(w http.ResponseWriter, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	writeGraphError(w, http.StatusTooManyRequests, "Too many requests.")
}

// answerGraphFault answers, for a Graph request, the faults whose body has
// the service's shape; it reports whether it did.
func answerGraphFault(w http.ResponseWriter, r *http.Request, f Fault, status int) bool {
	if graph, _ := r.Context().Value(graphContextKey{}).(bool); !graph {
		return false
	}
	switch {
	case f.Kind == FaultThrottle:
		writeGraphThrottle(w, f.RetryAfter)
	case f.Kind == FaultServerError:
		writeGraphError(w, http.StatusInternalServerError, "An internal server error occurred.")
	case f.Kind == FaultStatusSequence && status >= 400:
		writeGraphError(w, status, http.StatusText(status))
	default:
		return false
	}
	return true
}
