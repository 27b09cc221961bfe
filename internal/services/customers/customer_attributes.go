package customers

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// customerAttributes are the computed attributes of a customer, named as the
// snake_case of Partner Center's JSON fields. idAttribute differs between the
// single-customer data source (an argument) and the list (computed).
func customerAttributes(idAttribute schema.Attribute) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":                      idAttribute,
		"commerce_id":             shared.ComputedString("The customer's commerce ID (`commerceId`)."),
		"relationship_to_partner": shared.ComputedString("The relationship of the customer to the partner (`relationshipToPartner`), such as `reseller`, `advisor` or `none`."),
		"allow_delegated_access": schema.BoolAttribute{
			MarkdownDescription: "Whether the partner has delegated administration privileges for the customer (`allowDelegatedAccess`).",
			Computed:            true,
		},
		"associated_partner_id": shared.ComputedString("The ID of the indirect reseller associated with the customer (`associatedPartnerId`), when there is one."),
		"enable_gdap_by_default": schema.BoolAttribute{
			MarkdownDescription: "Whether the customer was created with a default GDAP relationship (`enableGDAPByDefault`).",
			Computed:            true,
		},
		"tags": schema.ListAttribute{
			MarkdownDescription: "The partner's tags on the customer (`tags`), in the order Partner Center returns them.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"custom_domains": schema.ListAttribute{
			MarkdownDescription: "The customer's custom domains (`customDomains`), in the order Partner Center returns them. Null when " +
				"Partner Center leaves them out, which it does when the partner's GDAP roles do not cover the customer (the read then warns).",
			ElementType: types.StringType,
			Computed:    true,
		},
		"domains": schema.ListAttribute{
			MarkdownDescription: "Every domain of the customer: the company profile's `domain` first, then `custom_domains`, each once " +
				"(compared without regard to letter case). Empty, never null, so it can feed `for_each` directly.",
			ElementType: types.StringType,
			Computed:    true,
		},
		"company_profile": companyProfileAttribute(),
		"billing_profile": billingProfileAttribute(),
	}
}

func companyProfileAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The customer's company profile (`companyProfile`).",
		Computed:            true,
		Attributes: map[string]schema.Attribute{
			"tenant_id":    shared.ComputedString("The customer's Microsoft Entra tenant ID."),
			"domain":       shared.ComputedString("The customer's initial domain, such as `contoso.onmicrosoft.com`."),
			"company_name": shared.ComputedString("The customer's company name."),
			"email":        shared.ComputedString("The company's contact email address. Null when the partner's GDAP roles do not cover the customer."),
			"address":      addressAttribute("The company's address. Null when the partner's GDAP roles do not cover the customer."),
			"organization_registration_number": shared.ComputedString("The organization's registration number (`organizationRegistrationNumber`), " +
				"which Partner Center requires for customers in some countries."),
		},
	}
}

func billingProfileAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The customer's billing profile (`billingProfile`).",
		Computed:            true,
		Attributes: map[string]schema.Attribute{
			"id":              shared.ComputedString("The billing profile's ID."),
			"first_name":      shared.ComputedString("The billing contact's first name."),
			"last_name":       shared.ComputedString("The billing contact's last name."),
			"email":           shared.ComputedString("The billing contact's email address."),
			"culture":         shared.ComputedString("The culture used for billing, such as `en-US`."),
			"language":        shared.ComputedString("The language used for billing, such as `en`."),
			"company_name":    shared.ComputedString("The company name on the billing profile."),
			"default_address": addressAttribute("The default billing address."),
		},
	}
}

func addressAttribute(description string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: description,
		Computed:            true,
		Attributes: map[string]schema.Attribute{
			"country":       shared.ComputedString("The two-letter ISO country code, such as `US`."),
			"region":        shared.ComputedString("The region."),
			"city":          shared.ComputedString("The city."),
			"state":         shared.ComputedString("The state or province."),
			"district":      shared.ComputedString("The district."),
			"address_line1": shared.ComputedString("The first line of the street address."),
			"address_line2": shared.ComputedString("The second line of the street address."),
			"address_line3": shared.ComputedString("The third line of the street address."),
			"postal_code":   shared.ComputedString("The postal code."),
			"first_name":    shared.ComputedString("The contact's first name."),
			"middle_name":   shared.ComputedString("The contact's middle name."),
			"last_name":     shared.ComputedString("The contact's last name."),
			"email_address": shared.ComputedString("The contact's email address (`emailAddress`)."),
			"phone_number":  shared.ComputedString("The contact's phone number."),
		},
	}
}
