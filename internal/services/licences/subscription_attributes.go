package licences

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// subscriptionAttributes are the computed attributes of a subscription, named
// as the snake_case of Partner Center's JSON fields. Dates are the strings
// Partner Center sends, unparsed, so that nothing is lost or reformatted.
// The id attribute is set by the caller: an argument when reading one
// subscription, computed in a list.
func subscriptionAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"offer_id": shared.ComputedString("The offer the subscription is for (`offerId`). New-commerce offers read `product:sku:availability`, " +
			"such as `CFQ7TTC0LH18:0001:CFQ7TTC0K971`; legacy offers are a GUID or a name such as `MS-AZR-0145P`."),
		"entitlement_id": shared.ComputedString("The entitlement behind the subscription (`entitlementId`); for a legacy Azure subscription, " +
			"its Azure subscription ID."),
		"offer_name":    shared.ComputedString("The offer's name (`offerName`), such as `Microsoft 365 Business Basic` or `Azure plan`."),
		"friendly_name": shared.ComputedString("The name the partner gave the subscription to tell it apart from others of the same offer (`friendlyName`)."),
		"product_type":  productTypeAttribute(),
		"quantity": schema.NumberAttribute{
			MarkdownDescription: "How many units the subscription has (`quantity`): for license-based billing, the number of licenses.",
			Computed:            true,
		},
		"unit_type": shared.ComputedString("What `quantity` counts (`unitType`), such as `Licenses`, `Usage-based` or `Benefit`."),
		"parent_subscription_id": shared.ComputedString("For an add-on, the subscription it was bought for (`parentSubscriptionId`); " +
			"null for a base subscription."),
		"has_purchasable_addons": shared.ComputedBool("Whether add-ons can be bought for the subscription (`hasPurchasableAddons`)."),
		"creation_date":          shared.ComputedString("When the subscription was created (`creationDate`), as Partner Center sends it (ISO 8601, usually UTC)."),
		"effective_start_date": shared.ComputedString("When the subscription took effect (`effectiveStartDate`); for a migrated subscription, " +
			"the date it was aligned to."),
		"commitment_end_date": shared.ComputedString("When the current term ends (`commitmentEndDate`): the subscription renews or ends then. " +
			"Subscriptions that do not run by term, such as an Azure plan, show a date far in the future."),
		"billing_cycle_end_date": shared.ComputedString("When the current billing period ends (`billingCycleEndDate`)."),
		"cancellation_allowed_until_date": shared.ComputedString("The last moment the subscription can be cancelled in its current term " +
			"(`cancellationAllowedUntilDate`); null when it cannot be cancelled."),
		"status": shared.ComputedString("The subscription's state (`status`): `active`, `pending` (being provisioned), `suspended` " +
			"(see `suspension_reasons`), `deleted` (cancelled or expired) or `none`."),
		"suspension_reasons": shared.ComputedStringList("Why a suspended subscription is suspended (`suspensionReasons`); null when Partner Center sends none."),
		"auto_renew_enabled": shared.ComputedBool("Whether the subscription renews by itself when its term ends (`autoRenewEnabled`)."),
		"is_trial":           shared.ComputedBool("Whether the subscription is a trial (`isTrial`)."),
		"billing_type": shared.ComputedString("How the subscription is charged (`billingType`): `license` (per license for each term), " +
			"`usage` (pay as you go by consumption, as an Azure plan), `benefit` (a commitment such as an Azure savings plan) or `none`."),
		"billing_cycle": shared.ComputedString("How often the partner is billed for the subscription (`billingCycle`): `monthly`, `annual`, " +
			"`triennial`, `one_time` or `none`."),
		"term_duration": shared.ComputedString("The length of a term as an ISO 8601 duration (`termDuration`): `P1M` (a month), `P1Y` (a year) " +
			"or `P3Y` (three years)."),
		"renewal_term_duration": shared.ComputedString("The term the subscription renews into, as an ISO 8601 duration (`renewalTermDuration`); " +
			"empty when it renews into its current term."),
		"refund_options":       refundOptionsAttribute(),
		"is_microsoft_product": shared.ComputedBool("Whether Microsoft publishes the product (`isMicrosoftProduct`); false for third-party marketplace offers."),
		"publisher_name":       shared.ComputedString("The product's publisher (`publisherName`), such as `Microsoft Corporation`."),
		"partner_id": shared.ComputedString("The MPN ID of the indirect reseller of record (`partnerId`), for subscriptions sold through an " +
			"indirect reseller; empty or null otherwise."),
		"attention_needed": shared.ComputedBool("Whether Partner Center flags the subscription as needing the partner's attention (`attentionNeeded`)."),
		"action_taken":     shared.ComputedBool("Whether the partner has acted on that flag (`actionTaken`)."),
		"actions":          shared.ComputedStringList("What the partner may do with the subscription (`actions`), such as `edit` or `cancel`; null when not sent."),
		"contract_type": shared.ComputedString("How the customer receives the product (`contractType`): `subscription`, `productKey` or " +
			"`redemptionCode`."),
		"order_id": shared.ComputedString("The order that created the subscription (`orderId`)."),
	}
}

// productTypeAttribute is product_type; the model's nested values take
// their types from it.
func productTypeAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The kind of product (`productType`), sent for new-commerce and Azure subscriptions and null for legacy ones.",
		Computed:            true,
		Attributes: map[string]schema.Attribute{
			"id": shared.ComputedString("The product type, such as `OnlineServicesNCE` (new-commerce Microsoft 365 and Dynamics 365), " +
				"`Software`, or `Azure` (an Azure plan, reservation or savings plan)."),
			"display_name": shared.ComputedString("The product type's display name."),
			"sub_type":     subTypeAttribute(),
		},
	}
}

func subTypeAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "A finer kind within the product type (`subType`), such as `SavingsPlan` under `Azure`; null when there is none.",
		Computed:            true,
		Attributes: map[string]schema.Attribute{
			"id":           shared.ComputedString("The sub-type."),
			"display_name": shared.ComputedString("The sub-type's display name."),
		},
	}
}

func refundOptionsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: "The refunds still open if the subscription is cancelled now (`refundOptions`), in the order Partner Center sends them; " +
			"null when it sends none.",
		Computed: true,
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"type":       shared.ComputedString("`Full` or `Partial`."),
				"expires_at": shared.ComputedString("When this refund stops being available (`expiresAt`)."),
			},
		},
	}
}
