package mockpartnercenter

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/fixtures"
)

// Server is the mock Partner Center. All its state sits behind one mutex, so
// it is safe for concurrent requests and for tests poking it meanwhile.
type Server struct {
	opts    Options
	hmacKey []byte // signs continuation tokens; random per server
	// idTokenKey signs the federated ID tokens the mock issues as a CI
	// system would; random per server.
	idTokenKey *ecdsa.PrivateKey

	mu            sync.Mutex
	customers     map[string]*customer       // by lower-case id
	order         []string                   // lower-case ids in list order
	subscriptions map[string][]*subscription // by lower-case customer id, in list order
	accessTokens  map[string]issuedToken     // by token
	refreshTokens map[string]bool
	issued        []string
	grants        []TokenGrant
	faults        map[string]*faultState // by faultKey: customer and route, "" for every one
	tokenFault    *tokenFaultState
	rateLimit     RateLimit
	admitted      []time.Time // arrival of the requests the rate limit let through, oldest first
	counters      counters
	recorded      []RecordedRequest
	onboarding    onboardingState
	commerce      *commerceState
	gdap          gdapState

	closeOnce    sync.Once
	closed       chan struct{} // closed by Close: releases hanging handlers
	httpSrv      *http.Server
	url          string
	handler      http.Handler
	graphSrv     *http.Server // Microsoft Graph's listener
	graphURL     string
	graphHandler http.Handler
}

// New builds the in-memory data set: the documented customer first, then
// opts.GeneratedCustomers generated ones. It does not listen.
func New(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("mockpartnercenter: random key: %w", err)
	}
	idTokenKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("mockpartnercenter: ID token key: %w", err)
	}
	s := &Server{
		opts:          opts,
		hmacKey:       key,
		idTokenKey:    idTokenKey,
		customers:     make(map[string]*customer, opts.GeneratedCustomers+1),
		subscriptions: make(map[string][]*subscription, opts.GeneratedCustomers+1),
		order:         make([]string, 0, opts.GeneratedCustomers+1),
		accessTokens:  make(map[string]issuedToken),
		refreshTokens: map[string]bool{opts.RefreshToken: true},
		faults:        make(map[string]*faultState),
		rateLimit:     opts.RateLimit,
		counters:      newCounters(),
		closed:        make(chan struct{}),
		commerce:      newCommerceState(),
		onboarding: onboardingState{
			answers: map[string][]byte{}, takenDomains: map[string]bool{},
			unlisted: map[string]int{}, withoutBillingProfile: map[string]bool{},
		},
	}
	// The customer of "Get a customer by ID", served as documented.
	documented, err := fixtures.FS.ReadFile("customer-get-by-id.json")
	if err != nil {
		return nil, fmt.Errorf("mockpartnercenter: documented customer: %w", err)
	}
	doc, err := newCustomerFromJSON(documented)
	if err != nil {
		return nil, fmt.Errorf("mockpartnercenter: documented customer: %w", err)
	}
	s.putLocked(doc)
	if s.subscriptions[customerKey(doc.id)], err = documentedSubscriptions(); err != nil {
		return nil, fmt.Errorf("mockpartnercenter: %w", err)
	}
	for i := range opts.GeneratedCustomers {
		c := generatedCustomer(i)
		s.putLocked(c)
		s.subscriptions[customerKey(c.id)] = generatedSubscriptions(i)
	}
	s.handler = s.newHandler()
	s.graphHandler = s.newGraphHandler()
	s.gdap = newGDAPState()
	return s, nil
}

// Start is New followed by listening on 127.0.0.1 on a free port.
func Start(opts Options) (*Server, error) {
	return Listen(opts, "127.0.0.1:0")
}

// Listen is New followed by listening on addr, which must be a loopback
// address ("127.0.0.1:8080", "[::1]:0", "localhost:0"): the mock has no
// authentication worth the name and must not be reachable from elsewhere.
func Listen(opts Options, addr string) (*Server, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	if s.httpSrv, s.url, err = serve(addr, s.handler); err != nil {
		return nil, err
	}
	// Graph is another host than Partner Center: its own listener, by
	// default on a free port of the same host.
	graphAddr := opts.GraphAddress
	if graphAddr == "" {
		host, _, _ := net.SplitHostPort(addr)
		graphAddr = net.JoinHostPort(host, "0")
	}
	if s.graphSrv, s.graphURL, err = serve(graphAddr, s.graphHandler); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// serve listens on the loopback address addr and serves h there; it
// returns the server and its base URL.
func serve(addr string, h http.Handler) (*http.Server, string, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, "", err
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("mockpartnercenter: listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}

// checkLoopback refuses addresses that would listen beyond this machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("mockpartnercenter: address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("mockpartnercenter: refusing to listen on non-loopback address %q", addr)
	}
	return nil
}

// URL returns the base URL ("http://127.0.0.1:port"), or "" if not started.
// The token endpoint and the API share it: {URL}/{tenant}/oauth2/v2.0/token
// and {URL}/v1/customers.
func (s *Server) URL() string { return s.url }

// Close stops listening, drops open connections and releases requests held by
// FaultHang. It is safe to call more than once and on a server never started.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		if s.httpSrv != nil {
			_ = s.httpSrv.Close()
		}
		if s.graphSrv != nil {
			_ = s.graphSrv.Close()
		}
	})
}

// wait sleeps for d, returning early (false) when the request is cancelled or
// the server closes, so latency and delays never outlive their client.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
}

// withLock runs f under s.mu and returns its result.
func withLock[T any](s *Server, f func() T) T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return f()
}

// locked runs f under s.mu.
func (s *Server) locked(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}
