package shared

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	ledgerCustomer = "eebd1b55-5360-4438-a11d-5c06918c3014"
	ledgerItem     = "CFQ7TTC0LH18:0001:CFQ7TTC0K59S"
	ledgerOther    = "CFQ7TTC0LF8R:0002:CFQ7TTC0K5DJ"
)

// Many checkouts recording at once: every id is known afterwards, in any
// case, and the look-up waits for them all.
func TestPurchaseLedger_concurrentCheckouts(t *testing.T) {
	l := NewPurchaseLedger()
	const n = 50
	var wg sync.WaitGroup
	release := make(chan struct{})
	started := make(chan struct{}, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cart := fmt.Sprintf("cart-%d", i)
			ended := l.CheckoutStarted(ledgerCustomer, ledgerItem, cart, time.Now())
			started <- struct{}{}
			<-release
			l.Record(fmt.Sprintf("ORDER-%d", i))
			l.Settled(ledgerCustomer, ledgerItem, cart)
			ended()
			ended() // a second call changes nothing
		}()
	}
	for range n {
		<-started
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	err := l.AwaitCheckouts(ctx, ledgerCustomer, ledgerItem)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "CFQ7TTC0LH18 SKU 0001") {
		t.Fatalf("awaitCheckouts with checkouts under way: %v, want the deadline naming the product and SKU", err)
	}
	close(release)
	if err := l.AwaitCheckouts(context.Background(), ledgerCustomer, ledgerItem); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i := range n {
		if !l.BoughtHere(fmt.Sprintf("order-%d", i)) {
			t.Errorf("order-%d is not in the ledger", i)
		}
	}
	if carts := l.UnresolvedCarts(ledgerCustomer, ledgerItem); len(carts) != 0 {
		t.Errorf("%d carts unresolved after every checkout settled", len(carts))
	}
	if l.BoughtHere("") || l.BoughtHere("order-x") {
		t.Error("the ledger knows ids it never recorded")
	}
}

// A checkout of another SKU or customer does not hold a look-up.
func TestPurchaseLedger_awaitIsPerCustomerAndSKU(t *testing.T) {
	l := NewPurchaseLedger()
	ended := l.CheckoutStarted(ledgerCustomer, ledgerItem, "cart-1", time.Now())
	defer ended()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := l.AwaitCheckouts(ctx, ledgerCustomer, ledgerOther); err != nil {
		t.Errorf("another SKU waited: %v", err)
	}
	if err := l.AwaitCheckouts(ctx, "another-customer", ledgerItem); err != nil {
		t.Errorf("another customer waited: %v", err)
	}
	// The same product and SKU in another availability is the same key.
	short, cancelShort := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancelShort()
	if err := l.AwaitCheckouts(short, strings.ToUpper(ledgerCustomer), "cfq7ttc0lh18:0001:OTHER"); err == nil {
		t.Error("the same customer and SKU did not wait")
	}
}
