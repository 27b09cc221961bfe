package partnercenter

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Order is an order placed by a checkout ("Order resources"). Status is
// one of unknown, completed, pending, cancelled, suspended, pending review
// or pending po upload, kept as sent.
type Order struct {
	ID           *string         `json:"id"`
	Status       *string         `json:"status"`
	CreationDate *string         `json:"creationDate"`
	BillingCycle *string         `json:"billingCycle"`
	CurrencyCode *string         `json:"currencyCode"`
	LineItems    []OrderLineItem `json:"lineItems"`
}

// OrderLineItem is one line of an order. SubscriptionID is missing until
// the order is provisioned.
type OrderLineItem struct {
	LineItemNumber *int     `json:"lineItemNumber"`
	OfferID        *string  `json:"offerId"`
	SubscriptionID *string  `json:"subscriptionId"`
	TermDuration   *string  `json:"termDuration"`
	FriendlyName   *string  `json:"friendlyName"`
	Quantity       *float64 `json:"quantity"`
}

// GetOrder reads one order of the customer.
func (c *Client) GetOrder(ctx context.Context, customerID, orderID string) (*Order, error) {
	operation := fmt.Sprintf("get order %q of customer %q", orderID, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(orderID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the order id must not be empty", operation)
	}
	var o Order
	info, err := c.getJSON(ctx, operation, c.baseURL+"/v1/customers/"+url.PathEscape(customerID)+"/orders/"+url.PathEscape(orderID), nil, &o)
	if err != nil {
		return nil, err
	}
	if o.ID == nil || !strings.EqualFold(*o.ID, orderID) {
		return nil, &InvalidResponseError{Operation: operation, Reason: "the response is not the requested order",
			StatusCode: http.StatusOK, RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	return &o, nil
}

// ListOrderSubscriptions returns the subscriptions an order created; empty
// until the order is provisioned.
func (c *Client) ListOrderSubscriptions(ctx context.Context, customerID, orderID string) ([]Subscription, error) {
	what := fmt.Sprintf("list subscriptions of order %q of customer %q", orderID, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(orderID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the order id must not be empty", what)
	}
	return listAll[Subscription](ctx, c, what, c.subscriptionsURL(customerID)+"?order_id="+url.QueryEscape(orderID), 0)
}

// ListOrders returns every order of the customer ("Get a list of orders by
// customer"). A new order may take a while to appear in it.
func (c *Client) ListOrders(ctx context.Context, customerID string) ([]Order, error) {
	what := fmt.Sprintf("list orders of customer %q", customerID)
	if strings.TrimSpace(customerID) == "" {
		return nil, fmt.Errorf("%s: the customer id is empty", what)
	}
	return listAll[Order](ctx, c, what, c.baseURL+"/v1/customers/"+url.PathEscape(customerID)+"/orders", 0)
}
