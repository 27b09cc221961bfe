package shared

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// PurchaseLedger remembers the orders and subscriptions this provider
// process bought. Terraform runs one provider process for an apply's
// changes and creates resources in parallel, re-planning each just before
// creating it: two resources buying the same SKU for one customer must not
// take each other's purchase for one an interrupted apply left behind. A
// purchase of another process, such as an apply killed before it saved its
// state, is not in the ledger.
type PurchaseLedger struct {
	mu     sync.Mutex
	bought map[string]bool // order and subscription ids, lower case
	// checkouts are the checkouts under way, by customer and product/SKU,
	// so that a look-up can wait for their orders.
	checkouts map[purchaseKey]*checkoutsUnderWay
	// unresolved are the carts this process checked out (or tried to)
	// whose order it does not know: the answer was lost, or never came.
	unresolved map[purchaseKey][]UnresolvedCart
	// lists are the customers' lists the look-ups read, kept for seconds.
	Lists *purchaseLists
}

// purchaseKey is a customer and a product/SKU, lower case.
type purchaseKey struct{ customer, product, sku string }

func newPurchaseKey(customerID, catalogItemID string) purchaseKey {
	product, sku, _, _ := CatalogItemParts(catalogItemID)
	return purchaseKey{strings.ToLower(customerID), strings.ToLower(product), strings.ToLower(sku)}
}

func (k purchaseKey) String() string {
	return fmt.Sprintf("product %s SKU %s for customer %q", strings.ToUpper(k.product), k.sku, k.customer)
}

// checkoutsUnderWay counts the checkouts of one key; settled is closed
// when the count returns to zero.
type checkoutsUnderWay struct {
	count   int
	settled chan struct{}
}

// UnresolvedCart is a cart whose order may exist: it was made at since or
// later.
type UnresolvedCart struct {
	CartID string
	Since  time.Time
}

func NewPurchaseLedger() *PurchaseLedger {
	return &PurchaseLedger{bought: map[string]bool{}, checkouts: map[purchaseKey]*checkoutsUnderWay{},
		unresolved: map[purchaseKey][]UnresolvedCart{}, Lists: newPurchaseLists()}
}

// CheckoutStarted records a checkout of CartID under way, until the
// returned function is called. since is a time before the cart was made.
// The cart stays unresolved until settled says its order, or that it has
// none.
func (l *PurchaseLedger) CheckoutStarted(customerID, catalogItemID, cartID string, since time.Time) (ended func()) {
	key := newPurchaseKey(customerID, catalogItemID)
	l.Lists.Drop(customerID)
	l.mu.Lock()
	defer l.mu.Unlock()
	if !since.IsZero() && !l.isUnresolved(key, cartID) {
		l.unresolved[key] = append(l.unresolved[key], UnresolvedCart{CartID: cartID, Since: since})
	}
	under := l.checkouts[key]
	if under == nil {
		under = &checkoutsUnderWay{settled: make(chan struct{})}
		l.checkouts[key] = under
	}
	under.count++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.Lists.Drop(customerID)
			l.mu.Lock()
			defer l.mu.Unlock()
			under.count--
			if under.count == 0 {
				close(under.settled)
				delete(l.checkouts, key)
			}
		})
	}
}

func (l *PurchaseLedger) isUnresolved(key purchaseKey, cartID string) bool {
	for _, c := range l.unresolved[key] {
		if strings.EqualFold(c.CartID, cartID) {
			return true
		}
	}
	return false
}

// settled records that the cart's outcome is known: its order is recorded,
// or it bought nothing.
func (l *PurchaseLedger) Settled(customerID, catalogItemID, cartID string) {
	key := newPurchaseKey(customerID, catalogItemID)
	l.mu.Lock()
	defer l.mu.Unlock()
	carts := l.unresolved[key]
	for i, c := range carts {
		if strings.EqualFold(c.CartID, cartID) {
			l.unresolved[key] = append(carts[:i:i], carts[i+1:]...)
			break
		}
	}
	if len(l.unresolved[key]) == 0 {
		delete(l.unresolved, key)
	}
}

// UnresolvedCarts are this process's carts of the customer and catalog
// item's product/SKU whose order it does not know, oldest first.
func (l *PurchaseLedger) UnresolvedCarts(customerID, catalogItemID string) []UnresolvedCart {
	l.mu.Lock()
	defer l.mu.Unlock()
	carts := append([]UnresolvedCart(nil), l.unresolved[newPurchaseKey(customerID, catalogItemID)]...)
	return carts
}

// record remembers ids (orders, subscriptions) as this process's purchases.
func (l *PurchaseLedger) Record(ids ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		if id != "" {
			l.bought[strings.ToLower(id)] = true
		}
	}
}

// BoughtHere reports whether this process bought id.
func (l *PurchaseLedger) BoughtHere(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return id != "" && l.bought[strings.ToLower(id)]
}

// WithBought adds this process's purchases to ids and returns it.
func (l *PurchaseLedger) WithBought(ids map[string]bool) map[string]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id := range l.bought {
		ids[id] = true
	}
	return ids
}

// AwaitCheckouts returns once no checkout of this process for the customer
// and the catalog item's product/SKU is under way, so that every order it
// placed is in the ledger, or when ctx ends. Checkouts of other customers
// or SKUs do not hold it.
func (l *PurchaseLedger) AwaitCheckouts(ctx context.Context, customerID, catalogItemID string) error {
	key := newPurchaseKey(customerID, catalogItemID)
	l.mu.Lock()
	under := l.checkouts[key]
	l.mu.Unlock()
	if under == nil {
		return nil
	}
	select {
	case <-under.settled:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for this apply's checkout of %s to finish, so that its order is not taken for an earlier "+
			"purchase: %w", key, ctx.Err())
	}
}
