package partnercenter

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Partner Center error codes of subscription reads, as documented.
const (
	// ErrorCodeSubscriptionNotFound comes with a 404 when the subscription is
	// not one of the customer's.
	ErrorCodeSubscriptionNotFound = "20003"
	// ErrorCodeNotAzurePlan comes with a 400 when Azure entitlements are
	// asked of a subscription that is not an Azure plan.
	ErrorCodeNotAzurePlan = "800011"
)

// GetCustomerSubscriptions returns every subscription of the customer, in
// the order the service returns them, following next links when the
// service pages the collection.
func (c *Client) GetCustomerSubscriptions(ctx context.Context, customerID string) ([]Subscription, error) {
	what := fmt.Sprintf("list subscriptions of customer %q", customerID)
	if strings.TrimSpace(customerID) == "" {
		return nil, fmt.Errorf("%s: the customer id is empty", what)
	}
	return listAll[Subscription](ctx, c, what, c.subscriptionsURL(customerID), 0)
}

// GetCustomerSubscription reads one subscription of the customer. A
// subscription that is not the customer's is an *APIError with status 404
// and code ErrorCodeSubscriptionNotFound.
func (c *Client) GetCustomerSubscription(ctx context.Context, customerID, subscriptionID string) (*Subscription, error) {
	operation := fmt.Sprintf("get subscription %q of customer %q", subscriptionID, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(subscriptionID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the subscription id must not be empty", operation)
	}
	var s Subscription
	info, err := c.getJSON(ctx, operation, c.subscriptionsURL(customerID)+"/"+url.PathEscape(subscriptionID), nil, &s)
	if err != nil {
		return nil, err
	}
	// As for customers: another subscription than the one asked for must
	// not pass for it.
	if s.ID == nil || !strings.EqualFold(*s.ID, subscriptionID) {
		got := "no id"
		if s.ID != nil {
			got = fmt.Sprintf("id %q", *s.ID)
		}
		return nil, &InvalidResponseError{
			Operation: operation, Reason: "the response is for " + got + ", not the requested subscription",
			StatusCode: http.StatusOK, RequestID: info.RequestID, CorrelationID: info.CorrelationID,
		}
	}
	return &s, nil
}

// ListAzureEntitlements returns the Azure subscriptions under the
// customer's Azure plan subscription. A subscription that is not an Azure
// plan is an *APIError with status 400 and code ErrorCodeNotAzurePlan.
func (c *Client) ListAzureEntitlements(ctx context.Context, customerID, subscriptionID string) ([]AzureEntitlement, error) {
	what := fmt.Sprintf("list Azure entitlements of subscription %q of customer %q", subscriptionID, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(subscriptionID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the subscription id must not be empty", what)
	}
	target := c.subscriptionsURL(customerID) + "/" + url.PathEscape(subscriptionID) + "/azureEntitlements"
	return listAll[AzureEntitlement](ctx, c, what, target, 0)
}

func (c *Client) subscriptionsURL(customerID string) string {
	return c.baseURL + "/v1/customers/" + url.PathEscape(customerID) + "/subscriptions"
}
