package partnercenter

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
)

// newGraphTestClient is a GraphClient on an httptest server, with waits
// recorded instead of slept.
func newGraphTestClient(t *testing.T, handler http.Handler) (*GraphClient, *apiTestEnv) {
	t.Helper()
	env := &apiTestEnv{srv: httptest.NewServer(handler), tokens: &apiTestTokens{}, log: &apiTestLogger{}}
	t.Cleanup(env.srv.Close)
	g, err := NewGraphClient(Config{
		BaseURL: env.srv.URL, TokenSource: env.tokens, Logger: env.log,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	g.c.sleep = func(ctx context.Context, d time.Duration) error {
		env.mu.Lock()
		env.sleeps = append(env.sleeps, d)
		env.mu.Unlock()
		return ctx.Err()
	}
	env.client = g.c
	return g, env
}

// graphGet reads one Graph object, as the GDAP calls do.
func graphGet(g *GraphClient) (responseInfo, error) {
	var out map[string]any
	return g.c.getJSON(context.Background(), "get relationship", g.url("/tenantRelationships/delegatedAdminRelationships/r1"), nil, &out)
}

func TestGraphRequestHeaders(t *testing.T) {
	var got http.Header
	g, env := newGraphTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		if r.URL.Path != "/v1.0/tenantRelationships/delegatedAdminRelationships/r1" {
			t.Errorf("path %q", r.URL.Path)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("request-id", "graph-request-id")
		w.Header().Set("client-request-id", r.Header.Get("client-request-id"))
		_, _ = w.Write([]byte(`{"id":"r1"}`))
	}))
	info, err := graphGet(g)
	if err != nil {
		t.Fatal(err)
	}
	sent := got.Get("client-request-id")
	if uuid.Validate(sent) != nil || got.Get("return-client-request-id") != "true" {
		t.Errorf("client-request-id %q, return-client-request-id %q", sent, got.Get("return-client-request-id"))
	}
	if got.Get("Accept") != "application/json" || got.Get("Authorization") != "Bearer token-1" {
		t.Errorf("Accept %q, Authorization %q", got.Get("Accept"), got.Get("Authorization"))
	}
	for _, h := range []string{"MS-Contract-Version", "MS-RequestId", "MS-CorrelationId", "MS-PartnerCenter-Application"} {
		if v := got.Get(h); v != "" {
			t.Errorf("Graph request sent %s: %q", h, v)
		}
	}
	if info.RequestID != "graph-request-id" || info.CorrelationID != sent || !info.Graph {
		t.Errorf("info %+v, want request-id graph-request-id and client-request-id %s", info, sent)
	}
	traces := env.log.byLevel("trace")
	if len(traces) != 1 || traces[0].msg != "Microsoft Graph request" {
		t.Errorf("trace log %+v", traces)
	}
}

func TestGraphErrorBody(t *testing.T) {
	const body = `{"error":{"code":"Request_BadRequest","message":"The relationship name token-1 is taken.",` +
		`"innerError":{"date":"2026-12-08T00:00:00","request-id":"body-request-id","client-request-id":"body-client-id"}}}`
	for _, tt := range []struct {
		name                  string
		headers               bool
		wantRequest, wantCorr string
	}{
		{"ids in headers win", true, "header-request-id", "header-client-id"},
		{"ids from the body when the headers lack them", false, "body-request-id", "body-client-id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, _ := newGraphTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.headers {
					w.Header().Set("request-id", "header-request-id")
					w.Header().Set("client-request-id", "header-client-id")
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(body))
			}))
			_, err := graphGet(g)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if apiErr.Code != "Request_BadRequest" || !apiErr.Graph || apiErr.RequestID != tt.wantRequest || apiErr.CorrelationID != tt.wantCorr {
				t.Errorf("got %+v", apiErr)
			}
			// The access token sent is redacted from the server's text.
			if strings.Contains(apiErr.Description, "token-1") || !strings.HasSuffix(apiErr.Description, " is taken.") {
				t.Errorf("description %q", apiErr.Description)
			}
			msg := err.Error()
			if strings.Contains(msg, "token-1") || strings.Contains(msg, "MS-RequestId") ||
				!strings.Contains(msg, "request-id "+tt.wantRequest) || !strings.Contains(msg, "client-request-id "+tt.wantCorr) {
				t.Errorf("message %q", msg)
			}
		})
	}
}

func TestGraphInvalidAuthenticationTokenRenewsOnce(t *testing.T) {
	var requests atomic.Int32
	g, env := newGraphTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer token-2" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid."}}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"r1"}`))
	}))
	if _, err := graphGet(g); err != nil {
		t.Fatal(err)
	}
	if requests.Load() != 2 || env.tokens.count() != 2 {
		t.Errorf("%d requests, %d token fetches, want 2 and 2", requests.Load(), env.tokens.count())
	}
	debug := env.log.byLevel("debug")
	if len(debug) != 1 || debug[0].msg != "Microsoft Graph rejected the access token; renewing it and retrying" {
		t.Errorf("debug log %+v", debug)
	}
}

func TestGraphRetryAfterHonoured(t *testing.T) {
	var requests atomic.Int32
	g, env := newGraphTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 1 {
			w.Header().Set("Retry-After", "7")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"Too many requests."}}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"r1"}`))
	}))
	if _, err := graphGet(g); err != nil {
		t.Fatal(err)
	}
	if w := env.waits(); len(w) != 1 || w[0] != 7*time.Second {
		t.Errorf("waits %v, want [7s]", w)
	}
	if debug := env.log.byLevel("debug"); len(debug) != 1 || debug[0].msg != "Microsoft Graph request failed; retrying" {
		t.Errorf("debug log %+v", debug)
	}
}

func TestIsPreconditionFailed(t *testing.T) {
	g, _ := newGraphTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusPreconditionFailed)
		_, _ = w.Write([]byte(`{"error":{"code":"PreconditionFailed","message":"The etag does not match."}}`))
	}))
	_, err := graphGet(g)
	if !IsPreconditionFailed(err) || !IsPreconditionFailed(errors.Join(errors.New("update"), err)) {
		t.Errorf("IsPreconditionFailed(%v) = false", err)
	}
	for _, other := range []error{nil, errors.New("412"), &APIError{StatusCode: http.StatusConflict}} {
		if IsPreconditionFailed(other) {
			t.Errorf("IsPreconditionFailed(%v) = true", other)
		}
	}
}

func TestGraphRedirectToAnotherOriginCarriesNoToken(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
	}))
	t.Cleanup(other.Close)
	g, _ := newGraphTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=x", http.StatusTemporaryRedirect)
	}))
	_, err := graphGet(g)
	if err == nil || !strings.Contains(err.Error(), "Microsoft Graph answered HTTP 307 with a redirect") {
		t.Errorf("err = %v", err)
	}
	if elsewhere.Load() != 0 {
		t.Errorf("the other origin got %d requests", elsewhere.Load())
	}
}

func TestGraphTransportErrorNamesTheClientRequestID(t *testing.T) {
	var sent atomic.Value
	g, _ := newGraphTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Store(r.Header.Get("client-request-id"))
		hijacker, ok := w.(http.Hijacker)
		if !ok {
			t.Error("the test server cannot drop a connection")
			return
		}
		if conn, _, err := hijacker.Hijack(); err == nil {
			_ = conn.Close() // no answer at all
		}
	}))
	g.c.maxRetries = 0
	_, err := graphGet(g)
	id, _ := sent.Load().(string)
	if err == nil || id == "" || !strings.Contains(err.Error(), "(client-request-id "+id+")") {
		t.Errorf("err = %v, want it to name client-request-id %s alone", err, id)
	}
}
