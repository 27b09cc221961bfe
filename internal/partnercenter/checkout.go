package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Codes of a cart that is busy or spent ("Checkout a cart").
const (
	// CodeCartInProgress is a cart being processed by another request: a
	// checkout repeated while the first still runs.
	CodeCartInProgress = "800064"
	// CodeCartAlreadySubmitted is a cart already checked out.
	CodeCartAlreadySubmitted = "800065"
)

// CartCheckoutResult is what checking out a cart produced: the orders
// placed and the order groups refused.
type CartCheckoutResult struct {
	Orders      []Order      `json:"orders"`
	OrderErrors []OrderError `json:"orderErrors"`
}

// OrderError is an order group Partner Center refused at checkout.
type OrderError struct {
	OrderGroupID string
	// Code is sent as a number or a string; it is kept as text.
	Code        string
	Description string
}

// UnmarshalJSON reads {orderGroupId, code, description}, the code as a
// number or a string.
func (e *OrderError) UnmarshalJSON(b []byte) error {
	var raw struct {
		OrderGroupID json.RawMessage `json:"orderGroupId"`
		Code         json.RawMessage `json:"code"`
		Description  json.RawMessage `json:"description"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	e.OrderGroupID = sanitizeServerText(rawText(raw.OrderGroupID))
	e.Code, e.Description = sanitizeServerText(rawText(raw.Code)), sanitizeServerText(rawText(raw.Description))
	return nil
}

// CheckoutError reports the refused order groups of a checkout. It matches
// the sentinel of a refusal's code with errors.Is, e.g.
// ErrCustomerAgreementMissing for 13605.
type CheckoutError struct {
	CustomerID, CartID       string
	Errors                   []OrderError
	RequestID, CorrelationID string
}

// Error names the customer, the cart and each refusal.
func (e *CheckoutError) Error() string {
	return oneLine(fmt.Sprintf("checkout cart %q of customer %q: Partner Center refused the order: %s%s",
		e.CartID, e.CustomerID, refusalsText(e.Errors), idSuffix(e.RequestID, e.CorrelationID)))
}

// Is matches the sentinel of any refusal's code.
func (e *CheckoutError) Is(target error) bool { return refusalIs(e.Errors, target) }

func (e OrderError) codeAndDescription() (string, string) { return e.Code, e.Description }

// CheckoutCart checks out the customer's cart, which places its orders.
// Refused order groups make a *CheckoutError, returned with the result
// (whose Orders hold whatever was placed). A checkout that fails for
// another reason may be repeated with the same cart id: it cannot buy
// twice. While another checkout of the same cart runs (409, 800064) the
// call waits for it, within ctx's deadline.
func (c *Client) CheckoutCart(ctx context.Context, customerID, cartID string) (*CartCheckoutResult, error) {
	operation := fmt.Sprintf("checkout cart %q of customer %q", cartID, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(cartID) == "" {
		return nil, fmt.Errorf("%s: the customer id and the cart id must not be empty", operation)
	}
	var (
		result CartCheckoutResult
		info   responseInfo
	)
	err := c.whileBusy(ctx, func() error {
		result = CartCheckoutResult{}
		var err error
		info, err = c.do(ctx, &request{
			operation: operation, method: http.MethodPost,
			url:    c.cartsURL(customerID) + "/" + url.PathEscape(cartID) + "/checkout",
			accept: []int{http.StatusCreated, http.StatusOK}, out: &result,
			repeatable: "checkout is idempotent per cart: checking out the same cart again returns " +
				"the first checkout's result instead of buying again",
		})
		return err
	}, CodeCartInProgress)
	if err != nil {
		return nil, err
	}
	if len(result.OrderErrors) > 0 {
		return &result, &CheckoutError{CustomerID: customerID, CartID: cartID, Errors: result.OrderErrors,
			RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	if len(result.Orders) == 0 {
		return nil, &InvalidResponseError{Operation: operation, Reason: "the checkout placed no order and reported no error",
			StatusCode: info.StatusCode, RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	return &result, nil
}
