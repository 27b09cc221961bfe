package mockpartnercenter

import (
	"cmp"
	"time"

	"github.com/google/uuid"
)

// newPurchasedSubscription is the subscription a checked-out cart line
// creates at now, as the service answers a read of it (the shape of "Change
// the quantity of a subscription") with the cancellation window it adds:
// cancellable, and its seats refundable, for 168 hours; its commitment ends
// the day before the term's anniversary, or on its custom term end date.
func newPurchasedSubscription(customerID, orderID string, item catalogItem, line cartLineItem, name string, now time.Time) *subscription {
	id := uuid.NewString()
	window := now.Add(cancellationWindow).Format(pcTimeLayout)
	end := cmp.Or(line.CustomTermEndDate, now.Truncate(24*time.Hour).AddDate(0, termMonths(line.TermDuration), -1).Format(time.RFC3339))
	return &subscription{doc: map[string]any{
		"id": id, "offerId": item.id(), "offerName": item.title, "friendlyName": name,
		"productType": map[string]any{"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"},
		"quantity":    line.Quantity, "unitType": "Licenses", "hasPurchasableAddons": false,
		"creationDate":                 now.Format(pcTimeLayout),
		"effectiveStartDate":           now.Format(pcTimeLayout),
		"commitmentEndDate":            end,
		"cancellationAllowedUntilDate": window,
		"status":                       "active", "autoRenewEnabled": true, "isTrial": false,
		"billingType": "license", "billingCycle": line.BillingCycle,
		"termDuration": line.TermDuration, "renewalTermDuration": "",
		"refundOptions":      []any{map[string]any{"type": "Full", "expiresAt": window}},
		"isMicrosoftProduct": true, "partnerId": "", "attentionNeeded": false, "actionTaken": false,
		"contractType":  "subscription",
		"links":         selfLink("/customers/" + customerID + "/subscriptions/" + id),
		"publisherName": "Microsoft Corporation",
		"refundableQuantity": map[string]any{
			"totalQuantity": line.Quantity,
			"details":       []any{map[string]any{"quantity": line.Quantity, "allowedUntilDateTime": window}},
		},
		"orderId":    orderID,
		"attributes": map[string]any{"etag": subscriptionEtag(id, 1), "objectType": "Subscription"},
	}}
}
