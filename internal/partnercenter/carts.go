package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// CartLineItemRequest is what to buy: one line of a new cart ("Create a
// cart", new commerce).
type CartLineItemRequest struct {
	// CatalogItemID is {productId}:{skuId}:{availabilityId}, the
	// availability's catalogItemId.
	CatalogItemID string `json:"catalogItemId"`
	Quantity      int    `json:"quantity"`
	// TermDuration is an ISO 8601 duration: P1M, P1Y or P3Y.
	TermDuration string `json:"termDuration"`
	// BillingCycle is e.g. monthly or annual.
	BillingCycle string `json:"billingCycle"`
	// FriendlyName names the subscription the purchase creates; optional.
	FriendlyName string `json:"friendlyName,omitempty"`
	// CustomTermEndDate, optional, is one of the dates ListCustomTermEndDates
	// returns, in the form CustomTermEndDateOf writes.
	CustomTermEndDate string `json:"customTermEndDate,omitempty"`
}

// Cart is a cart as Partner Center returns it.
type Cart struct {
	ID                  *string        `json:"id"`
	Status              *string        `json:"status"`
	CreationTimestamp   *string        `json:"creationTimestamp"`
	ExpirationTimestamp *string        `json:"expirationTimestamp"`
	LineItems           []CartLineItem `json:"lineItems"`
}

// CartLineItem is one line of a cart. Error is set when Partner Center
// refused the line (e.g. 10001 invalid catalog item, 10012 attestation not
// accepted, 10015 too many seats).
type CartLineItem struct {
	ID            *int           `json:"id"`
	CatalogItemID *string        `json:"catalogItemId"`
	Quantity      *float64       `json:"quantity"`
	TermDuration  *string        `json:"termDuration"`
	BillingCycle  *string        `json:"billingCycle"`
	FriendlyName  *string        `json:"friendlyName"`
	Error         *CartItemError `json:"error"`
}

// CartItemError is a cart line's refusal.
type CartItemError struct {
	// Code is sent as a number or a string; it is kept as text.
	Code        string
	Description string
}

// UnmarshalJSON reads {errorCode, errorDescription}, the code as a number
// or a string.
func (e *CartItemError) UnmarshalJSON(b []byte) error {
	var raw struct {
		Code        json.RawMessage `json:"errorCode"`
		Description json.RawMessage `json:"errorDescription"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	e.Code, e.Description = sanitizeServerText(rawText(raw.Code)), sanitizeServerText(rawText(raw.Description))
	return nil
}

// CartLineItemError reports the refused lines of a new cart. It matches
// the sentinel of a line's code with errors.Is (ErrCustomerAgreementMissing,
// ErrStaleAvailability, ...).
type CartLineItemError struct {
	CustomerID, CartID string
	// Items are the refused lines' errors, in line order.
	Items []CartItemError
	// RequestID and CorrelationID identify the create request.
	RequestID, CorrelationID string
}

// Error names the customer, the cart and each refusal.
func (e *CartLineItemError) Error() string {
	return oneLine(fmt.Sprintf("create cart for customer %q: Partner Center refused the line item of cart %q: %s%s",
		e.CustomerID, e.CartID, refusalsText(e.Items), idSuffix(e.RequestID, e.CorrelationID)))
}

// Is matches the sentinel of any refused line's code.
func (e *CartLineItemError) Is(target error) bool { return refusalIs(e.Items, target) }

func (e CartItemError) codeAndDescription() (string, string) { return e.Code, e.Description }

// CreateCart creates a cart holding one line item for the customer. A line
// Partner Center refused is a *CartLineItemError; the cart is then not
// returned, since it cannot be checked out.
func (c *Client) CreateCart(ctx context.Context, customerID string, item CartLineItemRequest) (*Cart, error) {
	operation := fmt.Sprintf("create cart for customer %q", customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(item.CatalogItemID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the catalog item id must not be empty", operation)
	}
	if item.Quantity < 1 {
		return nil, fmt.Errorf("%s: the quantity must be at least 1, not %d", operation, item.Quantity)
	}
	body, err := json.Marshal(struct {
		LineItems []CartLineItemRequest `json:"lineItems"`
	}{[]CartLineItemRequest{item}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var cart Cart
	info, err := c.do(ctx, &request{
		operation: operation, method: http.MethodPost, url: c.cartsURL(customerID), body: body,
		accept: []int{http.StatusCreated, http.StatusOK}, out: &cart,
		repeatable: "a cart buys nothing until it is checked out, and an unused one expires after seven days: " +
			"a repeat leaves at most an extra empty-handed cart",
	})
	if err != nil {
		return nil, err
	}
	if cart.ID == nil || strings.TrimSpace(*cart.ID) == "" {
		return nil, &InvalidResponseError{Operation: operation, Reason: "the cart has no id", StatusCode: info.StatusCode,
			RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	var refused []CartItemError
	for _, li := range cart.LineItems {
		if li.Error != nil {
			refused = append(refused, *li.Error)
		}
	}
	if len(refused) > 0 {
		return nil, &CartLineItemError{CustomerID: customerID, CartID: *cart.ID, Items: refused,
			RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	return &cart, nil
}

func (c *Client) cartsURL(customerID string) string {
	return c.baseURL + "/v1/customers/" + url.PathEscape(customerID) + "/carts"
}

// GetCart reads one cart of the customer.
func (c *Client) GetCart(ctx context.Context, customerID, cartID string) (*Cart, error) {
	operation := fmt.Sprintf("get cart %q of customer %q", cartID, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(cartID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the cart id must not be empty", operation)
	}
	var cart Cart
	info, err := c.getJSON(ctx, operation, c.cartsURL(customerID)+"/"+url.PathEscape(cartID), nil, &cart)
	if err != nil {
		return nil, err
	}
	if cart.ID == nil || !strings.EqualFold(*cart.ID, cartID) {
		return nil, &InvalidResponseError{Operation: operation, Reason: "the response is not the requested cart",
			StatusCode: http.StatusOK, RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	return &cart, nil
}
