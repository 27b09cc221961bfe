package licences

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

const (
	ledgerCustomer = "eebd1b55-5360-4438-a11d-5c06918c3014"
	ledgerItem     = "CFQ7TTC0LH18:0001:CFQ7TTC0K59S"
	ledgerOther    = "CFQ7TTC0LF8R:0002:CFQ7TTC0K5DJ"
)

// Many checkouts recording at once: every id is known afterwards, in any
// case, and the look-up waits for them all.
func TestPurchaseLedger_concurrentCheckouts(t *testing.T) {
	l := shared.NewPurchaseLedger()
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
	l := shared.NewPurchaseLedger()
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

// A checkout whose answer was lost leaves its cart unresolved: it takes
// the earliest purchase made since the cart, and only one.
func TestPurchaseLedger_unresolvedCartTakesOnePurchase(t *testing.T) {
	l := shared.NewPurchaseLedger()
	since := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	l.CheckoutStarted(ledgerCustomer, ledgerItem, "cart-1", since)()
	carts := l.UnresolvedCarts(ledgerCustomer, ledgerItem)
	if len(carts) != 1 || carts[0].CartID != "cart-1" {
		t.Fatalf("unresolved carts %+v, want cart-1", carts)
	}
	found := []earlierPurchase{
		{subscriptionID: "later", created: "2026-12-07T10:05:00Z"},
		{subscriptionID: "mine", created: "2026-12-07T10:00:10Z"},
		{subscriptionID: "before", created: "2026-12-07T09:00:00Z"},
		{subscriptionID: "unreadable", created: "yesterday"},
	}
	var left []string
	for _, p := range withoutUnresolvedCarts(found, carts) {
		left = append(left, p.subscriptionID)
	}
	if got := strings.Join(left, ","); got != "unreadable,before,later" {
		t.Errorf("left %s, want unreadable,before,later", got)
	}
	l.Settled(ledgerCustomer, ledgerItem, "CART-1")
	if carts := l.UnresolvedCarts(ledgerCustomer, ledgerItem); len(carts) != 0 {
		t.Errorf("cart-1 still unresolved after it settled: %+v", carts)
	}
}

// An order of several lines names, for a product and SKU, the subscription
// of that product's line, not the first line's.
func TestOrderSubscriptionID_multiLineOrder(t *testing.T) {
	str := func(s string) *string { return &s }
	order := &partnercenter.Order{LineItems: []partnercenter.OrderLineItem{
		{OfferID: str("CFQ7TTC0LF8R:0002:CFQ7TTC0K5DJ"), SubscriptionID: str("sub-other")},
		{OfferID: str("CFQ7TTC0LH18:0001:CFQ7TTC0K59S"), SubscriptionID: str("sub-basic")},
	}}
	if got := orderSubscriptionID(order, ledgerItem); got != "sub-basic" {
		t.Errorf("orderSubscriptionID = %q, want sub-basic", got)
	}
	if got := orderSubscriptionID(order, "CFQ7TTC0LSGZ:0001:CFQ7TTC0K5DJ"); got != "" {
		t.Errorf("orderSubscriptionID of a product the order does not buy = %q, want none", got)
	}
}

// A purchase whose date cannot be read counts as recent, and the refusal
// shows the date as Partner Center wrote it.
func TestEarlierPurchases_unreadableDateCountsAsRecent(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for created, want := range map[string]bool{
		"2026-12-06T12:00:00Z": true, "2026-11-30T11:59:59Z": false, "": true, "07/12/2026": true,
	} {
		if got := isRecentPurchase(created, now); got != want {
			t.Errorf("isRecentPurchase(%q) = %v, want %v", created, got, want)
		}
	}
	_, detail := earlierPurchaseRefusal(ledgerCustomer, ledgerItem, []earlierPurchase{{subscriptionID: "sub-1", orderID: "o-1",
		created: "07/12/2026", quantity: "1"}})
	if !strings.Contains(detail, `unreadable date "07/12/2026" (counted as recent)`) {
		t.Errorf("the refusal does not name the unreadable date:\n%s", detail)
	}
}
