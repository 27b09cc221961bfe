package shared

import (
	"context"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

type fixedToken string

func (f fixedToken) Token(context.Context) (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: string(f), Expiry: time.Now().Add(time.Hour)}, nil
}

// The look-ups of one process read a customer's lists once within the
// time they are kept, whoever asks and however many at once; after that
// time, or a checkout for the customer, they are read again.
func TestPurchaseLists_readOncePerCustomerWithinTTL(t *testing.T) {
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mock.Close)
	client, err := partnercenter.NewClient(partnercenter.Config{BaseURL: mock.URL(),
		TokenSource: fixedToken(acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken))})
	if err != nil {
		t.Fatal(err)
	}
	l := NewPurchaseLedger()
	clock := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var clockMu sync.Mutex
	l.Lists.Now = func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock }
	reads := func() (int, int) {
		return mock.Requests(mockpartnercenter.RouteListSubscriptions), mock.Requests(mockpartnercenter.RouteListOrders)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := l.Lists.Get(t.Context(), client, acctest.DocumentedID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if subs, orders := reads(); subs != 1 || orders != 1 {
		t.Fatalf("8 look-ups read %d subscription and %d order lists, want 1 and 1", subs, orders)
	}
	clockMu.Lock()
	clock = clock.Add(PurchaseListsTTL)
	clockMu.Unlock()
	if _, _, err := l.Lists.Get(t.Context(), client, acctest.DocumentedID); err != nil {
		t.Fatal(err)
	}
	if subs, orders := reads(); subs != 2 || orders != 2 {
		t.Fatalf("after the TTL: %d and %d list reads, want 2 and 2", subs, orders)
	}
	l.CheckoutStarted(acctest.DocumentedID, ledgerItem, "cart-1", time.Time{})()
	if _, _, err := l.Lists.Get(t.Context(), client, acctest.DocumentedID); err != nil {
		t.Fatal(err)
	}
	if subs, orders := reads(); subs != 3 || orders != 3 {
		t.Fatalf("after a checkout: %d and %d list reads, want 3 and 3", subs, orders)
	}
	// A failed read is not kept.
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{403},
		Route: mockpartnercenter.RouteListOrders})
	l.Lists.Drop(acctest.DocumentedID)
	if _, _, err := l.Lists.Get(t.Context(), client, acctest.DocumentedID); err == nil {
		t.Fatal("the refused order list gave no error")
	}
	if _, _, err := l.Lists.Get(t.Context(), client, acctest.DocumentedID); err != nil {
		t.Fatalf("the read after a failed one: %v", err)
	}
}
