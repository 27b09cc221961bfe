package licences

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// SubscriptionResourceState is the state of partnercenter_customer_subscription
// for a subscription as read: every value from Partner Center, arguments
// included, after a refresh so that a change made elsewhere shows in the
// plan, and after a create or update so that the state says what Partner
// Center holds (stateAfterPurchase names what differs from the plan).
//
// Values that say the same thing keep the form the configuration wrote:
// billing_cycle and term_duration in another letter case, and a
// catalog_item_id whose availability Partner Center has since reissued
// (its product and SKU unchanged).
func SubscriptionResourceState(op *shared.Operation, s *partnercenter.Subscription) map[string]tftypes.Value {
	attrs := shared.Must(NewSubscriptionValues(op.StateType)).Attributes(s)
	attrs["auto_renew"] = attrs["auto_renew_enabled"]
	delete(attrs, "auto_renew_enabled")
	attrs["refundable_quantity"] = refundableQuantityValue(op.StateType, s.RefundableQuantity)
	attrs["scheduled_renewal_changes"] = scheduledRenewalChangesValue(s.ScheduledNextTermInstructions)
	attrs["catalog_item_id"] = attrs["offer_id"]
	if sameCatalogItem(op.KnownString("catalog_item_id"), shared.Deref(s.OfferID)) {
		delete(attrs, "catalog_item_id")
	}
	for _, name := range []string{"billing_cycle", "term_duration", "id"} {
		if written := op.KnownString(name); written != "" && strings.EqualFold(written, shared.StringOf(attrs[name])) {
			delete(attrs, name)
		}
	}
	return attrs
}

// pendingSubscriptionState is the state of a purchase whose outcome is not
// known yet: its cart, its order when known, status pending, and null for
// every other value the plan left unknown (the subscription id among them).
func pendingSubscriptionState(op *shared.Operation, cartID, orderID string) map[string]tftypes.Value {
	attrs := map[string]tftypes.Value{}
	for name, v := range op.Input {
		if !v.IsKnown() {
			attrs[name] = tftypes.NewValue(op.StateType.AttributeTypes[name], nil)
		}
	}
	attrs["status"] = tftypes.NewValue(tftypes.String, statusPending)
	attrs["cart_id"] = tftypes.NewValue(tftypes.String, cartID)
	attrs["order_id"] = tftypes.NewValue(tftypes.String, nil)
	if orderID != "" {
		attrs["order_id"] = tftypes.NewValue(tftypes.String, orderID)
	}
	return attrs
}

// refundableQuantityValue builds refundable_quantity, null when Partner
// Center sent none.
func refundableQuantityValue(stateType tftypes.Object, q *partnercenter.RefundableQuantity) tftypes.Value {
	objectType, ok := stateType.AttributeTypes["refundable_quantity"].(tftypes.Object)
	if !ok {
		panic(fmt.Errorf("refundable_quantity is %s, not an object", stateType.AttributeTypes["refundable_quantity"]))
	}
	if q == nil {
		return tftypes.NewValue(objectType, nil)
	}
	detailsType, ok := objectType.AttributeTypes["details"].(tftypes.List)
	if !ok {
		panic(fmt.Errorf("refundable_quantity.details is %s, not a list", objectType.AttributeTypes["details"]))
	}
	details := tftypes.NewValue(detailsType, nil)
	if q.Details != nil {
		batches := make([]tftypes.Value, len(q.Details))
		for i, d := range q.Details {
			batches[i] = tftypes.NewValue(detailsType.ElementType, map[string]tftypes.Value{
				"quantity":                shared.NumberValue(d.Quantity),
				"allowed_until_date_time": shared.StringValue(d.AllowedUntilDateTime),
			})
		}
		details = tftypes.NewValue(detailsType, batches)
	}
	return tftypes.NewValue(objectType, map[string]tftypes.Value{
		"total_quantity": shared.NumberValue(q.TotalQuantity),
		"details":        details,
	})
}

// sameCatalogItem reports whether two catalog item ids name the same
// product and SKU: Partner Center reissues availability ids, so the third
// part may differ for the very same offer.
func sameCatalogItem(a, b string) bool {
	productA, skuA, _, okA := shared.CatalogItemParts(a)
	productB, skuB, _, okB := shared.CatalogItemParts(b)
	return okA && okB && strings.EqualFold(productA, productB) && strings.EqualFold(skuA, skuB)
}
