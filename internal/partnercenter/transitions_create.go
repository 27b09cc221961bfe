package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Transition types ("Transition a new commerce subscription"): with a
// licence transfer the customer's users keep their licence assignments.
const (
	TransitionTypeOnly            = "transition_only"
	TransitionTypeLicenseTransfer = "transition_with_license_transfer"
)

// Statuses of a transition's event. The .NET SDK's TransitionEvent lists
// InProgress, Completed and Failed; the REST sample sends "Started ":
// both read as TransitionStarted.
const (
	TransitionStarted   = "started"
	TransitionCompleted = "completed"
	TransitionFailed    = "failed"
)

// Events of a transition, as the .NET SDK's TransitionEvent names them:
// the conversion moves the seats; with the licence transfer, the seat
// reassignment then moves the users' licence assignments.
const (
	TransitionEventConversion       = "conversion"
	TransitionEventSeatReassignment = "seatreassignment"
)

// TransitionRequest is the body of a transition: ToCatalogItemID,
// Quantity and TransitionType are required; the rest stays as the source
// subscription has it when empty.
type TransitionRequest struct {
	ToCatalogItemID  string `json:"toCatalogItemId"`
	ToSubscriptionID string `json:"toSubscriptionId,omitempty"`
	Quantity         int64  `json:"quantity"`
	TermDuration     string `json:"termDuration,omitempty"`
	BillingCycle     string `json:"billingCycle,omitempty"`
	TransitionType   string `json:"transitionType"`
}

// Transition is one transition of a subscription, as Partner Center
// answers it and lists it in the subscription's history. Member names are
// matched in any letter case: Microsoft's sample writes "Events".
type Transition struct {
	ID                 *string           `json:"id"`
	FromCatalogItemID  *string           `json:"fromCatalogItemId"`
	FromSubscriptionID *string           `json:"fromSubscriptionId"`
	ToCatalogItemID    *string           `json:"toCatalogItemId"`
	ToSubscriptionID   *string           `json:"toSubscriptionId"`
	Quantity           *int64            `json:"quantity"`
	TermDuration       *string           `json:"termDuration"`
	BillingCycle       *string           `json:"billingCycle"`
	TransitionType     *string           `json:"transitionType"`
	Events             []TransitionEvent `json:"events"`
}

// TransitionEvent is a step of a transition, such as the "Conversion"
// "Started", then "Completed" or "Failed".
type TransitionEvent struct {
	Name      string `json:"name"`
	Status    string `json:"status"`
	Timestamp string `json:"timestamp"`
}

// Status says where the seats are: the status of the last Conversion
// event, or of the last event when none is named so; "" without events.
func (t *Transition) Status() string {
	if s := t.EventStatus(TransitionEventConversion); s != "" {
		return s
	}
	if len(t.Events) == 0 {
		return ""
	}
	return eventStatus(t.Events[len(t.Events)-1].Status)
}

// EventStatus is the status of the last event named name (in any letter
// case), "" when there is none.
func (t *Transition) EventStatus(name string) string {
	for i := len(t.Events) - 1; i >= 0; i-- {
		if strings.EqualFold(strings.TrimSpace(t.Events[i].Name), name) {
			return eventStatus(t.Events[i].Status)
		}
	}
	return ""
}

// eventStatus is an event's status trimmed, in lower case, InProgress
// read as started.
func eventStatus(status string) string {
	if s := strings.ToLower(strings.TrimSpace(status)); s != "inprogress" && s != "in progress" {
		return s
	}
	return TransitionStarted
}

// StartedAt is the first event's timestamp, zero when it has none or it
// does not parse: it orders transitions that carry no id.
func (t *Transition) StartedAt() time.Time {
	if len(t.Events) == 0 {
		return time.Time{}
	}
	at, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(t.Events[0].Timestamp))
	if err != nil {
		return time.Time{}
	}
	return at
}

// EventsText lists the events as "name status at timestamp", for messages.
func (t *Transition) EventsText() string {
	var parts []string
	for _, e := range t.Events {
		parts = append(parts, sanitizeServerText(fmt.Sprintf("%s %s at %s", e.Name, strings.TrimSpace(e.Status), e.Timestamp)))
	}
	if len(parts) == 0 {
		return "no events"
	}
	return strings.Join(parts, ", ")
}

// CreateTransition moves seats of a subscription to another catalog item
// (an upgrade), into a new subscription or into req.ToSubscriptionID.
// Partner Center does not document the request as idempotent, so it is
// sent once: after an error whose outcome is unknown (a 5xx, a dropped
// connection, a timeout) the caller must read ListTransitions before
// asking again, or the upgrade may be made twice.
func (c *Client) CreateTransition(ctx context.Context, customerID, subscriptionID string, req TransitionRequest) (*Transition, error) {
	operation := fmt.Sprintf("transition subscription %q of customer %q to %q", subscriptionID, customerID, req.ToCatalogItemID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(subscriptionID) == "" || strings.TrimSpace(req.ToCatalogItemID) == "" {
		return nil, fmt.Errorf("%s: the customer id, the subscription id and the target catalog item id must not be empty", operation)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var t Transition
	info, err := c.do(ctx, &request{
		operation: operation, method: http.MethodPost, url: c.subscriptionURL(customerID, subscriptionID) + "/transitions",
		body: body, accept: []int{http.StatusOK, http.StatusCreated}, out: &t,
		sentOnce: "the subscription's transition history (ListTransitions) shows whether it was made",
	})
	if err != nil {
		return nil, err
	}
	if t.ToCatalogItemID == nil {
		return nil, &InvalidResponseError{Operation: operation, Reason: "the answer is not a transition (no toCatalogItemId)",
			StatusCode: info.StatusCode, RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	return &t, nil
}

// TransitionHistory is a subscription's transitions, each with its events
// (their order is not documented: StartedAt orders them), and the ids of the read
// that returned them.
type TransitionHistory struct {
	Transitions              []Transition
	RequestID, CorrelationID string
}

// ListTransitions reads the transition history of a subscription.
func (c *Client) ListTransitions(ctx context.Context, customerID, subscriptionID string) (*TransitionHistory, error) {
	operation := fmt.Sprintf("list the transitions of subscription %q of customer %q", subscriptionID, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(subscriptionID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the subscription id must not be empty", operation)
	}
	var answer struct {
		Transitions []Transition `json:"transition"`
	}
	info, err := c.getJSON(ctx, operation, c.subscriptionURL(customerID, subscriptionID)+"/transitions", nil, &answer)
	if err != nil {
		return nil, err
	}
	return &TransitionHistory{Transitions: answer.Transitions, RequestID: info.RequestID, CorrelationID: info.CorrelationID}, nil
}
