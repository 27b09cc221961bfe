package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// Defaults applied by NewClient to zero Config fields.
const (
	DefaultMaxRetries       = 4
	DefaultRetryWaitMin     = time.Second
	DefaultRetryWaitMax     = 30 * time.Second
	DefaultMaxResponseBytes = 16 << 20
	// DefaultPageSize is deliberately moderate: Partner Center does not
	// document the largest page it accepts. The mock accepts pages up to
	// this size and no larger (mockpartnercenter.DefaultMaxPageSize).
	DefaultPageSize = 500
	// DefaultUserAgent is sent when Config.UserAgent is empty.
	DefaultUserAgent = "cspkit-partnercenter-go"
)

// Config configures a Client. Zero values, and a nil MaxRetries, select the
// documented defaults.
type Config struct {
	// BaseURL is the API root without /v1, e.g.
	// https://api.partnercenter.microsoft.com. It must pass CheckEndpointURL.
	BaseURL string
	// TokenSource supplies access tokens. NewClient caches them: one fetch
	// shared by concurrent reads, renewed before expiry.
	TokenSource TokenSource
	// HTTPClient sends the requests; nil selects SharedHTTPClient(). Its
	// redirect policy is replaced: reads follow redirects only on the same
	// scheme and host.
	HTTPClient *http.Client
	// UserAgent is sent as User-Agent; empty selects DefaultUserAgent.
	UserAgent string
	// CorrelationID is sent as MS-CorrelationId on every request so that
	// Microsoft support can find a whole session. It must be a GUID; empty
	// selects a new random one.
	CorrelationID string
	// ApplicationName is sent as MS-PartnerCenter-Application when set.
	ApplicationName string
	// MaxRetries is how many times a request is retried after its first
	// attempt when throttled or on a transient failure (writes only where
	// repeating them is safe): nil selects
	// DefaultMaxRetries, and zero disables retries.
	MaxRetries *int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// retries; zero selects DefaultRetryWaitMin and DefaultRetryWaitMax. A
	// Retry-After header from the server takes precedence.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxResponseBytes caps how much of one response body is read; zero
	// selects DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// PageSize is the number of items requested per list page; zero
	// selects DefaultPageSize.
	PageSize int
	// Logger receives debug and trace messages; nil discards them.
	Logger Logger
}

// Client calls the Partner Center REST API. It is safe for concurrent use.
type Client struct {
	baseURL       string
	tokens        *tokenCache
	httpClient    *http.Client
	userAgent     string
	correlationID string
	appName       string
	maxRetries    int
	waitMin       time.Duration
	waitMax       time.Duration
	maxBody       int64
	pageSize      int
	log           Logger
	// graph selects Microsoft Graph's conventions (headers, error body,
	// request ids) instead of Partner Center's; see GraphClient.
	graph bool
	// redact removes the credential's secrets and the access tokens sent
	// from every text a server returns, before it is shown or logged.
	redact *secretRedactor

	// Seams for tests, so that retry waits need no real time.
	sleep     func(ctx context.Context, d time.Duration) error
	now       func() time.Time
	randN     func(n int64) int64
	pageLimit int
}

// NewClient checks cfg and returns a Client. It makes no network calls.
func NewClient(cfg Config) (*Client, error) {
	if err := checkConfig(cfg, "/v1"); err != nil {
		return nil, fmt.Errorf("partner center client: %w", err)
	}
	return newClient(cfg, false), nil
}

// newClient builds a Client from a checked cfg, for Microsoft Graph when
// graph is true.
func newClient(cfg Config, graph bool) *Client {
	c := &Client{
		baseURL:       strings.TrimRight(cfg.BaseURL, "/"),
		httpClient:    apiClient(cfg.HTTPClient, graph),
		graph:         graph,
		userAgent:     cfg.UserAgent,
		correlationID: cfg.CorrelationID,
		appName:       cfg.ApplicationName,
		maxRetries:    DefaultMaxRetries,
		waitMin:       orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin),
		waitMax:       orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax),
		maxBody:       orDefault(cfg.MaxResponseBytes, DefaultMaxResponseBytes),
		pageSize:      orDefault(cfg.PageSize, DefaultPageSize),
		log:           cfg.Logger,
		sleep:         sleepContext,
		now:           time.Now,
		randN:         rand.Int64N,
		pageLimit:     maxPages,
	}
	if tc, ok := cfg.TokenSource.(*tokenCache); ok {
		c.tokens = tc // share the caller's cache instead of nesting caches
	} else {
		c.tokens = newTokenCache(cfg.TokenSource, 0) // 0: the cache's default margin
	}
	c.redact = redactorOf(cfg.TokenSource)
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.correlationID == "" {
		c.correlationID = uuid.NewString()
	}
	if cfg.MaxRetries != nil {
		c.maxRetries = *cfg.MaxRetries
	}
	if c.log == nil {
		c.log = discardLog{}
	}
	return c
}

// CorrelationID returns the MS-CorrelationId sent with every request, for
// users to quote to Microsoft support.
func (c *Client) CorrelationID() string { return c.correlationID }

// checkConfig checks cfg for an API whose version segment, which the
// client adds to every path, is version.
func checkConfig(cfg Config, version string) error {
	if err := CheckEndpointURL(cfg.BaseURL); err != nil {
		return fmt.Errorf("base URL: %w", err)
	}
	if u, err := url.Parse(cfg.BaseURL); err == nil && strings.HasSuffix(strings.TrimRight(u.Path, "/"), version) {
		return fmt.Errorf("base URL %q must not end in %s: the client adds it", u.Redacted(), version)
	}
	if cfg.TokenSource == nil {
		return errors.New("a TokenSource is required")
	}
	if cfg.CorrelationID != "" {
		if err := uuid.Validate(cfg.CorrelationID); err != nil {
			return fmt.Errorf("correlation id %q is not a GUID", cfg.CorrelationID)
		}
	}
	for name, v := range map[string]string{"user agent": cfg.UserAgent, "application name": cfg.ApplicationName} {
		if strings.ContainsFunc(v, isControl) {
			return fmt.Errorf("%s contains control characters", name)
		}
	}
	switch {
	case cfg.MaxRetries != nil && *cfg.MaxRetries < 0:
		return errors.New("MaxRetries must not be negative")
	case cfg.RetryWaitMin < 0 || cfg.RetryWaitMax < 0:
		return errors.New("retry waits must not be negative")
	case cfg.MaxResponseBytes < 0:
		return errors.New("MaxResponseBytes must not be negative")
	case cfg.PageSize < 0:
		return errors.New("PageSize must not be negative")
	case orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin) > orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax):
		return fmt.Errorf("RetryWaitMin %s is longer than RetryWaitMax %s",
			orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin), orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax))
	}
	return nil
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// isControl reports characters that must not appear in a header value or
// in a one-line message: control characters and Unicode line breaks.
func isControl(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }

// Logger receives the client's diagnostic messages. Fields never hold
// credentials or tokens. A nil Logger discards everything.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Trace(ctx context.Context, msg string, fields map[string]any)
}

// discardLog is the Logger used when Config.Logger is nil.
type discardLog struct{}

func (discardLog) Debug(context.Context, string, map[string]any) {}
func (discardLog) Trace(context.Context, string, map[string]any) {}
