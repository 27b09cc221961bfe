package mockpartnercenter

import (
	"fmt"
	"strings"
	"time"
)

// Changes made to a subscription outside the API, as time passing, an
// administrator in the Partner Center portal or Microsoft would make them,
// so tests can confront a client with a subscription it did not change.

// subscriptionDateFields are the top-level dates AgeSubscription moves.
var subscriptionDateFields = []string{"creationDate", "effectiveStartDate", "commitmentEndDate", "cancellationAllowedUntilDate"}

// AgeSubscription makes a stored subscription look older by d: its
// purchase, start, commitment end, cancellation window, refund options and
// refundable seat batches all move d into the past, as if it had been
// bought d earlier. The mock keeps real time as its clock, the time the
// provider compares the dates with, so aging a subscription by eight days
// closes its 168-hour windows on both sides. Its etag stays: time passing
// is no write.
func (s *Server) AgeSubscription(customerID, subscriptionID string, d time.Duration) error {
	return s.editSubscription(customerID, subscriptionID, func(doc map[string]any, _ string) {
		shift := func(m map[string]any, key string) {
			if v, ok := m[key].(string); ok {
				m[key] = shiftDate(v, -d)
			}
		}
		for _, key := range subscriptionDateFields {
			shift(doc, key)
		}
		for _, opt := range objectsAt(doc, "refundOptions") {
			shift(opt, "expiresAt")
		}
		if rq, ok := doc["refundableQuantity"].(map[string]any); ok {
			for _, batch := range objectsAt(rq, "details") {
				shift(batch, "allowedUntilDateTime")
			}
		}
	})
}

// editSubscription changes a stored subscription's document with edit,
// which is given the subscription's id; an unknown subscription is an error.
func (s *Server) editSubscription(customerID, subscriptionID string, edit func(doc map[string]any, id string)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, sub := s.storedSubscriptionLocked(customerID, subscriptionID)
	if sub == nil {
		return fmt.Errorf("mockpartnercenter: customer %s has no subscription %s", customerID, subscriptionID)
	}
	doc, err := sub.editableDoc()
	if err != nil {
		return fmt.Errorf("mockpartnercenter: subscription %s: %w", subscriptionID, err)
	}
	edit(doc, sub.id())
	s.subscriptions[customerKey(customerID)][i] = &subscription{doc: doc, entitlements: sub.entitlements}
	return nil
}

// shiftDate moves a date by d, keeping its layout (with or without the
// service's seven fractional digits); what does not parse stays.
func shiftDate(v string, d time.Duration) string {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return v
	}
	if strings.Contains(v, ".") {
		return t.Add(d).UTC().Format(pcTimeLayout)
	}
	return t.Add(d).UTC().Format(time.RFC3339)
}

// objectsAt returns the objects of the array m[key], skipping anything else.
func objectsAt(m map[string]any, key string) []map[string]any {
	list, _ := m[key].([]any)
	var out []map[string]any
	for _, v := range list {
		if obj, ok := v.(map[string]any); ok {
			out = append(out, obj)
		}
	}
	return out
}

// SetSubscriptionStatus changes a stored subscription's status ("active",
// "suspended" or "deleted") as someone outside the client would: its etag
// changes, as with any write; deleting turns auto-renew off, which drops
// the changes scheduled for the renewal.
func (s *Server) SetSubscriptionStatus(customerID, subscriptionID, status string) error {
	return s.editSubscription(customerID, subscriptionID, func(doc map[string]any, id string) {
		doc["status"] = status
		if status == "deleted" {
			doc["autoRenewEnabled"] = false
			delete(doc, "scheduledNextTermInstructions")
		}
		setNextEtag(doc, id)
	})
}

// SetAutoRenew turns a stored subscription's auto-renew on or off as the
// partner would in the Partner Center portal: its etag changes.
func (s *Server) SetAutoRenew(customerID, subscriptionID string, on bool) error {
	return s.editSubscription(customerID, subscriptionID, func(doc map[string]any, id string) {
		doc["autoRenewEnabled"] = on
		setNextEtag(doc, id)
	})
}

// SetScheduledInstructions gives a stored subscription changes scheduled
// for its renewal (scheduledNextTermInstructions), as the partner would in
// the Partner Center portal.
func (s *Server) SetScheduledInstructions(customerID, subscriptionID string, instructions map[string]any) error {
	return s.editSubscription(customerID, subscriptionID, func(doc map[string]any, id string) {
		doc["scheduledNextTermInstructions"] = instructions
		setNextEtag(doc, id)
	})
}

// RemoveSubscription forgets a subscription, so that reads answer 404 as
// for one the service no longer knows. It reports whether it existed.
func (s *Server) RemoveSubscription(customerID, subscriptionID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, sub := s.storedSubscriptionLocked(customerID, subscriptionID)
	if sub == nil {
		return false
	}
	key := customerKey(customerID)
	s.subscriptions[key] = append(s.subscriptions[key][:i:i], s.subscriptions[key][i+1:]...)
	return true
}
