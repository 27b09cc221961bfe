package partnercenter

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/cspkit/terraform-provider-partnercenter/internal/fixtures"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// fixtureCustomerID is the customer of testdata/customer-get-by-id.json,
// Microsoft's documented sample, which the mock serves too.
const fixtureCustomerID = mockpartnercenter.DocumentedCustomerID

// apiTestTokens hands out token-1, token-2, … and counts the calls.
type apiTestTokens struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (s *apiTestTokens) Token(context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.err != nil {
		return nil, s.err
	}
	return &oauth2.Token{
		AccessToken: fmt.Sprintf("token-%d", s.calls),
		TokenType:   "Bearer",
		Expiry:      time.Now().Add(time.Hour),
	}, nil
}

func (s *apiTestTokens) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// apiTestLogger records log entries.
type apiTestLogger struct {
	mu      sync.Mutex
	entries []apiLogEntry
}

type apiLogEntry struct {
	level, msg string
	fields     map[string]any
}

func (l *apiTestLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add("debug", msg, fields)
}

func (l *apiTestLogger) Trace(_ context.Context, msg string, fields map[string]any) {
	l.add("trace", msg, fields)
}

func (l *apiTestLogger) add(level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, apiLogEntry{level, msg, fields})
}

func (l *apiTestLogger) byLevel(level string) []apiLogEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []apiLogEntry
	for _, e := range l.entries {
		if e.level == level {
			out = append(out, e)
		}
	}
	return out
}

// apiTestEnv is a Client wired to an httptest server, with waits recorded
// instead of slept.
type apiTestEnv struct {
	srv    *httptest.Server
	client *Client
	tokens *apiTestTokens
	log    *apiTestLogger

	mu     sync.Mutex
	sleeps []time.Duration
}

func (e *apiTestEnv) waits() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]time.Duration(nil), e.sleeps...)
}

func newAPITestClient(t testing.TB, handler http.Handler, mutate ...func(*Config)) *apiTestEnv {
	t.Helper()
	env := &apiTestEnv{srv: httptest.NewServer(handler), tokens: &apiTestTokens{}, log: &apiTestLogger{}}
	t.Cleanup(env.srv.Close)
	cfg := Config{
		BaseURL:      env.srv.URL,
		TokenSource:  env.tokens,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		Logger:       env.log,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		env.mu.Lock()
		env.sleeps = append(env.sleeps, d)
		env.mu.Unlock()
		return ctx.Err()
	}
	env.client = c
	return env
}

func apiFixture(t testing.TB) []byte {
	t.Helper()
	b, err := fixtures.FS.ReadFile("customer-get-by-id.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeJSON answers with a JSON body and Partner Center's id headers.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("MS-RequestId", "resp-request-id")
	w.Header().Set("MS-CorrelationId", "resp-correlation-id")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func TestNewClientRejectsBadConfig(t *testing.T) {
	src := &apiTestTokens{}
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no base URL", Config{TokenSource: src}, "base URL"},
		{"plain http to a remote host", Config{BaseURL: "http://api.example.com", TokenSource: src}, "only https"},
		{"base URL with /v1", Config{BaseURL: "https://api.example.com/v1/", TokenSource: src}, "must not end in /v1"},
		{"no token source", Config{BaseURL: "https://api.example.com"}, "TokenSource is required"},
		{"correlation id not a GUID", Config{BaseURL: "https://api.example.com", TokenSource: src, CorrelationID: "abc"}, "not a GUID"},
		{"newline in user agent", Config{BaseURL: "https://api.example.com", TokenSource: src, UserAgent: "a\r\nX-Evil: 1"}, "control characters"},
		{"negative wait", Config{BaseURL: "https://api.example.com", TokenSource: src, RetryWaitMin: -1}, "negative"},
		{"min above max", Config{BaseURL: "https://api.example.com", TokenSource: src, RetryWaitMin: time.Minute, RetryWaitMax: time.Second}, "longer than RetryWaitMax"},
		{"negative body cap", Config{BaseURL: "https://api.example.com", TokenSource: src, MaxResponseBytes: -1}, "MaxResponseBytes"},
		{"negative page size", Config{BaseURL: "https://api.example.com", TokenSource: src, PageSize: -1}, "PageSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewClient error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestNewClientDefaults(t *testing.T) {
	c, err := NewClient(Config{BaseURL: "https://api.example.com/", TokenSource: &apiTestTokens{}})
	if err != nil {
		t.Fatal(err)
	}
	if c.baseURL != "https://api.example.com" {
		t.Errorf("baseURL = %q", c.baseURL)
	}
	if c.maxRetries != DefaultMaxRetries || c.waitMin != DefaultRetryWaitMin || c.waitMax != DefaultRetryWaitMax {
		t.Errorf("retry policy = %d, %s..%s", c.maxRetries, c.waitMin, c.waitMax)
	}
	if c.maxBody != 16<<20 || c.pageSize != 500 || c.userAgent != DefaultUserAgent {
		t.Errorf("maxBody %d, pageSize %d, userAgent %q", c.maxBody, c.pageSize, c.userAgent)
	}
	if c.httpClient.Transport != SharedHTTPClient().Transport || c.httpClient.CheckRedirect == nil {
		t.Error("a nil HTTPClient should select SharedHTTPClient()'s transport, with the redirect policy of reads")
	}
	if err := uuid.Validate(c.CorrelationID()); err != nil {
		t.Errorf("generated correlation id %q: %v", c.CorrelationID(), err)
	}
	other, _ := NewClient(Config{BaseURL: "https://api.example.com", TokenSource: &apiTestTokens{}})
	if other.CorrelationID() == c.CorrelationID() {
		t.Error("two clients share a generated correlation id")
	}

	noRetries, _ := NewClient(Config{BaseURL: "https://api.example.com", TokenSource: &apiTestTokens{}, MaxRetries: new(0)})
	if noRetries.maxRetries != 0 {
		t.Errorf("MaxRetries 0 gives %d retries, want 0", noRetries.maxRetries)
	}
	if _, err := NewClient(Config{BaseURL: "https://api.example.com", TokenSource: &apiTestTokens{}, MaxRetries: new(-1)}); err == nil {
		t.Error("a negative MaxRetries was accepted")
	}
}

func TestNewClientKeepsGivenValues(t *testing.T) {
	cache := newTokenCache(&apiTestTokens{}, 0)
	const id = "0f8fad5b-d9cb-469f-a165-70867728950e"
	c, err := NewClient(Config{BaseURL: "http://127.0.0.1:1", TokenSource: cache, CorrelationID: id, MaxRetries: new(2)})
	if err != nil {
		t.Fatal(err)
	}
	if c.CorrelationID() != id {
		t.Errorf("CorrelationID() = %q, want %q", c.CorrelationID(), id)
	}
	if c.tokens != cache {
		t.Error("a *tokenCache given as TokenSource should be used, not wrapped")
	}
	if c.maxRetries != 2 {
		t.Errorf("maxRetries = %d", c.maxRetries)
	}
}
