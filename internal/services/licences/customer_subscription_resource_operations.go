package licences

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// Read refreshes the subscription. A pending purchase is resolved through
// its order. A subscription Partner Center no longer knows stays in the
// state as not_found, for the plan to explain, rather than leaving it and
// planning a new purchase.
func (r *customerSubscriptionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	shared.Read(ctx, &r.ResourceBase, req, resp, refreshSubscription)
}

func refreshSubscription(op *shared.Operation, prior *subscriptionResourceModel) *subscriptionResourceModel {
	customerID, id := prior.CustomerID.ValueString(), prior.ID.ValueString()
	if id == "" {
		return resolvePending(op, prior)
	}
	rec, err := op.Client.GetSubscriptionRecord(op.Ctx, customerID, id)
	if errors.Is(err, partnercenter.ErrNotFound) {
		if prior.CatalogItemID.IsNull() {
			return nil // an import of a subscription Partner Center does not know: Terraform says so
		}
		state := *prior
		state.Status = types.StringValue(statusNotFound)
		return &state
	}
	if err != nil {
		op.FailOnSubscription(fmt.Sprintf("Reading subscription %q of customer %q", id, customerID), customerID, id, err)
		return nil
	}
	return subscriptionResourceState(prior, &rec.Subscription, op.Diags)
}

// resolvePending fills a pending purchase's state once its order names the
// subscription; until then the state stays as it is. A purchase whose
// checkout outcome is unknown has no order to read: the plan completes it.
func resolvePending(op *shared.Operation, prior *subscriptionResourceModel) *subscriptionResourceModel {
	customerID, orderID := prior.CustomerID.ValueString(), prior.OrderID.ValueString()
	if orderID == "" {
		return prior
	}
	order, err := op.Client.GetOrder(op.Ctx, customerID, orderID)
	if err != nil {
		op.Diags.AddWarning("Pending purchase not resolved", fmt.Sprintf("Reading order %q of customer %q: %s\n"+
			"The purchase stays pending; the next plan or apply reads the order again.", orderID, customerID, err.Error()))
		return prior
	}
	subscriptionID := orderSubscriptionID(order, prior.CatalogItemID.ValueString())
	if subscriptionID == "" {
		return prior
	}
	rec, err := op.Client.GetSubscriptionRecord(op.Ctx, customerID, subscriptionID)
	if err != nil {
		op.Diags.AddWarning("Pending purchase not resolved", fmt.Sprintf("Order %q of customer %q names subscription %q, "+
			"which could not be read: %s\nThe purchase stays pending.", orderID, customerID, subscriptionID, err.Error()))
		return prior
	}
	return subscriptionResourceState(prior, &rec.Subscription, op.Diags)
}

// Update completes a pending purchase, then changes billing_cycle,
// quantity, auto_renew and friendly_name in that order, one request
// each (each reads the subscription and sends it back whole with the one
// change). The state is what Partner Center answered: a change it did not
// make, or made otherwise than planned, fails naming the attribute, and
// the state then holds the values Partner Center has; a change refused
// before any was made leaves the state as it was.
func (r *customerSubscriptionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var truth *subscriptionResourceModel
	planKnown := req.Plan.Raw.IsFullyKnown()
	// kept is a completed purchase saved despite an error (a term or
	// catalog item other than the plan's): the state must hold it.
	kept := false
	var before *subscriptionResourceModel
	shared.Update(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, plan, prior *subscriptionResourceModel) *subscriptionResourceModel {
		unchanged := *prior
		before = &unchanged
		state := changeSubscription(op, plan, prior, planKnown, &truth)
		kept = state != nil && op.KeepStateOnError
		return state
	})
	if resp.Diagnostics.HasError() && !kept {
		resp.State.Raw = req.State.Raw
		saved := before
		if truth != nil {
			resp.Diagnostics.Append(shared.SetModel(ctx, &resp.State, truth)...)
			saved = truth
		}
		// Terraform keeps the identity answered with the state: that of
		// the subscription saved, which an upgrade may have moved.
		if saved != nil {
			resp.Diagnostics.Append(shared.SetIdentity(ctx, resp.Identity, saved)...)
		}
	}
}

// changeSubscription makes the planned changes; planKnown says whether the
// plan leaves nothing unknown. When one fails after Partner Center changed
// the subscription, *truth is set to the state as Partner Center has it.
func changeSubscription(op *shared.Operation, plan, prior *subscriptionResourceModel, planKnown bool,
	truth **subscriptionResourceModel) *subscriptionResourceModel {
	customerID, id := plan.CustomerID.ValueString(), prior.ID.ValueString()
	if id == "" {
		// Completing the purchase also makes the subscription what the
		// plan says (alignWithPlan).
		cartID, orderID := plan.CartID.ValueString(), prior.OrderID.ValueString()
		if orderID == "" {
			return checkoutAndAwait(op, plan, cartID, time.Time{})
		}
		return awaitSubscription(op, plan, cartID, orderID, nil)
	}
	if isUpgrade(plan, prior) {
		if prior = upgradeSubscription(op, plan, prior, truth); prior == nil {
			return nil
		}
		if plan.CartID.IsUnknown() {
			plan.CartID = prior.CartID // planned so
		}
		id = prior.ID.ValueString()
	}
	changes := plannedChanges(plan, prior)
	if len(changes) == 0 && planKnown {
		return plan // on_destroy or timeouts only: nothing to send
	}
	recordTruth := func(current *partnercenter.SubscriptionRecord) {
		if current != nil {
			*truth = subscriptionResourceState(prior, &current.Subscription, op.Diags)
		}
	}
	var rec *partnercenter.SubscriptionRecord
	for _, c := range changes {
		next, err := op.Client.UpdateSubscription(op.Ctx, customerID, id, c.change)
		if err != nil {
			var notApplied *partnercenter.ChangeNotAppliedError
			if errors.As(err, &notApplied) && notApplied.Current != nil {
				rec = notApplied.Current
			}
			recordTruth(rec)
			op.Diags.AddError(subscriptionChangeErrorDiagnostic(op, fmt.Sprintf("Changing %s of subscription %q of customer %q",
				c.attribute, id, customerID), customerID, id, err))
			return nil
		}
		rec = next
	}
	if rec == nil {
		var err error
		if rec, err = op.Client.GetSubscriptionRecord(op.Ctx, customerID, id); err != nil {
			op.FailOnSubscription(fmt.Sprintf("Reading subscription %q of customer %q", id, customerID), customerID, id, err)
			return nil
		}
	}
	// The state written as planned: the renewal takes the plan's form.
	if differences := plannedDifferences(plan, subscriptionResourceState(plan, &rec.Subscription, op.Diags)); len(differences) > 0 {
		recordTruth(rec)
		op.Diags.AddError("Partner Center did not make the planned change", fmt.Sprintf("After the apply, subscription %q of "+
			"customer %q differs from the plan: %s. The state holds Partner Center's values; the next plan shows what is left "+
			"to change.", id, customerID, strings.Join(differences, "; ")))
		return nil
	}
	return subscriptionResourceState(plan, &rec.Subscription, op.Diags)
}

// argument is an argument Partner Center holds, named as in messages, with
// its value in a plan and in a state.
type argument struct {
	name           string
	planned, other attr.Value
}

// heldArguments are the arguments Partner Center holds, planned in plan
// and held in other.
func heldArguments(plan, other *subscriptionResourceModel) []argument {
	return []argument{
		{"quantity", plan.Quantity, other.Quantity},
		{"billing_cycle", plan.BillingCycle, other.BillingCycle},
		{"auto_renew", plan.AutoRenew, other.AutoRenew},
		{"friendly_name", plan.FriendlyName, other.FriendlyName},
		{"term_duration", plan.TermDuration, other.TermDuration},
		{"catalog_item_id", plan.CatalogItemID, other.CatalogItemID},
		{"renewal", plan.Renewal, other.Renewal},
	}
}

// plannedDifferences names each argument Partner Center holds whose known
// planned value the service's values do not match.
func plannedDifferences(plan, service *subscriptionResourceModel) []string {
	var differences []string
	for _, a := range heldArguments(plan, service) {
		if a.planned.IsUnknown() || a.planned.IsNull() || a.planned.Equal(a.other) || sameInOtherForm(a) {
			continue
		}
		differences = append(differences, fmt.Sprintf("%s is planned as %s, Partner Center has %s", a.name, valueText(a.planned), valueText(a.other)))
	}
	return differences
}

// sameInOtherForm reports an argument whose two values say the same: a
// billing cycle or term in another letter case, a catalog item of the same
// product and SKU.
func sameInOtherForm(a argument) bool {
	planned, other := stringOf(a.planned), stringOf(a.other)
	switch a.name {
	case "billing_cycle", "term_duration":
		return strings.EqualFold(planned, other)
	case "catalog_item_id":
		return sameCatalogItem(planned, other)
	}
	return false
}

// stringOf is v's string, "" when v is null, unknown or not a string.
func stringOf(v attr.Value) string {
	if s, ok := v.(types.String); ok {
		return s.ValueString()
	}
	return ""
}

// plannedChange is one attribute's change and the request that makes it.
type plannedChange struct {
	attribute string
	change    partnercenter.SubscriptionChange
}

// plannedChanges are the arguments whose planned value differs from the
// prior state, in a fixed order: the billing cycle first, as a change that
// bills nothing at once, so that Partner Center refusing it leaves no
// seats bought by a half-done apply; then seats, auto-renew and name.
func plannedChanges(plan, prior *subscriptionResourceModel) []plannedChange {
	var changes []plannedChange
	differs := func(planned, prior attr.Value) bool {
		return !planned.IsUnknown() && !planned.IsNull() && !planned.Equal(prior)
	}
	if differs(plan.BillingCycle, prior.BillingCycle) && !strings.EqualFold(plan.BillingCycle.ValueString(), prior.BillingCycle.ValueString()) {
		changes = append(changes, plannedChange{"billing_cycle", partnercenter.ChangeBillingCycle(strings.ToLower(plan.BillingCycle.ValueString()))})
	}
	if differs(plan.Quantity, prior.Quantity) {
		changes = append(changes, plannedChange{"quantity", partnercenter.ChangeQuantity(int(quantityOf(plan.Quantity)))})
	}
	if differs(plan.AutoRenew, prior.AutoRenew) {
		changes = append(changes, plannedChange{"auto_renew", partnercenter.ChangeAutoRenew(plan.AutoRenew.ValueBool())})
	}
	if differs(plan.FriendlyName, prior.FriendlyName) {
		changes = append(changes, plannedChange{"friendly_name", partnercenter.ChangeFriendlyName(plan.FriendlyName.ValueString())})
	}
	if renewal, ok := renewalChange(plan, prior, changes); ok {
		changes = append(changes, renewal)
	}
	return changes
}

// Delete abandons the subscription (the default: it leaves the state and
// keeps running) or cancels it, as on_destroy says.
func (r *customerSubscriptionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	shared.Delete(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, prior *subscriptionResourceModel) {
		customerID, id := prior.CustomerID.ValueString(), prior.ID.ValueString()
		if prior.OnDestroy.ValueString() != onDestroyCancel {
			op.Diags.AddWarning("Subscription abandoned, still billing", abandonedWarning(prior, customerID, id))
			return
		}
		cancelSubscription(op, prior, customerID, id)
	})
}

// abandonedWarning says what was let go: the subscription, or a pending
// purchase's cart and order.
func abandonedWarning(prior *subscriptionResourceModel, customerID, id string) string {
	what := fmt.Sprintf("Subscription %q of customer %q was", id, customerID)
	if id == "" {
		order := "no order known yet"
		if orderID := prior.OrderID.ValueString(); orderID != "" {
			order = fmt.Sprintf("order %q", orderID)
		}
		what = fmt.Sprintf("The pending purchase for customer %q (cart %q, %s) was", customerID, prior.CartID.ValueString(), order)
	}
	return what + " removed from the Terraform state only (on_destroy = \"abandon\"): what Partner Center bought keeps " +
		"running and Partner Center keeps billing for it. Cancel it in Partner Center while cancellation_allowed_until_date " +
		"has not passed, or import it to manage it again. With auto_renew off it does not end at the end of its term: it " +
		"moves to a month-to-month extended service term billed at a higher price."
}

// cancelSubscription cancels within the window, and otherwise fails with
// the date, which keeps the resource in the state. It decides on the
// subscription read now, not on the state, which may not have been
// refreshed. A cancellation is done only when Partner Center shows the
// subscription deleted; until then the destroy fails and the resource
// stays.
func cancelSubscription(op *shared.Operation, prior *subscriptionResourceModel, customerID, id string) {
	if id == "" {
		op.Diags.AddError("Purchase still pending", fmt.Sprintf("The purchase for customer %q (cart %q) has not named its "+
			"subscription yet, so there is nothing to cancel. Run terraform apply to complete it, then destroy.", customerID,
			prior.CartID.ValueString()))
		return
	}
	rec, err := op.Client.GetSubscriptionRecord(op.Ctx, customerID, id)
	switch {
	case errors.Is(err, partnercenter.ErrNotFound):
		return // nothing left to cancel
	case err != nil:
		op.FailOnSubscription(fmt.Sprintf("Reading subscription %q of customer %q", id, customerID), customerID, id, err)
		return
	case strings.EqualFold(shared.Deref(rec.Subscription.Status), partnercenter.SubscriptionStatusDeleted):
		return
	}
	until := shared.Deref(rec.Subscription.CancellationAllowedUntilDate)
	if deadline, ok := parseServiceTime(until); !ok || !time.Now().Before(deadline) {
		when := "Partner Center gives no cancellation date for it, so it cannot be cancelled now"
		if until != "" {
			when = "its cancellation window closed at " + until
		}
		op.Diags.AddError("Cancellation window passed", fmt.Sprintf("Subscription %q of customer %q cannot be cancelled: %s. "+
			"Partner Center allows cancelling within 7 days (168 hours) of a purchase or renewal only. The resource stays in the "+
			"state. %s", id, customerID, when, stopManagingAdvice))
		return
	}
	if _, err := op.Client.UpdateSubscription(op.Ctx, customerID, id, partnercenter.ChangeStatus(partnercenter.SubscriptionStatusDeleted)); err != nil {
		summary, detail := subscriptionChangeErrorDiagnostic(op, fmt.Sprintf("Cancelling subscription %q of customer %q", id, customerID),
			customerID, id, err)
		op.Diags.AddError(summary, detail+"\nThe resource stays in the state.")
	}
}

// stopManagingAdvice says how to let a subscription go that can no longer
// be cancelled. A destroy uses the on_destroy recorded in the state, so the
// new value must be applied first.
const stopManagingAdvice = "To stop managing it without cancelling, set on_destroy = \"abandon\" in its resource block and run " +
	"terraform apply (which changes only on_destroy and sends no request), then destroy; or replace the resource block with " +
	"a `removed` block whose lifecycle sets destroy = false. Either way the subscription keeps running and billing: at the " +
	"end of its term it renews with auto_renew on, and with auto_renew off it moves to a month-to-month extended service " +
	"term billed at a higher price until it is cancelled in Partner Center."

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

// isRefusedStatus reports a status no longer active: the plan warns of it
// and refuses any change of the subscription's arguments.
func isRefusedStatus(status string) bool {
	switch strings.ToLower(status) {
	case "", partnercenter.SubscriptionStatusActive, statusPending:
		return false
	}
	return true
}
