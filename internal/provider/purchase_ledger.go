package provider

import (
	"context"
	"strings"
	"sync"
)

// purchaseLedger remembers the orders and subscriptions this provider
// process bought. Terraform runs one provider process for an apply's
// changes and creates resources in parallel, re-planning each just before
// creating it: two resources buying the same SKU for one customer must not
// take each other's purchase for one an interrupted apply left behind. A
// purchase of another process, such as an apply killed before it saved its
// state, is not in the ledger.
type purchaseLedger struct {
	mu     sync.Mutex
	bought map[string]bool // order and subscription ids, lower case
	// checkouts counts the checkouts under way; settled is closed when
	// the count returns to zero, so a look-up can wait for their orders.
	checkouts int
	settled   chan struct{}
}

func newPurchaseLedger() *purchaseLedger {
	settled := make(chan struct{})
	close(settled)
	return &purchaseLedger{bought: map[string]bool{}, settled: settled}
}

// checkoutStarted records a checkout under way, until the returned function
// is called.
func (l *purchaseLedger) checkoutStarted() (ended func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.checkouts == 0 {
		l.settled = make(chan struct{})
	}
	l.checkouts++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.checkouts--
			if l.checkouts == 0 {
				close(l.settled)
			}
		})
	}
}

// record remembers ids (orders, subscriptions) as this process's purchases.
func (l *purchaseLedger) record(ids ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		if id != "" {
			l.bought[strings.ToLower(id)] = true
		}
	}
}

// boughtHere reports whether this process bought id.
func (l *purchaseLedger) boughtHere(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return id != "" && l.bought[strings.ToLower(id)]
}

// withBought adds this process's purchases to ids and returns it.
func (l *purchaseLedger) withBought(ids map[string]bool) map[string]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id := range l.bought {
		ids[id] = true
	}
	return ids
}

// awaitCheckouts returns once no checkout of this process is under way, so
// that every order it placed is in the ledger, or when ctx ends.
func (l *purchaseLedger) awaitCheckouts(ctx context.Context) error {
	l.mu.Lock()
	settled := l.settled
	l.mu.Unlock()
	select {
	case <-settled:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
