package licences

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var (
	_ resource.ResourceWithConfigure   = (*customerSubscriptionResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*customerSubscriptionResource)(nil)
	_ resource.ResourceWithImportState = (*customerSubscriptionResource)(nil)
	_ resource.ResourceWithIdentity    = (*customerSubscriptionResource)(nil)
)

// What on_destroy may say.
const (
	onDestroyAbandon = "abandon"
	onDestroyCancel  = "cancel"
)

// Statuses the resource gives a subscription besides Partner Center's own.
const (
	// statusPending is a purchase whose outcome is not known yet: the
	// state holds its cart (and order, once known) and no subscription id.
	statusPending = "pending"
	// statusNotFound is a subscription, or customer, Partner Center no
	// longer knows.
	statusNotFound = "not_found"
)

// maxQuantity bounds quantity at plan time; offers set lower limits of
// their own, which Partner Center enforces.
const maxQuantity = 1_000_000

// customerSubscriptionResource buys a new-commerce licence subscription for
// a customer, changes its seats, billing cycle, renewal and name, upgrades
// it to another SKU, and cancels or abandons
// it on destroy. Its arguments are what a purchase takes; its computed
// attributes are those of the partnercenter_customer_subscription data
// source.
type customerSubscriptionResource struct {
	shared.ResourceBase
}

func NewCustomerSubscriptionResource() resource.Resource {
	return &customerSubscriptionResource{}
}

var _ = shared.RegisterResource(NewCustomerSubscriptionResource)

func (r *customerSubscriptionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_subscription"
	// A pending purchase learns its subscription id later, and an upgrade
	// may move the seats into another subscription.
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *customerSubscriptionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"customer_id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The customer's tenant ID.",
		},
		"subscription_id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The subscription ID.",
		},
	}}
}

// stableSubscriptionAttributes keep their value through a change of
// quantity, renewal or name: what identifies the subscription and its
// offer, and its current term.
var stableSubscriptionAttributes = map[string]bool{
	"offer_id": true, "entitlement_id": true, "offer_name": true, "product_type": true, "unit_type": true,
	"parent_subscription_id": true, "creation_date": true, "effective_start_date": true, "commitment_end_date": true,
	"is_trial": true, "billing_type": true, "is_microsoft_product": true, "publisher_name": true, "partner_id": true,
	"contract_type": true, "order_id": true,
}

// argumentsOfTheDataSource are the data source's attributes that are
// arguments here, or that an argument replaces (auto_renew).
var argumentsOfTheDataSource = []string{"quantity", "friendly_name", "term_duration", "billing_cycle", "auto_renew_enabled", "status"}

func (r *customerSubscriptionResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	inherited := subscriptionAttributes()
	for _, name := range argumentsOfTheDataSource {
		delete(inherited, name)
	}
	attrs, err := shared.ResourceComputedAttributes(inherited, stableSubscriptionAttributes)
	if err != nil {
		resp.Diagnostics.AddError("Internal provider error", "Building the schema of partnercenter_customer_subscription: "+err.Error())
		return
	}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The subscription ID. Null while a purchase is pending (see `status`).",
		Computed:            true, PlanModifiers: keep,
	}
	attrs["customer_id"] = schema.StringAttribute{
		MarkdownDescription: "The customer's tenant ID, a GUID in any letter case. Changing it would mean a new purchase: " +
			"the plan fails instead.",
		Required: true, Validators: []validator.String{shared.GUIDValidator()},
	}
	attrs["catalog_item_id"] = schema.StringAttribute{
		MarkdownDescription: "What to buy, as `product:sku:availability` (`CFQ7TTC0LH18:0001:CFQ7TTC0K971`): take it from " +
			"`partnercenter_product_availabilities` rather than writing it, since availability IDs are reissued over time. " +
			"A new availability of the same product and SKU is no change. Another product or SKU that the subscription's " +
			"immediate transition eligibilities allow (`partnercenter_subscription_transition_eligibilities`) is an upgrade in " +
			"place: its seats move there through a transition, with the licence transfer when it is eligible, and the plan warns " +
			"what it bills; the id may change to the subscription holding the seats. An upgrade cannot be combined with a change " +
			"of `quantity` or `billing_cycle` in one plan. Any other product or SKU fails the plan, listing the eligible ones.",
		Required: true, Validators: []validator.String{shared.CatalogItemIDValidator{}},
	}
	attrs["term_duration"] = schema.StringAttribute{
		MarkdownDescription: "The term, an ISO 8601 duration: `P1M` (a month), `P1Y` (a year) or `P3Y` (three years). " +
			"Changing it would mean a new purchase: the plan fails instead.",
		Required: true, Validators: []validator.String{stringvalidator.OneOf(subscriptionTerms...)},
	}
	attrs["billing_cycle"] = schema.StringAttribute{
		MarkdownDescription: "How often the partner is billed: `monthly`, `annual` or `triennial`, in any letter case (kept as " +
			"written). A change is made in place, through the subscription's update, and takes effect at the next billing " +
			"cycle: a `P1M` term bills `monthly` only, a `P1Y` term `monthly` or `annual`, and a `P3Y` term's billing cycle " +
			"cannot change mid-term (the plan fails instead, with nothing sent). The plan warns how the invoicing changes. It " +
			"is sent before any seat change of the same apply. Like a seat change, it deletes the changes scheduled for the " +
			"renewal, which the plan warns of.",
		Required: true, Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(subscriptionBillingCycles...)},
	}
	attrs["quantity"] = schema.NumberAttribute{
		MarkdownDescription: "How many licences, at least 1. An increase buys seats at once (prorated); a decrease is possible " +
			"only for seats bought in the last 7 days (see `refundable_quantity`): beyond that, the plan fails naming the deadline that passed.",
		Required: true, Validators: []validator.Number{shared.WholeNumberValidator{Min: 1, Max: maxQuantity}},
	}
	attrs["auto_renew"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the subscription renews by itself at the end of its term (`autoRenewEnabled`). Defaults to " +
			"`true`: when importing a subscription whose auto-renew is off, set `auto_renew = false`. Turning it off does not " +
			"stop billing at term end: the subscription then moves to a month-to-month extended service term billed at a higher " +
			"price. The plan warns of every change of it. See the guide *Managing licences*.",
		Optional: true, Computed: true, Default: booldefault.StaticBool(true),
	}
	attrs["friendly_name"] = schema.StringAttribute{
		MarkdownDescription: "The subscription's name in Partner Center (`friendlyName`), not empty. Partner Center names it after " +
			"the offer when none is given; removing the argument keeps the current name.",
		Optional: true, Computed: true, PlanModifiers: keep, Validators: []validator.String{shared.FriendlyNameValidator{}},
	}
	attrs["on_destroy"] = schema.StringAttribute{
		MarkdownDescription: "What destroying the resource does. `abandon` (the default) only removes it from the state, with a " +
			"warning: the subscription keeps running and billing. `cancel` cancels it (`status = deleted`), which Partner Center " +
			"allows only until `cancellation_allowed_until_date`; after it, or when Partner Center does not show the subscription " +
			"cancelled, the destroy fails and the state is kept. A destroy uses the value in the state: apply a new value " +
			"(which sends no request) before destroying.",
		Optional: true, Computed: true, Default: stringdefault.StaticString(onDestroyAbandon),
		Validators: []validator.String{stringvalidator.OneOf(onDestroyAbandon, onDestroyCancel)},
	}
	attrs["additional_to"] = schema.SetAttribute{
		MarkdownDescription: "The subscriptions (or, before an order names its subscription, the orders) of the same product and " +
			"SKU that this purchase is knowingly in addition to. Before buying, at plan and again at apply, the resource reads the " +
			"customer's subscriptions and orders: a purchase of the same product and SKU (whatever its availability) made in the " +
			"last 7 days and not listed here stops the plan, naming it, saying to check first that no other resource manages it, " +
			"and giving the `import` block that adopts it. This is what keeps an apply that was interrupted before Terraform " +
			"saved its state (the provider killed, the machine lost) from buying a second time. Resources of one configuration " +
			"bought in the same apply do not stop each other. Partner Center may list a new order only up to 15 minutes after " +
			"the purchase, and the look-up cannot see it before: after a crash, wait 15 minutes before applying again, or " +
			"check Partner Center first. Used only for the purchase; changing it later changes nothing.",
		Optional: true, ElementType: types.StringType,
	}
	attrs["custom_term_end_date"] = customTermEndDateAttribute()
	attrs["cart_id"] = schema.StringAttribute{
		MarkdownDescription: "The cart the purchase was made from; null for an imported subscription, and after an " +
			"upgrade that moved the seats into another subscription, which was not bought from it.",
		Computed: true, PlanModifiers: keep,
	}
	attrs["status"] = schema.StringAttribute{
		MarkdownDescription: "Partner Center's `status` (`active`, `suspended`, `deleted`, ...), or `pending` while a purchase " +
			"awaits its outcome (the next plan or apply completes it), or `not_found` when Partner Center no longer knows the " +
			"subscription or its customer. With any status but `active` and `pending` the plan warns, and fails only if it " +
			"would change the subscription's arguments.",
		Computed: true,
	}
	attrs["refundable_quantity"] = refundableQuantityAttribute()
	attrs["renewal"] = renewalAttribute()
	attrs["scheduled_renewal_changes"] = schema.StringAttribute{
		MarkdownDescription: "The changes scheduled for the subscription's renewal (`scheduledNextTermInstructions`), as the " +
			"JSON Partner Center sends; null when there are none (or when they hold only nulls and empty values). Partner Center " +
			"deletes them on any mid-term change of seats or billing cycle, and drops them when auto-renew is turned off (they " +
			"require auto-renew on); the plan warns of each. `renewal` sets them, and schedules them again after such a change.",
		Computed: true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Buys a new-commerce licence subscription for a customer (a cart, then its checkout), changes its " +
			"seats, billing cycle, renewal and name in place, upgrades it to another SKU, and on destroy abandons or cancels it. Existing subscriptions come under management " +
			"with `import`, without a purchase. A change that would mean a new purchase fails the plan instead of replacing the " +
			"subscription. See the guide *Managing licences*.",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": shared.ResourceTimeoutsBlock(ctx)},
	}
}

func refundableQuantityAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The seats that may still be removed (`refundableQuantity`): Partner Center allows a decrease only " +
			"for seats bought in the last 7 days, batch by batch.",
		Computed: true,
		Attributes: map[string]schema.Attribute{
			"total_quantity": schema.NumberAttribute{MarkdownDescription: "How many seats may be removed in all.", Computed: true},
			"details":        refundableBatchesAttribute(),
		},
	}
}

func refundableBatchesAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: "Each batch of seats that may be removed, with its deadline.",
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"quantity": schema.NumberAttribute{MarkdownDescription: "The batch's seats.", Computed: true},
			"allowed_until_date_time": schema.StringAttribute{
				MarkdownDescription: "Until when they may be removed (`allowedUntilDateTime`).", Computed: true,
			},
		}},
	}
}

// ImportState takes customer_id/subscription_id, as the import ID or the
// identity. Read then fills the rest from Partner Center, arguments
// included: nothing is bought.
func (r *customerSubscriptionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, summary, ok := shared.ImportedID(ctx, req, &resp.Diagnostics, func(i *subscriptionIdentityModel) string {
		return i.CustomerID.ValueString() + "/" + i.SubscriptionID.ValueString()
	})
	if !ok {
		return
	}
	customerID, subscriptionID, err := parseSubscriptionImportID(given)
	if err != nil {
		resp.Diagnostics.AddError(summary, err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("customer_id"), customerID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), subscriptionID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("on_destroy"), types.StringValue(onDestroyAbandon))...)
	resp.Diagnostics.Append(shared.SetIdentity(ctx, resp.Identity, subscriptionResourceModel{
		CustomerID: types.StringValue(customerID), ID: types.StringValue(subscriptionID),
	})...)
}

// parseSubscriptionImportID splits "customer_id/subscription_id", two GUIDs
// (an identity's two values come joined so).
func parseSubscriptionImportID(id string) (customerID, subscriptionID string, err error) {
	customerID, subscriptionID, found := strings.Cut(strings.TrimSpace(id), "/")
	if !found || !shared.GUIDPattern.MatchString(customerID) || !shared.GUIDPattern.MatchString(subscriptionID) {
		return "", "", fmt.Errorf("%q is not customer_id/subscription_id: a subscription is imported by the customer's "+
			"tenant ID and the subscription ID, two GUIDs, such as customer_id "+
			"eebd1b55-5360-4438-a11d-5c06918c3014 and subscription_id a4c1340d-6911-4758-bba3-0c4c6007d161 (as an "+
			"import ID, joined by a slash: eebd1b55-5360-4438-a11d-5c06918c3014/a4c1340d-6911-4758-bba3-0c4c6007d161)", id)
	}
	return customerID, subscriptionID, nil
}
