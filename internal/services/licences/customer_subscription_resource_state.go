package licences

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// subscriptionResourceModel is the plan and state of
// partnercenter_customer_subscription: its arguments, the computed values
// it adds, and the data source's computed attributes.
type subscriptionResourceModel struct {
	ID                      types.String   `tfsdk:"id"`
	CustomerID              types.String   `tfsdk:"customer_id"`
	CatalogItemID           types.String   `tfsdk:"catalog_item_id"`
	TermDuration            types.String   `tfsdk:"term_duration"`
	BillingCycle            types.String   `tfsdk:"billing_cycle"`
	Quantity                types.Number   `tfsdk:"quantity"`
	AutoRenew               types.Bool     `tfsdk:"auto_renew"`
	FriendlyName            types.String   `tfsdk:"friendly_name"`
	OnDestroy               types.String   `tfsdk:"on_destroy"`
	AdditionalTo            types.Set      `tfsdk:"additional_to"`
	CustomTermEndDate       types.String   `tfsdk:"custom_term_end_date"`
	CartID                  types.String   `tfsdk:"cart_id"`
	Status                  types.String   `tfsdk:"status"`
	RefundableQuantity      types.Object   `tfsdk:"refundable_quantity"`
	ScheduledRenewalChanges types.String   `tfsdk:"scheduled_renewal_changes"`
	Renewal                 types.Object   `tfsdk:"renewal"`
	Timeouts                timeouts.Value `tfsdk:"timeouts"`
	subscriptionComputedModel
}

func (r *customerSubscriptionResource) Model() any { return &subscriptionResourceModel{} }

// subscriptionIdentityModel is the resource identity of
// partnercenter_customer_subscription; subscription_id is null while a
// purchase is pending.
type subscriptionIdentityModel struct {
	CustomerID     types.String `tfsdk:"customer_id"`
	SubscriptionID types.String `tfsdk:"subscription_id"`
}

func (m subscriptionResourceModel) IdentityModel() any {
	return &subscriptionIdentityModel{CustomerID: m.CustomerID, SubscriptionID: m.ID}
}

// subscriptionResourceState is the state of partnercenter_customer_subscription
// for a subscription as read, written being the plan or prior state it
// follows: every value from Partner Center, arguments included, after a
// refresh so that a change made elsewhere shows in the plan, and after a
// create or update so that the state says what Partner Center holds
// (stateAfterPurchase names what differs from the plan). What only
// Terraform holds (customer_id, on_destroy, additional_to,
// custom_term_end_date, cart_id, timeouts) stays as written.
//
// Values that say the same thing keep the form written: billing_cycle,
// term_duration and id in another letter case, and a catalog_item_id whose
// availability Partner Center has since reissued (its product and SKU
// unchanged).
func subscriptionResourceState(written *subscriptionResourceModel, s *partnercenter.Subscription,
	diags *diag.Diagnostics) *subscriptionResourceModel {
	computed, d := subscriptionComputedOf(s)
	diags.Append(d...)
	state := *written
	state.subscriptionComputedModel = computed
	state.FriendlyName = types.StringPointerValue(s.FriendlyName)
	state.Quantity = numberValue(s.Quantity)
	state.Status = types.StringPointerValue(s.Status)
	state.AutoRenew = types.BoolPointerValue(s.AutoRenewEnabled)
	state.RefundableQuantity = refundableQuantityValue(s.RefundableQuantity, diags)
	state.ScheduledRenewalChanges = scheduledRenewalChangesValue(s.ScheduledNextTermInstructions)
	state.Renewal = renewalState(written.Renewal, s)
	if !sameCatalogItem(written.CatalogItemID.ValueString(), shared.Deref(s.OfferID)) {
		state.CatalogItemID = types.StringPointerValue(s.OfferID)
	}
	state.ID = writtenForm(written.ID, types.StringPointerValue(s.ID))
	state.TermDuration = writtenForm(written.TermDuration, types.StringPointerValue(s.TermDuration))
	state.BillingCycle = writtenForm(written.BillingCycle, types.StringPointerValue(s.BillingCycle))
	return &state
}

// writtenForm is the value written when it says what Partner Center's
// does in another letter case, else Partner Center's.
func writtenForm(written, service types.String) types.String {
	if w := written.ValueString(); w != "" && strings.EqualFold(w, service.ValueString()) {
		return written
	}
	return service
}

// pendingSubscriptionState is the state of a purchase whose outcome is not
// known yet: its cart, its order when known, status pending, and null for
// every other value the plan left unknown (the subscription id among them).
func pendingSubscriptionState(op *shared.Operation, plan *subscriptionResourceModel, cartID, orderID string) *subscriptionResourceModel {
	state := *plan
	op.Diags.Append(shared.NullUnknown(op.Ctx, &state)...)
	state.Status = types.StringValue(statusPending)
	state.CartID = types.StringValue(cartID)
	state.OrderID = types.StringNull()
	if orderID != "" {
		state.OrderID = types.StringValue(orderID)
	}
	return &state
}

// sameCatalogItem reports whether two catalog item ids name the same
// product and SKU: Partner Center reissues availability ids, so the third
// part may differ for the very same offer.
func sameCatalogItem(a, b string) bool {
	productA, skuA, _, okA := shared.CatalogItemParts(a)
	productB, skuB, _, okB := shared.CatalogItemParts(b)
	return okA && okB && strings.EqualFold(productA, productB) && strings.EqualFold(skuA, skuB)
}
