package licences

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// ModifyPlan is where a plan that would buy, or could not be applied, says
// so before anything is sent: a purchase is announced as a warning; a
// change that would mean a new purchase, a seat decrease past its window,
// a billing cycle the term does not allow and a change to a subscription
// no longer active fail the plan; changes that cost money or drop what is
// scheduled for the renewal are warned of; a pending purchase is planned to
// be completed.
func (r *customerSubscriptionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: on_destroy decides, at apply
	}
	var plan subscriptionResourceModel
	if shared.GetModel(ctx, req.Plan.Get, &plan, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		resp.Diagnostics.AddWarning(purchaseWarning(&plan))
		refuseRenewalAtPurchase(&plan, &resp.Diagnostics)
		r.refuseEarlierPurchases(ctx, &plan, &resp.Diagnostics)
		r.refuseCustomTermEndDate(ctx, &plan, &resp.Diagnostics)
		return
	}
	var state subscriptionResourceModel
	if shared.GetModel(ctx, req.State.Get, &state, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	customerID, id, status := state.CustomerID.ValueString(), state.ID.ValueString(), state.Status.ValueString()
	for _, a := range []struct {
		name           string
		planned, prior *types.String
	}{
		{"customer_id", &plan.CustomerID, &state.CustomerID},
		{"term_duration", &plan.TermDuration, &state.TermDuration},
		{"billing_cycle", &plan.BillingCycle, &state.BillingCycle},
		{"catalog_item_id", &plan.CatalogItemID, &state.CatalogItemID},
	} {
		planned, prior := *a.planned, *a.prior
		if planned.IsUnknown() || prior.IsNull() || planned.Equal(prior) {
			continue
		}
		if same := strings.EqualFold(planned.ValueString(), prior.ValueString()) ||
			(a.name == "catalog_item_id" && sameCatalogItem(planned.ValueString(), prior.ValueString())); same {
			*a.planned = prior // the same purchase, written otherwise: keep the state's form
			continue
		}
		if a.name == "billing_cycle" || (a.name == "catalog_item_id" && id != "") {
			continue // changed in place (an upgrade, for a catalog item), checked below
		}
		summary, detail := newPurchaseError(customerID, id, a.name, prior.ValueString(), planned.ValueString())
		resp.Diagnostics.AddAttributeError(path.Root(a.name), summary, detail)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if id != "" {
		warnCustomTermEndDateChange(&plan, &state, &resp.Diagnostics)
	}
	if id != "" && isUpgrade(&plan, &state) {
		r.planUpgrade(ctx, &plan, &state, resp)
		return
	}
	var keptFromService []string
	if id != "" && isRefusedStatus(status) {
		var config subscriptionResourceModel
		if shared.GetModel(ctx, req.Config.Get, &config, &resp.Diagnostics); resp.Diagnostics.HasError() {
			return
		}
		keptFromService = keepServiceValues(&config, &plan, &state)
	}
	changed := changedArguments(&plan, &state)
	if id != "" && isRefusedStatus(status) {
		if len(changed) > 0 {
			resp.Diagnostics.AddError(refusedStatusError(customerID, id, status, changed, &plan, &state))
			return
		}
		resp.Diagnostics.AddWarning(refusedStatusWarning(customerID, id, status, keptFromService, &state))
	}
	if id != "" && len(changed) == 0 {
		// Nothing Partner Center holds changes (at most on_destroy,
		// timeouts or what only the purchase uses): the computed values
		// stay as read, with no request.
		kept := state
		kept.OnDestroy, kept.Timeouts, kept.AdditionalTo = plan.OnDestroy, plan.Timeouts, plan.AdditionalTo
		kept.CustomTermEndDate = plan.CustomTermEndDate
		resp.Diagnostics.Append(shared.SetPlanModel(ctx, &resp.Plan, &kept)...)
		return
	}
	if id == "" {
		resp.Diagnostics.Append(planCompletion(ctx, &plan, &state)...)
		resp.Diagnostics.AddWarning("Completing a pending purchase", fmt.Sprintf("The purchase for customer %q from cart %q "+
			"has not named its subscription yet. Applying completes it: %s. Nothing is bought a second time.", customerID,
			state.CartID.ValueString(), completionStep(&state)))
		resp.Diagnostics.Append(shared.SetPlanModel(ctx, &resp.Plan, &plan)...)
		return
	}
	if decrease := quantityOf(state.Quantity) - quantityOf(plan.Quantity); !plan.Quantity.IsUnknown() && decrease > 0 {
		summary, detail, refused, diags := seatDecreaseRefusal(ctx, customerID, id, decrease, state.RefundableQuantity, time.Now())
		resp.Diagnostics.Append(diags...)
		if refused {
			resp.Diagnostics.AddAttributeError(path.Root("quantity"), summary, detail+renewalWayOut(&plan, &state))
			return
		}
	}
	if slices.Contains(changed, "billing_cycle") && !plan.BillingCycle.IsUnknown() {
		if detail := billingCycleRefusal(customerID, id, state.TermDuration.ValueString(), state.BillingCycle.ValueString(),
			plan.BillingCycle.ValueString()); detail != "" {
			resp.Diagnostics.AddAttributeError(path.Root("billing_cycle"), "Billing cycle cannot change", detail)
			return
		}
		resp.Diagnostics.AddAttributeWarning(path.Root("billing_cycle"), "Applying this plan changes how the subscription is invoiced",
			billingCycleWarning(customerID, id, state.BillingCycle.ValueString(), plan.BillingCycle.ValueString(), &state))
	}
	if increase := -quantityOf(state.Quantity) + quantityOf(plan.Quantity); !plan.Quantity.IsUnknown() && increase > 0 {
		resp.Diagnostics.AddWarning("Applying this plan buys seats", fmt.Sprintf("Subscription %q of customer %q grows from %s to %s "+
			"licences: Partner Center bills the %d added at once, prorated to the end of the term. They may be removed again "+
			"within 7 days only.", id, customerID, numberText(state.Quantity), numberText(plan.Quantity), increase))
	}
	if slices.Contains(changed, "auto_renew") && !plan.AutoRenew.IsUnknown() && !state.AutoRenew.IsNull() {
		summary, detail := autoRenewWarning(customerID, id, &plan, &state)
		resp.Diagnostics.AddAttributeWarning(path.Root("auto_renew"), summary, detail)
	}
	if summary, detail, warn := rescheduledRenewalWarning(customerID, id, changed, &plan); warn {
		resp.Diagnostics.AddWarning(summary, detail)
	} else if summary, detail, warn := scheduledRenewalWarning(customerID, id, changed, &plan, &state); warn {
		resp.Diagnostics.AddWarning(summary, detail)
	}
	if r.refuseIneligibleRenewal(ctx, &plan, &state, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(shared.SetPlanModel(ctx, &resp.Plan, &plan)...)
}

// keepServiceValues plans, for a subscription no longer active, the
// state's value of each argument the configuration leaves out: a
// difference there is Partner Center's own doing (cancelling turns
// auto-renew off), not a change the configuration asks for, and the
// service would refuse it anyway. It returns the arguments so kept.
func keepServiceValues(config, plan, state *subscriptionResourceModel) []string {
	var kept []string
	if config.AutoRenew.IsNull() && !state.AutoRenew.IsNull() && !plan.AutoRenew.Equal(state.AutoRenew) {
		plan.AutoRenew = state.AutoRenew
		kept = append(kept, "auto_renew")
	}
	if config.FriendlyName.IsNull() && !state.FriendlyName.IsNull() && !plan.FriendlyName.Equal(state.FriendlyName) {
		plan.FriendlyName = state.FriendlyName
		kept = append(kept, "friendly_name")
	}
	return kept
}

// changedArguments are the arguments Partner Center holds whose planned
// value differs from the state, or is not known yet, in the order Update
// changes them.
func changedArguments(plan, state *subscriptionResourceModel) []string {
	var changed []string
	for _, a := range []argument{
		{"billing_cycle", plan.BillingCycle, state.BillingCycle},
		{"quantity", plan.Quantity, state.Quantity},
		{"auto_renew", plan.AutoRenew, state.AutoRenew},
		{"friendly_name", plan.FriendlyName, state.FriendlyName},
	} {
		if a.planned.IsUnknown() || (!a.planned.IsNull() && !a.planned.Equal(a.other)) {
			changed = append(changed, a.name)
		}
	}
	if renewalChanged(plan, state) {
		changed = append(changed, "renewal")
	}
	return changed
}

// billingCyclesOfTerm are the billing cycles a term may change to mid-term
// ("Manage term duration and billing frequency"): a monthly term bills
// monthly; a triennial term's billing frequency has not changed mid-term
// since April 2025.
var billingCyclesOfTerm = map[string][]string{"P1M": {"monthly"}, "P1Y": {"monthly", "annual"}}

// billingCycleRefusal explains a billing cycle change Partner Center would
// refuse, "" for one it allows.
func billingCycleRefusal(customerID, id, term, prior, planned string) string {
	allowed, known := billingCyclesOfTerm[strings.ToUpper(term)]
	if !known && !strings.EqualFold(term, "P3Y") {
		return "" // a term the provider does not know of: the service decides
	}
	if slices.Contains(allowed, strings.ToLower(planned)) {
		return ""
	}
	why := fmt.Sprintf("a %s term is billed %s only", term, strings.Join(allowed, " or "))
	if strings.EqualFold(term, "P3Y") {
		why = "Partner Center no longer changes the billing frequency of a triennial (P3Y) term mid-term"
	}
	return fmt.Sprintf("Subscription %q of customer %q cannot change its billing cycle from %q to %q: %s. Keep billing_cycle = %q; "+
		"nothing was sent.", id, customerID, prior, planned, why, prior)
}

// billingCycleWarning says what a billing cycle change does to the
// partner's invoices, and when ("Manage term duration and billing
// frequency": billing cycle changes take effect at the next billing cycle).
func billingCycleWarning(customerID, id, prior, planned string, state *subscriptionResourceModel) string {
	invoiced := map[string]string{"monthly": "every month", "annual": "once a year, for the whole year ahead",
		"triennial": "once, for the whole three-year term"}
	how := func(cycle string) string {
		if text, known := invoiced[strings.ToLower(cycle)]; known {
			return text
		}
		return fmt.Sprintf("as %q says", cycle)
	}
	end := state.CommitmentEndDate.ValueString()
	if end == "" {
		end = "(unknown)"
	}
	return fmt.Sprintf("Subscription %q of customer %q changes its billing cycle from %q to %q: Partner Center invoices its "+
		"licences %s instead of %s. The change takes effect at the subscription's next billing cycle, not on the invoice "+
		"already issued; the term and its end (commitment_end_date %s) stay. The price of the %s billing plan may differ "+
		"from the %s one: check it in the price list (partnercenter_product_availabilities).", id, customerID, prior, planned,
		how(planned), how(prior), end, strings.ToLower(planned), strings.ToLower(prior))
}

// autoRenewWarning says what turning auto-renew on or off costs.
func autoRenewWarning(customerID, id string, plan, state *subscriptionResourceModel) (summary, detail string) {
	on := plan.AutoRenew.ValueBool()
	end := state.CommitmentEndDate.ValueString()
	if end == "" {
		end = "(unknown)"
	}
	if on {
		return "Applying this plan turns auto-renew on", fmt.Sprintf("Subscription %q of customer %q is set to renew by itself: "+
			"at the end of its term (commitment_end_date %s) Partner Center renews it for another %s term at the price then "+
			"current, and bills the partner for it; the renewal may be cancelled or reduced for a refund only within 7 days of it. "+
			"If this comes from an import whose configuration leaves auto_renew out (it defaults to true), set auto_renew = false "+
			"to keep the subscription as it is.", id, customerID, end, state.TermDuration.ValueString())
	}
	return "Applying this plan turns auto-renew off", fmt.Sprintf("Subscription %q of customer %q is set not to renew: this does "+
		"not end it at the end of its term (commitment_end_date %s). Partner Center then moves it to a month-to-month extended "+
		"service term billed at a higher price, until it is cancelled.", id, customerID, end)
}

// scheduledRenewalWarning warns, when the subscription has changes
// scheduled for its renewal, that Partner Center deletes them on the
// mid-term changes planned (seats, billing cycle), and drops them when
// auto-renew goes off: "Schedule changes for a new commerce subscription"
// requires auto-renew on.
func scheduledRenewalWarning(customerID, id string, changed []string, plan, state *subscriptionResourceModel) (summary, detail string, warn bool) {
	scheduled := state.ScheduledRenewalChanges.ValueString()
	if scheduled == "" {
		return "", "", false
	}
	var midTerm, causes []string
	for _, name := range changed {
		if name == "quantity" || name == "billing_cycle" {
			midTerm = append(midTerm, name)
		}
	}
	if len(midTerm) > 0 {
		causes = append(causes, fmt.Sprintf("deletes them when %s changes mid-term", strings.Join(midTerm, " or ")))
	}
	turnsAutoRenewOff := slices.Contains(changed, "auto_renew") && valueText(plan.AutoRenew) == "false"
	if turnsAutoRenewOff {
		causes = append(causes, "keeps them only while auto-renew is on, so turning auto_renew off drops them")
	}
	if len(causes) == 0 {
		return "", "", false
	}
	keep := midTerm
	if turnsAutoRenewOff {
		keep = append(keep, "auto_renew")
	}
	return "Applying this plan deletes the changes scheduled for renewal", fmt.Sprintf("Subscription %q of customer %q "+
		"has changes scheduled for its renewal (scheduled_renewal_changes: %s). Partner Center %s, as this plan does. "+
		"Schedule them again in Partner Center after applying, or keep %s as it is.",
		id, customerID, scheduled, strings.Join(causes, ", and "), strings.Join(keep, " and ")), true
}

// scheduledRenewalChangesValue is scheduled_renewal_changes: the JSON of
// scheduledNextTermInstructions, null when they schedule nothing
// (partnercenter.NoInstructions).
func scheduledRenewalChangesValue(instructions json.RawMessage) types.String {
	if partnercenter.NoInstructions(instructions) {
		return types.StringNull()
	}
	return types.StringValue(strings.TrimSpace(string(instructions)))
}

// purchaseWarning announces what applying the plan buys. Values known only
// at apply (a catalog item read by a data source not yet read) say so.
func purchaseWarning(plan *subscriptionResourceModel) (summary, detail string) {
	show := func(v attr.Value) string {
		if v.IsUnknown() {
			return "(known at apply)"
		}
		if n, ok := v.(types.Number); ok {
			return numberText(n)
		}
		return fmt.Sprintf("%q", stringOf(v))
	}
	return "Applying this plan buys a subscription", fmt.Sprintf("partnercenter_customer_subscription buys, for customer %s: "+
		"catalog item %s, quantity %s, term %s, billing cycle %s. Partner Center bills the partner from the purchase. "+
		"It can be cancelled, or its seats reduced, for a refund only within 7 days (168 hours); after that it bills for the "+
		"whole term, and at the term's end it renews (auto_renew on) or moves to a month-to-month extended service term "+
		"billed at a higher price (auto_renew off) until it is cancelled.", show(plan.CustomerID), show(plan.CatalogItemID),
		show(plan.Quantity), show(plan.TermDuration), show(plan.BillingCycle))
}

// refusedStatusWhat says what Partner Center reports of a subscription no
// longer active.
func refusedStatusWhat(customerID, id, status string) string {
	if status == statusNotFound {
		return fmt.Sprintf("Partner Center no longer knows subscription %q of customer %q (it answers 404 Not Found: the "+
			"subscription, or the customer, is gone)", id, customerID)
	}
	return fmt.Sprintf("Partner Center reports subscription %q of customer %q as %q", id, customerID, status)
}

// letGoAdvice says how to stop managing a subscription the resource can no
// longer change.
const letGoAdvice = "To stop managing it, replace its resource block with a `removed` block whose lifecycle sets " +
	"destroy = false (or run `terraform state rm <address>`); to manage another subscription of the customer, `import` it."

// refusedStatusError explains why the plan cannot change a subscription no
// longer active: cancelled, suspended or gone, outside Terraform.
func refusedStatusError(customerID, id, status string, changed []string, plan, state *subscriptionResourceModel) (summary, detail string) {
	autoRenewOff := ""
	if slices.Contains(changed, "auto_renew") && valueText(plan.AutoRenew) == "true" && valueText(state.AutoRenew) == "false" {
		autoRenewOff = " Partner Center turned auto-renew off itself if it cancelled the subscription: remove auto_renew = true " +
			"from the configuration (the plan then keeps Partner Center's value) or set auto_renew = false."
	}
	droppedRenewal := ""
	if slices.Contains(changed, "renewal") && state.Renewal.IsNull() && !plan.Renewal.IsNull() {
		droppedRenewal = " Partner Center drops the changes scheduled for the renewal of a subscription it cancels (its " +
			"auto-renew goes off) and schedules none for one no longer active: remove renewal from the configuration."
	}
	return "Subscription no longer active", refusedStatusWhat(customerID, id, status) + ", so it was cancelled, suspended or " +
		"removed outside Terraform. This plan would change " + strings.Join(changed, ", ") + ", which Partner Center does not " +
		"allow for it, and would not buy it again either: keep those arguments as the state has them." + autoRenewOff + droppedRenewal + " " +
		letGoAdvice + " To buy anew, remove it from the state and apply."
}

// refusedStatusWarning tells of a subscription no longer active that the
// plan leaves as it is.
func refusedStatusWarning(customerID, id, status string, kept []string, state *subscriptionResourceModel) (summary, detail string) {
	keptText := ""
	for _, name := range kept {
		var value attr.Value = state.FriendlyName
		if name == "auto_renew" {
			value = state.AutoRenew
		}
		keptText += fmt.Sprintf(" %s, which the configuration leaves out, is planned as Partner Center has it (%s)", name, valueText(value))
		if name == "auto_renew" {
			keptText += ": cancelling a subscription turns its auto-renew off"
		}
		keptText += "."
	}
	return "Subscription no longer active", refusedStatusWhat(customerID, id, status) + ": it was cancelled, suspended or " +
		"removed outside Terraform. The state keeps it with that status and this plan changes nothing of it; a change to " +
		"its arguments would fail the plan." + keptText + " " + letGoAdvice
}

// newPurchaseError explains a change that only a new purchase could make.
func newPurchaseError(customerID, id, attribute, prior, planned string) (summary, detail string) {
	return "Change would mean a new purchase", fmt.Sprintf("Changing %s of subscription %q of customer %q from %q to %q "+
		"would mean buying a new subscription, which this resource never does by replacement. Restore %s in the "+
		"configuration. A new subscription beside this one is a second purchase, billed in addition to this one until "+
		"this one is cancelled (on_destroy = \"cancel\", within cancellation_allowed_until_date).", attribute, id, customerID,
		prior, planned, attribute)
}

// seatDecreaseRefusal reports a decrease beyond the seats refundable at now,
// naming the deadlines that passed. Without refundable_quantity the service
// decides.
func seatDecreaseRefusal(ctx context.Context, customerID, id string, decrease int64, refundable types.Object, now time.Time) (summary, detail string,
	refused bool, diags diag.Diagnostics) {
	if refundable.IsNull() || refundable.IsUnknown() {
		return "", "", false, nil
	}
	var q refundableQuantityModel
	if diags = refundable.As(ctx, &q, basetypes.ObjectAsOptions{}); diags.HasError() || q.Details.IsNull() || q.Details.IsUnknown() {
		return "", "", false, diags
	}
	var batches []refundableBatchModel
	if diags = q.Details.ElementsAs(ctx, &batches, false); diags.HasError() {
		return "", "", false, diags
	}
	var allowed int64
	var passed []string
	for _, batch := range batches {
		until := batch.AllowedUntilDateTime.ValueString()
		if deadline, ok := parseServiceTime(until); ok && now.Before(deadline) {
			allowed += quantityOf(batch.Quantity)
		} else {
			passed = append(passed, fmt.Sprintf("%s seats until %s", numberText(batch.Quantity), until))
		}
	}
	if decrease <= allowed {
		return "", "", false, nil
	}
	var why string
	switch {
	case len(passed) > 0:
		why = "; the window of " + strings.Join(passed, ", of ") + " has passed"
	case allowed > 0:
		why = "; the other seats are in no batch listed as removable (bought more than 7 days ago)"
	default:
		why = "; no batch of seats is listed as removable"
	}
	keep := "Keep the quantity"
	if allowed > 0 {
		keep += fmt.Sprintf(", or remove at most %d", allowed)
	}
	return "Seats can no longer be removed", fmt.Sprintf("Removing %d seats from subscription %q of customer %q is not "+
		"possible now: Partner Center allows a decrease only for seats bought in the last 7 days (168 hours), batch by batch, "+
		"and refundable_quantity allows %d now%s. %s; nothing was sent.", decrease, id, customerID, allowed, why, keep), true, nil
}

// planCompletion plans the completion of a pending purchase: every value
// the service will give is unknown until then, but the cart and an order
// already known.
func planCompletion(ctx context.Context, plan, state *subscriptionResourceModel) diag.Diagnostics {
	cartID, orderID := plan.CartID, plan.OrderID
	diags := shared.SetUnknown(ctx, &plan.subscriptionComputedModel)
	plan.ID, plan.Status, plan.ScheduledRenewalChanges = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	plan.RefundableQuantity = types.ObjectUnknown(refundableQuantityTypes)
	plan.CartID = cartID
	if !state.OrderID.IsNull() {
		plan.OrderID = orderID
	}
	if plan.FriendlyName.IsNull() {
		plan.FriendlyName = types.StringUnknown()
	}
	return diags
}

func completionStep(state *subscriptionResourceModel) string {
	if orderID := state.OrderID.ValueString(); orderID != "" {
		return fmt.Sprintf("it reads order %q until it names the subscription", orderID)
	}
	return "it checks the same cart out again, which Partner Center answers with the first checkout's result, and waits for the order"
}
