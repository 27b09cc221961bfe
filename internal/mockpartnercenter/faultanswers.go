package mockpartnercenter

import (
	"bytes"
	"net/http"
)

// routeFaults is how a route answers the faults whose answer depends on the
// route. A kind whose field is nil passes the route by unused (it is not
// consumed), so the zero value suits a route with nothing to add: it gets
// every route-independent fault.
type routeFaults struct {
	// body yields the normal body, which FaultMalformedJSON cuts short; nil
	// (or a nil result) cuts a made-up customer instead.
	body func() []byte
	// wrongID yields another object's body for FaultWrongID; a nil result
	// answers normally.
	wrongID func() []byte
	// notFound answers FaultNotFound.
	notFound func(http.ResponseWriter)
	// repeat makes the page's next link carry the request's own
	// continuation token, for FaultRepeatContinuation; the route then
	// answers normally.
	repeat func()
	// commit performs the route's write without answering, for
	// FaultDropConnection, which then closes the connection; nil on read
	// routes, which lose their answer only.
	commit func()
}

// handles reports whether the route has a use for fault f on request r. A
// fault confined to a route and set AfterCommit waits for a write on it,
// so a read of the same route (a list before a create) does not use it.
func (rf routeFaults) handles(r *http.Request, f Fault) bool {
	if f.AfterCommit && f.Route != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		return false
	}
	switch f.Kind {
	case FaultWrongID:
		return rf.wrongID != nil
	case FaultNotFound:
		return rf.notFound != nil
	case FaultRepeatContinuation:
		return rf.repeat != nil
	}
	return true
}

// routeContextKey carries the request's Route from apiFront to applyFault,
// for faults confined to a route.
type routeContextKey struct{}

// applyFault takes the fault set for customerID (or the global one; pass ""
// on routes that name no customer) and the request's route, and performs it. It reports whether the
// request is answered; if not, the route answers normally (after
// FaultDelay's wait, for instance).
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, customerID string, rf routeFaults) bool {
	route, _ := r.Context().Value(routeContextKey{}).(Route)
	f, status, ok := s.takeFault(customerID, route, func(f Fault) bool { return rf.handles(r, f) })
	if !ok {
		return false
	}
	if f.AfterCommit && rf.commit != nil && answersInstead(f.Kind) {
		rf.commit()
	}
	if s.answerFault(w, r, f, status, rf.body) {
		return true
	}
	switch f.Kind {
	case FaultWrongID:
		if body := rf.wrongID(); body != nil {
			writeRawJSON(w, http.StatusOK, body)
			return true
		}
	case FaultNotFound:
		rf.notFound(w)
		return true
	case FaultRepeatContinuation:
		rf.repeat()
	case FaultDropConnection:
		if rf.commit != nil {
			rf.commit()
		}
		dropConnection(w)
		return true
	}
	return false
}

// dropConnection closes the client's connection without a response. Where
// the connection cannot be taken over, aborting the handler has the same
// effect.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// answersInstead reports whether a fault of kind k answers in the route's
// place whatever the route, so that a write committed before it is not
// committed again by the route's normal answer.
func answersInstead(k FaultKind) bool {
	switch k {
	case FaultDelay, FaultWrongID, FaultNotFound, FaultRepeatContinuation, FaultDropConnection:
		return false
	}
	return true
}

// answerFault performs the route-independent part of fault f and reports
// whether the request is finished. FaultDelay returns false after its wait
// so the normal answer follows; the route-dependent kinds are left to
// applyFault. normal yields the body the request would normally get (nil if
// none), which FaultMalformedJSON cuts short.
func (s *Server) answerFault(w http.ResponseWriter, r *http.Request, f Fault, status int, normal func() []byte) bool {
	if answerGraphFault(w, r, f, status) {
		return true
	}
	switch f.Kind {
	case FaultThrottle:
		writeThrottle(w, f.RetryAfter)
	case FaultStatusSequence:
		writeStatus(w, status, "")
	case FaultServerError:
		writeStatus(w, http.StatusInternalServerError, "")
	case FaultDelay:
		return !s.wait(r.Context(), f.Delay)
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
	case FaultMalformedJSON:
		var body []byte
		if normal != nil {
			body = normal()
		}
		if len(body) < 2 {
			body = []byte(`{"id":"00000000-0000-0000-0000-000000000000","companyProfile":{"domain":"x"}}`)
		}
		writeRawJSON(w, http.StatusOK, body[:len(body)/2])
	case FaultOversizedBody:
		s.streamOversized(w, r, f.Size)
	case FaultUnauthorizedOnce:
		writeUnauthorized(w, "The access token is invalid")
	case FaultMFARequired:
		writeMFARequired(w)
	case FaultWrongAudience:
		writePCError(w, http.StatusUnauthorized, pcCodeWrongAudience,
			"The token audience is not valid: tokens must be issued for the Partner Center API.")
	default:
		return false
	}
	return true
}

// streamOversized writes size bytes of valid JSON, one customer whose
// company name is enormous, in chunks and with no Content-Length: a client
// that does not cap what it reads would buffer all of it.
func (s *Server) streamOversized(w http.ResponseWriter, r *http.Request, size int64) {
	if size <= 0 {
		size = defaultOversizedBodySize
	}
	prefix := []byte(`{"id":"` + DocumentedCustomerID + `","companyProfile":{"companyName":"`)
	suffix := []byte(`"}}`)
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(prefix); err != nil {
		return
	}
	const chunkSize = 32 << 10
	chunk := bytes.Repeat([]byte("A"), chunkSize)
	for left := size - int64(len(prefix)+len(suffix)); left > 0; {
		n := min(left, chunkSize)
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		left -= n
	}
	_, _ = w.Write(suffix)
}

// mfaChallenge is the WWW-Authenticate of a refusal for missing MFA.
const mfaChallenge = `Bearer realm="api.partnercenter.microsoft.com", error="insufficient_claims", ` +
	`error_description="Multi-factor authentication is required for App+User calls: the token has no MFA claim"`

// writeMFARequired sends a body-less 401 whose reason phrase names MFA.
// net/http always writes the standard reason phrase, so the response is
// written on the hijacked connection, which is then closed.
func writeMFARequired(w http.ResponseWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		w.Header().Set("WWW-Authenticate", mfaChallenge)
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	defer func() { _ = conn.Close() }()
	head := "HTTP/1.1 401 MFA Required\r\n"
	for _, k := range []string{"MS-RequestId", "MS-CorrelationId", "MS-CV", "MS-ServerId", "Date"} {
		if v := w.Header().Get(k); v != "" {
			head += k + ": " + v + "\r\n"
		}
	}
	head += "WWW-Authenticate: " + mfaChallenge + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
	_, _ = buf.WriteString(head)
	_ = buf.Flush()
}

// answerCustomer answers a request to one customer: a fault switched on
// for it (rf says how the route answers the faults that depend on the
// route), else 404 for an unknown customer, else what answerLocked, run
// under s.mu, returns. On a write route FaultDropConnection and
// Fault.AfterCommit make the write (answerLocked) before they answer.
func (s *Server) answerCustomer(w http.ResponseWriter, r *http.Request, customerID string, write bool, rf routeFaults, answerLocked func() answer) {
	run := func() (answer, bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.customers[customerKey(customerID)]; !ok {
			return answer{}, false
		}
		return answerLocked(), true
	}
	if write {
		rf.commit = func() { run() }
	}
	if s.applyFault(w, r, customerID, rf) {
		return
	}
	if a, found := run(); found {
		a.write(w)
		return
	}
	writeNoSuchCustomer(w, customerID)
}
