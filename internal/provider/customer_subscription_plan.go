package provider

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ModifyPlan is where a plan that would buy, or could not be applied, says
// so before anything is sent: a purchase is announced as a warning; a
// change that would mean a new purchase, a seat decrease past its window
// and a subscription no longer active fail the plan; a pending purchase is
// planned to be completed.
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
	customerID, id, status := stringOf(state["customer_id"]), stringOf(state["id"]), stringOf(state["status"])
	if isRefusedStatus(status) {
		resp.Diagnostics.AddError(refusedStatusError(customerID, id, status))
		return
	}
	for _, name := range []string{"customer_id", "term_duration", "billing_cycle", "catalog_item_id"} {
		planned, prior := plan[name], state[name]
		if !planned.IsKnown() || prior.IsNull() || planned.Equal(prior) {
			continue
		}
		if same := strings.EqualFold(stringOf(planned), stringOf(prior)) ||
			(name == "catalog_item_id" && sameCatalogItem(stringOf(planned), stringOf(prior))); same {
			plan[name] = prior // the same purchase, written otherwise: keep the state's form
			continue
		}
		summary, detail := newPurchaseError(customerID, id, name, stringOf(prior), stringOf(planned))
		resp.Diagnostics.AddAttributeError(path.Root(name), summary, detail)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if decrease := quantityValue(state["quantity"]) - quantityValue(plan["quantity"]); plan["quantity"].IsKnown() && decrease > 0 {
		if summary, detail, refused := seatDecreaseRefusal(customerID, id, decrease, state["refundable_quantity"], time.Now()); refused {
			resp.Diagnostics.AddError(summary, detail)
			return
		}
	}
	if id != "" && sameArguments(plan, state) {
		// Only the form of an argument differed: the framework marked the
		// computed values unknown for a change that is none.
		resp.Plan.Raw = req.State.Raw
		return
	}
	if id == "" {
		planCompletion(plan, state)
		resp.Diagnostics.AddWarning("Completing a pending purchase", fmt.Sprintf("The purchase for customer %q from cart %q "+
			"has not named its subscription yet. Applying completes it: %s. Nothing is bought a second time.", customerID,
			stringOf(state["cart_id"]), completionStep(state)))
	} else if increase := -quantityValue(state["quantity"]) + quantityValue(plan["quantity"]); plan["quantity"].IsKnown() && increase > 0 {
		resp.Diagnostics.AddWarning("Applying this plan buys seats", fmt.Sprintf("Subscription %q of customer %q grows from %s to %s "+
			"licences: Partner Center bills the %d added at once, prorated to the end of the term. They may be removed again "+
			"within 7 days only.", id, customerID, numberText(state["quantity"]), numberText(plan["quantity"]), increase))
	}
	objectType, ok := req.Plan.Raw.Type().(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Internal provider error", "The plan is not an object.")
		return
	}
	resp.Plan.Raw = tftypes.NewValue(objectType, plan)
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
		return fmt.Sprintf("%q", stringOf(v))
	}
	return "Applying this plan buys a subscription", fmt.Sprintf("partnercenter_customer_subscription buys, for customer %s: "+
		"catalog item %s, quantity %s, term %s, billing cycle %s. Partner Center bills the partner from the purchase. "+
		"It can be cancelled, or its seats reduced, for a refund only within 7 days (168 hours); after that it bills until "+
		"the end of its term.", show("customer_id"), show("catalog_item_id"), show("quantity"), show("term_duration"), show("billing_cycle"))
}

// refusedStatusError explains a subscription the resource can no longer
// manage: cancelled, suspended or gone, outside Terraform.
func refusedStatusError(customerID, id, status string) (summary, detail string) {
	what := fmt.Sprintf("Partner Center reports subscription %q of customer %q as %q", id, customerID, status)
	if status == statusNotFound {
		what = fmt.Sprintf("Partner Center no longer knows subscription %q of customer %q (it answers 404 Not Found: the "+
			"subscription, or the customer, is gone)", id, customerID)
	}
	return "Subscription no longer active", what + ", so it was cancelled, suspended or removed outside Terraform. This plan " +
		"would not buy it again, nor change it. To stop managing it, run `terraform state rm <address>` or add a `removed` " +
		"block for it; to manage another subscription of the customer, `import` it; to buy anew, remove it from the state " +
		"and apply."
}

// newPurchaseError explains a change that only a new purchase could make.
func newPurchaseError(customerID, id, attribute, prior, planned string) (summary, detail string) {
	return "Change would mean a new purchase", fmt.Sprintf("Changing %s of subscription %q of customer %q from %q to %q "+
		"would mean buying a new subscription, which this resource never does by replacement. Restore %s in the "+
		"configuration; or, to buy the new one, add another partnercenter_customer_subscription resource (and abandon "+
		"or cancel this one).", attribute, id, customerID, prior, planned, attribute)
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
		until := stringOf(batch["allowed_until_date_time"])
		if deadline, ok := parseServiceTime(until); ok && now.Before(deadline) {
			allowed += quantityValue(batch["quantity"])
		} else {
			passed = append(passed, fmt.Sprintf("%s seats until %s", numberText(batch["quantity"]), until))
		}
	}
	if decrease <= allowed {
		return "", "", false
	}
	deadlines := "no batch of seats is listed as removable"
	if len(passed) > 0 {
		deadlines = "the window of " + strings.Join(passed, ", of ") + " has passed"
	}
	return "Seats can no longer be removed", fmt.Sprintf("Removing %d seats from subscription %q of customer %q is not "+
		"possible now: Partner Center allows a decrease only for seats bought in the last 7 days (168 hours), batch by batch, "+
		"and refundable_quantity allows %d now; %s. Keep the quantity; nothing was sent.", decrease, id, customerID, allowed, deadlines), true
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

// sameArguments reports whether every argument is planned as it stands.
func sameArguments(plan, state map[string]tftypes.Value) bool {
	for name, v := range plan {
		if !isComputedOnly(name) && !v.Equal(state[name]) {
			return false
		}
	}
	return true
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
	if stringOf(state["order_id"]) != "" {
		return fmt.Sprintf("it reads order %q until it names the subscription", stringOf(state["order_id"]))
	}
	return "it checks the same cart out again, which Partner Center answers with the first checkout's result, and waits for the order"
}

// quantityValue is a whole number value, 0 when null or unknown.
func quantityValue(v tftypes.Value) int64 {
	if v.IsNull() || !v.IsKnown() {
		return 0
	}
	var f big.Float
	if v.As(&f) != nil {
		return 0
	}
	n, _ := f.Int64()
	return n
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
