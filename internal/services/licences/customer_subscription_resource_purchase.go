package licences

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// How often a new order is read while it is provisioned: soon at first,
// then less often.
var (
	firstOrderPoll = 500 * time.Millisecond
	maxOrderPoll   = 10 * time.Second
)

// Create buys: a cart, its checkout, then the order until it names the
// subscription.
//
// Terraform taints a resource whose create fails with a state, and
// replacing a tainted resource would buy again. So an outcome that cannot
// be known (a time-out, a 5xx after the retries, a connection dropped after
// Partner Center may have committed, Ctrl-C) is not an error once the cart
// exists: the state records the pending purchase, with a warning, and the
// next plan completes it with the same cart, which checkout never buys
// twice. A refusal before anything was bought is an error without state.
func (r *customerSubscriptionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	shared.Create(ctx, &r.ResourceBase, req, resp, buy)
}

func buy(op *shared.Operation, plan *subscriptionResourceModel) *subscriptionResourceModel {
	if !refuseEarlierPurchasesAtApply(op, plan) {
		return nil
	}
	customerID := plan.CustomerID.ValueString()
	// The cart's order cannot be older than this, whatever becomes of the
	// checkout's answer.
	since := time.Now()
	item := partnercenter.CartLineItemRequest{
		CatalogItemID: plan.CatalogItemID.ValueString(),
		Quantity:      int(quantityOf(plan.Quantity)),
		TermDuration:  plan.TermDuration.ValueString(),
		BillingCycle:  plan.BillingCycle.ValueString(),
		FriendlyName:  plan.FriendlyName.ValueString(),
		// The plan checked the date against those Partner Center allows.
		CustomTermEndDate: customTermEndDateOfPlan(plan),
	}
	cart, err := op.Client.CreateCart(op.Ctx, customerID, item)
	if err != nil {
		op.Diags.AddError(purchaseErrorDiagnostic(op, fmt.Sprintf("Creating a cart for customer %q (catalog item %q)", customerID, item.CatalogItemID), err))
		return nil
	}
	return checkoutAndAwait(op, plan, *cart.ID, since)
}

// checkoutAndAwait checks the cart out and waits for its subscription. A
// checkout repeated for the same cart returns the first checkout's orders
// and buys nothing, which makes it the way to complete a pending purchase
// too. since, when not zero, is a time before the cart was made: until
// its order is known, this process's look-ups take an order placed since
// then for this cart's.
func checkoutAndAwait(op *shared.Operation, plan *subscriptionResourceModel, cartID string, since time.Time) *subscriptionResourceModel {
	customerID, catalogItemID := plan.CustomerID.ValueString(), plan.CatalogItemID.ValueString()
	ended := op.Purchases.CheckoutStarted(customerID, catalogItemID, cartID, since)
	result, err := op.Client.CheckoutCart(op.Ctx, customerID, cartID)
	if result != nil && len(result.Orders) > 0 {
		for _, o := range result.Orders {
			op.Purchases.Record(shared.Deref(o.ID))
		}
		op.Purchases.Settled(customerID, catalogItemID, cartID)
	}
	ended()
	if err != nil && (result == nil || len(result.Orders) == 0) {
		if !refusedBeforeBuying(err) && !isAPIError(err, http.StatusConflict, partnercenter.CodeCartAlreadySubmitted) {
			return pendingPurchase(op, plan, cartID, "", err)
		}
		// A refusal may follow an attempt whose answer was lost (a 5xx
		// retried, an earlier apply): only the cart says whether it was
		// bought.
		order, checkedOut, lookupErr := submittedCartOrder(op, plan, cartID)
		switch {
		case lookupErr != nil:
			return pendingPurchase(op, plan, cartID, "", fmt.Errorf("%w; and reading the cart to see whether it was bought "+
				"anyway failed: %w", err, lookupErr))
		case !checkedOut:
			op.Purchases.Settled(customerID, catalogItemID, cartID)
			op.Diags.AddError(purchaseErrorDiagnostic(op, fmt.Sprintf("Checking out cart %q of customer %q", cartID, customerID), err))
			return nil
		case order == nil:
			return pendingPurchase(op, plan, cartID, "", fmt.Errorf("%w; the cart was checked out, and its order is not "+
				"in the customer's order list yet", err))
		}
		op.Purchases.Record(shared.Deref(order.ID))
		op.Purchases.Settled(customerID, catalogItemID, cartID)
		return awaitSubscription(op, plan, cartID, shared.Deref(order.ID), order)
	}
	order := result.Orders[0]
	if order.ID == nil || *order.ID == "" {
		return pendingPurchase(op, plan, cartID, "", errors.New("the checkout's order has no id"))
	}
	return awaitSubscription(op, plan, cartID, *order.ID, &order)
}

// awaitSubscription reads the order until a line item names its
// subscription, then reads the subscription. order is what the checkout
// returned, nil when unknown.
func awaitSubscription(op *shared.Operation, plan *subscriptionResourceModel, cartID, orderID string, order *partnercenter.Order) *subscriptionResourceModel {
	customerID := plan.CustomerID.ValueString()
	for wait := firstOrderPoll; ; wait = min(wait*2, maxOrderPoll) {
		if order != nil {
			if order.Status != nil && strings.EqualFold(*order.Status, "cancelled") {
				op.Diags.AddError("Partner Center cancelled the order", fmt.Sprintf("Order %q of customer %q (cart %q) was cancelled "+
					"by Partner Center: nothing was bought. Check the customer and the offer in Partner Center, then apply again "+
					"to buy anew.", orderID, customerID, cartID))
				return nil
			}
			if id := orderSubscriptionID(order, plan.CatalogItemID.ValueString()); id != "" {
				op.Purchases.Record(orderID, id)
				rec, err := op.Client.GetSubscriptionRecord(op.Ctx, customerID, id)
				if err != nil {
					return pendingPurchase(op, plan, cartID, orderID, err)
				}
				rec, failed, err := alignWithPlan(op, plan, id, rec)
				// A renewal refused outright cannot be completed later:
				// the state takes the subscription as bought and the
				// apply fails (stateAfterPurchase).
				var refusedRenewal error
				if err != nil && failed == "renewal" && refusedBeforeBuying(err) {
					refusedRenewal, err = errors.Unwrap(err), nil // the service's error, without "was bought"
				}
				if err != nil {
					op.Diags.AddWarning("Subscription bought, not yet as planned", fmt.Sprintf("For customer %q, %s\nThe state "+
						"records the purchase as pending (order %q). The next plan or apply reads the order again and makes the "+
						"subscription what the configuration says; it never buys a second time. Keep the state: do not remove "+
						"the resource or taint it.", customerID, errorText(err), orderID))
					return pendingSubscriptionState(op, plan, cartID, orderID)
				}
				state := subscriptionResourceState(plan, &rec.Subscription, op.Diags)
				state.CartID = types.StringValue(cartID)
				return stateAfterPurchase(op, plan, state, cartID, orderID, refusedRenewal)
			}
		}
		if err := sleep(op.Ctx, wait); err != nil {
			return pendingPurchase(op, plan, cartID, orderID, err)
		}
		var err error
		if order, err = op.Client.GetOrder(op.Ctx, customerID, orderID); err != nil {
			return pendingPurchase(op, plan, cartID, orderID, err)
		}
	}
}

// orderSubscriptionID is the subscription the order's line of the catalog
// item's product and SKU names, "" until the order is provisioned. An order
// may have several lines: another line's subscription is not this one.
func orderSubscriptionID(o *partnercenter.Order, catalogItemID string) string {
	if line := orderLineOf(o, catalogItemID); line != nil {
		return shared.Deref(line.SubscriptionID)
	}
	return ""
}

// orderLineOf is the order's line of the catalog item's product and SKU,
// nil when no line buys it.
func orderLineOf(o *partnercenter.Order, catalogItemID string) *partnercenter.OrderLineItem {
	for i := range o.LineItems {
		if sameCatalogItem(catalogItemID, shared.Deref(o.LineItems[i].OfferID)) {
			return &o.LineItems[i]
		}
	}
	return nil
}

// refusedBeforeBuying reports a checkout Partner Center refused outright:
// its order errors, or a 4xx other than those a retry may cure. Anything
// else may have bought.
func refusedBeforeBuying(err error) bool {
	var checkoutErr *partnercenter.CheckoutError
	if errors.As(err, &checkoutErr) {
		return true
	}
	var apiErr *partnercenter.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.StatusCode {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooManyRequests:
		return false
	}
	return apiErr.StatusCode >= 400 && apiErr.StatusCode < 500
}

// pendingPurchase is the state of a purchase whose outcome err left
// unknown, with a warning saying what is pending and what completes it.
func pendingPurchase(op *shared.Operation, plan *subscriptionResourceModel, cartID, orderID string, err error) *subscriptionResourceModel {
	customerID := plan.CustomerID.ValueString()
	what := fmt.Sprintf("cart %q was created but whether its checkout placed an order is not known", cartID)
	next := "checks the same cart out again (Partner Center answers a repeated checkout of a cart with its first result instead " +
		"of buying again) and waits for the order"
	if orderID != "" {
		what = fmt.Sprintf("cart %q was checked out as order %q, which has not yet named its subscription", cartID, orderID)
		next = "reads the order until it names the subscription"
	}
	op.Diags.AddWarning("Subscription purchase pending",
		fmt.Sprintf("For customer %q, %s: %s\nThe state records the pending purchase (status %q, no id yet). The next plan "+
			"or apply %s, then fills in the subscription; it never buys a second time. Keep the state: do not remove the "+
			"resource or taint it, which would buy again.", customerID, what, errorText(err), statusPending, next))
	return pendingSubscriptionState(op, plan, cartID, orderID)
}

// errorText explains why an operation stopped, in the user's words where
// the context ended it.
func errorText(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "the create or update timeout ran out (" + err.Error() + ")"
	case errors.Is(err, context.Canceled):
		return "Terraform was interrupted (" + err.Error() + ")"
	}
	return err.Error()
}

// sleep waits d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
