package mockpartnercenter

import (
	"encoding/json"
	"maps"
	"net"
	"net/http"
	"slices"
)

// Admin endpoints let out-of-process users (the demo, a mock started with
// make mock) read counters and throttle it; tests set faults in process:
//
//	GET    /_mock/stats        counters as JSON
//	POST   /_mock/rate-limit   set the rate limit: {"rate_limit": "50/5s"} ("off" clears it)
//	POST   /_mock/gdap/relationships/{id}/approve   the customer's approval of a GDAP relationship
//
// They answer only loopback peers: the mock is a test tool, not a service.

type adminStats struct {
	TokenRequests     int            `json:"token_requests"`
	APIRequests       int            `json:"api_requests"`
	ThrottledRequests int            `json:"throttled_requests"` // refused by the rate limit
	RateLimit         string         `json:"rate_limit"`         // in force, as ParseRateLimit reads it
	Routes            map[string]int `json:"routes"`
	// Grants counts granted tokens by grant type and client authentication,
	// e.g. "client_credentials/federated".
	Grants    map[string]int `json:"grants"`
	Customers int            `json:"customers"`
	// Purchases counts, per customer id, the checkouts that created an order.
	Purchases map[string]int `json:"purchases"`
	// WriteRequests counts API requests other than GET and HEAD.
	WriteRequests int `json:"write_requests"`
	// OrderPendingReads is how many reads a new order stays pending.
	OrderPendingReads int `json:"order_pending_reads"`
}

type adminRateLimit struct {
	RateLimit string `json:"rate_limit"`
}

type adminError struct {
	Error string `json:"error"`
}

const maxAdminBody = 64 << 10

// adminHandler routes the admin endpoints, loopback peers only.
func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_mock/stats", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.stats()) })
	mux.HandleFunc("POST /_mock/rate-limit", s.serveSetRateLimit)
	mux.HandleFunc("POST /_mock/gdap/relationships/{id}/approve", func(w http.ResponseWriter, r *http.Request) {
		if err := s.ApproveGDAPRelationship(r.PathValue("id")); err != nil {
			writeJSON(w, http.StatusConflict, adminError{err.Error()})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/_mock/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, adminError{"unknown admin endpoint " + sanitize(r.Method+" "+r.URL.Path)})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackPeer(r.RemoteAddr) {
			writeJSON(w, http.StatusForbidden, adminError{"admin endpoints answer loopback clients only"})
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (s *Server) serveSetRateLimit(w http.ResponseWriter, r *http.Request) {
	var rl adminRateLimit
	if !decodeAdmin(w, r, &rl) {
		return
	}
	limit, err := ParseRateLimit(rl.RateLimit)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
		return
	}
	s.setRateLimit(limit)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) stats() adminStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	routes := map[string]int{string(RouteIDToken): s.counters.route[RouteIDToken]}
	for _, rt := range slices.Concat(apiRoutes, graphRoutes) {
		routes[string(rt.route)] = s.counters.route[rt.route]
	}
	grants := map[string]int{}
	for _, g := range s.grants {
		grants[g.GrantType+"/"+g.ClientAuth]++
	}
	return adminStats{
		TokenRequests:     s.counters.token,
		APIRequests:       s.counters.api,
		ThrottledRequests: s.counters.throttled,
		RateLimit:         s.rateLimit.String(),
		Routes:            routes,
		Grants:            grants,
		Customers:         len(s.order),
		Purchases:         maps.Clone(s.commerce.purchases),
		WriteRequests:     s.counters.writes,
		OrderPendingReads: s.orderPendingReads(),
	}
}

func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAdminBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{"invalid JSON: " + err.Error()})
		return false
	}
	return true
}

func loopbackPeer(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
