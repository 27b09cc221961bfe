package partnercenter

import (
	"encoding/json"
	"slices"
	"strings"
)

// NextTermInstructions are the changes scheduled for a subscription's
// renewal (scheduledNextTermInstructions, "Schedule changes for a new
// commerce subscription"): what it becomes when its term renews.
type NextTermInstructions struct {
	Product  NextTermProduct `json:"product"`
	Quantity int             `json:"quantity"`
}

// NextTermProduct is the offer a subscription renews into.
type NextTermProduct struct {
	ProductID      string `json:"productId"`
	SkuID          string `json:"skuId"`
	AvailabilityID string `json:"availabilityId"`
	BillingCycle   string `json:"billingCycle"`
	TermDuration   string `json:"termDuration"`
}

// CatalogItemID is product:sku:availability.
func (p NextTermProduct) CatalogItemID() string {
	return p.ProductID + ":" + p.SkuID + ":" + p.AvailabilityID
}

// setCatalogItem sets the product, SKU and availability from a
// product:sku:availability; anything else leaves them as they are.
func (p *NextTermProduct) setCatalogItem(id string) {
	if parts := strings.Split(id, ":"); len(parts) == 3 {
		p.ProductID, p.SkuID, p.AvailabilityID = parts[0], parts[1], parts[2]
	}
}

// String is the instructions' JSON, "null" for none.
func (n *NextTermInstructions) String() string {
	b, _ := json.Marshal(n) // strings and a number always marshal
	return string(b)
}

// sameAs reports instructions that schedule the same renewal: identifiers,
// term and billing cycle in any letter case.
func (n *NextTermInstructions) sameAs(o *NextTermInstructions) bool {
	if n == nil || o == nil {
		return n == o
	}
	return n.Quantity == o.Quantity && strings.EqualFold(n.Product.CatalogItemID(), o.Product.CatalogItemID()) &&
		strings.EqualFold(n.Product.TermDuration, o.Product.TermDuration) && strings.EqualFold(n.Product.BillingCycle, o.Product.BillingCycle)
}

// CurrentTerm is the subscription as it is now, in the form of
// instructions: what it renews into when none are scheduled.
func CurrentTerm(s *Subscription) NextTermInstructions {
	current := NextTermInstructions{Product: NextTermProduct{BillingCycle: textOf(s.BillingCycle), TermDuration: textOf(s.TermDuration)}}
	current.Product.setCatalogItem(textOf(s.OfferID))
	if s.Quantity != nil {
		current.Quantity = int(*s.Quantity)
	}
	return current
}

// NoInstructions reports scheduledNextTermInstructions that schedule
// nothing: absent, or JSON holding nothing but null, "", [] and {}, as
// Partner Center may send once none are scheduled (a product whose
// members are all null). Whatever reads the schedule judges by this.
func NoInstructions(raw json.RawMessage) bool {
	var decoded any
	return len(strings.TrimSpace(string(raw))) == 0 || (json.Unmarshal(raw, &decoded) == nil && holdsNothing(decoded))
}

// holdsNothing reports a decoded JSON value without any value in it: null,
// "", and arrays and objects holding only such.
func holdsNothing(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return !slices.ContainsFunc(v, func(e any) bool { return !holdsNothing(e) })
	case map[string]any:
		for _, member := range v {
			if !holdsNothing(member) {
				return false
			}
		}
		return true
	}
	return false
}

// ScheduledInstructions are the changes scheduled for s's renewal, each
// member left out (or empty) read as the subscription has it now; nil
// when none are scheduled, or when they cannot be read as instructions.
func ScheduledInstructions(s *Subscription) *NextTermInstructions {
	var sent struct {
		Product *struct {
			ProductID, SkuID, AvailabilityID, BillingCycle, TermDuration *string
		} `json:"product"`
		Quantity *float64 `json:"quantity"`
	}
	if NoInstructions(s.ScheduledNextTermInstructions) || json.Unmarshal(s.ScheduledNextTermInstructions, &sent) != nil ||
		(sent.Product == nil && sent.Quantity == nil) {
		return nil
	}
	n := CurrentTerm(s)
	if p := sent.Product; p != nil {
		for _, m := range []struct{ into, from *string }{{&n.Product.ProductID, p.ProductID}, {&n.Product.SkuID, p.SkuID},
			{&n.Product.AvailabilityID, p.AvailabilityID}, {&n.Product.BillingCycle, p.BillingCycle}, {&n.Product.TermDuration, p.TermDuration}} {
			if textOf(m.from) != "" {
				*m.into = *m.from
			}
		}
	}
	if sent.Quantity != nil {
		n.Quantity = int(*sent.Quantity)
	}
	return &n
}

// RenewalPlan is what a subscription is to become at its renewal; an empty
// member (0 for Quantity) means as the subscription is when scheduled.
type RenewalPlan struct {
	// CatalogItemID is product:sku:availability.
	CatalogItemID, TermDuration, BillingCycle string
	Quantity                                  int
}

// ChangeScheduledInstructions schedules plan for the renewal, its empty
// members filled from the subscription as read just before the PATCH; a
// nil plan deletes what is scheduled. Partner Center requires auto-renew
// on, and deletes the instructions on any immediate change: send this
// after the other changes of an update.
func ChangeScheduledInstructions(plan *RenewalPlan) SubscriptionChange {
	const member = "scheduledNextTermInstructions"
	if plan == nil {
		return SubscriptionChange{member: member, value: (*NextTermInstructions)(nil), done: func(s *Subscription) bool {
			return ScheduledInstructions(s) == nil
		}}
	}
	return SubscriptionChange{member: member, resolve: func(s *Subscription) SubscriptionChange {
		want := CurrentTerm(s)
		want.Product.setCatalogItem(plan.CatalogItemID)
		if plan.TermDuration != "" {
			want.Product.TermDuration = plan.TermDuration
		}
		if plan.BillingCycle != "" {
			want.Product.BillingCycle = plan.BillingCycle
		}
		if plan.Quantity > 0 {
			want.Quantity = plan.Quantity
		}
		return SubscriptionChange{member: member, value: &want, done: func(s *Subscription) bool {
			return ScheduledInstructions(s).sameAs(&want)
		}}
	}}
}

// textOf is *p, "" for nil.
func textOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
