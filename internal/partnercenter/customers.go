package partnercenter

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// GetCustomer reads the customer whose tenant id is customerID. A customer
// the partner has no relationship with is an *APIError matching
// ErrNotFound (or ErrForbidden, depending on the service's answer).
func (c *Client) GetCustomer(ctx context.Context, customerID string) (*Customer, error) {
	operation := fmt.Sprintf("get customer %q", customerID)
	if strings.TrimSpace(customerID) == "" {
		return nil, fmt.Errorf("%s: the customer id is empty", operation)
	}
	var customer Customer
	info, err := c.getJSON(ctx, operation, c.baseURL+"/v1/customers/"+url.PathEscape(customerID), nil, &customer)
	if err != nil {
		return nil, err
	}
	// A proxy or a routing mistake could answer with another customer;
	// acting on it would be worse than failing.
	if customer.ID == nil || !strings.EqualFold(*customer.ID, customerID) {
		got := "no id"
		if customer.ID != nil {
			got = fmt.Sprintf("id %q", *customer.ID)
		}
		return nil, &InvalidResponseError{
			Operation:     operation,
			Reason:        "the response is for " + got + ", not the requested customer",
			StatusCode:    http.StatusOK,
			RequestID:     info.RequestID,
			CorrelationID: info.CorrelationID,
		}
	}
	return &customer, nil
}
