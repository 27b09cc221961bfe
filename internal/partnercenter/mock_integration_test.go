package partnercenter

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// The client against the mock Partner Center, for what only a server with
// real token lifetimes shows.

func newMockClient(t *testing.T, mock *mockpartnercenter.Server, tokens TokenSource) *Client {
	t.Helper()
	client, err := NewClient(Config{BaseURL: mock.URL(), TokenSource: tokens, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// The mock accepts exactly the pages the client asks for: Partner Center
// documents no largest page, so the two numbers are one choice.
func TestPageSizeAgreesWithMock(t *testing.T) {
	if DefaultPageSize != mockpartnercenter.DefaultMaxPageSize {
		t.Fatalf("client pages of %d, mock accepts up to %d", DefaultPageSize, mockpartnercenter.DefaultMaxPageSize)
	}
}

func mockRefreshTokens(t *testing.T, mock *mockpartnercenter.Server) TokenSource {
	t.Helper()
	src, err := NewRefreshTokenSource(RefreshTokenConfig{
		AuthorityHost: mock.URL(),
		TenantID:      mockpartnercenter.DefaultTenantID,
		ClientID:      mockpartnercenter.DefaultClientID,
		ClientSecret:  mockpartnercenter.DefaultClientSecret,
		RefreshToken:  mockpartnercenter.DefaultRefreshToken,
		Audience:      mockpartnercenter.DefaultAudience,
	})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// waitPast sleeps until t has passed.
func waitPast(t time.Time) { time.Sleep(time.Until(t) + 50*time.Millisecond) }

// A token that expires during a run is renewed before it does: no request is
// ever refused.
func TestMockIntegration_tokenRenewedBeforeExpiry(t *testing.T) {
	const lifetime = time.Second
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{TokenLifetime: lifetime, RotateRefreshToken: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	client := newMockClient(t, mock, mockRefreshTokens(t, mock))

	ctx := context.Background()
	start := time.Now()
	if _, err := client.GetCustomer(ctx, mockpartnercenter.DocumentedCustomerID); err != nil {
		t.Fatal(err)
	}
	waitPast(start.Add(lifetime))
	if _, err := client.GetCustomer(ctx, mockpartnercenter.DocumentedCustomerID); err != nil {
		t.Fatal(err)
	}
	if got := mock.TokenRequests(); got != 2 {
		t.Errorf("token requests = %d, want 2: one, then one renewal", got)
	}
	if got := mock.Requests(mockpartnercenter.RouteGetCustomer); got != 2 {
		t.Errorf("customer requests = %d, want 2: the second token was renewed before use, not after a 401", got)
	}
}

// A ready access token cannot be renewed: once Partner Center stops accepting
// it, reads fail with 401 after exactly one renewal attempt.
func TestMockIntegration_expiredAccessToken(t *testing.T) {
	const lifetime = time.Second
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{TokenLifetime: lifetime})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	start := time.Now()
	token, err := mockRefreshTokens(t, mock).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Without its expiry the token looks valid forever to the cache, as a
	// pipeline-issued opaque token does.
	client := newMockClient(t, mock, NewStaticTokenSource(token.AccessToken))
	if _, err := client.GetCustomer(context.Background(), mockpartnercenter.DocumentedCustomerID); err != nil {
		t.Fatal(err)
	}
	waitPast(start.Add(lifetime))
	mock.ResetCounters()
	_, err = client.GetCustomer(context.Background(), mockpartnercenter.DocumentedCustomerID)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if got := mock.Requests(mockpartnercenter.RouteGetCustomer); got != 2 {
		t.Errorf("customer requests = %d, want 2: the rejected try and one retry after renewal", got)
	}
}

// The live service's next links carry /v1; the documentation's samples do
// not. The client follows both through every page, each page fetched once.
func TestMockIntegration_pagingWithBothLinkForms(t *testing.T) {
	for _, tc := range []struct {
		name        string
		unversioned bool
	}{
		{"live form /v1/customers", false},
		{"documented form /customers", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mock, err := mockpartnercenter.Start(mockpartnercenter.Options{GeneratedCustomers: 24, UnversionedLinks: tc.unversioned})
			if err != nil {
				t.Fatal(err)
			}
			defer mock.Close()
			client, err := NewClient(Config{BaseURL: mock.URL(), TokenSource: mockRefreshTokens(t, mock), PageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			customers, err := client.ListCustomers(t.Context(), ListCustomersOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(customers) != 25 || *customers[24].ID != mockpartnercenter.GeneratedCustomerID(23) {
				t.Fatalf("%d customers, want all 25 in order", len(customers))
			}
			if got := mock.Requests(mockpartnercenter.RouteListCustomers); got != 3 {
				t.Errorf("%d list requests, want 3 pages", got)
			}
			for _, r := range mock.RecordedRequests() {
				if r.Path != "/v1/customers" {
					t.Errorf("request to %q, want /v1/customers", r.Path)
				}
			}
		})
	}
}

// Under the live service's rate limit, concurrent reads wait as Retry-After
// says and none fails.
func TestMockIntegration_rateLimitedReads(t *testing.T) {
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{
		GeneratedCustomers: 29,
		RateLimit:          mockpartnercenter.RateLimit{Requests: 10, Window: time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	client, err := NewClient(Config{BaseURL: mock.URL(), TokenSource: mockRefreshTokens(t, mock)})
	if err != nil {
		t.Fatal(err)
	}
	ids := mock.CustomerIDs()
	errs := make(chan error, len(ids))
	for _, id := range ids {
		go func() {
			_, err := client.GetCustomer(t.Context(), id)
			errs <- err
		}()
	}
	for range ids {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	throttled := mock.ThrottledRequests()
	if throttled == 0 {
		t.Error("no request was throttled: the test did not exercise the rate limit")
	}
	if got, want := mock.Requests(mockpartnercenter.RouteGetCustomer), len(ids)+throttled; got != want {
		t.Errorf("%d requests, want one per customer plus one per throttled attempt (%d)", got, want)
	}
}

// App-only with a federated token from a CI endpoint: each renewal within one
// client asks the CI system for a new ID token, and the mock accepts it.
func TestMockIntegration_federatedRenewalTakesNewIDToken(t *testing.T) {
	const lifetime = time.Second
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{TokenLifetime: lifetime})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	src, err := NewClientCredentialsSource(ClientCredentialsConfig{
		AuthorityHost: mock.URL(),
		TenantID:      mockpartnercenter.DefaultTenantID,
		ClientID:      mockpartnercenter.DefaultClientID,
		FederatedToken: &FederatedToken{
			RequestURL:          mock.AzureDevOpsRequestURL(),
			RequestToken:        mockpartnercenter.DefaultOIDCRequestToken,
			ServiceConnectionID: mockpartnercenter.DefaultServiceConnectionID,
		},
		Audience: mockpartnercenter.DefaultAudience,
	})
	if err != nil {
		t.Fatal(err)
	}
	client := newMockClient(t, mock, src)
	start := time.Now()
	if _, err := client.GetCustomer(context.Background(), mockpartnercenter.DocumentedCustomerID); err != nil {
		t.Fatal(err)
	}
	waitPast(start.Add(lifetime))
	if _, err := client.GetCustomer(context.Background(), mockpartnercenter.DocumentedCustomerID); err != nil {
		t.Fatal(err)
	}
	grants := mock.TokenGrants()
	if len(grants) != 2 || grants[0].FederatedToken == grants[1].FederatedToken {
		t.Fatalf("%d grants; want two, each with its own ID token", len(grants))
	}
	if got := mock.Requests(mockpartnercenter.RouteIDToken); got != 2 {
		t.Errorf("ID-token requests = %d, want 2", got)
	}
}
