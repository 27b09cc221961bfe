package licences

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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
	plan := map[string]tftypes.Value{}
	if err := req.Plan.Raw.As(&plan); err != nil {
		resp.Diagnostics.AddError("Internal provider error", "Reading the plan: "+err.Error())
		return
	}
	if req.State.Raw.IsNull() {
		resp.Diagnostics.AddWarning(purchaseWarning(plan))
		r.refuseEarlierPurchases(ctx, plan, &resp.Diagnostics)
		return
	}
	state := map[string]tftypes.Value{}
	if err := req.State.Raw.As(&state); err != nil {
		resp.Diagnostics.AddError("Internal provider error", "Reading the state: "+err.Error())
		return
	}
	objectType, ok := req.Plan.Raw.Type().(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Internal provider error", "The plan is not an object.")
		return
	}
	customerID, id, status := shared.StringOf(state["customer_id"]), shared.StringOf(state["id"]), shared.StringOf(state["status"])
	for _, name := range []string{"customer_id", "term_duration", "billing_cycle", "catalog_item_id"} {
		planned, prior := plan[name], state[name]
		if !planned.IsKnown() || prior.IsNull() || planned.Equal(prior) {
			continue
		}
		if same := strings.EqualFold(shared.StringOf(planned), shared.StringOf(prior)) ||
			(name == "catalog_item_id" && sameCatalogItem(shared.StringOf(planned), shared.StringOf(prior))); same {
			plan[name] = prior // the same purchase, written otherwise: keep the state's form
			continue
		}
		if name == "billing_cycle" {
			continue // changed in place, checked below
		}
		summary, detail := newPurchaseError(customerID, id, name, shared.StringOf(prior), shared.StringOf(planned))
		resp.Diagnostics.AddAttributeError(path.Root(name), summary, detail)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	var keptFromService []string
	if id != "" && isRefusedStatus(status) {
		config := map[string]tftypes.Value{}
		if err := req.Config.Raw.As(&config); err != nil {
			resp.Diagnostics.AddError("Internal provider error", "Reading the configuration: "+err.Error())
			return
		}
		keptFromService = keepServiceValues(config, plan, state)
	}
	changed := changedArguments(plan, state)
	if id != "" && isRefusedStatus(status) {
		if len(changed) > 0 {
			resp.Diagnostics.AddError(refusedStatusError(customerID, id, status, changed, plan, state))
			return
		}
		resp.Diagnostics.AddWarning(refusedStatusWarning(customerID, id, status, keptFromService, state))
	}
	if id != "" && len(changed) == 0 {
		// Nothing Partner Center holds changes (at most on_destroy or
		// timeouts): the computed values stay as read, with no request.
		resp.Plan.Raw = tftypes.NewValue(objectType, keptState(plan, state))
		return
	}
	if id == "" {
		planCompletion(plan, state)
		resp.Diagnostics.AddWarning("Completing a pending purchase", fmt.Sprintf("The purchase for customer %q from cart %q "+
			"has not named its subscription yet. Applying completes it: %s. Nothing is bought a second time.", customerID,
			shared.StringOf(state["cart_id"]), completionStep(state)))
		resp.Plan.Raw = tftypes.NewValue(objectType, plan)
		return
	}
	if decrease := shared.QuantityValue(state["quantity"]) - shared.QuantityValue(plan["quantity"]); plan["quantity"].IsKnown() && decrease > 0 {
		if summary, detail, refused := seatDecreaseRefusal(customerID, id, decrease, state["refundable_quantity"], time.Now()); refused {
			resp.Diagnostics.AddAttributeError(path.Root("quantity"), summary, detail)
			return
		}
	}
	if slices.Contains(changed, "billing_cycle") && plan["billing_cycle"].IsKnown() {
		if detail := billingCycleRefusal(customerID, id, shared.StringOf(state["term_duration"]), shared.StringOf(state["billing_cycle"]),
			shared.StringOf(plan["billing_cycle"])); detail != "" {
			resp.Diagnostics.AddAttributeError(path.Root("billing_cycle"), "Billing cycle cannot change", detail)
			return
		}
		resp.Diagnostics.AddAttributeWarning(path.Root("billing_cycle"), "Applying this plan changes how the subscription is invoiced",
			billingCycleWarning(customerID, id, shared.StringOf(state["billing_cycle"]), shared.StringOf(plan["billing_cycle"]), state))
	}
	if increase := -shared.QuantityValue(state["quantity"]) + shared.QuantityValue(plan["quantity"]); plan["quantity"].IsKnown() && increase > 0 {
		resp.Diagnostics.AddWarning("Applying this plan buys seats", fmt.Sprintf("Subscription %q of customer %q grows from %s to %s "+
			"licences: Partner Center bills the %d added at once, prorated to the end of the term. They may be removed again "+
			"within 7 days only.", id, customerID, numberText(state["quantity"]), numberText(plan["quantity"]), increase))
	}
	if slices.Contains(changed, "auto_renew") && plan["auto_renew"].IsKnown() && !state["auto_renew"].IsNull() {
		summary, detail := autoRenewWarning(customerID, id, plan, state)
		resp.Diagnostics.AddAttributeWarning(path.Root("auto_renew"), summary, detail)
	}
	if summary, detail, warn := scheduledRenewalWarning(customerID, id, changed, plan, state); warn {
		resp.Diagnostics.AddWarning(summary, detail)
	}
	resp.Plan.Raw = tftypes.NewValue(objectType, plan)
}

// keepServiceValues plans, for a subscription no longer active, the
// state's value of each argument the configuration leaves out: a
// difference there is Partner Center's own doing (cancelling turns
// auto-renew off), not a change the configuration asks for, and the
// service would refuse it anyway. It returns the arguments so kept.
func keepServiceValues(config, plan, state map[string]tftypes.Value) []string {
	var kept []string
	for _, name := range []string{"auto_renew", "friendly_name"} {
		if config[name].IsNull() && !state[name].IsNull() && !plan[name].Equal(state[name]) {
			plan[name] = state[name]
			kept = append(kept, name)
		}
	}
	return kept
}

// changedArguments are the arguments Partner Center holds whose planned
// value differs from the state, or is not known yet, in the order Update
// changes them.
func changedArguments(plan, state map[string]tftypes.Value) []string {
	var changed []string
	for _, name := range []string{"billing_cycle", "quantity", "auto_renew", "friendly_name"} {
		if planned := plan[name]; !planned.IsKnown() || (!planned.IsNull() && !planned.Equal(state[name])) {
			changed = append(changed, name)
		}
	}
	return changed
}

// keptState is the state planned unchanged but for the arguments that
// only Terraform holds: on_destroy, timeouts and additional_to.
func keptState(plan, state map[string]tftypes.Value) map[string]tftypes.Value {
	kept := maps.Clone(state)
	kept["on_destroy"], kept["timeouts"], kept["additional_to"] = plan["on_destroy"], plan["timeouts"], plan["additional_to"]
	return kept
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
func billingCycleWarning(customerID, id, prior, planned string, state map[string]tftypes.Value) string {
	invoiced := map[string]string{"monthly": "every month", "annual": "once a year, for the whole year ahead",
		"triennial": "once, for the whole three-year term"}
	how := func(cycle string) string {
		if text, known := invoiced[strings.ToLower(cycle)]; known {
			return text
		}
		return fmt.Sprintf("as %q says", cycle)
	}
	end := shared.StringOf(state["commitment_end_date"])
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
func autoRenewWarning(customerID, id string, plan, state map[string]tftypes.Value) (summary, detail string) {
	var on bool
	_ = plan["auto_renew"].As(&on)
	end := shared.StringOf(state["commitment_end_date"])
	if end == "" {
		end = "(unknown)"
	}
	if on {
		return "Applying this plan turns auto-renew on", fmt.Sprintf("Subscription %q of customer %q is set to renew by itself: "+
			"at the end of its term (commitment_end_date %s) Partner Center renews it for another %s term at the price then "+
			"current, and bills the partner for it; the renewal may be cancelled or reduced for a refund only within 7 days of it. "+
			"If this comes from an import whose configuration leaves auto_renew out (it defaults to true), set auto_renew = false "+
			"to keep the subscription as it is.", id, customerID, end, shared.StringOf(state["term_duration"]))
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
func scheduledRenewalWarning(customerID, id string, changed []string, plan, state map[string]tftypes.Value) (summary, detail string, warn bool) {
	scheduled := shared.StringOf(state["scheduled_renewal_changes"])
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
	turnsAutoRenewOff := slices.Contains(changed, "auto_renew") && valueText(plan["auto_renew"]) == "false"
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
// scheduledNextTermInstructions, null when there are none, as when it
// holds nothing but null, "", [] or {} (`{"product": null}`).
func scheduledRenewalChangesValue(instructions json.RawMessage) tftypes.Value {
	text := strings.TrimSpace(string(instructions))
	var decoded any
	if text == "" || (json.Unmarshal([]byte(text), &decoded) == nil && holdsNothing(decoded)) {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, text)
}

// holdsNothing reports a decoded JSON value without any value in it: null,
// "", and arrays and objects holding only such.
func holdsNothing(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return !slices.ContainsFunc(v, func(e any) bool { return !holdsNothing(e) })
	case map[string]any:
		for _, member := range v {
			if !holdsNothing(member) {
				return false
			}
		}
		return true
	}
	return false
}

// purchaseWarning announces what applying the plan buys. Values known only
// at apply (a catalog item read by a data source not yet read) say so.
func purchaseWarning(plan map[string]tftypes.Value) (summary, detail string) {
	show := func(name string) string {
		v := plan[name]
		switch {
		case !v.IsKnown():
			return "(known at apply)"
		case name == "quantity":
			return numberText(v)
		}
		return fmt.Sprintf("%q", shared.StringOf(v))
	}
	return "Applying this plan buys a subscription", fmt.Sprintf("partnercenter_customer_subscription buys, for customer %s: "+
		"catalog item %s, quantity %s, term %s, billing cycle %s. Partner Center bills the partner from the purchase. "+
		"It can be cancelled, or its seats reduced, for a refund only within 7 days (168 hours); after that it bills for the "+
		"whole term, and at the term's end it renews (auto_renew on) or moves to a month-to-month extended service term "+
		"billed at a higher price (auto_renew off) until it is cancelled.", show("customer_id"), show("catalog_item_id"), show("quantity"), show("term_duration"), show("billing_cycle"))
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
func refusedStatusError(customerID, id, status string, changed []string, plan, state map[string]tftypes.Value) (summary, detail string) {
	autoRenewOff := ""
	if slices.Contains(changed, "auto_renew") && valueText(plan["auto_renew"]) == "true" && valueText(state["auto_renew"]) == "false" {
		autoRenewOff = " Partner Center turned auto-renew off itself if it cancelled the subscription: remove auto_renew = true " +
			"from the configuration (the plan then keeps Partner Center's value) or set auto_renew = false."
	}
	return "Subscription no longer active", refusedStatusWhat(customerID, id, status) + ", so it was cancelled, suspended or " +
		"removed outside Terraform. This plan would change " + strings.Join(changed, ", ") + ", which Partner Center does not " +
		"allow for it, and would not buy it again either: keep those arguments as the state has them." + autoRenewOff + " " +
		letGoAdvice + " To buy anew, remove it from the state and apply."
}

// refusedStatusWarning tells of a subscription no longer active that the
// plan leaves as it is.
func refusedStatusWarning(customerID, id, status string, kept []string, state map[string]tftypes.Value) (summary, detail string) {
	keptText := ""
	for _, name := range kept {
		keptText += fmt.Sprintf(" %s, which the configuration leaves out, is planned as Partner Center has it (%s)", name, valueText(state[name]))
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
func seatDecreaseRefusal(customerID, id string, decrease int64, refundable tftypes.Value, now time.Time) (summary, detail string, refused bool) {
	if refundable.IsNull() || !refundable.IsKnown() {
		return "", "", false
	}
	var attrs map[string]tftypes.Value
	var batches []tftypes.Value
	if refundable.As(&attrs) != nil || attrs["details"].IsNull() || attrs["details"].As(&batches) != nil {
		return "", "", false
	}
	var allowed int64
	var passed []string
	for _, b := range batches {
		var batch map[string]tftypes.Value
		if b.As(&batch) != nil {
			continue
		}
		until := shared.StringOf(batch["allowed_until_date_time"])
		if deadline, ok := parseServiceTime(until); ok && now.Before(deadline) {
			allowed += shared.QuantityValue(batch["quantity"])
		} else {
			passed = append(passed, fmt.Sprintf("%s seats until %s", numberText(batch["quantity"]), until))
		}
	}
	if decrease <= allowed {
		return "", "", false
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
		"and refundable_quantity allows %d now%s. %s; nothing was sent.", decrease, id, customerID, allowed, why, keep), true
}

// planCompletion plans the completion of a pending purchase: every value
// the service will give is unknown until then.
func planCompletion(plan, state map[string]tftypes.Value) {
	for name, v := range plan {
		if name == "cart_id" || (name == "order_id" && !state["order_id"].IsNull()) {
			continue
		}
		if isComputedOnly(name) || (name == "friendly_name" && v.IsNull()) {
			plan[name] = tftypes.NewValue(v.Type(), tftypes.UnknownValue)
		}
	}
}

// isComputedOnly reports the attributes no configuration sets.
func isComputedOnly(name string) bool {
	switch name {
	case "customer_id", "catalog_item_id", "term_duration", "billing_cycle", "quantity", "auto_renew", "friendly_name",
		"on_destroy", "timeouts", "additional_to":
		return false
	}
	return true
}

func completionStep(state map[string]tftypes.Value) string {
	if shared.StringOf(state["order_id"]) != "" {
		return fmt.Sprintf("it reads order %q until it names the subscription", shared.StringOf(state["order_id"]))
	}
	return "it checks the same cart out again, which Partner Center answers with the first checkout's result, and waits for the order"
}

func numberText(v tftypes.Value) string {
	if v.IsNull() || !v.IsKnown() {
		return "(unknown)"
	}
	var f big.Float
	if v.As(&f) != nil {
		return "(unknown)"
	}
	return f.Text('f', -1)
}
