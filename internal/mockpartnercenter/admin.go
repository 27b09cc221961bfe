package mockpartnercenter

import (
	"encoding/json"
	"net"
	"net/http"
	"time"
)

// Admin endpoints let out-of-process users (the demo, benchmarks, scripts)
// read counters and inject faults:
//
//	GET    /_mock/stats        counters as JSON
//	POST   /_mock/reset        zero the counters
//	POST   /_mock/faults       set an API fault (adminFault JSON)
//	DELETE /_mock/faults       clear API and token faults
//	POST   /_mock/token-fault  set the token fault (adminTokenFault JSON)
//	POST   /_mock/rate-limit   set the rate limit: {"rate_limit": "50/5s"} ("off" clears it)
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
}

// adminFault is the JSON form of Fault; delay is a Go duration ("250ms").
type adminFault struct {
	CustomerID string `json:"customer_id"`
	Kind       string `json:"kind"`
	Times      int    `json:"times"`
	RetryAfter string `json:"retry_after"`
	Statuses   []int  `json:"statuses"`
	Delay      string `json:"delay"`
	Size       int64  `json:"size"`
}

type adminTokenFault struct {
	Kind  string `json:"kind"`
	Times int    `json:"times"`
}

type adminRateLimit struct {
	RateLimit string `json:"rate_limit"`
}

type adminError struct {
	Error string `json:"error"`
}

const maxAdminBody = 64 << 10

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if !loopbackPeer(r.RemoteAddr) {
		writeJSON(w, http.StatusForbidden, adminError{"admin endpoints answer loopback clients only"})
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "GET /_mock/stats":
		writeJSON(w, http.StatusOK, s.stats())
	case "POST /_mock/reset":
		s.ResetCounters()
		w.WriteHeader(http.StatusNoContent)
	case "POST /_mock/faults":
		var af adminFault
		if !decodeAdmin(w, r, &af) {
			return
		}
		f, err := af.fault()
		if err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
			return
		}
		s.SetFault(af.CustomerID, f)
		w.WriteHeader(http.StatusNoContent)
	case "DELETE /_mock/faults":
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	case "POST /_mock/token-fault":
		var tf adminTokenFault
		if !decodeAdmin(w, r, &tf) {
			return
		}
		kind, err := ParseTokenFaultKind(tf.Kind)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
			return
		}
		s.SetTokenFault(TokenFault{Kind: kind, Times: tf.Times})
		w.WriteHeader(http.StatusNoContent)
	case "POST /_mock/rate-limit":
		var rl adminRateLimit
		if !decodeAdmin(w, r, &rl) {
			return
		}
		limit, err := ParseRateLimit(rl.RateLimit)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
			return
		}
		s.SetRateLimit(limit)
		w.WriteHeader(http.StatusNoContent)
	default:
		writeJSON(w, http.StatusNotFound, adminError{"unknown admin endpoint " + sanitize(r.Method+" "+r.URL.Path)})
	}
}

func (s *Server) stats() adminStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	grants := map[string]int{}
	for _, g := range s.grants {
		grants[g.GrantType+"/"+g.ClientAuth]++
	}
	return adminStats{
		TokenRequests:     s.counters.token,
		APIRequests:       s.counters.api,
		ThrottledRequests: s.counters.throttled,
		RateLimit:         s.rateLimit.String(),
		Routes: map[string]int{
			string(RouteGetCustomer):       s.counters.route[RouteGetCustomer],
			string(RouteListCustomers):     s.counters.route[RouteListCustomers],
			string(RouteListSubscriptions): s.counters.route[RouteListSubscriptions],
			string(RouteGetSubscription):   s.counters.route[RouteGetSubscription],
			string(RouteAzureEntitlements): s.counters.route[RouteAzureEntitlements],
			string(RouteIDToken):           s.counters.route[RouteIDToken],
		},
		Grants:    grants,
		Customers: len(s.order),
	}
}

func (af adminFault) fault() (Fault, error) {
	kind, err := ParseFaultKind(af.Kind)
	if err != nil {
		return Fault{}, err
	}
	f := Fault{Kind: kind, Times: af.Times, RetryAfter: af.RetryAfter, Statuses: af.Statuses, Size: af.Size}
	if af.Delay != "" {
		if f.Delay, err = time.ParseDuration(af.Delay); err != nil {
			return Fault{}, err
		}
	}
	return f, nil
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
