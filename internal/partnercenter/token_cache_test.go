package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// scriptedSource answers the n-th call (from 1) with answer(ctx, n).
type scriptedSource struct {
	mu     sync.Mutex
	calls  int
	answer func(ctx context.Context, n int) (*oauth2.Token, error)
}

func (s *scriptedSource) Token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.mu.Unlock()
	return s.answer(ctx, n)
}

// numberedTokens returns "token-n" valid for lifetime from the cache's
// clock at the time of the call.
func numberedTokens(clock func() time.Time, lifetime time.Duration) func(context.Context, int) (*oauth2.Token, error) {
	return func(_ context.Context, n int) (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: fmt.Sprintf("token-%d", n), Expiry: clock().Add(lifetime)}, nil
	}
}

// fakeClock is a settable time for the cache.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestTokenCache(src TokenSource, renewBefore time.Duration) (*tokenCache, *fakeClock) {
	clock := &fakeClock{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := newTokenCache(src, renewBefore)
	c.now = clock.now
	return c, clock
}

func mustToken(t *testing.T, c *tokenCache) string {
	t.Helper()
	tok, err := c.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

func TestTokenCacheReuseAndRenewBefore(t *testing.T) {
	tests := []struct {
		name        string
		renewBefore time.Duration
		lifetime    time.Duration
		steps       []time.Duration // clock advance before each call
		want        []string
		wantFetches int
	}{
		{"default renews 5m early", 0, time.Hour, []time.Duration{0, 54 * time.Minute, 59 * time.Second, time.Second}, []string{"token-1", "token-1", "token-1", "token-2"}, 2},
		{"custom margin", 10 * time.Minute, time.Hour, []time.Duration{0, 49 * time.Minute, time.Minute}, []string{"token-1", "token-1", "token-2"}, 2},
		{"negative margin renews at expiry", -1, time.Hour, []time.Duration{0, 59 * time.Minute, time.Minute}, []string{"token-1", "token-1", "token-2"}, 2},
		{"lifetime shorter than margin is used for half of it", 0, time.Minute, []time.Duration{0, 29 * time.Second, time.Second}, []string{"token-1", "token-1", "token-2"}, 2},
		{"expired when fetched is fetched again", 0, -time.Minute, []time.Duration{0, 0}, []string{"token-1", "token-2"}, 2},
		{"no expiry is kept", 0, 0, []time.Duration{0, 1000 * time.Hour}, []string{"token-1", "token-1"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &scriptedSource{}
			c, clock := newTestTokenCache(src, tt.renewBefore)
			src.answer = numberedTokens(clock.now, tt.lifetime)
			if tt.lifetime == 0 {
				src.answer = func(_ context.Context, n int) (*oauth2.Token, error) {
					return &oauth2.Token{AccessToken: fmt.Sprintf("token-%d", n)}, nil
				}
			}
			for i, step := range tt.steps {
				clock.advance(step)
				if got := mustToken(t, c); got != tt.want[i] {
					t.Errorf("call %d: %s, want %s", i, got, tt.want[i])
				}
			}
			if c.Fetches() != tt.wantFetches {
				t.Errorf("Fetches() = %d, want %d", c.Fetches(), tt.wantFetches)
			}
		})
	}
}

func TestTokenCacheConcurrentCallersShareOneFetch(t *testing.T) {
	release := make(chan struct{})
	src := &scriptedSource{answer: func(ctx context.Context, n int) (*oauth2.Token, error) {
		<-release
		return &oauth2.Token{AccessToken: fmt.Sprintf("token-%d", n), Expiry: time.Now().Add(time.Hour)}, nil
	}}
	c := newTokenCache(src, 0)
	const callers = 50
	var wg sync.WaitGroup
	results := make(chan string, callers)
	for range callers {
		wg.Go(func() {
			tok, err := c.Token(t.Context())
			if err != nil {
				t.Error(err)
				return
			}
			results <- tok.AccessToken
		})
	}
	time.Sleep(20 * time.Millisecond) // let callers pile up behind the fetch
	close(release)
	wg.Wait()
	close(results)
	for got := range results {
		if got != "token-1" {
			t.Errorf("a caller got %s", got)
		}
	}
	if c.Fetches() != 1 {
		t.Errorf("Fetches() = %d, want 1", c.Fetches())
	}
}

func TestTokenCacheInvalidate(t *testing.T) {
	src := &scriptedSource{}
	c, clock := newTestTokenCache(src, 0)
	src.answer = numberedTokens(clock.now, time.Hour)

	// Invalidating an empty cache is harmless.
	c.Invalidate(&oauth2.Token{AccessToken: "token-1"})

	first, err := c.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c.Invalidate(&oauth2.Token{AccessToken: "some-older-token"})
	if got := mustToken(t, c); got != "token-1" {
		t.Fatalf("a stale Invalidate dropped the current token: got %s", got)
	}

	// Many requests rejected with token-1 at once: one renewal.
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			c.Invalidate(first)
			if _, err := c.Token(t.Context()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if c.Fetches() != 2 {
		t.Errorf("Fetches() = %d after concurrent 401s, want 2", c.Fetches())
	}
	if got := mustToken(t, c); got != "token-2" {
		t.Errorf("got %s, want token-2", got)
	}

	// A copy with the same access token counts as the same token.
	c.Invalidate(&oauth2.Token{AccessToken: "token-2"})
	if got := mustToken(t, c); got != "token-3" {
		t.Errorf("got %s, want token-3", got)
	}
	c.Invalidate(nil)
	if got := mustToken(t, c); got != "token-4" {
		t.Errorf("after Invalidate(nil) got %s, want token-4", got)
	}
}

func TestTokenCacheFailureNotCached(t *testing.T) {
	boom := &AuthenticationError{Reason: "boom"}
	src := &scriptedSource{answer: func(_ context.Context, n int) (*oauth2.Token, error) {
		switch n {
		case 1:
			return nil, boom
		case 2:
			return &oauth2.Token{}, nil // empty: must not be cached either
		default:
			return &oauth2.Token{AccessToken: "good", Expiry: time.Now().Add(time.Hour)}, nil
		}
	}}
	c := newTokenCache(src, 0)
	if _, err := c.Token(t.Context()); !errors.Is(err, boom) {
		t.Fatalf("first call error = %v", err)
	}
	if _, err := c.Token(t.Context()); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("empty token error = %v", err)
	}
	if got := mustToken(t, c); got != "good" {
		t.Fatalf("got %s", got)
	}
	if got := mustToken(t, c); got != "good" || c.Fetches() != 3 {
		t.Errorf("got %s after %d fetches, want good after 3", got, c.Fetches())
	}
}

func TestTokenCacheCancelledWaiter(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	src := &scriptedSource{answer: func(context.Context, int) (*oauth2.Token, error) {
		close(started)
		<-release
		return &oauth2.Token{AccessToken: "slow", Expiry: time.Now().Add(time.Hour)}, nil
	}}
	c := newTokenCache(src, 0)
	leader := make(chan error, 1)
	go func() {
		_, err := c.Token(context.Background())
		leader <- err
	}()
	<-started

	ctx, cancel := context.WithCancel(t.Context())
	waiter := make(chan error, 1)
	go func() {
		_, err := c.Token(ctx)
		waiter <- err
	}()
	cancel()
	select {
	case err := <-waiter:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("waiter error = %v, want context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a cancelled waiter kept waiting for the fetch")
	}
	close(release)
	if err := <-leader; err != nil {
		t.Errorf("leader: %v", err)
	}
	if got := mustToken(t, c); got != "slow" || c.Fetches() != 1 {
		t.Errorf("got %s after %d fetches", got, c.Fetches())
	}
}

func TestTokenCacheLeaderCancelled(t *testing.T) {
	// The first caller gives up mid-fetch; a caller waiting for the same
	// fetch must not inherit that cancellation but fetch for itself.
	started := make(chan struct{})
	src := &scriptedSource{answer: func(ctx context.Context, n int) (*oauth2.Token, error) {
		if n == 1 {
			close(started)
			<-ctx.Done()
			return nil, fmt.Errorf("token request: %w", ctx.Err())
		}
		return &oauth2.Token{AccessToken: "second", Expiry: time.Now().Add(time.Hour)}, nil
	}}
	c := newTokenCache(src, 0)
	ctx, cancel := context.WithCancel(t.Context())
	leader := make(chan error, 1)
	go func() {
		_, err := c.Token(ctx)
		leader <- err
	}()
	<-started
	waiter := make(chan string, 1)
	go func() {
		tok, err := c.Token(t.Context())
		if err != nil {
			t.Error(err)
			waiter <- ""
			return
		}
		waiter <- tok.AccessToken
	}()
	time.Sleep(10 * time.Millisecond) // let the waiter start waiting
	cancel()
	if err := <-leader; !errors.Is(err, context.Canceled) {
		t.Errorf("leader error = %v", err)
	}
	if got := <-waiter; got != "second" {
		t.Errorf("waiter got %q, want second", got)
	}
}

func TestTokenCacheSourcePanic(t *testing.T) {
	src := &scriptedSource{answer: func(_ context.Context, n int) (*oauth2.Token, error) {
		if n == 1 {
			panic("source bug")
		}
		return &oauth2.Token{AccessToken: "after-panic"}, nil
	}}
	c := newTokenCache(src, 0)
	func() {
		defer func() { _ = recover() }()
		_, _ = c.Token(t.Context())
	}()
	done := make(chan string, 1)
	go func() {
		tok, err := c.Token(t.Context())
		if err != nil {
			t.Error(err)
			done <- ""
			return
		}
		done <- tok.AccessToken
	}()
	select {
	case got := <-done:
		if got != "after-panic" {
			t.Errorf("got %s", got)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a panicking fetch left the cache blocked")
	}
}
