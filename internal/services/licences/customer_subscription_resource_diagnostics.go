package licences

import (
	"errors"
	"fmt"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// staleAvailabilityHint explains 400019.
const staleAvailabilityHint = "Partner Center no longer offers this availability (error 400019): availability IDs are reissued " +
	"over time. Take catalog_item_id from the partnercenter_product_availabilities data source instead of writing it, so that " +
	"each plan looks up the current one. Nothing was bought."

// purchaseErrorDiagnostic explains a purchase Partner Center refused before
// anything was bought: a refused cart line, a refused checkout, or the
// refusals every request may meet.
func purchaseErrorDiagnostic(op *shared.Operation, what string, err error) (summary, detail string) {
	var (
		lineErr     *partnercenter.CartLineItemError
		checkoutErr *partnercenter.CheckoutError
	)
	switch {
	case errors.Is(err, partnercenter.ErrCustomerAgreementMissing):
		return shared.CustomerAgreementDiagnostic(what, err)
	case errors.Is(err, partnercenter.ErrStaleAvailability):
		return "Availability no longer offered", fmt.Sprintf("%s failed: %s\n%s", what, err.Error(), staleAvailabilityHint)
	case errors.As(err, &lineErr):
		return "Partner Center refused the purchase", fmt.Sprintf("%s failed: %s\nNothing was bought. Check catalog_item_id, "+
			"term_duration, billing_cycle and quantity against partnercenter_product_availabilities and the offer's seat limits.",
			what, err.Error())
	case errors.As(err, &checkoutErr):
		return "Partner Center refused the purchase", fmt.Sprintf("%s failed: %s\nNothing was bought.", what, err.Error())
	}
	summary, detail = shared.OperationErrorDiagnostic(op.Ctx, op.Kind, what, err, op.Timeout)
	if op.Kind == shared.OperationUpdate {
		// Completing a pending purchase: the first checkout may have bought.
		return summary, detail + "\nThe pending purchase was not completed and stays in the state. Check in Partner Center " +
			"whether the customer has an order for this cart: if it has, import its subscription instead; if not, remove " +
			"the resource from the state and apply again to buy."
	}
	return summary, detail + "\nNothing was bought."
}

// subscriptionChangeErrorDiagnostic explains a refused change of a
// subscription: the commerce refusals in the user's words, the rest as for
// any subscription.
func subscriptionChangeErrorDiagnostic(op *shared.Operation, what, customerID, subscriptionID string, err error) (summary, detail string) {
	summary, detail = shared.SubscriptionErrorDiagnostic(op.Ctx, op.Kind, what, customerID, subscriptionID, err, op.Timeout)
	// A refused cancellation comes from a destroy, which is what to run again.
	again, refused := "apply again", "this change of a suspended subscription (its seats, among others, cannot change while it is suspended)"
	if op.Kind == shared.OperationDelete {
		again, refused = "run terraform destroy again", "to cancel a suspended subscription"
	}
	hints := []struct {
		sentinel error
		summary  string
		hint     string
	}{
		{partnercenter.ErrSeatDecreaseWindowPassed, "Seats can no longer be removed", "Partner Center allows removing seats only " +
			"within 7 days (168 hours) of buying them; see refundable_quantity. Keep the quantity. Turning auto_renew off does " +
			"not reduce seats: the subscription then moves to a month-to-month extended service term at a higher price."},
		{partnercenter.ErrCancellationWindowPassed, "Cancellation window passed", "Partner Center allows cancelling a " +
			"subscription only within 7 days (168 hours) of its purchase or renewal (cancellation_allowed_until_date). " +
			stopManagingAdvice},
		{partnercenter.ErrChangeNotApplied, "Partner Center did not make the change", "Partner Center accepted the request but " +
			"did not make the change. Nothing is recorded as done that the subscription does not show; check the subscription " +
			"in Partner Center and " + again + "."},
		{partnercenter.ErrSubscriptionSuspended, "Subscription suspended", "Partner Center refuses " + refused + ". " +
			"Reactivate it in Partner Center first, then " + again + "."},
		{partnercenter.ErrSubscriptionDeleted, "Subscription cancelled", "The subscription is cancelled (deleted) and cannot change."},
		{partnercenter.ErrTooManyUpdates, "Subscription changed too often", "Partner Center refuses further changes to this " +
			"subscription for now. Try again later."},
		{partnercenter.ErrSubscriptionNotReady, "Subscription not ready", "Partner Center kept answering that the subscription " +
			"is not ready to be updated until the timeout ran out. Later, " + again + ", or raise timeouts." + string(op.Kind) + "."},
	}
	for _, h := range hints {
		if errors.Is(err, h.sentinel) {
			return h.summary, detail + "\n" + h.hint
		}
	}
	return summary, detail
}
