package partnercenter

import (
	"cmp"
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
// ChangeFriendlyName, ChangeStatus, ChangeBillingCycle or
// ChangeScheduledInstructions.
type SubscriptionChange struct {
	member string
	value  any
	// done reports whether s already has the value.
	done func(s *Subscription) bool
	// resolve, when set, is the change to make to s as just read: its
	// value depends on the subscription.
	resolve func(s *Subscription) SubscriptionChange
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

// ChangeBillingCycle sets how often the partner is billed ("monthly",
// "annual"). New-commerce subscriptions change it through the subscription
// PATCH ("Change a customer subscription billing cycle" keeps its order
// PATCH for legacy subscriptions). "Manage term duration and billing
// frequency" lists it among the immediate (mid-term) changes, invoiced
// from the next billing cycle, so the subscription must read back with it;
// one that shows it only scheduled for the renewal (as software
// subscriptions take it) is not done.
func ChangeBillingCycle(cycle string) SubscriptionChange {
	return SubscriptionChange{member: "billingCycle", value: cycle, done: func(s *Subscription) bool {
		return s.BillingCycle != nil && strings.EqualFold(*s.BillingCycle, cycle)
	}}
}

// ErrChangeNotApplied marks a change Partner Center accepted but did not
// make: its operation ended failed, or the subscription read back does not
// show it.
var ErrChangeNotApplied = errors.New("partner center: the change was accepted but not made")

// ChangeNotAppliedError is a change Partner Center accepted but did not
// make. Current is the subscription as read afterwards (nil when that read
// failed), so that a caller can record what is true.
type ChangeNotAppliedError struct {
	Operation string
	// Reason says how the change was seen not to be made.
	Reason                   string
	Current                  *SubscriptionRecord
	RequestID, CorrelationID string
}

func (e *ChangeNotAppliedError) Error() string {
	return fmt.Sprintf("%s: %s%s", e.Operation, e.Reason, idSuffix(e.RequestID, e.CorrelationID))
}

// Is makes errors.Is(err, ErrChangeNotApplied) true.
func (e *ChangeNotAppliedError) Is(target error) bool { return target == ErrChangeNotApplied }

// UpdateSubscription makes one change to a subscription: it reads the
// subscription and PATCHes it back whole with only that member changed,
// with If-Match set to the etag just read. Partner Center resets what a
// PATCH leaves out (auto-renew, scheduled next-term instructions), so the
// body is never rebuilt from a typed value. A subscription that already
// has the value is returned as read, unchanged. A stale etag (400 code
// 2055, or a 412 with any code) is read again and tried once more; a
// subscription not ready to be updated (409, 800082) is waited for within
// ctx's deadline; a 202 is followed through its Location. The change is
// done only when the subscription answered or read back shows it: else
// the error is a *ChangeNotAppliedError holding what was read; a 202's
// subscription is read until it shows the change or ctx's deadline nears. The result
// is the subscription read after the change.
func (c *Client) UpdateSubscription(ctx context.Context, customerID, subscriptionID string, change SubscriptionChange) (*SubscriptionRecord, error) {
	if change.done == nil && change.resolve == nil {
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
			made := change
			if change.resolve != nil {
				made = change.resolve(&rec.Subscription)
			}
			if made.done(&rec.Subscription) {
				result = rec
				return nil
			}
			result, err = c.patchSubscription(ctx, customerID, subscriptionID, rec, made)
			if isStaleETag(err) && !staleRetried {
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

// isStaleETag reports a refused If-Match: code 2055, or a 412
// Precondition Failed, whatever its code says.
func isStaleETag(err error) bool {
	var apiErr *APIError
	return errors.Is(err, ErrStaleETag) || (errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusPreconditionFailed)
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
	notApplied := func(reason string, current *SubscriptionRecord) error {
		return &ChangeNotAppliedError{Operation: operation, Reason: reason, Current: current,
			RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	if info.StatusCode == http.StatusOK {
		// The 200 answers with the subscription as changed: no read back.
		answered, err := subscriptionRecord(operation, subscriptionID, answer, info)
		if err != nil {
			return nil, err
		}
		if !change.done(&answered.Subscription) {
			return nil, notApplied(fmt.Sprintf("Partner Center answered 200 OK, but with %s", change.shownIn(&answered.Subscription)), answered)
		}
		return answered, nil
	}
	// A 202 answers with no subscription: it is done when its operation has
	// ended and the subscription read back shows the change. Without a
	// Location there is no operation to follow: the reads back decide alone.
	accepted := "Partner Center accepted the change (202 Accepted) with no Location to follow"
	if location := info.Header.Get("Location"); location != "" {
		failure, err := c.awaitAccepted(ctx, operation, location, info)
		if err != nil {
			return nil, err
		}
		if failure != "" {
			current, _ := c.GetSubscriptionRecord(ctx, customerID, subscriptionID)
			return nil, notApplied("Partner Center accepted the change (202 Accepted), but "+failure+"; "+change.readBack(current), current)
		}
		accepted = "Partner Center accepted the change (202 Accepted) and its operation ended"
	}
	// The subscription may show the change a while after its operation
	// ends: it is read again, ever less often, until ctx's deadline (the
	// resource's timeout), or maxPolls times when ctx has none.
	_, hasDeadline := ctx.Deadline()
	var last *SubscriptionRecord
	for read := 0; ; read++ {
		current, err := c.GetSubscriptionRecord(ctx, customerID, subscriptionID)
		switch {
		case err != nil && last != nil && ctx.Err() != nil:
			// The deadline came during a read: the last one decides.
			return nil, notApplied(fmt.Sprintf("%s, but %d reads back until the timeout did not show it: %s", accepted, read,
				change.readBack(last)), last)
		case err != nil:
			return nil, err
		case change.done(&current.Subscription):
			return current, nil
		}
		last = current
		d := c.backoff(min(read, 5))
		if passesDeadline(ctx, d) || (!hasDeadline && read >= maxPolls) {
			until := "until the timeout"
			if !hasDeadline {
				until = "(the most allowed without a timeout)"
			}
			return nil, notApplied(fmt.Sprintf("%s, but %d reads back %s did not show it: %s", accepted, read+1, until,
				change.readBack(current)), current)
		}
		if err := c.sleep(ctx, d); err != nil {
			return nil, fmt.Errorf("%s: cancelled while waiting %s for the change to show: %w", operation, d, err)
		}
	}
}

// shownIn says what s holds of the change's member.
func (change SubscriptionChange) shownIn(s *Subscription) string {
	var v any
	switch change.member {
	case "quantity":
		v = s.Quantity
	case "autoRenewEnabled":
		v = s.AutoRenewEnabled
	case "friendlyName":
		v = s.FriendlyName
	case "status":
		v = s.Status
	case "billingCycle":
		v = s.BillingCycle
	case "scheduledNextTermInstructions":
		v = s.ScheduledNextTermInstructions
	}
	shown := "nothing"
	if rv, err := json.Marshal(v); err == nil && string(rv) != "null" {
		shown = string(rv)
	}
	text := fmt.Sprintf("%s %s, not %v", change.member, shown, change.value)
	if cycle, ok := change.value.(string); ok && change.member == "billingCycle" && strings.EqualFold(scheduledBillingCycle(s), cycle) {
		text += "; Partner Center holds it as a change scheduled for the renewal (scheduledNextTermInstructions), as " +
			"Microsoft documents for software subscriptions: keep the billing cycle the subscription has until it renews"
	}
	return text
}

// scheduledBillingCycle is the billing cycle the subscription renews
// into when changes are scheduled for the renewal, "" when none are.
func scheduledBillingCycle(s *Subscription) string {
	if scheduled := ScheduledInstructions(s); scheduled != nil {
		return scheduled.Product.BillingCycle
	}
	return ""
}

// readBack says what the subscription read after a change shows of it.
func (change SubscriptionChange) readBack(current *SubscriptionRecord) string {
	if current == nil {
		return "the subscription could not be read back"
	}
	return "the subscription reads " + change.shownIn(&current.Subscription)
}

// operationStatus is what the answer to a poll of a 202's Location may say
// of the operation. Microsoft's pages document no body for it; a status of
// failed or cancelled, or an error member, means the change was not made.
type operationStatus struct {
	Status string `json:"status"`
	Error  *struct {
		Code        json.RawMessage `json:"code"`
		Description string          `json:"description"`
		Message     string          `json:"message"`
	} `json:"error"`
}

// failure says why the operation failed, "" when it did not.
func (o *operationStatus) failure() string {
	status := strings.ToLower(o.Status)
	if status != "failed" && status != "cancelled" && status != "canceled" && o.Error == nil {
		return ""
	}
	text := "its operation ended " + cmp.Or(o.Status, "with an error")
	if o.Error != nil {
		code := strings.Trim(string(o.Error.Code), `"`)
		text += fmt.Sprintf(": error code %s, %s", cmp.Or(code, "(none)"), cmp.Or(o.Error.Description, o.Error.Message, "(no description)"))
	}
	return text
}

// maxPolls bounds the polling of a 202, and the reads back after it, when
// ctx has no deadline.
const maxPolls = 60

// awaitAccepted polls the Location of a 202 until it stops answering 202,
// waiting as its Retry-After says (else as the retry backoff does), never
// past ctx's deadline. failure says why the operation failed, "" when its
// last answer did not say it failed.
func (c *Client) awaitAccepted(ctx context.Context, operation, location string, accepted responseInfo) (failure string, err error) {
	target, err := c.locationURL(location)
	if err != nil {
		return "", &InvalidResponseError{Operation: operation, Reason: err.Error(), StatusCode: accepted.StatusCode,
			RequestID: accepted.RequestID, CorrelationID: accepted.CorrelationID}
	}
	last := accepted
	for poll := 0; ; poll++ {
		d, hinted := retryAfter(last.Header, c.now())
		if !hinted {
			d = c.backoff(min(poll, 5))
		}
		if poll >= maxPolls || passesDeadline(ctx, d) {
			return "", fmt.Errorf("%s: still in progress after %d polls of its Location; read it again later%s",
				operation, poll, idSuffix(accepted.RequestID, accepted.CorrelationID))
		}
		if err := c.sleep(ctx, d); err != nil {
			return "", fmt.Errorf("%s: cancelled while waiting %s for the change to finish: %w", operation, d, err)
		}
		var answer json.RawMessage
		last, err = c.do(ctx, &request{
			operation: operation + " (status)", method: http.MethodGet, url: target, out: &answer,
			accept: []int{http.StatusOK, http.StatusAccepted, http.StatusNoContent, http.StatusCreated},
		})
		var unreadable *InvalidResponseError
		if err != nil && !errors.As(err, &unreadable) {
			return "", err
		}
		if last.StatusCode == http.StatusAccepted {
			continue
		}
		// An answer that is not a status (no body, or the subscription) says
		// nothing of failure: the read back decides.
		var status operationStatus
		if len(answer) > 0 && json.Unmarshal(answer, &status) == nil {
			if why := status.failure(); why != "" {
				return why + idSuffix(last.RequestID, last.CorrelationID), nil
			}
		}
		return "", nil
	}
}

func (c *Client) subscriptionURL(customerID, subscriptionID string) string {
	return c.subscriptionsURL(customerID) + "/" + url.PathEscape(subscriptionID)
}
