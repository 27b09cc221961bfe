package mockpartnercenter

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// RateLimit throttles API requests as the live service does: at most
// Requests in any Window (a sliding window), beyond which requests get 429
// with Retry-After in whole seconds until the oldest admitted request leaves
// the window. The mock serves one partner, so one window counts all its
// requests; throttled requests are not counted in it, so that Retry-After
// stays exact. Microsoft documents 500 requests per minute per tenant for
// the customer resource. The zero value is no limit.
type RateLimit struct {
	Requests int
	Window   time.Duration
}

// ParseRateLimit reads "N/duration", e.g. "50/5s" or "500/1m"; "" and
// "off" mean no limit.
func ParseRateLimit(text string) (RateLimit, error) {
	text = strings.TrimSpace(text)
	if text == "" || strings.EqualFold(text, "off") {
		return RateLimit{}, nil
	}
	count, window, ok := strings.Cut(text, "/")
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if !ok || err != nil || n <= 0 {
		return RateLimit{}, fmt.Errorf("rate limit %q: want requests/window with a positive count, e.g. 50/5s", text)
	}
	d, err := time.ParseDuration(strings.TrimSpace(window))
	if err != nil || d <= 0 {
		return RateLimit{}, fmt.Errorf("rate limit %q: want requests/window with a positive duration, e.g. 50/5s", text)
	}
	return RateLimit{Requests: n, Window: d}, nil
}

// String is the form ParseRateLimit reads ("off" for no limit).
func (l RateLimit) String() string {
	if !l.enabled() {
		return "off"
	}
	return strconv.Itoa(l.Requests) + "/" + l.Window.String()
}

func (l RateLimit) enabled() bool { return l.Requests > 0 && l.Window > 0 }

// setRateLimit switches the rate limit on, changes it, or (with the zero
// value) switches it off. Requests admitted so far still count.
func (s *Server) setRateLimit(l RateLimit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = l
	if !l.enabled() {
		s.admitted = nil
	}
}

// ThrottledRequests returns the number of API requests the rate limit
// answered with 429 (faults not included).
func (s *Server) ThrottledRequests() int {
	return withLock(s, func() int { return s.counters.throttled })
}

// admit applies the rate limit to a request arriving at now. When it is
// refused, it returns the Retry-After to send, in whole seconds.
func (s *Server) admit(now time.Time) (retryAfterSeconds int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.rateLimit
	if !l.enabled() {
		return 0, true
	}
	cutoff := now.Add(-l.Window)
	expired := 0
	for expired < len(s.admitted) && !s.admitted[expired].After(cutoff) {
		expired++
	}
	s.admitted = s.admitted[expired:]
	if len(s.admitted) < l.Requests {
		s.admitted = append(s.admitted, now)
		return 0, true
	}
	s.counters.throttled++
	// A slot frees when enough of the oldest admitted requests leave the window.
	wait := s.admitted[len(s.admitted)-l.Requests].Add(l.Window).Sub(now)
	return max(1, int((wait+time.Second-1)/time.Second)), false
}
