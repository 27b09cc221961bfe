package licences

import (
	"cmp"
	"context"
	"fmt"
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

// startedTransition is the latest transition of the history to the
// catalog item's product and SKU that has not failed, nil when none.
func startedTransition(history []partnercenter.Transition, catalogItemID string) *partnercenter.Transition {
	for i := len(history) - 1; i >= 0; i-- {
		t := &history[i]
		if sameCatalogItem(shared.Deref(t.ToCatalogItemID), catalogItemID) && t.Status() != partnercenter.TransitionFailed {
			return t
		}
	}
	return nil
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
			eligible[strings.ToLower(shared.Deref(d.TransitionType))] = (d.IsEligible != nil && *d.IsEligible)
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
			if d.IsEligible != nil && *d.IsEligible {
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
// subscription's transition history and, when no upgrade there was
// started, its immediate eligibilities. It only reads. A source no longer
// active is refused only after the history: a completed upgrade ends it.
func (r *customerSubscriptionResource) planUpgrade(ctx context.Context, plan, state *subscriptionResourceModel, resp *resource.ModifyPlanResponse) {
	customerID, id, target := state.CustomerID.ValueString(), state.ID.ValueString(), plan.CatalogItemID.ValueString()
	at := path.Root("catalog_item_id")
	if changed := changedArguments(plan, state); slices.Contains(changed, "quantity") || slices.Contains(changed, "billing_cycle") {
		resp.Diagnostics.AddAttributeError(at, "Upgrade combined with another change", fmt.Sprintf("This plan upgrades "+
			"subscription %q of customer %q to %q and changes its quantity or billing_cycle too. Partner Center moves the seats "+
			"the subscription has, on its billing cycle: apply the upgrade first, then the other change. Keep quantity and "+
			"billing_cycle as the state has them for now; nothing was sent.", id, customerID, target))
		return
	}
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
	if state.Status.ValueString() == statusNotFound {
		// No history to read: Partner Center no longer knows the subscription.
		resp.Diagnostics.AddError(refusedStatusError(customerID, id, statusNotFound, []string{"catalog_item_id"}, plan, state))
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
	history, err := r.Data.Client.ListTransitions(ctx, customerID, id)
	if err != nil {
		resp.Diagnostics.AddError(shared.SubscriptionErrorDiagnostic(ctx, shared.OperationRead, fmt.Sprintf("Reading the transitions "+
			"of subscription %q of customer %q", id, customerID), customerID, id, err, timeout))
		return
	}
	diags := planUpgradeValues(ctx, plan)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	if t := startedTransition(history.Transitions, target); t != nil {
		resp.Diagnostics.AddAttributeWarning(at, "Completing an upgrade already started", fmt.Sprintf("Partner Center's history "+
			"of subscription %q of customer %q shows a transition to %q already sent (%s), by an earlier apply that did not "+
			"finish. Applying sends no new transition: it waits for that one to complete and records the subscription it "+
			"leads to.", id, customerID, shared.Deref(t.ToCatalogItemID), t.EventsText()))
		resp.Diagnostics.Append(shared.SetPlanModel(ctx, &resp.Plan, plan)...)
		return
	}
	if isRefusedStatus(state.Status.ValueString()) {
		resp.Diagnostics.AddError(refusedStatusError(customerID, id, state.Status.ValueString(), []string{"catalog_item_id"}, plan, state))
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
	resp.Diagnostics.AddAttributeWarning(at, "Applying this plan upgrades the subscription", upgradeWarning(plan, state, eligibility, kind))
	resp.Diagnostics.Append(shared.SetPlanModel(ctx, &resp.Plan, plan)...)
}

// planUpgradeValues makes unknown what the upgraded subscription will
// say: every computed value, the id too (Partner Center may name another
// subscription).
func planUpgradeValues(ctx context.Context, plan *subscriptionResourceModel) diag.Diagnostics {
	diags := shared.SetUnknown(ctx, &plan.subscriptionComputedModel)
	plan.ID, plan.Status, plan.ScheduledRenewalChanges = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
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

// upgradeSubscription makes the planned upgrade at apply: it completes a
// transition the history shows started, or sends one (once) and waits for
// it, then reads the subscription holding the seats. It returns that
// subscription's state, which *truth records too, or nil after an error.
func upgradeSubscription(op *shared.Operation, plan, prior *subscriptionResourceModel, truth **subscriptionResourceModel) *subscriptionResourceModel {
	customerID, id, target := prior.CustomerID.ValueString(), prior.ID.ValueString(), plan.CatalogItemID.ValueString()
	what := fmt.Sprintf("Upgrading subscription %q of customer %q to %q", id, customerID, target)
	history, err := op.Client.ListTransitions(op.Ctx, customerID, id)
	if err != nil {
		op.FailOnSubscription(what+": reading its transitions", customerID, id, err)
		return nil
	}
	t := startedTransition(history.Transitions, target)
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
	*truth = state
	if offer := shared.Deref(rec.Subscription.OfferID); !sameCatalogItem(offer, target) {
		op.Diags.AddError("Partner Center upgraded otherwise than planned", fmt.Sprintf("%s: the transition completed, but "+
			"subscription %q, which holds the seats now, has offer %q, not the planned product and SKU of %q. The state "+
			"follows that subscription.", what, to, offer, target))
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
			op.Diags.AddError("Partner Center could not upgrade the subscription", fmt.Sprintf("%s: transition %q ended failed "+
				"(%s; read in %s). Nothing was moved: the state keeps the subscription as Partner Center has it. Check the "+
				"subscription in Partner Center, then apply again.", what, shared.Deref(t.ID), t.EventsText(), ids))
			return nil, false
		}
		if err := sleep(op.Ctx, wait); err != nil {
			op.Diags.AddError("Upgrade not completed in time", fmt.Sprintf("%s: transition %q was still in progress (%s) when the "+
				"update's timeout ran out: %s. The next plan finds it in the history and completes it without sending another.",
				what, shared.Deref(t.ID), t.EventsText(), err))
			return nil, false
		}
		history, err := op.Client.ListTransitions(op.Ctx, customerID, id)
		if err != nil {
			op.FailOnSubscription(what+": reading its transitions", customerID, id, err)
			return nil, false
		}
		ids = fmt.Sprintf("the history read with request id %s, correlation id %s", history.RequestID, history.CorrelationID)
		if next := sameTransition(history.Transitions, t); next != nil {
			t = next
		}
	}
}

// sameTransition finds t in the history: by id, or else as the latest to
// its catalog item's product and SKU.
func sameTransition(history []partnercenter.Transition, t *partnercenter.Transition) *partnercenter.Transition {
	for i := range history {
		if t.ID != nil && strings.EqualFold(shared.Deref(history[i].ID), *t.ID) {
			return &history[i]
		}
	}
	for i := len(history) - 1; i >= 0; i-- {
		if t.ID == nil && sameCatalogItem(shared.Deref(history[i].ToCatalogItemID), shared.Deref(t.ToCatalogItemID)) {
			return &history[i]
		}
	}
	return nil
}
