package licences

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var _ resource.ResourceWithValidateConfig = (*customerSubscriptionResource)(nil)

// renewalModel is the renewal argument: what the subscription becomes at
// its renewal, each null child meaning "as it is now".
type renewalModel struct {
	Quantity      types.Number `tfsdk:"quantity"`
	CatalogItemID types.String `tfsdk:"catalog_item_id"`
	TermDuration  types.String `tfsdk:"term_duration"`
	BillingCycle  types.String `tfsdk:"billing_cycle"`
}

var renewalTypes = map[string]attr.Type{
	"quantity": types.NumberType, "catalog_item_id": types.StringType, "term_duration": types.StringType, "billing_cycle": types.StringType,
}

// billingCyclesOfRenewalTerm are the billing cycles a term may be bought
// or renewed with ("Manage term duration and billing frequency"): unlike
// a mid-term change, a renewal may bill a P3Y term in any cycle.
var billingCyclesOfRenewalTerm = map[string][]string{"P1M": {"monthly"}, "P1Y": {"monthly", "annual"}, "P3Y": {"monthly", "annual", "triennial"}}

func renewalAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Changes scheduled for the subscription's renewal (`scheduledNextTermInstructions`), made when its " +
			"term renews at `commitment_end_date`, not now: seats, catalog item, term and billing cycle. Each argument left out " +
			"renews as the subscription is when scheduled. Requires `auto_renew` on (the plan fails otherwise). Partner Center " +
			"deletes these changes on any mid-term change of `quantity` or `billing_cycle`: an apply that makes one schedules " +
			"them again right after, which the plan warns of. Removing the argument deletes them. Changes scheduled outside " +
			"Terraform show in the plan as a difference, which the apply restores; without this argument they show only in " +
			"`scheduled_renewal_changes`. This is how to have fewer seats after the 7-day window: see the guide *Managing licences*.",
		Optional: true,
		Attributes: map[string]schema.Attribute{
			"quantity": schema.NumberAttribute{
				MarkdownDescription: "How many licences from the renewal, at least 1; it may be lower than `quantity` at any time.",
				Optional:            true, Validators: []validator.Number{shared.WholeNumberValidator{Min: 1, Max: maxQuantity}},
			},
			"catalog_item_id": schema.StringAttribute{
				MarkdownDescription: "What to renew into, as `product:sku:availability`. Another product or SKU than the " +
					"subscription's must be a scheduled transition it is eligible for (see " +
					"`partnercenter_subscription_transition_eligibilities` with `eligibility_type = \"scheduled\"`): the plan checks it.",
				Optional: true, Validators: []validator.String{shared.CatalogItemIDValidator{}},
			},
			"term_duration": schema.StringAttribute{
				MarkdownDescription: "The term from the renewal: `P1M`, `P1Y` or `P3Y`.",
				Optional:            true, Validators: []validator.String{stringvalidator.OneOf("P1M", "P1Y", "P3Y")},
			},
			"billing_cycle": schema.StringAttribute{
				MarkdownDescription: "The billing cycle from the renewal: `monthly`, `annual` or `triennial`, in any letter case " +
					"(kept as written). A `P1M` term bills `monthly` only, a `P1Y` term `monthly` or `annual`, a `P3Y` term any of the three.",
				Optional: true, Validators: []validator.String{stringvalidator.OneOfCaseInsensitive("monthly", "annual", "triennial")},
			},
		},
	}
}

// renewalOf reads a renewal value; a null or unknown one reads as all null.
func renewalOf(o types.Object) renewalModel {
	attrs := o.Attributes()
	number, _ := attrs["quantity"].(types.Number)
	catalogItemID, _ := attrs["catalog_item_id"].(types.String)
	term, _ := attrs["term_duration"].(types.String)
	cycle, _ := attrs["billing_cycle"].(types.String)
	return renewalModel{Quantity: number, CatalogItemID: catalogItemID, TermDuration: term, BillingCycle: cycle}
}

func (m renewalModel) value() types.Object {
	// The zero values of the children are null, and the types are fixed.
	return types.ObjectValueMust(renewalTypes, map[string]attr.Value{
		"quantity": m.Quantity, "catalog_item_id": m.CatalogItemID, "term_duration": m.TermDuration, "billing_cycle": m.BillingCycle,
	})
}

// orConfigured is v, or otherwise when v is null.
func orConfigured(v, otherwise types.String) types.String {
	if v.IsNull() {
		return otherwise
	}
	return v
}

// ValidateConfig refuses, before any request, a renewal that sets nothing,
// one with auto-renew off, and a term it could not be billed in.
func (r *customerSubscriptionResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config subscriptionResourceModel
	if shared.GetModel(ctx, req.Config.Get, &config, &resp.Diagnostics); resp.Diagnostics.HasError() || config.Renewal.IsNull() || config.Renewal.IsUnknown() {
		return
	}
	renewal := renewalOf(config.Renewal)
	if renewal.Quantity.IsNull() && renewal.CatalogItemID.IsNull() && renewal.TermDuration.IsNull() && renewal.BillingCycle.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("renewal"), "Renewal changes nothing", "renewal sets none of quantity, "+
			"catalog_item_id, term_duration and billing_cycle: set those that are to change at the renewal, or remove renewal.")
	}
	if !config.AutoRenew.IsUnknown() && !config.AutoRenew.IsNull() && !config.AutoRenew.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("renewal"), "Renewal changes need auto-renew on", "Partner Center schedules "+
			"changes for the renewal only while auto-renew is on, and drops them when it goes off: with auto_renew = false the "+
			"subscription does not renew into them. Remove auto_renew = false (it defaults to true) to keep renewal, or remove renewal.")
	}
	term, cycle := orConfigured(renewal.TermDuration, config.TermDuration), orConfigured(renewal.BillingCycle, config.BillingCycle)
	if (renewal.TermDuration.IsNull() && renewal.BillingCycle.IsNull()) || term.IsUnknown() || cycle.IsUnknown() {
		return
	}
	allowed, known := billingCyclesOfRenewalTerm[strings.ToUpper(term.ValueString())]
	if known && !slices.Contains(allowed, strings.ToLower(cycle.ValueString())) {
		resp.Diagnostics.AddAttributeError(path.Root("renewal"), "Renewal term cannot be billed so", fmt.Sprintf("The renewal "+
			"would be a %s term billed %s, which Partner Center does not offer: a %s term is billed %s. Set renewal's "+
			"term_duration and billing_cycle to a combination it offers.", term.ValueString(), strings.ToLower(cycle.ValueString()),
			term.ValueString(), strings.Join(allowed, ", ")))
	}
}

// renewalState is the renewal for the state of subscription s: null when
// written's is (the schedule is not managed) or when s has none scheduled;
// else what s has scheduled in written's form (normalizedRenewal).
func renewalState(written types.Object, s *partnercenter.Subscription) types.Object {
	if written.IsNull() || written.IsUnknown() {
		return types.ObjectNull(renewalTypes)
	}
	scheduled := partnercenter.ScheduledInstructions(s)
	if scheduled == nil {
		return types.ObjectNull(renewalTypes)
	}
	return normalizedRenewal(renewalOf(written), *scheduled, partnercenter.CurrentTerm(s)).value()
}

// normalizedRenewal is what is scheduled in the form written: a child
// written null stays null while the schedule keeps the current value; a
// child written otherwise holds the schedule's value, as written when it
// says the same in another letter case.
func normalizedRenewal(written renewalModel, scheduled, current partnercenter.NextTermInstructions) renewalModel {
	text := func(w types.String, service, now string) types.String {
		switch {
		case w.IsNull() && strings.EqualFold(service, now):
			return types.StringNull()
		case strings.EqualFold(w.ValueString(), service):
			return w
		}
		return types.StringValue(service)
	}
	quantity := numberValue(new(float64(scheduled.Quantity)))
	if written.Quantity.IsNull() && scheduled.Quantity == current.Quantity {
		quantity = types.NumberNull()
	}
	return renewalModel{
		Quantity:      quantity,
		CatalogItemID: text(written.CatalogItemID, scheduled.Product.CatalogItemID(), current.Product.CatalogItemID()),
		TermDuration:  text(written.TermDuration, scheduled.Product.TermDuration, current.Product.TermDuration),
		BillingCycle:  text(written.BillingCycle, scheduled.Product.BillingCycle, current.Product.BillingCycle),
	}
}

// renewalChanged reports a planned renewal other than the state's,
// removing it included.
func renewalChanged(plan, state *subscriptionResourceModel) bool {
	return plan.Renewal.IsUnknown() || !plan.Renewal.Equal(state.Renewal)
}

// renewalChange is the request that makes prior's renewal the plan's, run
// after the others: when the renewal changes, or when an immediate change
// before it (seats, billing cycle) deletes the schedule. Partner Center
// is read first: nothing is sent when it already holds what is planned.
func renewalChange(plan, prior *subscriptionResourceModel, before []plannedChange) (plannedChange, bool) {
	deletesSchedule := slices.ContainsFunc(before, func(c plannedChange) bool { return c.attribute == "quantity" || c.attribute == "billing_cycle" })
	switch {
	case plan.Renewal.IsNull() && prior.Renewal.IsNull():
		return plannedChange{}, false
	case plan.Renewal.IsNull():
		return plannedChange{"renewal", partnercenter.ChangeScheduledInstructions(nil)}, true
	case plan.Renewal.Equal(prior.Renewal) && !deletesSchedule:
		return plannedChange{}, false
	}
	renewal := renewalOf(plan.Renewal)
	return plannedChange{"renewal", partnercenter.ChangeScheduledInstructions(&partnercenter.RenewalPlan{
		CatalogItemID: renewal.CatalogItemID.ValueString(), TermDuration: renewal.TermDuration.ValueString(),
		BillingCycle: strings.ToLower(renewal.BillingCycle.ValueString()), Quantity: int(quantityOf(renewal.Quantity)),
	})}, true
}

// rescheduledRenewalWarning replaces scheduledRenewalWarning when renewal
// is configured: the immediate changes planned delete the schedule, and
// the same apply schedules it again.
func rescheduledRenewalWarning(customerID, id string, changed []string, plan *subscriptionResourceModel) (summary, detail string, warn bool) {
	var midTerm []string
	for _, name := range changed {
		if name == "quantity" || name == "billing_cycle" {
			midTerm = append(midTerm, name)
		}
	}
	if plan.Renewal.IsNull() || len(midTerm) == 0 {
		return "", "", false
	}
	return "Applying this plan schedules the renewal changes again", fmt.Sprintf("Subscription %q of customer %q changes %s "+
		"mid-term, on which Partner Center deletes the changes scheduled for its renewal. This apply schedules renewal again "+
		"right after that change, as the last request; if the apply stops in between, the next plan shows renewal to be "+
		"scheduled again.", id, customerID, strings.Join(midTerm, " and ")), true
}

// renewalWayOut completes the refusal of a seat decrease: the seats can
// go down at the renewal instead. A renewal already configured keeps its
// other changes; a plan turning auto-renew off is told to keep it on, as
// renewal requires (ValidateConfig).
func renewalWayOut(plan, state *subscriptionResourceModel) string {
	end := state.CommitmentEndDate.ValueString()
	if end == "" {
		end = "(unknown)"
	}
	set := fmt.Sprintf("set renewal = { quantity = %s }", numberText(plan.Quantity))
	if !plan.Renewal.IsNull() {
		set = fmt.Sprintf("set quantity = %s in renewal, keeping its other arguments", numberText(plan.Quantity))
	}
	autoRenew := " (auto_renew must be on)"
	if valueText(plan.AutoRenew) == "false" {
		autoRenew = ", and remove auto_renew = false (changes are scheduled for the renewal only while auto-renew is on)"
	}
	return fmt.Sprintf(" To have %s seats from the renewal instead, keep quantity = %s and %s%s: "+
		"Partner Center then renews the subscription with %s seats at commitment_end_date %s.",
		numberText(plan.Quantity), numberText(state.Quantity), set, autoRenew, numberText(plan.Quantity), end)
}

// refuseRenewalAtPurchase refuses, for a purchase, a renewal into another
// product or SKU: its eligibility can be read only once the subscription
// exists.
func refuseRenewalAtPurchase(plan *subscriptionResourceModel, diags *diag.Diagnostics) {
	target := renewalOf(plan.Renewal).CatalogItemID
	if target.IsNull() || target.IsUnknown() || plan.CatalogItemID.IsUnknown() || sameCatalogItem(target.ValueString(), plan.CatalogItemID.ValueString()) {
		return
	}
	diags.AddAttributeError(path.Root("renewal").AtName("catalog_item_id"), "Renewal into another product cannot be planned with the purchase",
		fmt.Sprintf("renewal.catalog_item_id %q is another product or SKU than the catalog item bought (%q): whether the "+
			"subscription may renew into it is known only once it exists. Leave renewal.catalog_item_id out for the purchase, "+
			"and set it in a later apply, whose plan checks it.", target.ValueString(), plan.CatalogItemID.ValueString()))
}

// refuseIneligibleRenewal checks, at plan time and only when it changes, a
// renewal into another product or SKU against the subscription's
// scheduled transition eligibilities: one read, nothing sent.
func (r *customerSubscriptionResource) refuseIneligibleRenewal(ctx context.Context, plan, state *subscriptionResourceModel, diags *diag.Diagnostics) {
	target := renewalOf(plan.Renewal).CatalogItemID
	customerID, id := state.CustomerID.ValueString(), state.ID.ValueString()
	if r.Data == nil || id == "" || target.IsNull() || target.IsUnknown() || target.Equal(renewalOf(state.Renewal).CatalogItemID) ||
		sameCatalogItem(target.ValueString(), state.CatalogItemID.ValueString()) {
		return
	}
	ctx, cancel := context.WithTimeout(shared.MaskSecrets(ctx, r.Data.Secrets), shared.DefaultTimeouts[shared.OperationRead])
	defer cancel()
	targets, err := r.Data.Client.ListTransitionEligibilities(ctx, customerID, id, "scheduled")
	if err != nil {
		diags.AddError(shared.OperationErrorDiagnostic(ctx, shared.OperationRead, fmt.Sprintf("Reading the scheduled transition "+
			"eligibilities of subscription %q of customer %q", id, customerID), err, shared.DefaultTimeouts[shared.OperationRead]))
		return
	}
	var eligible, ineligible []string
	for _, t := range targets {
		item := fmt.Sprintf("%q (%s)", shared.Deref(t.CatalogItemID), shared.Deref(t.Title))
		var reasons []string
		ok := false
		for _, e := range t.Eligibilities {
			ok = ok || e.Eligible()
			for _, why := range e.Errors {
				reasons = append(reasons, fmt.Sprintf("error %s: %s", why.Code, why.Description))
			}
		}
		if ok {
			if sameCatalogItem(target.ValueString(), shared.Deref(t.CatalogItemID)) {
				return
			}
			eligible = append(eligible, item)
		} else {
			ineligible = append(ineligible, item+": "+strings.Join(reasons, "; "))
		}
	}
	eligibleText, ineligibleText := "none", ""
	if len(eligible) > 0 {
		eligibleText = strings.Join(eligible, ", ")
	}
	if len(ineligible) > 0 {
		ineligibleText = " Not eligible now: " + strings.Join(ineligible, ", ") + "."
	}
	diags.AddAttributeError(path.Root("renewal").AtName("catalog_item_id"), "Subscription cannot renew into this catalog item",
		fmt.Sprintf("Subscription %q of customer %q (catalog item %q) cannot renew into %q: it is not among its eligible scheduled "+
			"transitions. Eligible: %s.%s Set renewal.catalog_item_id to an eligible one, or leave it out to renew into the "+
			"subscription's own catalog item; nothing was sent.", id, customerID, state.CatalogItemID.ValueString(),
			target.ValueString(), eligibleText, ineligibleText))
}
