package licences

import (
	"strings"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

const (
	ledgerCustomer = "eebd1b55-5360-4438-a11d-5c06918c3014"
	ledgerItem     = "CFQ7TTC0LH18:0001:CFQ7TTC0K59S"
)

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
