package licences

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// endDatePattern is a day, alone or in the full form Partner Center writes
// dates in ("2027-07-31T00:00:00", with or without a zone).
var endDatePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$`)

func customTermEndDateAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The day the new subscription's term is to end instead of its own end, `YYYY-MM-DD` (or an `end_date` of " +
			"`partnercenter_custom_term_end_dates` as it is: only the day counts): the end of a calendar month, or the end date of " +
			"existing subscriptions of the customer, to align their renewals (co-terminous purchase). Before buying, the plan reads " +
			"the end dates Partner Center allows for the term and fails, with nothing sent, on a day not among them, listing those " +
			"allowed. After the purchase the subscription's `commitment_end_date` must fall on this day, or the apply fails naming " +
			"both (the state keeps the subscription). Used only for the purchase, like `additional_to`: changing it later sends " +
			"nothing and does not move the end of the term (the plan warns so).",
		Optional:   true,
		Validators: []validator.String{stringvalidator.RegexMatches(endDatePattern, "must be a day written YYYY-MM-DD")},
	}
}

// customTermEndDateOfPlan is the cart line's customTermEndDate, "" when
// the plan asks for none.
func customTermEndDateOfPlan(plan *subscriptionResourceModel) string {
	if day, ok := partnercenter.DayOf(plan.CustomTermEndDate.ValueString()); ok {
		return partnercenter.CustomTermEndDateOf(day)
	}
	return ""
}

// sameDay reports whether two dates of Partner Center's, or of the
// configuration, name the same day.
func sameDay(a, b string) bool {
	dayA, okA := partnercenter.DayOf(a)
	dayB, okB := partnercenter.DayOf(b)
	return okA && okB && dayA.Equal(dayB)
}

// refuseCustomTermEndDate fails the plan of a purchase whose
// custom_term_end_date Partner Center does not allow for its term, listing
// those it does. It reads only, and only when what it needs is known at
// plan time; otherwise Partner Center judges the cart.
func (r *customerSubscriptionResource) refuseCustomTermEndDate(ctx context.Context, plan *subscriptionResourceModel, diags *diag.Diagnostics) {
	want, customerID, term := plan.CustomTermEndDate.ValueString(), plan.CustomerID.ValueString(), plan.TermDuration.ValueString()
	if r.Data == nil || want == "" || customerID == "" || term == "" {
		return
	}
	ctx, cancel := context.WithTimeout(shared.MaskSecrets(ctx, r.Data.Secrets), shared.DefaultTimeouts[shared.OperationRead])
	defer cancel()
	dates, err := r.Data.Client.ListCustomTermEndDates(ctx, customerID, term, "", "")
	if err != nil {
		diags.AddError(shared.OperationErrorDiagnostic(ctx, shared.OperationRead, fmt.Sprintf("Reading the custom term end dates of a %s "+
			"purchase for customer %q before buying", term, customerID), err, shared.DefaultTimeouts[shared.OperationRead]))
		return
	}
	var allowed []string
	for _, d := range dates {
		if sameDay(want, shared.Deref(d.EndDate)) {
			return
		}
		text := fmt.Sprintf("%s (%s", shared.Deref(d.EndDate), shared.Deref(d.Type))
		if len(d.CotermSubscriptionIDs) > 0 {
			text += ", the end of subscriptions " + strings.Join(d.CotermSubscriptionIDs, ", ")
		}
		allowed = append(allowed, text+")")
	}
	list := "none"
	if len(allowed) > 0 {
		list = strings.Join(allowed, "; ")
	}
	diags.AddAttributeError(path.Root("custom_term_end_date"), "End date not allowed", fmt.Sprintf("Partner Center does not allow "+
		"a %s purchase for customer %q to end on %q. The end dates it allows today are: %s. Set custom_term_end_date to one of "+
		"them (partnercenter_custom_term_end_dates lists them), or remove it to end the term on its own date; nothing was sent.",
		term, customerID, want, list))
}

// customTermEndDateDifference says how a subscription just bought ends
// otherwise than its custom_term_end_date asked, "" when it does not, or
// when none was asked for.
func customTermEndDateDifference(plan, state *subscriptionResourceModel) string {
	want := plan.CustomTermEndDate.ValueString()
	if want == "" || sameDay(want, state.CommitmentEndDate.ValueString()) {
		return ""
	}
	return fmt.Sprintf("commitment_end_date is %s in Partner Center, not on custom_term_end_date %q as planned",
		valueText(state.CommitmentEndDate), want)
}

// warnCustomTermEndDateChange tells that changing custom_term_end_date
// after the purchase sends nothing.
func warnCustomTermEndDateChange(plan, state *subscriptionResourceModel, diags *diag.Diagnostics) {
	if plan.CustomTermEndDate.IsUnknown() || plan.CustomTermEndDate.Equal(state.CustomTermEndDate) {
		return
	}
	diags.AddAttributeWarning(path.Root("custom_term_end_date"), "custom_term_end_date is used for the purchase only",
		fmt.Sprintf("Subscription %s of customer %q was bought already: changing custom_term_end_date from %s to %s only "+
			"records the new value in the state. Nothing is sent, and the term still ends on commitment_end_date %s: Partner "+
			"Center takes a custom end date only when buying a new subscription.", valueText(state.ID),
			state.CustomerID.ValueString(), valueText(state.CustomTermEndDate), valueText(plan.CustomTermEndDate),
			valueText(state.CommitmentEndDate)))
}

// customTermEndDateAsBought is custom_term_end_date as a subscription that
// ended otherwise was bought: the day of its commitment_end_date.
func customTermEndDateAsBought(state *subscriptionResourceModel) types.String {
	if day, ok := partnercenter.DayOf(state.CommitmentEndDate.ValueString()); ok {
		return types.StringValue(day.Format("2006-01-02"))
	}
	return types.StringNull()
}
