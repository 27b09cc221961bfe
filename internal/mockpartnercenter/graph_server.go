package mockpartnercenter

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// graphRoutes is the route table of Microsoft Graph's /v1.0, served on the
// Graph listener; its routes are counted and faulted like those of /v1.
var graphRoutes []apiRoute

// declareGraphRoutes adds routes to graphRoutes; it returns a value only so
// that a package-level var can call it.
func declareGraphRoutes(routes ...apiRoute) bool { //nolint:unparam // see above
	graphRoutes = append(graphRoutes, routes...)
	return true
}

// graphContextKey marks a request to the Graph listener, whose faults answer
// in Graph's error shape.
type graphContextKey struct{}

// listenGraph opens the Graph listener: graph.microsoft.com is another host
// than Partner Center's, so the mock's Graph has its own URL.
func (s *Server) listenGraph() error {
	addr := s.opts.GraphAddress
	if addr == "" {
		host, _, _ := net.SplitHostPort(strings.TrimPrefix(s.url, "http://"))
		addr = net.JoinHostPort(host, "0")
	}
	if err := checkLoopback(addr); err != nil {
		return err
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return fmt.Errorf("mockpartnercenter: listen for Graph: %w", err)
	}
	s.graphSrv = &http.Server{Handler: s.graphHandler, ReadHeaderTimeout: 10 * time.Second}
	s.graphURL = "http://" + ln.Addr().String()
	go func() { _ = s.graphSrv.Serve(ln) }()
	return nil
}

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
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+sanitize(seg)+"'.")
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
			writeGraphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", cmp.Or(desc, "Access token is empty."))
			return
		}
		if seconds, ok := s.admit(time.Now()); !ok {
			writeGraphThrottle(w, strconv.Itoa(seconds))
			return
		}
		next(w, r)
	})
}

// graphError is Graph's error body.
type graphError struct {
	Error struct {
		Code       string            `json:"code"`
		Message    string            `json:"message"`
		InnerError map[string]string `json:"innerError"`
	} `json:"error"`
}

// graphErrorBody encodes an error naming the response's request ids, as
// Graph's innerError does.
func graphErrorBody(h http.Header, code, message string) []byte {
	var e graphError
	e.Error.Code, e.Error.Message = code, message
	e.Error.InnerError = map[string]string{
		"date":              time.Now().UTC().Format("2006-01-02T15:04:05"),
		"request-id":        h.Get("request-id"),
		"client-request-id": h.Get("client-request-id"),
	}
	body, _ := marshal(e) // a struct of strings always encodes
	return body
}

func writeGraphError(w http.ResponseWriter, status int, code, message string) {
	writeRawJSON(w, status, graphErrorBody(w.Header(), code, message))
}

// writeGraphThrottle is Graph's 429: Retry-After in seconds and its error.
func writeGraphThrottle(w http.ResponseWriter, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	writeGraphError(w, http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
}

// answerGraphFault answers the faults whose body has the service's shape,
// for a Graph request; it reports whether it did.
func answerGraphFault(w http.ResponseWriter, r *http.Request, f Fault, status int) bool {
	if graph, _ := r.Context().Value(graphContextKey{}).(bool); !graph {
		return false
	}
	switch f.Kind {
	case FaultThrottle:
		writeGraphThrottle(w, f.RetryAfter)
	case FaultServerError:
		writeGraphError(w, http.StatusInternalServerError, "InternalServerError", "An internal server error occurred.")
	case FaultStatusSequence:
		if status == http.StatusTooManyRequests {
			writeGraphThrottle(w, "")
		} else if status >= 400 {
			writeGraphError(w, status, strings.ReplaceAll(http.StatusText(status), " ", ""), http.StatusText(status))
		} else {
			return false
		}
	default:
		return false
	}
	return true
}
