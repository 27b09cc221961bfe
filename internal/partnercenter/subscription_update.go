package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// New-commerce subscription statuses ("Subscription resources"). Status
// stays a string: the service may add others.
const (
	SubscriptionStatusActive    = "active"
	SubscriptionStatusSuspended = "suspended"
	SubscriptionStatusDeleted   = "deleted"
)

// SubscriptionRecord is a subscription as just read: typed, with its etag
// and its JSON object whole.
type SubscriptionRecord struct {
	Subscription Subscription
	// ETag is attributes.etag, for If-Match; "" when the service sent none.
	// It is only good until the subscription next changes: never store it.
	ETag string
	// Raw is the subscription's JSON object as read, members sorted.
	Raw json.RawMessage

	object *objectRecord
}

// GetSubscriptionRecord reads one subscription of the customer with its
// etag and its JSON object.
func (c *Client) GetSubscriptionRecord(ctx context.Context, customerID, subscriptionID string) (*SubscriptionRecord, error) {
	operation := fmt.Sprintf("get subscription %q of customer %q", subscriptionID, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(subscriptionID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the subscription id must not be empty", operation)
	}
	var raw json.RawMessage
	info, err := c.getJSON(ctx, operation, c.subscriptionURL(customerID, subscriptionID), nil, &raw)
	if err != nil {
		return nil, err
	}
	return subscriptionRecord(operation, subscriptionID, raw, info)
}

// subscriptionRecord is the subscription answered in raw, checked to be the
// one asked for.
func subscriptionRecord(operation, subscriptionID string, raw json.RawMessage, info responseInfo) (*SubscriptionRecord, error) {
	var s Subscription
	obj, err := objectRecordOf(operation, raw, info, &s)
	if err != nil {
		return nil, err
	}
	if s.ID == nil || !strings.EqualFold(*s.ID, subscriptionID) {
		return nil, &InvalidResponseError{Operation: operation, Reason: "the response is not the requested subscription",
			StatusCode: info.StatusCode, RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	return &SubscriptionRecord{Subscription: s, ETag: obj.etag, Raw: obj.raw(), object: obj}, nil
}

// SubscriptionChange is one change to a subscription: a single member set
// to a value. Build one with ChangeQuantity, ChangeAutoRenew,
// ChangeFriendlyName or ChangeStatus.
type SubscriptionChange struct {
	member string
	value  any
	// done reports whether s already has the value.
	done func(s *Subscription) bool
}

// ChangeQuantity sets the number of licences. A decrease is refused once
// its window has passed (ErrSeatDecreaseWindowPassed).
func ChangeQuantity(n int) SubscriptionChange {
	return SubscriptionChange{member: "quantity", value: n, done: func(s *Subscription) bool {
		return s.Quantity != nil && *s.Quantity == float64(n)
	}}
}

// ChangeAutoRenew turns renewal at term end on or off.
func ChangeAutoRenew(on bool) SubscriptionChange {
	return SubscriptionChange{member: "autoRenewEnabled", value: on, done: func(s *Subscription) bool {
		return s.AutoRenewEnabled != nil && *s.AutoRenewEnabled == on
	}}
}

// ChangeFriendlyName renames the subscription.
func ChangeFriendlyName(name string) SubscriptionChange {
	return SubscriptionChange{member: "friendlyName", value: name, done: func(s *Subscription) bool {
		return s.FriendlyName != nil && *s.FriendlyName == name
	}}
}

// ChangeStatus sets the status: SubscriptionStatusActive, Suspended, or
// Deleted (cancellation, refused after its window with
// ErrCancellationWindowPassed).
func ChangeStatus(status string) SubscriptionChange {
	return SubscriptionChange{member: "status", value: status, done: func(s *Subscription) bool {
		return s.Status != nil && strings.EqualFold(*s.Status, status)
	}}
}

// UpdateSubscription makes one change to a subscription: it reads the
// subscription and PATCHes it back whole with only that member changed,
// with If-Match set to the etag just read. Partner Center resets what a
// PATCH leaves out (auto-renew, scheduled next-term instructions), so the
// body is never rebuilt from a typed value. A subscription that already
// has the value is returned as read, unchanged. A stale etag (400, 2055)
// is read again and tried once more; a subscription not ready to be
// updated (409, 800082) is waited for within ctx's deadline; a 202 is
// followed through its Location until done. The result is the
// subscription read after the change.
func (c *Client) UpdateSubscription(ctx context.Context, customerID, subscriptionID string, change SubscriptionChange) (*SubscriptionRecord, error) {
	if change.done == nil {
		return nil, fmt.Errorf("update subscription %q of customer %q: no change given", subscriptionID, customerID)
	}
	var result *SubscriptionRecord
	staleRetried := false
	err := c.whileBusy(ctx, func() error {
		for {
			rec, err := c.GetSubscriptionRecord(ctx, customerID, subscriptionID)
			if err != nil {
				return err
			}
			if change.done(&rec.Subscription) {
				result = rec
				return nil
			}
			result, err = c.patchSubscription(ctx, customerID, subscriptionID, rec, change)
			if errors.Is(err, ErrStaleETag) && !staleRetried {
				staleRetried = true
				continue
			}
			return err
		}
	}, CodeSubscriptionNotReady)
	if err != nil {
		return nil, err
	}
	return result, nil
}

// patchSubscription sends rec with change applied.
func (c *Client) patchSubscription(ctx context.Context, customerID, subscriptionID string, rec *SubscriptionRecord, change SubscriptionChange) (*SubscriptionRecord, error) {
	operation := fmt.Sprintf("update %s of subscription %q of customer %q", change.member, subscriptionID, customerID)
	body, err := rec.object.with(change.member, change.value)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var answer json.RawMessage
	info, err := c.do(ctx, &request{
		operation: operation, method: http.MethodPatch, url: c.subscriptionURL(customerID, subscriptionID),
		body: body, header: rec.object.ifMatch(), accept: []int{http.StatusOK, http.StatusAccepted}, out: &answer,
		repeatable: "the body sets absolute values, under If-Match when the subscription has an etag: " +
			"a repeat sets the same values again, or fails with 2055 once the first one changed the etag",
	})
	if err != nil {
		return nil, err
	}
	if info.StatusCode == http.StatusOK {
		// The 200 answers with the subscription as changed: no read back.
		return subscriptionRecord(operation, subscriptionID, answer, info)
	}
	if location := info.Header.Get("Location"); location != "" {
		if err := c.awaitAccepted(ctx, operation, location, info); err != nil {
			return nil, err
		}
	}
	// A 202 answers with no subscription: read it once the change is done.
	return c.GetSubscriptionRecord(ctx, customerID, subscriptionID)
}

// maxPolls bounds the polling of a 202 when ctx has no deadline.
const maxPolls = 60

// awaitAccepted polls the Location of a 202 until it stops answering 202,
// waiting as its Retry-After says (else as the retry backoff does), never
// past ctx's deadline.
func (c *Client) awaitAccepted(ctx context.Context, operation, location string, accepted responseInfo) error {
	target, err := c.locationURL(location)
	if err != nil {
		return &InvalidResponseError{Operation: operation, Reason: err.Error(), StatusCode: accepted.StatusCode,
			RequestID: accepted.RequestID, CorrelationID: accepted.CorrelationID}
	}
	last := accepted
	for poll := 0; ; poll++ {
		d, hinted := retryAfter(last.Header, c.now())
		if !hinted {
			d = c.backoff(min(poll, 5))
		}
		if poll >= maxPolls || passesDeadline(ctx, d) {
			return fmt.Errorf("%s: still in progress after %d polls of its Location; read it again later%s",
				operation, poll, idSuffix(accepted.RequestID, accepted.CorrelationID, 0))
		}
		if err := c.sleep(ctx, d); err != nil {
			return fmt.Errorf("%s: cancelled while waiting %s for the change to finish: %w", operation, d, err)
		}
		last, err = c.do(ctx, &request{
			operation: operation + " (status)", method: http.MethodGet, url: target,
			accept: []int{http.StatusOK, http.StatusAccepted, http.StatusNoContent, http.StatusCreated},
		})
		if err != nil {
			return err
		}
		if last.StatusCode != http.StatusAccepted {
			return nil
		}
	}
}

func (c *Client) subscriptionURL(customerID, subscriptionID string) string {
	return c.subscriptionsURL(customerID) + "/" + url.PathEscape(subscriptionID)
}
