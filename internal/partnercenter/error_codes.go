package partnercenter

import (
	"errors"
	"slices"
	"strings"
)

// Partner Center error codes of commerce and onboarding the client gives a
// meaning to ("Error codes", "Change the quantity of a subscription",
// "Cancel a subscription", "Checkout a cart", "Create a customer"). The
// service sends codes as numbers or as strings; both arrive as text.
const (
	// CodeStaleETag is a PATCH or PUT whose If-Match is no longer current.
	CodeStaleETag = "2055"
	// CodeQuantitySuspended refuses a quantity change while suspended.
	CodeQuantitySuspended = "2001"
	// CodeSubscriptionDeleted refuses any change to a deleted subscription.
	CodeSubscriptionDeleted = "2011"
	// CodeSubscriptionSuspended refuses changes to a suspended subscription.
	CodeSubscriptionSuspended = "800091"
	// CodeSeatDecreaseNotAllowed is a seat decrease after its window.
	CodeSeatDecreaseNotAllowed = "800090"
	// CodeSeatDecreaseWindowHours is the hour form of that refusal.
	CodeSeatDecreaseWindowHours = "900214"
	// CodeSeatDecreaseWindowDays is the day form of that refusal.
	CodeSeatDecreaseWindowDays = "900257"
	// CodeCancellationWindowHours is a cancellation after its window.
	CodeCancellationWindowHours = "900213"
	// CodeCancellationWindowDays is the day form of that refusal.
	CodeCancellationWindowDays = "900117"
	// CodeTooManyUpdates is a subscription updated too often.
	CodeTooManyUpdates = "900311"
	// CodeSubscriptionNotReady is a subscription not ready to be updated
	// yet (409); a later attempt succeeds.
	CodeSubscriptionNotReady = "800082"
	// CodeCustomerAgreementMissing is a purchase for a customer who has not
	// accepted the Microsoft Customer Agreement.
	CodeCustomerAgreementMissing = "13605"
	// CodeStaleAvailability is a catalog item whose availability id has
	// been reissued: look the availability up again.
	CodeStaleAvailability = "400019"
	// CodeRegistrationNumberMissing is a customer whose country requires an
	// organization registration number created without one.
	CodeRegistrationNumberMissing = "600049"
	// CodeRegistrationNumberInvalid is a registration number in the wrong
	// format; the description gives the expected one.
	CodeRegistrationNumberInvalid = "600050"
	// CodeRegistrationNumberUnsupported is a registration number given for
	// a country that takes none.
	CodeRegistrationNumberUnsupported = "600002"
	// CodeAgreementAlreadyConfirmed is a duplicate confirmation of the
	// customer's agreement.
	CodeAgreementAlreadyConfirmed = "600061"
)

// Sentinels for commerce and onboarding refusals, matched with errors.Is by
// the *APIError (and *CheckoutError, *CartLineItemError) carrying one of
// their codes.
var (
	// ErrSeatDecreaseWindowPassed: seats can no longer be removed.
	ErrSeatDecreaseWindowPassed = errors.New("partner center: the window to reduce seats has passed")
	// ErrCancellationWindowPassed: the subscription can no longer be cancelled.
	ErrCancellationWindowPassed = errors.New("partner center: the cancellation window has passed")
	// ErrSubscriptionSuspended: a suspended subscription refuses the change.
	ErrSubscriptionSuspended = errors.New("partner center: the subscription is suspended")
	// ErrSubscriptionDeleted: a deleted subscription cannot change.
	ErrSubscriptionDeleted = errors.New("partner center: the subscription is deleted")
	// ErrTooManyUpdates: the subscription was updated too many times.
	ErrTooManyUpdates = errors.New("partner center: the subscription was updated too many times")
	// ErrSubscriptionNotReady: the subscription cannot be updated yet.
	ErrSubscriptionNotReady = errors.New("partner center: the subscription is not ready to be updated")
	// ErrStaleETag: the object changed since it was read.
	ErrStaleETag = errors.New("partner center: the object changed since it was read")
	// ErrCustomerAgreementMissing: the customer must accept the Microsoft
	// Customer Agreement before buying.
	ErrCustomerAgreementMissing = errors.New("partner center: the customer has not accepted the Microsoft Customer Agreement")
	// ErrStaleAvailability: the catalog item's availability was reissued.
	ErrStaleAvailability = errors.New("partner center: the availability is no longer current")
	// ErrRegistrationNumber: the organization registration number is
	// missing, malformed or not supported for the country.
	ErrRegistrationNumber = errors.New("partner center: organization registration number refused")
)

// codeSentinels maps each sentinel to its codes.
var codeSentinels = []struct {
	sentinel error
	codes    []string
}{
	{ErrSeatDecreaseWindowPassed, []string{CodeSeatDecreaseNotAllowed, CodeSeatDecreaseWindowHours, CodeSeatDecreaseWindowDays}},
	{ErrCancellationWindowPassed, []string{CodeCancellationWindowHours, CodeCancellationWindowDays}},
	{ErrSubscriptionSuspended, []string{CodeQuantitySuspended, CodeSubscriptionSuspended}},
	{ErrSubscriptionDeleted, []string{CodeSubscriptionDeleted}},
	{ErrTooManyUpdates, []string{CodeTooManyUpdates}},
	{ErrSubscriptionNotReady, []string{CodeSubscriptionNotReady}},
	{ErrStaleETag, []string{CodeStaleETag}},
	{ErrCustomerAgreementMissing, []string{CodeCustomerAgreementMissing}},
	{ErrStaleAvailability, []string{CodeStaleAvailability}},
	{ErrRegistrationNumber, []string{CodeRegistrationNumberMissing, CodeRegistrationNumberInvalid, CodeRegistrationNumberUnsupported}},
}

// sentinelOf returns the sentinel of a Partner Center error code, or nil.
func sentinelOf(code string) error {
	for _, s := range codeSentinels {
		if slices.Contains(s.codes, code) {
			return s.sentinel
		}
	}
	return nil
}

// refusal is a coded refusal inside a commerce answer: a cart line's
// (CartItemError) or an order group's at checkout (OrderError).
type refusal interface {
	codeAndDescription() (code, description string)
}

// refusalsText lists refusals as "error code {code}: {description}; ...".
func refusalsText[R refusal](refusals []R) string {
	parts := make([]string, 0, len(refusals))
	for _, r := range refusals {
		code, description := r.codeAndDescription()
		parts = append(parts, "error code "+code+": "+description)
	}
	return strings.Join(parts, "; ")
}

// refusalIs matches the sentinel of any refusal's code.
func refusalIs[R refusal](refusals []R, target error) bool {
	for _, r := range refusals {
		code, _ := r.codeAndDescription()
		if s := sentinelOf(code); s != nil && errors.Is(s, target) {
			return true
		}
	}
	return false
}

// codedAPIError is an *APIError whose code has a sentinel: errors.Is finds
// both, errors.As finds the *APIError, and the message is the APIError's.
type codedAPIError struct {
	*APIError
	sentinel error
}

func (e *codedAPIError) Unwrap() []error { return []error{e.APIError, e.sentinel} }

// classify attaches the sentinel of e's code, when there is one.
func classify(e *APIError) error {
	if s := sentinelOf(e.Code); s != nil {
		return &codedAPIError{APIError: e, sentinel: s}
	}
	return e
}
