package provider

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// alignWithPlan makes a subscription just bought (or whose pending purchase
// just completed) what the plan says, where a PATCH can: the cart carries
// quantity and name, but no renewal setting, so Partner Center may hold
// other values. Each differing argument is one PATCH (billing cycle,
// quantity, auto_renew, then friendly_name, the order updates use), and
// the result is Partner Center's answer to the last one. A failed PATCH returns its error, naming the
// argument.
func alignWithPlan(op *operation, customerID, id string, rec *partnercenter.SubscriptionRecord) (*partnercenter.SubscriptionRecord, error) {
	for _, c := range differencesFromPlan(op, &rec.Subscription) {
		next, err := op.client.UpdateSubscription(op.ctx, customerID, id, c.change)
		if err != nil {
			return rec, fmt.Errorf("subscription %q was bought, but setting %s as planned failed: %w", id, c.attribute, err)
		}
		rec = next
	}
	return rec, nil
}

// differencesFromPlan are the arguments a PATCH can set whose planned
// value the subscription does not have, in the order alignWithPlan sends
// them.
func differencesFromPlan(op *operation, s *partnercenter.Subscription) []plannedChange {
	var changes []plannedChange
	if v := op.knownString("billing_cycle"); v != "" && !strings.EqualFold(v, deref(s.BillingCycle)) {
		changes = append(changes, plannedChange{"billing_cycle", partnercenter.ChangeBillingCycle(strings.ToLower(v))})
	}
	if q := op.input["quantity"]; q.IsKnown() && !q.IsNull() && (s.Quantity == nil || int64(*s.Quantity) != quantityValue(q)) {
		changes = append(changes, plannedChange{"quantity", partnercenter.ChangeQuantity(op.knownQuantity("quantity"))})
	}
	if v := op.input["auto_renew"]; v.IsKnown() && !v.IsNull() {
		var on bool
		if err := v.As(&on); err != nil {
			panic(fmt.Errorf("argument auto_renew: %w", err))
		}
		if s.AutoRenewEnabled == nil || *s.AutoRenewEnabled != on {
			changes = append(changes, plannedChange{"auto_renew", partnercenter.ChangeAutoRenew(on)})
		}
	}
	if v := op.input["friendly_name"]; v.IsKnown() && !v.IsNull() && deref(s.FriendlyName) != stringOf(v) {
		changes = append(changes, plannedChange{"friendly_name", partnercenter.ChangeFriendlyName(stringOf(v))})
	}
	return changes
}

// reportPlanDifferences fails the operation for each argument whose planned
// value the state, Partner Center's, does not hold. Terraform would refuse
// such a state anyway ("inconsistent result"); this names the argument, the
// planned value and Partner Center's, and says what to do. The state is
// kept: the subscription exists.
func reportPlanDifferences(op *operation, state map[string]tftypes.Value) {
	var differences []string
	for _, name := range []string{"customer_id", "catalog_item_id", "term_duration", "billing_cycle", "quantity", "auto_renew", "friendly_name"} {
		planned, got := op.input[name], state[name]
		if _, built := state[name]; !built || !planned.IsKnown() || planned.IsNull() || planned.Equal(got) {
			continue
		}
		differences = append(differences, fmt.Sprintf("%s is %s in Partner Center, not %s as planned", name, valueText(got), valueText(planned)))
	}
	if len(differences) == 0 {
		return
	}
	op.keepStateOnError = true
	op.diags.AddError("Subscription differs from the plan", fmt.Sprintf("Subscription %s of customer %q was bought, but %s. "+
		"Partner Center cannot change these in place. The subscription is in the state with Partner Center's values, marked "+
		"tainted by Terraform: replacing it would buy again, so run `terraform untaint` on this resource, then write Partner "+
		"Center's values in the configuration.", valueText(state["id"]), op.knownString("customer_id"), strings.Join(differences, "; ")))
}

// valueText writes a value as the configuration would.
func valueText(v tftypes.Value) string {
	switch {
	case !v.IsKnown():
		return "(unknown)"
	case v.IsNull():
		return "null"
	case v.Type().Is(tftypes.Number):
		return numberText(v)
	case v.Type().Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return fmt.Sprint(b)
	}
	return fmt.Sprintf("%q", stringOf(v))
}

// submittedCartOrder tells whether a cart whose checkout was refused had
// been checked out after all, and then finds its order: the customer's
// order of the cart's catalog item placed first since the cart was
// created. order is nil when the order list does not show it yet.
func submittedCartOrder(op *operation, customerID, cartID string) (order *partnercenter.Order, checkedOut bool, err error) {
	cart, err := op.client.GetCart(op.ctx, customerID, cartID)
	if errors.Is(err, partnercenter.ErrNotFound) {
		return nil, false, nil // no such cart (expired, or never made): nothing was bought from it
	}
	if err != nil {
		return nil, false, err
	}
	if strings.EqualFold(deref(cart.Status), "active") || len(cart.LineItems) == 0 {
		return nil, false, nil
	}
	catalogItemID := deref(cart.LineItems[0].CatalogItemID)
	created, ok := parseServiceTime(deref(cart.CreationTimestamp))
	if !ok {
		return nil, true, errors.New("the cart has no creation time to find its order by")
	}
	orders, err := op.client.ListOrders(op.ctx, customerID)
	if err != nil {
		return nil, true, err
	}
	var first *partnercenter.Order
	var firstAt time.Time
	for i := range orders {
		o := &orders[i]
		at, ok := parseServiceTime(deref(o.CreationDate))
		if !ok || at.Before(created.Add(-cartClockSkew)) || !orderBuys(o, catalogItemID) || deref(o.ID) == "" {
			continue
		}
		if first == nil || at.Before(firstAt) {
			first, firstAt = o, at
		}
	}
	return first, true, nil
}

// cartClockSkew is how much earlier than its cart an order may seem to be
// created: the two dates may come from different clocks of the service.
const cartClockSkew = 30 * time.Second

// isAPIError reports an *partnercenter.APIError with status and code.
func isAPIError(err error, status int, code string) bool {
	var apiErr *partnercenter.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status && apiErr.Code == code
}
