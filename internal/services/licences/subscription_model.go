package licences

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// subscriptionComputedModel holds the computed attributes that
// partnercenter_customer_subscription has both as a data source and as a
// resource (subscriptionAttributes without those the resource makes
// arguments). Both models embed it.
type subscriptionComputedModel struct {
	OfferID                      types.String `tfsdk:"offer_id"`
	EntitlementID                types.String `tfsdk:"entitlement_id"`
	OfferName                    types.String `tfsdk:"offer_name"`
	ProductType                  types.Object `tfsdk:"product_type"`
	UnitType                     types.String `tfsdk:"unit_type"`
	ParentSubscriptionID         types.String `tfsdk:"parent_subscription_id"`
	HasPurchasableAddons         types.Bool   `tfsdk:"has_purchasable_addons"`
	CreationDate                 types.String `tfsdk:"creation_date"`
	EffectiveStartDate           types.String `tfsdk:"effective_start_date"`
	CommitmentEndDate            types.String `tfsdk:"commitment_end_date"`
	BillingCycleEndDate          types.String `tfsdk:"billing_cycle_end_date"`
	CancellationAllowedUntilDate types.String `tfsdk:"cancellation_allowed_until_date"`
	SuspensionReasons            types.List   `tfsdk:"suspension_reasons"`
	IsTrial                      types.Bool   `tfsdk:"is_trial"`
	BillingType                  types.String `tfsdk:"billing_type"`
	RenewalTermDuration          types.String `tfsdk:"renewal_term_duration"`
	RefundOptions                types.List   `tfsdk:"refund_options"`
	IsMicrosoftProduct           types.Bool   `tfsdk:"is_microsoft_product"`
	PublisherName                types.String `tfsdk:"publisher_name"`
	PartnerID                    types.String `tfsdk:"partner_id"`
	AttentionNeeded              types.Bool   `tfsdk:"attention_needed"`
	ActionTaken                  types.Bool   `tfsdk:"action_taken"`
	Actions                      types.List   `tfsdk:"actions"`
	ContractType                 types.String `tfsdk:"contract_type"`
	OrderID                      types.String `tfsdk:"order_id"`
}

type productTypeModel struct {
	ID          types.String `tfsdk:"id"`
	DisplayName types.String `tfsdk:"display_name"`
	SubType     types.Object `tfsdk:"sub_type"`
}

type subTypeModel struct {
	ID          types.String `tfsdk:"id"`
	DisplayName types.String `tfsdk:"display_name"`
}

type refundOptionModel struct {
	Type      types.String `tfsdk:"type"`
	ExpiresAt types.String `tfsdk:"expires_at"`
}

type refundableQuantityModel struct {
	TotalQuantity types.Number `tfsdk:"total_quantity"`
	Details       types.List   `tfsdk:"details"`
}

type refundableBatchModel struct {
	Quantity             types.Number `tfsdk:"quantity"`
	AllowedUntilDateTime types.String `tfsdk:"allowed_until_date_time"`
}

// The attribute types of the nested objects, taken from their schema so
// that each name is written once.
var (
	productTypeTypes        = shared.AttributeTypes(productTypeAttribute().GetType())
	subTypeTypes            = shared.AttributeTypes(subTypeAttribute().GetType())
	refundOptionTypes       = shared.AttributeTypes(refundOptionsAttribute().NestedObject.Type())
	refundableQuantityTypes = shared.AttributeTypes(refundableQuantityAttribute().GetType())
	refundableBatchTypes    = shared.AttributeTypes(refundableBatchesAttribute().NestedObject.Type())
)

// subscriptionComputedOf is the computed attributes of s; what Partner
// Center left out is null.
func subscriptionComputedOf(s *partnercenter.Subscription) (subscriptionComputedModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := subscriptionComputedModel{
		OfferID:                      types.StringPointerValue(s.OfferID),
		EntitlementID:                types.StringPointerValue(s.EntitlementID),
		OfferName:                    types.StringPointerValue(s.OfferName),
		UnitType:                     types.StringPointerValue(s.UnitType),
		ParentSubscriptionID:         types.StringPointerValue(s.ParentSubscriptionID),
		HasPurchasableAddons:         types.BoolPointerValue(s.HasPurchasableAddons),
		CreationDate:                 types.StringPointerValue(s.CreationDate),
		EffectiveStartDate:           types.StringPointerValue(s.EffectiveStartDate),
		CommitmentEndDate:            types.StringPointerValue(s.CommitmentEndDate),
		BillingCycleEndDate:          types.StringPointerValue(s.BillingCycleEndDate),
		CancellationAllowedUntilDate: types.StringPointerValue(s.CancellationAllowedUntilDate),
		IsTrial:                      types.BoolPointerValue(s.IsTrial),
		BillingType:                  types.StringPointerValue(s.BillingType),
		RenewalTermDuration:          types.StringPointerValue(s.RenewalTermDuration),
		IsMicrosoftProduct:           types.BoolPointerValue(s.IsMicrosoftProduct),
		PublisherName:                types.StringPointerValue(s.PublisherName),
		PartnerID:                    types.StringPointerValue(s.PartnerID),
		AttentionNeeded:              types.BoolPointerValue(s.AttentionNeeded),
		ActionTaken:                  types.BoolPointerValue(s.ActionTaken),
		ContractType:                 types.StringPointerValue(s.ContractType),
		OrderID:                      types.StringPointerValue(s.OrderID),
	}
	m.ProductType = productTypeValue(s.ProductType, &diags)
	m.SuspensionReasons = shared.StringListOrNullOf(s.SuspensionReasons, &diags)
	m.Actions = shared.StringListOrNullOf(s.Actions, &diags)
	m.RefundOptions = objectListValue(refundOptionTypes, s.RefundOptions, func(o *partnercenter.RefundOption) refundOptionModel {
		return refundOptionModel{Type: types.StringPointerValue(o.Type), ExpiresAt: types.StringPointerValue(o.ExpiresAt)}
	}, &diags)
	return m, diags
}

func productTypeValue(p *partnercenter.ProductType, diags *diag.Diagnostics) types.Object {
	if p == nil {
		return types.ObjectNull(productTypeTypes)
	}
	subType := types.ObjectNull(subTypeTypes)
	if p.SubType != nil {
		subType = shared.ObjectOf(subTypeTypes, subTypeModel{
			ID: types.StringPointerValue(p.SubType.ID), DisplayName: types.StringPointerValue(p.SubType.DisplayName),
		}, diags)
	}
	return shared.ObjectOf(productTypeTypes, productTypeModel{
		ID: types.StringPointerValue(p.ID), DisplayName: types.StringPointerValue(p.DisplayName), SubType: subType,
	}, diags)
}

// refundableQuantityValue is refundable_quantity, null when Partner Center
// sent none.
func refundableQuantityValue(q *partnercenter.RefundableQuantity, diags *diag.Diagnostics) types.Object {
	if q == nil {
		return types.ObjectNull(refundableQuantityTypes)
	}
	return shared.ObjectOf(refundableQuantityTypes, refundableQuantityModel{
		TotalQuantity: numberValue(q.TotalQuantity),
		Details: objectListValue(refundableBatchTypes, q.Details, func(d *partnercenter.RefundableQuantityDetail) refundableBatchModel {
			return refundableBatchModel{Quantity: numberValue(d.Quantity), AllowedUntilDateTime: types.StringPointerValue(d.AllowedUntilDateTime)}
		}, diags),
	}, diags)
}

// numberValue is f as a number, null when Partner Center left it out.
func numberValue(f *float64) types.Number {
	if f == nil {
		return types.NumberNull()
	}
	return types.NumberValue(new(big.Float).SetFloat64(*f))
}

// objectListValue is items as a list of objects of attribute types
// attrTypes, each built by model; null when Partner Center left the list
// out.
func objectListValue[T, M any](attrTypes map[string]attr.Type, items []T, model func(*T) M, diags *diag.Diagnostics) types.List {
	if items == nil {
		return types.ListNull(types.ObjectType{AttrTypes: attrTypes})
	}
	models := make([]M, len(items))
	for i := range items {
		models[i] = model(&items[i])
	}
	list, d := shared.ObjectListValue(attrTypes, models)
	diags.Append(d...)
	return list
}

// quantityOf is a whole number value, 0 when null or unknown; the schema
// validated it.
func quantityOf(n types.Number) int64 {
	if n.IsNull() || n.IsUnknown() {
		return 0
	}
	q, _ := n.ValueBigFloat().Int64()
	return q
}

// valueText writes a value as the configuration would.
func valueText(v attr.Value) string {
	switch {
	case v == nil || v.IsUnknown():
		return "(unknown)"
	case v.IsNull():
		return "null"
	}
	switch v := v.(type) {
	case types.Number:
		return numberText(v)
	case types.Bool:
		return fmt.Sprint(v.ValueBool())
	case types.String:
		return fmt.Sprintf("%q", v.ValueString())
	}
	return v.String()
}

func numberText(v types.Number) string {
	if v.IsNull() || v.IsUnknown() {
		return "(unknown)"
	}
	return v.ValueBigFloat().Text('f', -1)
}
