package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// TransitionEligibility is a catalog item a new-commerce subscription can
// move to, as Partner Center's TransitionEligibility resource describes it.
type TransitionEligibility struct {
	OperationID *string `json:"operationId"`
	// CatalogItemID is the target, "{productId}:{skuId}:{availabilityId}".
	CatalogItemID *string                `json:"catalogItemId"`
	Title         *string                `json:"title"`
	Description   *string                `json:"description"`
	Quantity      *int64                 `json:"quantity"`
	Eligibilities []TransitionTypeDetail `json:"eligibilities"`
	// SubscriptionEligibilities are the customer's subscriptions of the
	// target that an immediate transition could go into.
	SubscriptionEligibilities []TransitionIntoSubscription `json:"subscriptionEligibilities"`
}

// TransitionTypeDetail says whether one kind of transition, such as
// "transition_only" or "transition_with_license_transfer", is possible.
type TransitionTypeDetail struct {
	IsEligible     *bool             `json:"isEligible"`
	TransitionType *string           `json:"transitionType"`
	Errors         []TransitionError `json:"errors"`
}

// Eligible says whether Partner Center allows this kind of transition; an
// answer that leaves isEligible out does not.
func (d TransitionTypeDetail) Eligible() bool { return d.IsEligible != nil && *d.IsEligible }

// TransitionIntoSubscription says whether a transition can go into an
// existing subscription of the target.
type TransitionIntoSubscription struct {
	IsEligible               *bool             `json:"isEligible"`
	SubscriptionID           *string           `json:"subscriptionId"`
	SubscriptionFriendlyName *string           `json:"subscriptionFriendlyName"`
	SubscriptionTermDuration *string           `json:"subscriptionTermDuration"`
	SubscriptionBillingCycle *string           `json:"subscriptionBillingCycle"`
	Errors                   []TransitionError `json:"errors"`
}

// TransitionError is a reason a transition is not possible.
type TransitionError struct {
	// Code is sent as a number or a string; it is kept as text.
	Code        string
	Description string
}

// UnmarshalJSON reads {code, description}, the code as a number or a string.
func (e *TransitionError) UnmarshalJSON(b []byte) error {
	var raw struct {
		Code        json.RawMessage `json:"code"`
		Description json.RawMessage `json:"description"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	e.Code, e.Description = sanitizeServerText(rawText(raw.Code)), sanitizeServerText(rawText(raw.Description))
	return nil
}

// ListTransitionEligibilities returns the catalog items the subscription
// can transition to. eligibilityType is "immediate" or "scheduled"; only
// immediate transitions can go into an existing subscription. An unknown
// subscription is an *APIError with status 404, as for GetCustomerSubscription.
func (c *Client) ListTransitionEligibilities(ctx context.Context, customerID, subscriptionID, eligibilityType string) ([]TransitionEligibility, error) {
	operation := fmt.Sprintf("list the %s transition eligibilities of subscription %q of customer %q", eligibilityType, subscriptionID, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(subscriptionID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the subscription id must not be empty", operation)
	}
	target := c.subscriptionsURL(customerID) + "/" + url.PathEscape(subscriptionID) +
		"/transitionEligibilities?eligibilityType=" + url.QueryEscape(eligibilityType)
	// The documentation shows the collection in one piece, never paged.
	var col struct {
		Items []TransitionEligibility `json:"items"`
	}
	if _, err := c.getJSON(ctx, operation, target, nil, &col); err != nil {
		return nil, err
	}
	return col.Items, nil
}
