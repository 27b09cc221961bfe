package partnercenter

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// defaultRenewBefore renews tokens early enough that a token handed to a
// request does not expire while the request (and its retries) run.
const defaultRenewBefore = 5 * time.Minute

// TokenSource supplies access tokens for the Partner Center API.
//
// Unlike oauth2.TokenSource it takes a context, so that a cancelled read also
// cancels the token request it is waiting for. Implementations need not cache:
// the Client caches, renews before expiry and shares one renewal among
// concurrent callers.
type TokenSource interface {
	Token(ctx context.Context) (*oauth2.Token, error)
}

// tokenCache wraps a TokenSource: it keeps the last token while it is
// valid, renews it shortly before expiry and lets concurrent callers share
// one fetch. It is safe for concurrent use.
type tokenCache struct {
	src         TokenSource
	renewBefore time.Duration
	now         func() time.Time

	mu       sync.Mutex
	token    *oauth2.Token
	renewAt  time.Time // zero: keep until Invalidate
	inflight *tokenFetch
	fetches  int
}

// tokenFetch is one call of src.Token that other callers wait for.
type tokenFetch struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
	// abandoned is true when the fetching caller's ctx ended, so its
	// error says nothing about the credential.
	abandoned bool
}

// newTokenCache returns a cache over src that renews tokens renewBefore
// ahead of their expiry; 0 means five minutes and a negative value means
// at expiry.
func newTokenCache(src TokenSource, renewBefore time.Duration) *tokenCache {
	if renewBefore == 0 {
		renewBefore = defaultRenewBefore
	}
	if renewBefore < 0 {
		renewBefore = 0
	}
	return &tokenCache{src: src, renewBefore: renewBefore, now: time.Now}
}

// Token returns the cached token, or fetches a new one when there is none
// or it is within renewBefore of its expiry. Tokens without an expiry are
// kept until Invalidate. A failed fetch is not cached: the next call tries
// again. A caller waiting for another caller's fetch returns ctx.Err() as
// soon as its own ctx ends.
func (c *tokenCache) Token(ctx context.Context) (*oauth2.Token, error) {
	for {
		c.mu.Lock()
		if c.fresh() {
			tok := c.token
			c.mu.Unlock()
			return tok, nil
		}
		if f := c.inflight; f != nil {
			c.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			// The fetch ran with the first caller's ctx. If that caller
			// gave up, its cancellation is not this caller's failure:
			// try again, possibly fetching itself.
			if f.abandoned && ctx.Err() == nil {
				continue
			}
			return f.tok, f.err
		}
		f := &tokenFetch{done: make(chan struct{})}
		c.inflight = f
		c.fetches++
		c.mu.Unlock()

		c.run(ctx, f)
		// A token that is already due for renewal (a lifetime shorter than
		// renewBefore) is still returned: it is the best there is.
		return f.tok, f.err
	}
}

// run fetches for f and publishes the result. The deferred part also runs
// if the source panics, so that waiters are never left blocked.
func (c *tokenCache) run(ctx context.Context, f *tokenFetch) {
	f.err = errors.New("token source panicked")
	defer func() {
		f.abandoned = f.err != nil && ctx.Err() != nil
		c.mu.Lock()
		if f.err == nil {
			c.token, c.renewAt = f.tok, c.renewalTime(f.tok)
		}
		c.inflight = nil
		c.mu.Unlock()
		close(f.done)
	}()
	f.tok, f.err = c.fetch(ctx)
}

func (c *tokenCache) fetch(ctx context.Context) (*oauth2.Token, error) {
	tok, err := c.src.Token(ctx)
	if err != nil {
		return nil, err
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, &AuthenticationError{Reason: "the credential returned an empty access token"}
	}
	return tok, nil
}

func (c *tokenCache) fresh() bool {
	if c.token == nil || c.token.AccessToken == "" {
		return false
	}
	return c.renewAt.IsZero() || c.now().Before(c.renewAt)
}

// renewalTime is renewBefore ahead of the token's expiry, but no earlier than
// halfway through the lifetime it had when fetched: a token issued for less
// than renewBefore (an Azure CLI token near its end, a short-lived access
// token) is then reused for a while instead of being fetched again for every
// request.
func (c *tokenCache) renewalTime(tok *oauth2.Token) time.Time {
	if tok.Expiry.IsZero() {
		return time.Time{}
	}
	now := c.now()
	renewAt := tok.Expiry.Add(-c.renewBefore)
	if halfway := now.Add(tok.Expiry.Sub(now) / 2); renewAt.Before(halfway) {
		renewAt = halfway
	}
	return renewAt
}

// Invalidate drops the cached token after the API rejected it with 401,
// but only if the cache still holds that token (same access token). When
// many requests fail with the same token at once, the first Invalidate
// drops it and the rest find a newer token in place, so only one renewal
// happens. A nil token drops whatever is cached.
func (c *tokenCache) Invalidate(rejected *oauth2.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == nil {
		return
	}
	if rejected == nil || rejected == c.token || rejected.AccessToken == c.token.AccessToken {
		c.token = nil
	}
}

// redactor is the wrapped source's, so that a Client sharing this cache
// redacts what its source knows.
func (c *tokenCache) redactor() *secretRedactor { return redactorOf(c.src) }

// Fetches reports how many times the wrapped source has been asked for a
// token.
func (c *tokenCache) Fetches() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetches
}
