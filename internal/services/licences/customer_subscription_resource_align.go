package licences

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// alignWithPlan makes a subscription just bought (or whose pending purchase
// just completed) what the plan says, where a PATCH can: the cart carries
// quantity and name, but no renewal setting, so Partner Center may hold
// other values. Each differing argument is one PATCH (billing cycle,
// quantity, auto_renew, then friendly_name, the order updates use), and
// the result is Partner Center's answer to the last one. A failed PATCH
// returns its error, naming the argument, and the argument (failed).
func alignWithPlan(op *shared.Operation, plan *subscriptionResourceModel, id string, rec *partnercenter.SubscriptionRecord) (
	_ *partnercenter.SubscriptionRecord, failed string, _ error) {
	for _, c := range differencesFromPlan(op, plan, &rec.Subscription) {
		next, err := op.Client.UpdateSubscription(op.Ctx, plan.CustomerID.ValueString(), id, c.change)
		if err != nil {
			return rec, c.attribute, fmt.Errorf("subscription %q was bought, but setting %s as planned failed: %w", id, c.attribute, err)
		}
		rec = next
	}
	return rec, "", nil
}

// differencesFromPlan are the arguments a PATCH can set whose planned
// value the subscription does not have, in the order alignWithPlan sends
// them: the changes an update would plan from the subscription as read.
func differencesFromPlan(op *shared.Operation, plan *subscriptionResourceModel, s *partnercenter.Subscription) []plannedChange {
	return plannedChanges(plan, subscriptionResourceState(plan, s, op.Diags))
}

// stateAfterPurchase is the state of a subscription just bought, made what
// the plan says where alignWithPlan could. Where Partner Center's values
// still differ from the plan, Terraform would refuse the state
// ("inconsistent result") and taint the resource, and replacing it would
// buy again. So:
//   - an argument a PATCH can set (quantity, billing cycle, auto-renew,
//     name) leaves the purchase pending with a warning: the next plan reads
//     the subscription and shows the update, which the next apply makes;
//   - an argument it cannot set (term, catalog item, the end a
//     custom_term_end_date asked for) fails with the state
//     kept, naming the planned and actual values and saying how to keep the
//     subscription without buying another;
//   - a renewal Partner Center refused (refusedRenewal) fails the same way:
//     left pending, every later apply would send the refused PATCH again.
func stateAfterPurchase(op *shared.Operation, plan, state *subscriptionResourceModel, cartID, orderID string, refusedRenewal error) *subscriptionResourceModel {
	var fixed, patchable []string
	for _, a := range []argument{
		{"customer_id", plan.CustomerID, state.CustomerID},
		{"catalog_item_id", plan.CatalogItemID, state.CatalogItemID},
		{"term_duration", plan.TermDuration, state.TermDuration},
		{"billing_cycle", plan.BillingCycle, state.BillingCycle},
		{"quantity", plan.Quantity, state.Quantity},
		{"auto_renew", plan.AutoRenew, state.AutoRenew},
		{"friendly_name", plan.FriendlyName, state.FriendlyName},
	} {
		if a.planned.IsUnknown() || a.planned.IsNull() || a.planned.Equal(a.other) {
			continue
		}
		difference := fmt.Sprintf("%s is %s in Partner Center, not %s as planned", a.name, valueText(a.other), valueText(a.planned))
		switch a.name {
		case "billing_cycle", "quantity", "auto_renew", "friendly_name":
			patchable = append(patchable, difference)
		default:
			fixed = append(fixed, difference)
		}
	}
	if difference := customTermEndDateDifference(plan, state); difference != "" {
		fixed = append(fixed, difference)
		state.CustomTermEndDate = customTermEndDateAsBought(state)
	}
	customerID := plan.CustomerID.ValueString()
	cannot := "Partner Center cannot change a subscription's term, catalog item or end date."
	if refusedRenewal != nil {
		fixed = append(fixed, "Partner Center refused to schedule renewal, so nothing is scheduled for its renewal ("+
			errorText(refusedRenewal)+")")
		cannot += " Set renewal to changes Partner Center accepts for the subscription as bought, or remove renewal."
	}
	if len(fixed) > 0 {
		op.KeepStateOnError = true
		// Terraform taints a resource whose create fails, not one whose
		// update (completing a pending purchase) does.
		keep := "To keep it, write"
		if op.Kind == shared.OperationCreate {
			keep = "Terraform marks it tainted: replacing it would buy a second subscription. To keep it, run " +
				"`terraform untaint ADDRESS` (ADDRESS being this resource's address, shown above), then write"
		}
		op.Diags.AddError("Subscription differs from the plan", fmt.Sprintf("Subscription %s of customer %q was bought, but %s. "+
			"%s The state holds the subscription with Partner Center's values. %s Partner Center's values above in the "+
			"configuration and apply: nothing is bought, and any other difference is changed in place.",
			valueText(state.ID), customerID, strings.Join(append(fixed, patchable...), "; "), cannot, keep))
		return state
	}
	if len(patchable) > 0 {
		op.Diags.AddWarning("Subscription bought, not yet as planned", fmt.Sprintf("Subscription %s of customer %q was bought, "+
			"and changed as planned, but Partner Center answered with other values: %s. The state records the purchase as "+
			"pending (order %q). The next plan reads the subscription and shows these changes, which the next apply makes in "+
			"place; it never buys a second time. Keep the state: do not remove the resource or taint it.",
			valueText(state.ID), customerID, strings.Join(patchable, "; "), orderID))
		return pendingSubscriptionState(op, plan, cartID, orderID)
	}
	return state
}

// submittedCartOrder tells whether a cart whose checkout was refused had
// been checked out after all, and then finds its order among the
// customer's orders of the cart's catalog item placed since the cart was
// created. Orders this process bought for other resources, and those
// additional_to names, are not it; the rest must buy the cart line's
// quantity (and name, when the cart has one). order is nil when no order
// matches yet; two or more matching orders are an error naming them, as
// only one can be the cart's.
func submittedCartOrder(op *shared.Operation, plan *subscriptionResourceModel, cartID string) (order *partnercenter.Order, checkedOut bool, err error) {
	customerID := plan.CustomerID.ValueString()
	cart, err := op.Client.GetCart(op.Ctx, customerID, cartID)
	if errors.Is(err, partnercenter.ErrNotFound) {
		return nil, false, nil // no such cart (expired, or never made): nothing was bought from it
	}
	if err != nil {
		return nil, false, err
	}
	// Partner Center's cart status is "Active" (can be submitted) or
	// "Ordered" (submitted); anything else says nothing either way.
	switch status := shared.Deref(cart.Status); {
	case strings.EqualFold(status, cartStatusActive):
		return nil, false, nil
	case !strings.EqualFold(status, cartStatusOrdered):
		return nil, false, fmt.Errorf("cart %q has status %q, neither %q nor %q: whether it was checked out is not known", cartID,
			status, cartStatusActive, cartStatusOrdered)
	case len(cart.LineItems) == 0:
		return nil, true, fmt.Errorf("cart %q was ordered but lists no line item to find its order by", cartID)
	}
	line := cart.LineItems[0]
	catalogItemID := shared.Deref(line.CatalogItemID)
	created, ok := parseServiceTime(shared.Deref(cart.CreationTimestamp))
	if !ok {
		return nil, true, fmt.Errorf("cart %q was ordered but its creation time %q cannot be read, so its order cannot be told "+
			"from others: look in Partner Center (Customers > the customer > Orders) for the order of catalog item %q placed when "+
			"this apply ran, then import its subscription in place of this resource (`terraform state rm` it first); if there is "+
			"none, remove the resource from the state and apply again", cartID, shared.Deref(cart.CreationTimestamp), catalogItemID)
	}
	orders, err := op.Client.ListOrders(op.Ctx, customerID)
	if err != nil {
		return nil, true, err
	}
	others, err := otherPurchases(op, plan)
	if err != nil {
		return nil, true, err
	}
	var candidates []*partnercenter.Order
	for i := range orders {
		o := &orders[i]
		orderLine := orderLineOf(o, catalogItemID)
		at, ok := parseServiceTime(shared.Deref(o.CreationDate))
		if orderLine == nil || shared.Deref(o.ID) == "" || (ok && at.Before(created.Add(-cartClockSkew))) ||
			others[strings.ToLower(shared.Deref(o.ID))] || others[strings.ToLower(shared.Deref(orderLine.SubscriptionID))] ||
			strings.EqualFold(shared.Deref(o.Status), "cancelled") {
			continue
		}
		if line.Quantity != nil && (orderLine.Quantity == nil || *orderLine.Quantity != *line.Quantity) {
			continue
		}
		if name := shared.Deref(line.FriendlyName); name != "" && orderLine.FriendlyName != nil && *orderLine.FriendlyName != name {
			continue
		}
		candidates = append(candidates, o)
	}
	switch len(candidates) {
	case 0:
		return nil, true, nil
	case 1:
		return candidates[0], true, nil
	}
	var names []string
	for _, o := range candidates {
		names = append(names, fmt.Sprintf("%q (placed %s)", shared.Deref(o.ID), shared.Deref(o.CreationDate)))
	}
	return nil, true, fmt.Errorf("cart %q was ordered, and orders %s all match it (catalog item %q, quantity %s): only one is "+
		"its order. Look in Partner Center which one this purchase made, and import its subscription in place of this "+
		"resource (`terraform state rm` it first)", cartID, strings.Join(names, ", "), catalogItemID, quantityText(line.Quantity))
}

// Partner Center's cart statuses.
const (
	cartStatusActive  = "Active"
	cartStatusOrdered = "Ordered"
)

// otherPurchases are the ids (lower case) of orders and subscriptions that
// belong to other resources: this process's purchases and what
// additional_to lists, with the orders of the subscriptions it lists.
func otherPurchases(op *shared.Operation, plan *subscriptionResourceModel) (map[string]bool, error) {
	ids, _ := acknowledgedPurchases(plan.AdditionalTo)
	if len(ids) > 0 {
		subscriptions, err := op.Client.GetCustomerSubscriptions(op.Ctx, plan.CustomerID.ValueString())
		if err != nil {
			return nil, err
		}
		for _, s := range subscriptions {
			if ids[strings.ToLower(shared.Deref(s.ID))] && shared.Deref(s.OrderID) != "" {
				ids[strings.ToLower(*s.OrderID)] = true
			}
		}
	}
	return op.Purchases.WithBought(ids), nil
}

// cartClockSkew is how much earlier than its cart an order may seem to be
// created: the two dates may come from different clocks of the service.
const cartClockSkew = 30 * time.Second

// isAPIError reports an *partnercenter.APIError with status and code.
func isAPIError(err error, status int, code string) bool {
	var apiErr *partnercenter.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status && apiErr.Code == code
}
