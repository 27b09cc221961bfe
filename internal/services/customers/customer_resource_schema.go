package customers

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// On-destroy choices of partnercenter_customer.
const (
	customerOnDestroyAbandon = "abandon"
	customerOnDestroyDelete  = "delete"
)

// customerResourceSchema is the data source's customer, every computed
// attribute under the same name, with the arguments that create one.
// billing_profile keeps the data source's attributes, so that one builder
// fills both, but its writable ones become arguments.
func customerResourceSchema(ctx context.Context) (schema.Schema, error) {
	// A customer's computed attributes change only outside Terraform, which
	// a refresh shows.
	attributes, err := shared.StableResourceComputedAttributes(customerAttributes(shared.ComputedString("")))
	if err != nil {
		return schema.Schema{}, err
	}
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "The customer's tenant ID.",
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attributes["domain"] = schema.StringAttribute{
		MarkdownDescription: "The customer's domain: a prefix (`contoso`, which stands for " +
			"`contoso.onmicrosoft.com`) or the full name. Letter case and a final dot do not matter: `Contoso.onmicrosoft.com.` " +
			"is the same tenant. Checked when the plan creates the customer: a domain of one of your customers is adopted; " +
			"otherwise a new tenant is made, which has only its initial domain (a prefix of 1 to 27 letters and digits, " +
			"bare or followed by `.onmicrosoft.com`). It cannot change afterwards: " +
			"a change is a plan-time error, never a new tenant.",
		Required:   true,
		Validators: []validator.String{domainValidator{}},
	}
	attributes["billing_profile"] = billingProfileArgument()
	attributes["organization_registration_number"] = schema.StringAttribute{
		MarkdownDescription: "The organization's registration number, required when the billing address's country " +
			"is one that Partner Center requires it for (checked at plan time). Sent at creation only.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attributes["enable_gdap_by_default"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the customer gets a default GDAP relationship with the partner " +
			"(`enableGDAPByDefault`). Sent at creation only; Partner Center's value when not set.",
		Optional:      true,
		Computed:      true,
		PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
	}
	attributes["on_destroy"] = schema.StringAttribute{
		MarkdownDescription: "What destroying the resource does: `abandon` (the default) removes it from the state " +
			"and leaves the customer in Partner Center; `delete` deletes the customer, which Partner Center allows " +
			"only in an integration sandbox account.",
		Optional:   true,
		Computed:   true,
		Default:    stringdefault.StaticString(customerOnDestroyAbandon),
		Validators: []validator.String{stringvalidator.OneOf(customerOnDestroyAbandon, customerOnDestroyDelete)},
	}
	attributes["adopted"] = schema.BoolAttribute{
		MarkdownDescription: "Whether this resource took over a customer that already had the domain (`true`) instead " +
			"of creating its tenant (`false`). The plan decides it and the apply keeps to it: a domain that becomes " +
			"taken between the plan and the apply is never adopted by an apply whose plan said it creates the tenant. " +
			"Null for an imported customer.",
		Computed:      true,
		PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
	}
	attributes["admin_user_name"] = schema.StringAttribute{
		MarkdownDescription: "The user name of the new tenant's first administrator, as returned when the customer " +
			"was created. Null for an imported or adopted customer.",
		Computed:      true,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attributes["admin_password"] = schema.StringAttribute{
		MarkdownDescription: "The password of the new tenant's first administrator. Partner Center returns it only " +
			"in the answer to the creation: it is set once and kept, never logged. Null for an imported customer " +
			"and for one adopted after an interrupted apply (reset it in Microsoft Entra ID then).",
		Computed:      true,
		Sensitive:     true,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	return schema.Schema{
		MarkdownDescription: "Creates a customer of the partner in Partner Center (a new Microsoft Entra tenant), keeps " +
			"its billing profile up to date, and adopts existing customers by import.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{
			"timeouts": shared.ResourceTimeoutsBlock(ctx),
		},
	}, nil
}

// Writable fields of the billing profile and its address: what create and
// update send, as Partner Center names them in snake_case. Required ones
// are what Partner Center refuses a customer without.
var (
	billingProfileRequired = []string{"email", "culture", "language", "company_name"}
	// billingProfileComputed are not sent: the creation takes the contact's
	// name in default_address only.
	billingProfileComputed = []string{"id", "first_name", "last_name"}
	addressRequired        = []string{"country", "city", "address_line1"}
	// postal_code is optional because customers billed where there are no
	// postal codes (Hong Kong, Qatar) have none; creation requires it
	// (planCreate).
	addressOptional = []string{
		"postal_code", "region", "state", "district", "address_line2", "address_line3",
		"first_name", "middle_name", "last_name", "email_address", "phone_number",
	}
)

// billingProfileArgument is the data source's billing_profile with its
// writable attributes as arguments and its id computed.
func billingProfileArgument() schema.SingleNestedAttribute {
	ds := billingProfileAttribute()
	attrs := map[string]schema.Attribute{}
	for _, name := range billingProfileComputed {
		attrs[name] = schema.StringAttribute{MarkdownDescription: ds.Attributes[name].GetMarkdownDescription(), Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	argument(attrs, ds.Attributes, billingProfileRequired, true)
	address := ds.Attributes["default_address"].(dsschema.SingleNestedAttribute) //nolint:forcetypeassert // as above
	addressAttrs := map[string]schema.Attribute{}
	argument(addressAttrs, address.Attributes, addressRequired, true)
	argument(addressAttrs, address.Attributes, addressOptional, false)
	for _, name := range addressOptional {
		// Left out of the configuration, a member keeps Partner Center's
		// value: an update sends it unchanged rather than clearing it.
		a := addressAttrs[name].(schema.StringAttribute) //nolint:forcetypeassert // argument builds them so
		a.Computed = true
		a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
		a.MarkdownDescription += " Partner Center's value when not set."
		addressAttrs[name] = a
	}
	postalCode := addressAttrs["postal_code"].(schema.StringAttribute) //nolint:forcetypeassert // as above
	postalCode.MarkdownDescription = "The postal code. Required to create a customer. Optional for an imported " +
		"customer that has none (billed where there are no postal codes, such as Hong Kong, Qatar or the United " +
		"Arab Emirates): left out, it keeps Partner Center's value."
	addressAttrs["postal_code"] = postalCode
	attrs["default_address"] = schema.SingleNestedAttribute{
		MarkdownDescription: "The default billing address. Partner Center checks that it is a real address.",
		Required:            true,
		Attributes:          addressAttrs,
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The customer's billing profile (`billingProfile`). A change is sent in place as the " +
			"whole profile, with its current etag.",
		Required:   true,
		Attributes: attrs,
	}
}

// formatValidators check the billing profile's coded and formatted members
// at plan time, so that Partner Center never sees them malformed.
var formatValidators = map[string]validator.String{
	"email": emailValidator, "email_address": emailValidator, "culture": cultureValidator,
	"language": languageValidator, "country": countryValidator{},
}

// argument adds names from the data source's attributes as string
// arguments. An empty string is refused: Partner Center answers "" for a
// member never set, which the state holds as null.
func argument(to map[string]schema.Attribute, from map[string]dsschema.Attribute, names []string, required bool) {
	for _, name := range names {
		validators := []validator.String{stringvalidator.LengthAtLeast(1)}
		if v, ok := formatValidators[name]; ok {
			validators = append(validators, v)
		}
		to[name] = schema.StringAttribute{
			MarkdownDescription: from[name].GetMarkdownDescription(),
			Required:            required,
			Optional:            !required,
			Validators:          validators,
		}
	}
}

func (r *customerResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"customer_id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The customer's tenant ID.",
		},
	}}
}
