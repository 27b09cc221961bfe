package licences

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// subscriptionValues turns API subscriptions into Terraform values of the
// schema's subscription object type, built directly as customerValues does
// and for the same reason: lists of many subscriptions stay cheap.
type subscriptionValues struct {
	subscription, productType, subType, refundOption tftypes.Object
	refundOptions                                    tftypes.List
}

// NewSubscriptionValues takes the object type of a subscription from a
// schema.
func NewSubscriptionValues(subscription tftypes.Object) (subscriptionValues, error) {
	v := subscriptionValues{subscription: subscription}
	var ok bool
	if v.productType, ok = subscription.AttributeTypes["product_type"].(tftypes.Object); !ok {
		return v, fmt.Errorf("product_type is %s, not an object", subscription.AttributeTypes["product_type"])
	}
	if v.subType, ok = v.productType.AttributeTypes["sub_type"].(tftypes.Object); !ok {
		return v, fmt.Errorf("product_type.sub_type is %s, not an object", v.productType.AttributeTypes["sub_type"])
	}
	if v.refundOptions, ok = subscription.AttributeTypes["refund_options"].(tftypes.List); !ok {
		return v, fmt.Errorf("refund_options is %s, not a list", subscription.AttributeTypes["refund_options"])
	}
	if v.refundOption, ok = v.refundOptions.ElementType.(tftypes.Object); !ok {
		return v, fmt.Errorf("refund_options holds %s, not objects", v.refundOptions.ElementType)
	}
	return v, nil
}

// attributes returns the subscription's attributes, id included; what the
// API left out is null.
func (v subscriptionValues) Attributes(s *partnercenter.Subscription) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id":                              shared.StringValue(s.ID),
		"offer_id":                        shared.StringValue(s.OfferID),
		"entitlement_id":                  shared.StringValue(s.EntitlementID),
		"offer_name":                      shared.StringValue(s.OfferName),
		"friendly_name":                   shared.StringValue(s.FriendlyName),
		"product_type":                    v.productTypeValue(s.ProductType),
		"quantity":                        shared.NumberValue(s.Quantity),
		"unit_type":                       shared.StringValue(s.UnitType),
		"parent_subscription_id":          shared.StringValue(s.ParentSubscriptionID),
		"has_purchasable_addons":          shared.BoolValue(s.HasPurchasableAddons),
		"creation_date":                   shared.StringValue(s.CreationDate),
		"effective_start_date":            shared.StringValue(s.EffectiveStartDate),
		"commitment_end_date":             shared.StringValue(s.CommitmentEndDate),
		"billing_cycle_end_date":          shared.StringValue(s.BillingCycleEndDate),
		"cancellation_allowed_until_date": shared.StringValue(s.CancellationAllowedUntilDate),
		"status":                          shared.StringValue(s.Status),
		"suspension_reasons":              shared.StringListOrNull(s.SuspensionReasons),
		"auto_renew_enabled":              shared.BoolValue(s.AutoRenewEnabled),
		"is_trial":                        shared.BoolValue(s.IsTrial),
		"billing_type":                    shared.StringValue(s.BillingType),
		"billing_cycle":                   shared.StringValue(s.BillingCycle),
		"term_duration":                   shared.StringValue(s.TermDuration),
		"renewal_term_duration":           shared.StringValue(s.RenewalTermDuration),
		"refund_options":                  v.refundOptionsValue(s.RefundOptions),
		"is_microsoft_product":            shared.BoolValue(s.IsMicrosoftProduct),
		"publisher_name":                  shared.StringValue(s.PublisherName),
		"partner_id":                      shared.StringValue(s.PartnerID),
		"attention_needed":                shared.BoolValue(s.AttentionNeeded),
		"action_taken":                    shared.BoolValue(s.ActionTaken),
		"actions":                         shared.StringListOrNull(s.Actions),
		"contract_type":                   shared.StringValue(s.ContractType),
		"order_id":                        shared.StringValue(s.OrderID),
	}
}

// value returns the subscription as one object.
func (v subscriptionValues) value(s *partnercenter.Subscription) tftypes.Value {
	return tftypes.NewValue(v.subscription, v.Attributes(s))
}

func (v subscriptionValues) productTypeValue(p *partnercenter.ProductType) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(v.productType, nil)
	}
	subType := tftypes.NewValue(v.subType, nil)
	if p.SubType != nil {
		subType = tftypes.NewValue(v.subType, map[string]tftypes.Value{
			"id":           shared.StringValue(p.SubType.ID),
			"display_name": shared.StringValue(p.SubType.DisplayName),
		})
	}
	return tftypes.NewValue(v.productType, map[string]tftypes.Value{
		"id":           shared.StringValue(p.ID),
		"display_name": shared.StringValue(p.DisplayName),
		"sub_type":     subType,
	})
}

func (v subscriptionValues) refundOptionsValue(options []partnercenter.RefundOption) tftypes.Value {
	if options == nil {
		return tftypes.NewValue(v.refundOptions, nil)
	}
	elements := make([]tftypes.Value, len(options))
	for i, o := range options {
		elements[i] = tftypes.NewValue(v.refundOption, map[string]tftypes.Value{
			"type":       shared.StringValue(o.Type),
			"expires_at": shared.StringValue(o.ExpiresAt),
		})
	}
	return tftypes.NewValue(v.refundOptions, elements)
}
