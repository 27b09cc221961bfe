package mockpartnercenter

import (
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// generatedSubscriptions returns the subscriptions of generated customer i,
// by i modulo 4: 0 an Azure plan (with one to three Azure subscriptions) and
// Microsoft 365 Business Basic, 1 Business Basic alone, 2 none at all, 3
// Business Basic on a monthly term, suspended, and an Azure plan. They have
// the fields of the documented new-commerce sample.
func generatedSubscriptions(i int) []*subscription {
	var subs []*subscription
	customerID := GeneratedCustomerID(i)
	add := func(k int, set func(doc map[string]any)) *subscription {
		id := uuid.NewSHA1(idNamespace, []byte("subscription/"+strconv.Itoa(i)+"/"+strconv.Itoa(k))).String()
		month := 1 + (i+k)%12
		sub := &subscription{doc: map[string]any{
			"id": id, "hasPurchasableAddons": false, "isTrial": false, "renewalTermDuration": "", "partnerId": "",
			"creationDate":       fmt.Sprintf("2024-%02d-%02dT09:%02d:00.0000000Z", month, 1+i%28, k),
			"effectiveStartDate": fmt.Sprintf("2024-%02d-%02dT00:00:00Z", month, 1+i%28),
			"status":             "active", "autoRenewEnabled": false, "attentionNeeded": false, "actionTaken": false,
			"contractType":       "subscription",
			"links":              selfLink("/customers/" + customerID + "/subscriptions/" + id),
			"isMicrosoftProduct": true,
			"publisherName":      "Microsoft Corporation",
			"orderId":            fmt.Sprintf("%012x", uuid.NewSHA1(idNamespace, []byte("order/"+id)).ID()),
			"attributes":         map[string]any{"objectType": "Subscription"},
		}}
		set(sub.doc)
		subs = append(subs, sub)
		return sub
	}
	azurePlan := func(k, entitlements int) {
		sub := add(k, func(doc map[string]any) {
			doc["offerId"], doc["offerName"], doc["friendlyName"] = azurePlanOffer, "Azure plan", "Azure plan"
			doc["productType"] = map[string]any{"id": "Azure", "displayName": "Azure"}
			doc["quantity"], doc["unitType"] = 1, "Usage-based"
			doc["commitmentEndDate"] = "9999-12-31T00:00:00Z"
			doc["billingType"], doc["billingCycle"] = "usage", "monthly"
		})
		for e := range entitlements {
			sub.entitlements = append(sub.entitlements, map[string]any{
				"id":             uuid.NewSHA1(idNamespace, []byte(fmt.Sprintf("azure/%s/%d", sub.id(), e))).String(),
				"friendlyName":   fmt.Sprintf("Azure subscription %d", e+1),
				"status":         "active",
				"subscriptionId": sub.id(),
			})
		}
	}
	switch i % 4 {
	case 0:
		azurePlan(0, 1+i%3)
		add(1, businessBasic(5+i%20, "P1Y", "monthly"))
	case 1:
		add(0, businessBasic(10+i%40, "P1Y", "annual"))
	case 3:
		add(0, func(doc map[string]any) {
			businessBasic(1+i%5, "P1M", "monthly")(doc)
			doc["status"], doc["suspensionReasons"], doc["autoRenewEnabled"] = "suspended", []string{"CustomerCancellation"}, false
		})
		azurePlan(1, 1)
	}
	return subs
}

// azurePlanOffer is the documented Azure plan offer.
const azurePlanOffer = azurePlanProductID + ":0001:DZH318Z0BML6"

// businessBasic makes a subscription the documented new-commerce offer on
// the given term.
func businessBasic(quantity int, term, cycle string) func(doc map[string]any) {
	return func(doc map[string]any) {
		doc["offerId"] = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"
		doc["offerName"], doc["friendlyName"] = "Microsoft 365 Business Basic", "Microsoft 365 Business Basic"
		doc["productType"] = map[string]any{"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"}
		doc["quantity"], doc["unitType"] = quantity, "Licenses"
		doc["autoRenewEnabled"] = true
		doc["billingType"], doc["billingCycle"], doc["termDuration"] = "license", cycle, term
		startDate := stringAt(doc, "effectiveStartDate")
		start, _ := time.Parse(time.RFC3339, startDate) // written by generatedSubscriptions
		end := start.AddDate(1, 0, -1)
		if term == "P1M" {
			end = start.AddDate(0, 1, -1)
		}
		doc["commitmentEndDate"] = end.Format(time.RFC3339)
		doc["refundOptions"] = []any{map[string]any{"type": "Full", "expiresAt": startDate[:8] + "28T00:00:00Z"}}
	}
}
