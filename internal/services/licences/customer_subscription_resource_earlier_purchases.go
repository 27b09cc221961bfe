package licences

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// earlierPurchaseWindow is how far back a purchase of the same product and
// SKU stops a new one: the new-commerce cancellation window, within which a
// purchase made by mistake can still be undone, and well beyond the time an
// interrupted apply takes to be run again.
const earlierPurchaseWindow = 168 * time.Hour

// earlierPurchase is a subscription of the same product and SKU bought for
// the customer within earlierPurchaseWindow, or an order for one that has
// not named its subscription yet (subscriptionID is then "").
type earlierPurchase struct {
	subscriptionID, orderID, created string
	quantity                         string
}

// purchaseCheck is what findEarlierPurchases looks for.
type purchaseCheck struct {
	customerID, catalogItemID string
	// acknowledged are the ids (subscription or order, lower case) that
	// additional_to lists.
	acknowledged map[string]bool
	// ownPurchases are this provider process's purchases, which do not
	// count.
	ownPurchases *shared.PurchaseLedger
}

// findEarlierPurchases lists the customer's subscriptions and orders (reads
// only) for purchases of the check's product and SKU made within
// earlierPurchaseWindow that additional_to does not acknowledge and this
// provider process did not make. Both are read: a new order may take
// minutes to name its subscription, and to appear in the order list. A
// purchase whose date cannot be read counts as recent.
func findEarlierPurchases(ctx context.Context, client *partnercenter.Client, check purchaseCheck) ([]earlierPurchase, error) {
	if err := check.ownPurchases.AwaitCheckouts(ctx, check.customerID, check.catalogItemID); err != nil {
		return nil, err
	}
	now := time.Now()
	counts := func(created string) bool { return isRecentPurchase(created, now) }
	ignored := func(id string) bool {
		return id != "" && (check.acknowledged[strings.ToLower(id)] || check.ownPurchases.BoughtHere(id))
	}
	subscriptions, orders, err := check.ownPurchases.Lists.Get(ctx, client, check.customerID)
	if err != nil {
		return nil, err
	}
	var found []earlierPurchase
	knownOrders := map[string]bool{}
	for _, s := range subscriptions {
		if s.OrderID != nil {
			knownOrders[strings.ToLower(*s.OrderID)] = true
		}
		if !sameCatalogItem(check.catalogItemID, shared.Deref(s.OfferID)) || !counts(shared.Deref(s.CreationDate)) ||
			ignored(shared.Deref(s.ID)) || ignored(shared.Deref(s.OrderID)) || endedStatus(shared.Deref(s.Status)) {
			continue
		}
		found = append(found, earlierPurchase{subscriptionID: shared.Deref(s.ID), orderID: shared.Deref(s.OrderID), created: shared.Deref(s.CreationDate),
			quantity: quantityText(s.Quantity)})
	}
	for i := range orders {
		o := &orders[i]
		orderID := shared.Deref(o.ID)
		if knownOrders[strings.ToLower(orderID)] || ignored(orderID) ||
			strings.EqualFold(shared.Deref(o.Status), "cancelled") || !counts(shared.Deref(o.CreationDate)) || !orderBuys(o, check.catalogItemID) {
			continue
		}
		if orderSubscriptionID(o, check.catalogItemID) == "" {
			// The list may lag behind the order itself.
			if read, err := client.GetOrder(ctx, check.customerID, orderID); err == nil {
				o = read
			}
		}
		subscriptionID := orderSubscriptionID(o, check.catalogItemID)
		if ignored(subscriptionID) {
			continue
		}
		found = append(found, earlierPurchase{subscriptionID: subscriptionID, orderID: orderID, created: shared.Deref(o.CreationDate),
			quantity: orderQuantity(o, check.catalogItemID)})
	}
	return withoutUnresolvedCarts(found, check.ownPurchases.UnresolvedCarts(check.customerID, check.catalogItemID)), nil
}

// isRecentPurchase reports whether a purchase created then counts as
// recent at now. A date that cannot be read counts: it may be recent, and
// a purchase let through by mistake cannot be taken back.
func isRecentPurchase(created string, now time.Time) bool {
	t, ok := parseServiceTime(created)
	return !ok || now.Sub(t) < earlierPurchaseWindow
}

// withoutUnresolvedCarts leaves out the purchases that may be this
// process's own carts whose checkout answer was lost: each such cart takes
// the earliest purchase made since the cart, one purchase a cart.
func withoutUnresolvedCarts(found []earlierPurchase, carts []shared.UnresolvedCart) []earlierPurchase {
	if len(carts) == 0 {
		return found
	}
	slices.SortStableFunc(found, func(a, b earlierPurchase) int {
		at, _ := parseServiceTime(a.created)
		bt, _ := parseServiceTime(b.created)
		return at.Compare(bt)
	})
	claimed := make([]bool, len(found))
	for _, c := range carts {
		for i, p := range found {
			at, ok := parseServiceTime(p.created)
			if !claimed[i] && ok && !at.Before(c.Since.Add(-cartClockSkew)) {
				claimed[i] = true
				break
			}
		}
	}
	var rest []earlierPurchase
	for i, p := range found {
		if !claimed[i] {
			rest = append(rest, p)
		}
	}
	return rest
}

// orderBuys reports whether a line of the order is the catalog item's
// product and SKU.
func orderBuys(o *partnercenter.Order, catalogItemID string) bool {
	return orderQuantity(o, catalogItemID) != ""
}

// orderQuantity is the seats the order's line of the catalog item's product
// and SKU buys, "" when no line does.
func orderQuantity(o *partnercenter.Order, catalogItemID string) string {
	for _, li := range o.LineItems {
		if sameCatalogItem(catalogItemID, shared.Deref(li.OfferID)) {
			if q := quantityText(li.Quantity); q != "" {
				return q
			}
			return "?"
		}
	}
	return ""
}

func quantityText(q *float64) string {
	if q == nil {
		return ""
	}
	return fmt.Sprintf("%g", *q)
}

// endedStatus reports a subscription that can no longer be what an
// interrupted apply left behind to adopt.
func endedStatus(status string) bool {
	switch strings.ToLower(status) {
	case partnercenter.SubscriptionStatusDeleted, "expired", "disabled":
		return true
	}
	return false
}

// acknowledgedPurchases are the ids additional_to lists, in lower case;
// known is false while the list is not known yet.
func acknowledgedPurchases(v types.Set) (ids map[string]bool, known bool) {
	ids = map[string]bool{}
	if v.IsNull() {
		return ids, true
	}
	if v.IsUnknown() {
		return nil, false
	}
	for _, item := range v.Elements() {
		if item.IsUnknown() {
			return nil, false
		}
		if s := stringOf(item); s != "" {
			ids[strings.ToLower(strings.TrimSpace(s))] = true
		}
	}
	return ids, true
}

// earlierPurchaseRefusal explains the purchases that stop this one and how
// to adopt them, or to buy anyway. Nothing was bought.
func earlierPurchaseRefusal(customerID, catalogItemID string, found []earlierPurchase) (summary, detail string) {
	var lines, adopt, ids []string
	for _, p := range found {
		ids = append(ids, fmt.Sprintf("%q", shared.OrNone(firstNonEmpty(p.subscriptionID, p.orderID))))
		if p.subscriptionID == "" {
			lines = append(lines, fmt.Sprintf("- order %q of %s seats, placed %s, has not named its subscription yet", p.orderID, p.quantity, createdText(p.created)))
			continue
		}
		lines = append(lines, fmt.Sprintf("- subscription %q of %s seats (order %q), bought %s", p.subscriptionID, p.quantity, shared.OrNone(p.orderID), createdText(p.created)))
		adopt = append(adopt, fmt.Sprintf("import {\n  to = partnercenter_customer_subscription.NAME\n  id = \"%s/%s\"\n}", customerID, p.subscriptionID))
	}
	product, sku, _, _ := shared.CatalogItemParts(catalogItemID)
	check := "First check whether a resource of this configuration already manages it: `terraform state list` lists the " +
		"resources, and `terraform state show ADDRESS` shows each one's id. Another resource of this configuration (an earlier " +
		"element of count or for_each, say) may hold it, and two resources must never manage one subscription.\n\n" +
		fmt.Sprintf("If this purchase is meant in addition to it, buy deliberately: list it in this resource, additional_to = "+
			"[%s], or the other resource's id (additional_to = [partnercenter_customer_subscription.OTHER.id]).", strings.Join(ids, ", "))
	how := "Only if no resource manages it: run the plan again in a minute, once the order names its subscription; this " +
		"message then gives the import block that adopts it."
	if len(adopt) > 0 {
		how = "Only if no resource manages it, it is what an interrupted apply bought (the provider was stopped before Terraform " +
			"saved the state): adopt it instead of buying again. Add this block to the configuration, NAME being this resource's " +
			"name (shown above), and apply; nothing is bought:\n\n" + strings.Join(adopt, "\n") + "\n\nImport one of them only, " +
			"and never one that `terraform state list` and `terraform state show` show under another address."
	}
	return "Same product bought recently", fmt.Sprintf("Customer %q has bought product %s SKU %s within the last 7 days, and the "+
		"configuration does not say this purchase is in addition to it:\n%s\nNothing was bought.\n\n%s\n\n%s",
		customerID, product, sku, strings.Join(lines, "\n"), check, how)
}

// createdText is a purchase's date as Partner Center wrote it, saying so
// when it cannot be read: such a purchase counts as recent.
func createdText(created string) string {
	if _, ok := parseServiceTime(created); ok {
		return created
	}
	return fmt.Sprintf("at an unreadable date %q (counted as recent)", created)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// refuseEarlierPurchases fails the plan of a purchase when the customer
// bought the same product and SKU recently and additional_to does not
// acknowledge it. It reads only, and only when what it needs is known at
// plan time; the apply looks again before the cart.
func (r *customerSubscriptionResource) refuseEarlierPurchases(ctx context.Context, plan *subscriptionResourceModel, diags *diag.Diagnostics) {
	customerID, catalogItemID := plan.CustomerID.ValueString(), plan.CatalogItemID.ValueString()
	acknowledged, known := acknowledgedPurchases(plan.AdditionalTo)
	if r.Data == nil || customerID == "" || catalogItemID == "" || !known {
		return
	}
	ctx, cancel := context.WithTimeout(shared.MaskSecrets(ctx, r.Data.Secrets), shared.DefaultTimeouts[shared.OperationRead])
	defer cancel()
	check := purchaseCheck{customerID: customerID, catalogItemID: catalogItemID, acknowledged: acknowledged, ownPurchases: r.Data.Purchases}
	found, err := findEarlierPurchases(ctx, r.Data.Client, check)
	if err != nil {
		diags.AddError(shared.OperationErrorDiagnostic(ctx, shared.OperationRead, fmt.Sprintf("Looking for recent purchases of catalog item %q "+
			"by customer %q before buying", catalogItemID, customerID), err, shared.DefaultTimeouts[shared.OperationRead]))
		return
	}
	if len(found) > 0 {
		summary, detail := earlierPurchaseRefusal(customerID, catalogItemID, found)
		diags.AddAttributeError(path.Root("catalog_item_id"), summary, detail)
	}
}

// refuseEarlierPurchasesAtApply looks again just before the cart, for
// what the plan could not see (values known only at apply, a saved plan
// applied later). It reports whether the purchase may go on.
func refuseEarlierPurchasesAtApply(op *shared.Operation, plan *subscriptionResourceModel) bool {
	acknowledged, _ := acknowledgedPurchases(plan.AdditionalTo)
	check := purchaseCheck{customerID: plan.CustomerID.ValueString(), catalogItemID: plan.CatalogItemID.ValueString(), acknowledged: acknowledged,
		ownPurchases: op.Purchases}
	found, err := findEarlierPurchases(op.Ctx, op.Client, check)
	if err != nil {
		op.Fail(fmt.Sprintf("Looking for recent purchases of catalog item %q by customer %q before buying", check.catalogItemID,
			check.customerID), err)
		return false
	}
	if len(found) > 0 {
		summary, detail := earlierPurchaseRefusal(check.customerID, check.catalogItemID, found)
		op.Diags.AddAttributeError(path.Root("catalog_item_id"), summary, detail)
		return false
	}
	return true
}
