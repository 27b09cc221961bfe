package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// Read refreshes the subscription. A pending purchase is resolved through
// its order. A subscription Partner Center no longer knows stays in the
// state as not_found, for the plan to explain, rather than leaving it and
// planning a new purchase.
func (r *customerSubscriptionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.read(ctx, req, resp, refreshSubscription)
}

func refreshSubscription(op *operation) map[string]tftypes.Value {
	customerID, id := op.arg("customer_id"), op.knownString("id")
	if id == "" {
		return resolvePending(op, customerID)
	}
	rec, err := op.client.GetSubscriptionRecord(op.ctx, customerID, id)
	if errors.Is(err, partnercenter.ErrNotFound) {
		if op.input["catalog_item_id"].IsNull() {
			return nil // an import of a subscription Partner Center does not know: Terraform says so
		}
		return map[string]tftypes.Value{"status": tftypes.NewValue(tftypes.String, statusNotFound)}
	}
	if err != nil {
		op.failOnSubscription(fmt.Sprintf("Reading subscription %q of customer %q", id, customerID), customerID, id, err)
		return nil
	}
	return subscriptionResourceState(op, &rec.Subscription)
}

// resolvePending fills a pending purchase's state once its order names the
// subscription; until then the state stays as it is. A purchase whose
// checkout outcome is unknown has no order to read: the plan completes it.
func resolvePending(op *operation, customerID string) map[string]tftypes.Value {
	orderID := op.knownString("order_id")
	if orderID == "" {
		return map[string]tftypes.Value{}
	}
	order, err := op.client.GetOrder(op.ctx, customerID, orderID)
	if err != nil {
		op.diags.AddWarning("Pending purchase not resolved", fmt.Sprintf("Reading order %q of customer %q: %s\n"+
			"The purchase stays pending; the next plan or apply reads the order again.", orderID, customerID, err.Error()))
		return map[string]tftypes.Value{}
	}
	subscriptionID := orderSubscriptionID(order)
	if subscriptionID == "" {
		return map[string]tftypes.Value{}
	}
	rec, err := op.client.GetSubscriptionRecord(op.ctx, customerID, subscriptionID)
	if err != nil {
		op.diags.AddWarning("Pending purchase not resolved", fmt.Sprintf("Order %q of customer %q names subscription %q, "+
			"which could not be read: %s\nThe purchase stays pending.", orderID, customerID, subscriptionID, err.Error()))
		return map[string]tftypes.Value{}
	}
	return subscriptionResourceState(op, &rec.Subscription)
}

// Update completes a pending purchase, then changes quantity, auto_renew and
// friendly_name in that order, one request each (each reads the
// subscription and sends it back whole with the one change). A failed
// change leaves the state as it was before the apply; the next refresh
// shows what did change.
func (r *customerSubscriptionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.update(ctx, req, resp, changeSubscription)
	if resp.Diagnostics.HasError() {
		resp.State.Raw = req.State.Raw
	}
}

func changeSubscription(op *operation, prior map[string]tftypes.Value) map[string]tftypes.Value {
	customerID, id := op.arg("customer_id"), stringOf(prior["id"])
	if id == "" {
		// Completing the purchase also makes the subscription what the
		// plan says (alignWithPlan).
		cartID, orderID := op.arg("cart_id"), stringOf(prior["order_id"])
		if orderID == "" {
			return checkoutAndAwait(op, customerID, cartID)
		}
		return awaitSubscription(op, customerID, cartID, orderID, nil)
	}
	changes := plannedChanges(op, prior)
	var rec *partnercenter.SubscriptionRecord
	for _, c := range changes {
		var err error
		if rec, err = op.client.UpdateSubscription(op.ctx, customerID, id, c.change); err != nil {
			op.diags.AddError(subscriptionChangeErrorDiagnostic(op, fmt.Sprintf("Changing %s of subscription %q of customer %q",
				c.attribute, id, customerID), customerID, id, err))
			return nil
		}
	}
	if rec == nil {
		var err error
		if rec, err = op.client.GetSubscriptionRecord(op.ctx, customerID, id); err != nil {
			op.failOnSubscription(fmt.Sprintf("Reading subscription %q of customer %q", id, customerID), customerID, id, err)
			return nil
		}
	}
	return subscriptionResourceState(op, &rec.Subscription)
}

// plannedChange is one attribute's change and the request that makes it.
type plannedChange struct {
	attribute string
	change    partnercenter.SubscriptionChange
}

// plannedChanges are the arguments whose planned value differs from the
// prior state, in a fixed order: seats first, as they matter most.
func plannedChanges(op *operation, prior map[string]tftypes.Value) []plannedChange {
	var changes []plannedChange
	differs := func(name string) bool {
		planned := op.input[name]
		return planned.IsKnown() && !planned.IsNull() && !planned.Equal(prior[name])
	}
	if differs("quantity") {
		changes = append(changes, plannedChange{"quantity", partnercenter.ChangeQuantity(op.knownQuantity("quantity"))})
	}
	if differs("auto_renew") {
		var on bool
		if err := op.input["auto_renew"].As(&on); err != nil {
			panic(fmt.Errorf("argument auto_renew: %w", err))
		}
		changes = append(changes, plannedChange{"auto_renew", partnercenter.ChangeAutoRenew(on)})
	}
	if differs("friendly_name") {
		changes = append(changes, plannedChange{"friendly_name", partnercenter.ChangeFriendlyName(op.knownString("friendly_name"))})
	}
	return changes
}

// Delete abandons the subscription (the default: it leaves the state and
// keeps running) or cancels it, as on_destroy says.
func (r *customerSubscriptionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	r.delete(ctx, req, resp, func(op *operation) {
		customerID, id := op.arg("customer_id"), op.knownString("id")
		if op.knownString("on_destroy") != onDestroyCancel {
			op.diags.AddWarning("Subscription abandoned, still billing", fmt.Sprintf("Subscription %q of customer %q was "+
				"removed from the Terraform state only (on_destroy = \"abandon\"): it keeps running and Partner Center keeps "+
				"billing for it. Cancel it in Partner Center, or set on_destroy = \"cancel\" before destroying while "+
				"cancellation_allowed_until_date has not passed.", orNone(id), customerID))
			return
		}
		cancelSubscription(op, customerID, id)
	})
}

// cancelSubscription cancels within the window, and otherwise fails with
// the date, which keeps the resource in the state. It decides on the
// subscription read now, not on the state, which may not have been
// refreshed.
func cancelSubscription(op *operation, customerID, id string) {
	if id == "" {
		op.diags.AddError("Purchase still pending", fmt.Sprintf("The purchase for customer %q (cart %q) has not named its "+
			"subscription yet, so there is nothing to cancel. Run terraform apply to complete it, then destroy.", customerID,
			op.knownString("cart_id")))
		return
	}
	rec, err := op.client.GetSubscriptionRecord(op.ctx, customerID, id)
	switch {
	case errors.Is(err, partnercenter.ErrNotFound):
		return // nothing left to cancel
	case err != nil:
		op.failOnSubscription(fmt.Sprintf("Reading subscription %q of customer %q", id, customerID), customerID, id, err)
		return
	case strings.EqualFold(deref(rec.Subscription.Status), partnercenter.SubscriptionStatusDeleted):
		return
	}
	until := deref(rec.Subscription.CancellationAllowedUntilDate)
	if deadline, ok := parseServiceTime(until); !ok || !time.Now().Before(deadline) {
		when := "Partner Center gives no cancellation date for it, so it cannot be cancelled now"
		if until != "" {
			when = "its cancellation window closed at " + until
		}
		op.diags.AddError("Cancellation window passed", fmt.Sprintf("Subscription %q of customer %q cannot be cancelled: %s. "+
			"Partner Center allows cancelling within 7 days (168 hours) of a purchase or renewal only. The resource stays in the "+
			"state. To stop managing it, set on_destroy = \"abandon\" and destroy again (it then runs to the end of its term), or "+
			"turn auto_renew off.", id, customerID, when))
		return
	}
	if _, err := op.client.UpdateSubscription(op.ctx, customerID, id, partnercenter.ChangeStatus(partnercenter.SubscriptionStatusDeleted)); err != nil {
		op.diags.AddError(subscriptionChangeErrorDiagnostic(op, fmt.Sprintf("Cancelling subscription %q of customer %q", id, customerID),
			customerID, id, err))
	}
}

// parseServiceTime reads a date as Partner Center writes it: RFC 3339,
// or without a zone, meaning UTC.
func parseServiceTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// isRefusedStatus reports a status the plan refuses to manage.
func isRefusedStatus(status string) bool {
	switch strings.ToLower(status) {
	case "", partnercenter.SubscriptionStatusActive, statusPending:
		return false
	}
	return true
}
