package shared

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// PurchaseListsTTL is how long a customer's subscription and order lists
// read for the look-up serve again. Terraform plans a new resource once
// more just before creating it, in the process that creates it, and Create
// looks again: the second look-up seconds later reuses the first's lists.
// Partner Center's lists lag behind new orders by minutes anyway.
const PurchaseListsTTL = 10 * time.Second

// purchaseLists caches, per customer, the lists the look-up for earlier
// purchases reads. A checkout of this process for the customer drops them.
type purchaseLists struct {
	mu   sync.Mutex
	Now  func() time.Time
	byID map[string]*customerLists // by customer id, lower case
}

// customerLists are one customer's lists, read once by whoever asks first.
type customerLists struct {
	once          sync.Once
	read          time.Time
	subscriptions []partnercenter.Subscription
	orders        []partnercenter.Order
	err           error
}

func newPurchaseLists() *purchaseLists {
	return &purchaseLists{Now: time.Now, byID: map[string]*customerLists{}}
}

// get returns the customer's subscriptions and orders, read now or less
// than PurchaseListsTTL ago. A failed read is not kept.
func (p *purchaseLists) Get(ctx context.Context, client *partnercenter.Client, customerID string) ([]partnercenter.Subscription, []partnercenter.Order, error) {
	key := strings.ToLower(customerID)
	p.mu.Lock()
	lists := p.byID[key]
	if lists == nil || (!lists.read.IsZero() && p.Now().Sub(lists.read) >= PurchaseListsTTL) {
		lists = &customerLists{}
		p.byID[key] = lists
	}
	p.mu.Unlock()
	lists.once.Do(func() {
		lists.subscriptions, lists.err = client.GetCustomerSubscriptions(ctx, customerID)
		if lists.err == nil {
			lists.orders, lists.err = client.ListOrders(ctx, customerID)
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		lists.read = p.Now()
		if lists.err != nil && p.byID[key] == lists {
			delete(p.byID, key)
		}
	})
	return lists.subscriptions, lists.orders, lists.err
}

// drop forgets the customer's lists: this process is buying for it.
func (p *purchaseLists) Drop(customerID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.byID, strings.ToLower(customerID))
}
