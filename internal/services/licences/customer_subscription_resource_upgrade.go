package licences

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// An upgrade is a catalog_item_id of another product or SKU than the
// subscription's: Partner Center moves its seats there through a
// transition ("Transition a new commerce subscription"), which the
// subscription's immediate transition eligibilities must allow. The
// transition is not documented as idempotent, so its history decides
// whether one was already sent: a plan or apply that finds one started
// completes it instead of sending another.

// isUpgrade reports a plan that moves the subscription to another product
// or SKU.
func isUpgrade(plan, prior *subscriptionResourceModel) bool {
	planned := plan.CatalogItemID
	return !planned.IsUnknown() && !planned.IsNull() && !prior.CatalogItemID.IsNull() &&
		!sameCatalogItem(planned.ValueString(), prior.CatalogItemID.ValueString())
}

// ownTransitions are the transitions of the history out of the
// subscription to the catalog item's product and SKU.
func ownTransitions(history []partnercenter.Transition, id, catalogItemID string) []*partnercenter.Transition {
	var own []*partnercenter.Transition
	for i := range history {
		t := &history[i]
		if from := shared.Deref(t.FromSubscriptionID); (from == "" || strings.EqualFold(from, id)) &&
			sameCatalogItem(shared.Deref(t.ToCatalogItemID), catalogItemID) {
			own = append(own, t)
		}
	}
	return own
}

// newest is the transition that started last (by its first event; the
// later listed when that does not tell), nil for none. Transitions carry
// no documented id, and their order in the history is not documented.
func newest(ts []*partnercenter.Transition) *partnercenter.Transition {
	var found *partnercenter.Transition
	for _, t := range ts {
		if found == nil || !t.StartedAt().Before(found.StartedAt()) {
			found = t
		}
	}
	return found
}

// adoptableTransition is the upgrade of the subscription to the catalog
// item that an earlier apply started, which the plan or apply completes
// instead of sending another, nil when none: the newest transition out of
// it there whose conversion has not failed and that either is still in
// progress moving all the seats the state holds (held), or completed while
// the subscription holds no seat any more (emptied, as last read). A
// transition of some of the seats that left the rest here is another
// change, not this upgrade.
func adoptableTransition(history []partnercenter.Transition, id string, held int64, emptied bool, catalogItemID string) *partnercenter.Transition {
	var found []*partnercenter.Transition
	for _, t := range ownTransitions(history, id, catalogItemID) {
		switch t.Status() {
		case partnercenter.TransitionFailed:
			continue
		case partnercenter.TransitionCompleted:
			if !emptied {
				continue
			}
		default:
			if t.Quantity == nil || *t.Quantity != held {
				continue
			}
		}
		found = append(found, t)
	}
	return newest(found)
}

// findUpgrade reads the subscription's transition history, then the
// subscription (a transition may complete between a refresh and the plan,
// or a plan and its apply), and returns the transition adoptableTransition
// finds, with the history. On error, step names the read that failed.
func findUpgrade(ctx context.Context, client *partnercenter.Client, customerID, id string, held int64,
	catalogItemID string) (t *partnercenter.Transition, history *partnercenter.TransitionHistory, step string, err error) {
	if history, err = client.ListTransitions(ctx, customerID, id); err != nil {
		return nil, nil, "reading its transitions", err
	}
	source, readErr := client.GetSubscriptionRecord(ctx, customerID, id)
	gone := errors.Is(readErr, partnercenter.ErrNotFound) // it holds no seat then
	if readErr != nil && !gone {
		return nil, nil, "reading it", readErr
	}
	emptied := gone || !strings.EqualFold(shared.Deref(source.Subscription.Status), partnercenter.SubscriptionStatusActive) ||
		source.Subscription.Quantity == nil || *source.Subscription.Quantity == 0
	return adoptableTransition(history.Transitions, id, held, emptied, catalogItemID), history, "", nil
}

// upgradeTarget is the eligibility of the catalog item's product and SKU
// and the transition type to send: with the licence transfer when it is
// eligible, so that users keep their licence assignments, else the
// transition alone. The type is "" when neither is eligible.
func upgradeTarget(eligibilities []partnercenter.TransitionEligibility, catalogItemID string) (*partnercenter.TransitionEligibility, string) {
	for i := range eligibilities {
		e := &eligibilities[i]
		if !sameCatalogItem(shared.Deref(e.CatalogItemID), catalogItemID) {
			continue
		}
		eligible := map[string]bool{}
		for _, d := range e.Eligibilities {
			eligible[strings.ToLower(shared.Deref(d.TransitionType))] = d.Eligible()
		}
		for _, kind := range []string{partnercenter.TransitionTypeLicenseTransfer, partnercenter.TransitionTypeOnly} {
			if eligible[kind] {
				return e, kind
			}
		}
		return e, ""
	}
	return nil, ""
}

// eligibleTargetsText lists the catalog items the subscription can be
// upgraded to, with their eligible transition types.
func eligibleTargetsText(eligibilities []partnercenter.TransitionEligibility) string {
	var targets []string
	for _, e := range eligibilities {
		var kinds []string
		for _, d := range e.Eligibilities {
			if d.Eligible() {
				kinds = append(kinds, shared.Deref(d.TransitionType))
			}
		}
		if len(kinds) > 0 {
			targets = append(targets, fmt.Sprintf("%q (%s; %s)", shared.Deref(e.CatalogItemID), shared.Deref(e.Title), strings.Join(kinds, ", ")))
		}
	}
	if len(targets) == 0 {
		return "none"
	}
	return strings.Join(targets, ", ")
}

// refusalsText lists why each transition type to the target is refused.
func refusalsText(e *partnercenter.TransitionEligibility) string {
	if e == nil {
		return "it is not among the subscription's immediate transition eligibilities"
	}
	var reasons []string
	for _, d := range e.Eligibilities {
		for _, why := range d.Errors {
			reasons = append(reasons, fmt.Sprintf("%s: error %s, %s", shared.Deref(d.TransitionType), why.Code, why.Description))
		}
	}
	if len(reasons) == 0 {
		return "no transition type is eligible"
	}
	return strings.Join(reasons, "; ")
}

// planUpgrade plans a move to another product or SKU after reading the
// subscription's transition history first, so that an upgrade an earlier
// apply started or Partner Center completed is completed, not refused for
// the seats it already moved, and, when there is none, its immediate
// eligibilities. It only reads.
func (r *customerSubscriptionResource) planUpgrade(ctx context.Context, plan, state *subscriptionResourceModel, resp *resource.ModifyPlanResponse) {
	customerID, id, target := state.CustomerID.ValueString(), state.ID.ValueString(), plan.CatalogItemID.ValueString()
	at := path.Root("catalog_item_id")
	if renewalTarget := renewalOf(plan.Renewal).CatalogItemID; !renewalTarget.IsNull() && !renewalTarget.IsUnknown() &&
		!sameCatalogItem(renewalTarget.ValueString(), target) {
		// Its eligibility could be read only from the subscription the
		// upgrade leaves behind.
		resp.Diagnostics.AddAttributeError(path.Root("renewal").AtName("catalog_item_id"), "Upgrade combined with a renewal into another product",
			fmt.Sprintf("This plan upgrades subscription %q of customer %q to %q and schedules its renewal into %q. Apply the "+
				"upgrade first, with renewal.catalog_item_id left out or equal to the new catalog item, then choose the renewal "+
				"among the upgraded subscription's scheduled eligibilities; nothing was sent.", id, customerID, target,
				renewalTarget.ValueString()))
		return
	}
	if r.Data == nil {
		resp.Diagnostics.AddAttributeError(at, "Upgrade cannot be checked yet", "The provider's configuration is not known at plan "+
			"time, so the subscription's transition eligibilities cannot be read. Apply the provider's configuration first.")
		return
	}
	timeout := shared.DefaultTimeouts[shared.OperationRead]
	ctx, cancel := context.WithTimeout(shared.MaskSecrets(ctx, r.Data.Secrets), timeout)
	defer cancel()
	t, history, step, err := findUpgrade(ctx, r.Data.Client, customerID, id, quantityOf(state.Quantity), target)
	if err != nil {
		summary, detail := shared.SubscriptionErrorDiagnostic(ctx, shared.OperationRead, fmt.Sprintf("Planning the upgrade of "+
			"subscription %q of customer %q: %s", id, customerID, step), customerID, id, err, timeout)
		if errors.Is(err, partnercenter.ErrNotFound) {
			detail += "\nPartner Center no longer knows the subscription nor its transitions. If it was upgraded, the " +
				"subscription that holds the seats now is listed by partnercenter_customer_subscriptions: " + letGoAdvice
		}
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	if t == nil && !refuseUpgrade(plan, state, at, resp) {
		return
	}
	if t != nil && !matchesTransition(plan, t, at, id, customerID, &resp.Diagnostics) {
		return
	}
	diags := planUpgradeValues(ctx, plan)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	if t != nil {
		resp.Diagnostics.AddAttributeWarning(at, "Completing an upgrade already started", fmt.Sprintf("Partner Center's history "+
			"of subscription %q of customer %q shows its %s seats sent to %q (%s), by an earlier apply that did not finish. "+
			"Applying sends no new transition: it waits for that one to complete and records the subscription it leads to.",
			id, customerID, numberText(state.Quantity), shared.Deref(t.ToCatalogItemID), t.EventsText()))
		// The id the transition names marks the plan as completing it: the
		// apply then sends none, and Terraform refuses an apply whose final
		// plan would send one instead (the id unknown again).
		if to := shared.Deref(t.ToSubscriptionID); to != "" {
			plan.ID = types.StringValue(to)
		}
		resp.Diagnostics.Append(shared.SetPlanModel(ctx, &resp.Plan, plan)...)
		return
	}
	eligibilities, err := r.Data.Client.ListTransitionEligibilities(ctx, customerID, id, "immediate")
	if err != nil {
		resp.Diagnostics.AddError(shared.SubscriptionErrorDiagnostic(ctx, shared.OperationRead, fmt.Sprintf("Reading the transition "+
			"eligibilities of subscription %q of customer %q", id, customerID), customerID, id, err, timeout))
		return
	}
	eligibility, kind := upgradeTarget(eligibilities, target)
	if kind == "" {
		resp.Diagnostics.AddAttributeError(at, "Upgrade not possible", fmt.Sprintf("Subscription %q of customer %q (%q) cannot "+
			"move to %q now: %s. The immediate transition eligibilities allow: %s. Restore catalog_item_id or choose one of "+
			"those (partnercenter_subscription_transition_eligibilities lists them); nothing was sent.", id, customerID,
			state.CatalogItemID.ValueString(), target, refusalsText(eligibility), eligibleTargetsText(eligibilities)))
		return
	}
	warning := upgradeWarning(plan, state, eligibility, kind)
	if last := newest(ownTransitions(history.Transitions, id, target)); last != nil && last.Status() == partnercenter.TransitionFailed {
		// Said in the final plan of an apply whose plan completed it, too.
		warning += fmt.Sprintf(" The last transition there ended failed (%s): this plan sends a new one.", last.EventsText())
	}
	resp.Diagnostics.AddAttributeWarning(at, "Applying this plan upgrades the subscription", warning)
	resp.Diagnostics.Append(shared.SetPlanModel(ctx, &resp.Plan, plan)...)
}

// refuseUpgrade refuses, before any eligibility is read, an upgrade no
// transition was started for that Partner Center cannot make: of a
// subscription no longer active, or combined with a seat or billing cycle
// change. It reports whether the plan may go on.
func refuseUpgrade(plan, state *subscriptionResourceModel, at path.Path, resp *resource.ModifyPlanResponse) bool {
	customerID, id, target := state.CustomerID.ValueString(), state.ID.ValueString(), plan.CatalogItemID.ValueString()
	if status := state.Status.ValueString(); isRefusedStatus(status) {
		resp.Diagnostics.AddError(refusedStatusError(customerID, id, status, []string{"catalog_item_id"}, plan, state))
		return false
	}
	if changed := changedArguments(plan, state); slices.Contains(changed, "quantity") || slices.Contains(changed, "billing_cycle") {
		resp.Diagnostics.AddAttributeError(at, "Upgrade combined with another change", fmt.Sprintf("This plan upgrades "+
			"subscription %q of customer %q to %q and changes its quantity or billing_cycle too. Partner Center moves the seats "+
			"the subscription has, on its billing cycle: apply the upgrade first, then the other change. Keep quantity and "+
			"billing_cycle as the state has them for now; nothing was sent.", id, customerID, target))
		return false
	}
	return true
}

// matchesTransition checks the plan against the upgrade it completes: the
// quantity and billing cycle the transition moves are what the upgraded
// subscription holds, and an upgrade is never followed by a change of them.
func matchesTransition(plan *subscriptionResourceModel, t *partnercenter.Transition, at path.Path, id, customerID string, diags *diag.Diagnostics) bool {
	quantity, cycle := plan.Quantity, plan.BillingCycle
	if t.Quantity != nil {
		quantity = types.NumberValue(new(big.Float).SetInt64(*t.Quantity))
	}
	if c := shared.Deref(t.BillingCycle); c != "" {
		cycle = types.StringValue(c)
	}
	if (plan.Quantity.IsUnknown() || plan.Quantity.Equal(quantity)) && (plan.BillingCycle.IsUnknown() ||
		strings.EqualFold(plan.BillingCycle.ValueString(), cycle.ValueString())) {
		return true
	}
	diags.AddAttributeError(at, "Upgrade combined with another change", fmt.Sprintf("Partner Center's history of subscription "+
		"%q of customer %q shows an upgrade to %q already sent (%s), which moves %s seats on billing cycle %s. This plan "+
		"asks for quantity %s and billing_cycle %s: set quantity = %s and billing_cycle = %q for now, apply to complete the "+
		"upgrade, then make the other change; nothing was sent.", id, customerID, shared.Deref(t.ToCatalogItemID), t.EventsText(),
		numberText(quantity), cycle.ValueString(), numberText(plan.Quantity), valueText(plan.BillingCycle), numberText(quantity),
		cycle.ValueString()))
	return false
}

// planUpgradeValues makes unknown what the upgraded subscription will
// say: every computed value, the id and cart_id too (Partner Center may
// name another subscription).
func planUpgradeValues(ctx context.Context, plan *subscriptionResourceModel) diag.Diagnostics {
	diags := shared.SetUnknown(ctx, &plan.subscriptionComputedModel)
	plan.ID, plan.Status, plan.ScheduledRenewalChanges = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	plan.CartID = types.StringUnknown() // null when the seats move to another subscription
	plan.RefundableQuantity = types.ObjectUnknown(refundableQuantityTypes)
	return diags
}

// upgradeWarning says what an upgrade bills and changes.
func upgradeWarning(plan, state *subscriptionResourceModel, e *partnercenter.TransitionEligibility, kind string) string {
	users := "the users keep their licence assignments (transition_with_license_transfer)"
	if kind == partnercenter.TransitionTypeOnly {
		users = "the licences move without their assignments (transition_only): assign the new licences to the users afterwards"
	}
	scheduled := ""
	switch {
	case !plan.Renewal.IsNull():
		scheduled = " Like any mid-term change, it deletes the changes scheduled for the renewal: this apply schedules renewal " +
			"again, on the subscription that holds the seats afterwards."
	case state.ScheduledRenewalChanges.ValueString() != "":
		scheduled = " Like any mid-term change, it deletes the changes scheduled for the renewal."
	}
	return fmt.Sprintf("Subscription %q of customer %q moves its %s seats from %q to %q (%s): Partner Center bills the target "+
		"offer's price from now on, prorated to the end of the term, and %s. The term (%s) and billing cycle (%s) stay. The "+
		"subscription that holds the seats afterwards may have another id; the state follows it. An upgrade cannot be undone "+
		"after 7 days (168 hours).%s", state.ID.ValueString(), state.CustomerID.ValueString(), numberText(state.Quantity),
		state.CatalogItemID.ValueString(), shared.Deref(e.CatalogItemID), shared.Deref(e.Title), users,
		state.TermDuration.ValueString(), state.BillingCycle.ValueString(), scheduled)
}

// upgradeSubscription makes the planned upgrade at apply: it completes the
// transition the history shows started, or, unless the plan said it would
// complete one (its id known), sends one (once); it waits for it, then
// reads the subscription holding the seats. It returns that subscription's
// state, which *truth records too, or nil after an error.
func upgradeSubscription(op *shared.Operation, plan, prior *subscriptionResourceModel, truth **subscriptionResourceModel) *subscriptionResourceModel {
	customerID, id, target := prior.CustomerID.ValueString(), prior.ID.ValueString(), plan.CatalogItemID.ValueString()
	what := fmt.Sprintf("Upgrading subscription %q of customer %q to %q", id, customerID, target)
	t, history, step, err := findUpgrade(op.Ctx, op.Client, customerID, id, quantityOf(prior.Quantity), target)
	if err != nil {
		op.FailOnSubscription(what+": "+step, customerID, id, err)
		return nil
	}
	if adopted := plan.ID.ValueString(); adopted != "" && (t == nil || !strings.EqualFold(shared.Deref(t.ToSubscriptionID), adopted)) {
		failed := "it is no longer in the history"
		if last := newest(ownTransitions(history.Transitions, id, target)); last != nil {
			failed = "it ended " + last.Status() + " (" + last.EventsText() + ")"
		}
		op.Diags.AddAttributeError(path.Root("catalog_item_id"), "Upgrade not completed", fmt.Sprintf("%s: the plan completed a "+
			"transition already sent, but %s (history read with request id %s, correlation id %s). As planned, no new transition "+
			"was sent. Check the subscription in Partner Center, then plan again: the plan shows whether it sends one.", what,
			failed, history.RequestID, history.CorrelationID))
		return nil
	}
	if t == nil {
		eligibilities, err := op.Client.ListTransitionEligibilities(op.Ctx, customerID, id, "immediate")
		if err != nil {
			op.FailOnSubscription(what+": reading its transition eligibilities", customerID, id, err)
			return nil
		}
		eligibility, kind := upgradeTarget(eligibilities, target)
		if kind == "" {
			op.Diags.AddAttributeError(path.Root("catalog_item_id"), "Upgrade not possible", fmt.Sprintf("%s: %s. Nothing was sent.",
				what, refusalsText(eligibility)))
			return nil
		}
		t, err = op.Client.CreateTransition(op.Ctx, customerID, id, partnercenter.TransitionRequest{
			ToCatalogItemID: shared.Deref(eligibility.CatalogItemID), Quantity: quantityOf(prior.Quantity), TransitionType: kind,
			TermDuration: prior.TermDuration.ValueString(), BillingCycle: strings.ToLower(prior.BillingCycle.ValueString()),
		})
		if err != nil {
			summary, detail := shared.SubscriptionErrorDiagnostic(op.Ctx, op.Kind, what, customerID, id, err, op.Timeout)
			op.Diags.AddError(summary, detail+"\nPartner Center may have started the upgrade nonetheless. The next plan reads the "+
				"subscription's transition history: it completes an upgrade that was started, and sends one only if none was.")
			return nil
		}
	}
	t, ok := awaitTransition(op, what, customerID, id, t)
	if !ok {
		return nil
	}
	to := cmp.Or(shared.Deref(t.ToSubscriptionID), id)
	rec, err := op.Client.GetSubscriptionRecord(op.Ctx, customerID, to)
	if err != nil {
		op.FailOnSubscription(fmt.Sprintf("%s: reading subscription %q, which holds the seats now", what, to), customerID, to, err)
		return nil
	}
	state := subscriptionResourceState(plan, &rec.Subscription, op.Diags)
	state.CartID = prior.CartID
	if !strings.EqualFold(to, id) {
		state.CartID = types.StringNull() // not bought from the source's cart
	}
	*truth = state
	var differences []string
	if offer := shared.Deref(rec.Subscription.OfferID); !sameCatalogItem(offer, target) {
		differences = append(differences, fmt.Sprintf("offer %q, not the planned product and SKU of %q", offer, target))
	}
	// An upgrade is never followed by a change of these: the plan showed none.
	for _, a := range []argument{{"quantity", plan.Quantity, state.Quantity}, {"billing_cycle", plan.BillingCycle, state.BillingCycle}} {
		if !a.planned.IsUnknown() && !strings.EqualFold(valueText(a.planned), valueText(a.other)) {
			differences = append(differences, fmt.Sprintf("%s %s, not the planned %s", a.name, valueText(a.other), valueText(a.planned)))
		}
	}
	if len(differences) > 0 {
		op.Diags.AddError("Partner Center upgraded otherwise than planned", fmt.Sprintf("%s: the transition completed, but "+
			"subscription %q, which holds the seats now, has %s. The state follows that subscription; nothing else was sent.",
			what, to, strings.Join(differences, "; ")))
		return nil
	}
	if t.EventStatus(partnercenter.TransitionEventSeatReassignment) == partnercenter.TransitionFailed {
		op.Diags.AddError("Partner Center moved the seats but not the licence assignments", fmt.Sprintf("%s: the conversion "+
			"completed and subscription %q holds the seats now (the state follows it), but the seat reassignment failed (%s): "+
			"the users may have lost their licence assignments. Assign the new licences to the users in the Microsoft 365 "+
			"admin center.", what, to, t.EventsText()))
		return nil
	}
	return state
}

// awaitTransition reads the history until the transition t has completed,
// ever less often, within the update's timeout. A failed transition is an
// error naming it, its events and the request ids.
func awaitTransition(op *shared.Operation, what, customerID, id string, t *partnercenter.Transition) (*partnercenter.Transition, bool) {
	ids := "the transition's answer"
	for wait := firstOrderPoll; ; wait = min(wait*2, maxOrderPoll) {
		switch t.Status() {
		case partnercenter.TransitionCompleted:
			return t, true
		case partnercenter.TransitionFailed:
			op.Diags.AddError("Partner Center could not upgrade the subscription", fmt.Sprintf("%s: the transition of %s seats "+
				"ended failed (%s; read in %s). Nothing was moved: the state keeps the subscription as Partner Center has it. "+
				"Check the subscription in Partner Center, then apply again.", what, movedText(t), t.EventsText(), ids))
			return nil, false
		}
		if err := sleep(op.Ctx, wait); err != nil {
			op.Diags.AddError("Upgrade not completed in time", fmt.Sprintf("%s: the transition of %s seats was still in progress "+
				"(%s) when the update's timeout ran out: %s. The next plan finds it in the history and completes it without "+
				"sending another.", what, movedText(t), t.EventsText(), err))
			return nil, false
		}
		history, err := op.Client.ListTransitions(op.Ctx, customerID, id)
		if err != nil {
			op.FailOnSubscription(what+": reading its transitions", customerID, id, err)
			return nil, false
		}
		ids = fmt.Sprintf("the history read with request id %s, correlation id %s", history.RequestID, history.CorrelationID)
		if next := sameTransition(history.Transitions, id, t); next != nil {
			t = next
		}
	}
}

// movedText is the quantity a transition moves, "?" when it says none.
func movedText(t *partnercenter.Transition) string {
	if t.Quantity == nil {
		return "?"
	}
	return fmt.Sprint(*t.Quantity)
}

// sameTransition finds t in the history: by id when both have one, else
// as the newest out of the subscription to the same product and SKU that
// moves as many seats and did not start before it.
func sameTransition(history []partnercenter.Transition, id string, t *partnercenter.Transition) *partnercenter.Transition {
	var found []*partnercenter.Transition
	for _, h := range ownTransitions(history, id, shared.Deref(t.ToCatalogItemID)) {
		switch {
		case t.ID != nil && h.ID != nil:
			if strings.EqualFold(*h.ID, *t.ID) {
				return h
			}
		case (t.Quantity == nil || (h.Quantity != nil && *h.Quantity == *t.Quantity)) && !h.StartedAt().Before(t.StartedAt()):
			found = append(found, h)
		}
	}
	return newest(found)
}
