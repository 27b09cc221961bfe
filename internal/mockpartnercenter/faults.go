package mockpartnercenter

import (
	"fmt"
	"slices"
	"time"
)

// FaultKind selects how an API request misbehaves.
type FaultKind int

// Fault kinds. The zero value, FaultNone, removes a fault when set.
const (
	// FaultNone means no fault; SetFault with it clears the customer's fault.
	FaultNone FaultKind = iota
	// FaultThrottle answers 429 with a Partner Center error body and, when
	// Fault.RetryAfter is set, a Retry-After header carrying it verbatim.
	FaultThrottle
	// FaultStatusSequence answers Fault.Statuses in order, then normally:
	// 502/503/504 as a gateway would (no Partner Center body), 401 like the
	// edge (empty body), 429 as FaultThrottle, other statuses with a Partner
	// Center error body.
	FaultStatusSequence
	// FaultDelay waits Fault.Delay (or until the client gives up), then
	// answers normally.
	FaultDelay
	// FaultHang never answers: it holds the request until the client's
	// context ends or the server closes.
	FaultHang
	// FaultMalformedJSON answers 200, application/json, with the normal body
	// cut in half: invalid JSON.
	FaultMalformedJSON
	// FaultOversizedBody answers 200 with Fault.Size bytes (default 20 MiB)
	// of valid JSON whose one string field is huge, streamed without a
	// Content-Length so only a reading limit protects the client.
	FaultOversizedBody
	// FaultWrongID answers a get-by-id with 200 and another customer's body
	// (the next customer in list order, or a copy under another id). List
	// requests pass through it untouched.
	FaultWrongID
	// FaultUnauthorizedOnce answers the next request 401, as the edge does for
	// a token it no longer accepts, although the token is valid. Times is
	// always 1.
	FaultUnauthorizedOnce
	// FaultNotFound answers a get-by-id with Partner Center's 404 even though
	// the customer exists. List requests pass through it untouched.
	FaultNotFound
	// FaultRepeatContinuation makes a list page's next link carry the very
	// continuation token the request came with (the first page gets a token
	// pointing back at itself), so a client that does not stop on a repeated
	// token pages forever. Get-by-id requests pass through it untouched.
	FaultRepeatContinuation
	// FaultMFARequired answers 401 as the live edge does for an App+User
	// token without an MFA claim: no body, the cause only in the reason
	// phrase ("401 MFA Required") and the WWW-Authenticate challenge.
	FaultMFARequired
	// FaultWrongAudience answers 401 with Partner Center's body and code
	// "900420" (a string), as for a token issued for another resource.
	FaultWrongAudience
	// FaultDropConnection closes the connection without answering. On a
	// write route the write is committed first (a cart checked out, a
	// subscription changed), as when the service finishes the work but
	// the response is lost on the way: the client cannot know whether its
	// request took effect.
	FaultDropConnection
	// FaultServerError answers 500 with Partner Center's error body, for as
	// many requests as Times says (every one when 0); with AfterCommit, after
	// the route's write.
	FaultServerError
)

var faultKindNames = map[FaultKind]string{
	FaultNone:               "none",
	FaultThrottle:           "throttle",
	FaultStatusSequence:     "status_sequence",
	FaultDelay:              "delay",
	FaultHang:               "hang",
	FaultMalformedJSON:      "malformed_json",
	FaultOversizedBody:      "oversized_body",
	FaultWrongID:            "wrong_id",
	FaultUnauthorizedOnce:   "unauthorized_once",
	FaultNotFound:           "not_found",
	FaultRepeatContinuation: "repeat_continuation",
	FaultMFARequired:        "mfa_required",
	FaultWrongAudience:      "wrong_audience",
	FaultDropConnection:     "drop_connection",
	FaultServerError:        "server_error",
}

// String returns the kind's name, as test failures show it.
func (k FaultKind) String() string {
	if n, ok := faultKindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// defaultOversizedBodySize is the body size FaultOversizedBody streams when
// Fault.Size is zero.
const defaultOversizedBodySize = 20 << 20

// Fault describes what to do instead of (or before) the normal answer.
type Fault struct {
	Kind FaultKind
	// Times is how many requests the fault applies to; 0 means every request
	// until cleared. FaultUnauthorizedOnce always applies once and
	// FaultStatusSequence once per status.
	Times int
	// RetryAfter is the Retry-After header of FaultThrottle, sent as given
	// ("2" or an HTTP date); empty sends none.
	RetryAfter string
	// Statuses are the answers of FaultStatusSequence, in order.
	Statuses []int
	// Delay is FaultDelay's wait.
	Delay time.Duration
	// Size is FaultOversizedBody's body size in bytes.
	Size int64
	// AfterCommit makes a write route commit its change before the fault
	// answers in its place, as when the service did the work and then
	// failed or timed out: a 5xx, a hang or a throttle after a checkout
	// that bought. It applies to the kinds that answer instead of the
	// route; FaultDelay and the route-dependent kinds ignore it, and
	// FaultDropConnection always commits. Confined to a Route, it waits for
	// a write on that route: the route's reads pass it by.
	AfterCommit bool
	// Route, when set, confines the fault to that route's requests; the
	// others pass it by without using it. A route's fault wins over one
	// set without a route for the same customer (or for every request).
	Route Route
}

// faultState is a fault with its remaining uses.
type faultState struct {
	f         Fault
	remaining int // 0 = unlimited
	step      int // next index into f.Statuses
}

// SetFault installs f for the API requests whose path names customerID, or
// for every API request when customerID is "" (only f.Route's, if set). A
// per-customer fault wins over the global one while it lasts. A fault with
// Kind FaultNone removes the fault set for the same customer and route.
func (s *Server) SetFault(customerID string, f Fault) {
	key := faultKey(customerID, f.Route)
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Kind == FaultNone || (f.Kind == FaultStatusSequence && len(f.Statuses) == 0) {
		delete(s.faults, key)
		return
	}
	f.Statuses = slices.Clone(f.Statuses)
	st := &faultState{f: f, remaining: max(f.Times, 0)}
	if f.Kind == FaultUnauthorizedOnce {
		st.remaining = 1
	}
	if f.Kind == FaultStatusSequence {
		st.remaining = 0 // the sequence's length bounds it
	}
	s.faults[key] = st
}

// clearFaults removes every API fault and the token fault.
func (s *Server) clearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.faults)
	s.tokenFault = nil
}

// faultKey is where SetFault keeps a fault for customerID ("" for every
// customer) confined to route ("" for every route).
func faultKey(customerID string, route Route) string {
	return customerKey(customerID) + " " + string(route)
}

// takeFault picks the fault for a request on route to customerID ("" for
// the list) and consumes one use of it. applies tells whether a fault is
// meaningful for this request; a fault that does not apply is not consumed.
// It returns the fault and, for FaultStatusSequence, the status to send.
func (s *Server) takeFault(customerID string, route Route, applies func(Fault) bool) (Fault, int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := []string{faultKey("", route), faultKey("", "")}
	if customerID != "" {
		keys = append([]string{faultKey(customerID, route), faultKey(customerID, "")}, keys...)
	}
	for _, key := range keys {
		st, ok := s.faults[key]
		if !ok {
			continue
		}
		if !applies(st.f) {
			return Fault{}, 0, false
		}
		status := 0
		if st.f.Kind == FaultStatusSequence {
			status = st.f.Statuses[st.step]
			st.step++
			if st.step >= len(st.f.Statuses) {
				delete(s.faults, key)
			}
			return st.f, status, true
		}
		if st.remaining > 0 {
			st.remaining--
			if st.remaining == 0 {
				delete(s.faults, key)
			}
		}
		return st.f, status, true
	}
	return Fault{}, 0, false
}
