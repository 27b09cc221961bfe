package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// subscriptionValues turns API subscriptions into Terraform values of the
// schema's subscription object type, built directly as customerValues does
// and for the same reason: lists of many subscriptions stay cheap.
type subscriptionValues struct {
	subscription, productType, subType, refundOption tftypes.Object
	refundOptions                                    tftypes.List
}

// newSubscriptionValues takes the object type of a subscription from a
// schema.
func newSubscriptionValues(subscription tftypes.Object) (subscriptionValues, error) {
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
func (v subscriptionValues) attributes(s *partnercenter.Subscription) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id":                              stringValue(s.ID),
		"offer_id":                        stringValue(s.OfferID),
		"entitlement_id":                  stringValue(s.EntitlementID),
		"offer_name":                      stringValue(s.OfferName),
		"friendly_name":                   stringValue(s.FriendlyName),
		"product_type":                    v.productTypeValue(s.ProductType),
		"quantity":                        numberValue(s.Quantity),
		"unit_type":                       stringValue(s.UnitType),
		"parent_subscription_id":          stringValue(s.ParentSubscriptionID),
		"has_purchasable_addons":          boolValue(s.HasPurchasableAddons),
		"creation_date":                   stringValue(s.CreationDate),
		"effective_start_date":            stringValue(s.EffectiveStartDate),
		"commitment_end_date":             stringValue(s.CommitmentEndDate),
		"billing_cycle_end_date":          stringValue(s.BillingCycleEndDate),
		"cancellation_allowed_until_date": stringValue(s.CancellationAllowedUntilDate),
		"status":                          stringValue(s.Status),
		"suspension_reasons":              stringListOrNull(s.SuspensionReasons),
		"auto_renew_enabled":              boolValue(s.AutoRenewEnabled),
		"is_trial":                        boolValue(s.IsTrial),
		"billing_type":                    stringValue(s.BillingType),
		"billing_cycle":                   stringValue(s.BillingCycle),
		"term_duration":                   stringValue(s.TermDuration),
		"renewal_term_duration":           stringValue(s.RenewalTermDuration),
		"refund_options":                  v.refundOptionsValue(s.RefundOptions),
		"is_microsoft_product":            boolValue(s.IsMicrosoftProduct),
		"publisher_name":                  stringValue(s.PublisherName),
		"partner_id":                      stringValue(s.PartnerID),
		"attention_needed":                boolValue(s.AttentionNeeded),
		"action_taken":                    boolValue(s.ActionTaken),
		"actions":                         stringListOrNull(s.Actions),
		"contract_type":                   stringValue(s.ContractType),
		"order_id":                        stringValue(s.OrderID),
	}
}

// value returns the subscription as one object.
func (v subscriptionValues) value(s *partnercenter.Subscription) tftypes.Value {
	return tftypes.NewValue(v.subscription, v.attributes(s))
}

func (v subscriptionValues) productTypeValue(p *partnercenter.ProductType) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(v.productType, nil)
	}
	subType := tftypes.NewValue(v.subType, nil)
	if p.SubType != nil {
		subType = tftypes.NewValue(v.subType, map[string]tftypes.Value{
			"id":           stringValue(p.SubType.ID),
			"display_name": stringValue(p.SubType.DisplayName),
		})
	}
	return tftypes.NewValue(v.productType, map[string]tftypes.Value{
		"id":           stringValue(p.ID),
		"display_name": stringValue(p.DisplayName),
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
			"type":       stringValue(o.Type),
			"expires_at": stringValue(o.ExpiresAt),
		})
	}
	return tftypes.NewValue(v.refundOptions, elements)
}
