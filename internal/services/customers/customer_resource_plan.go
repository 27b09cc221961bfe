package customers

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// ModifyPlan refuses, before anything is written, what the apply could
// only refuse or do wrongly: a customer without the registration number its
// country requires, a domain another tenant has, and a change of domain.
// Only reads are sent.
func (r *customerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: on_destroy decides
	}
	if req.State.Raw.IsNull() {
		r.planCreate(ctx, req, resp)
		return
	}
	planUpdate(ctx, req, resp)
}

func (r *customerResource) planCreate(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var country, postalCode, registrationNumber, domain types.String
	address := path.Root("billing_profile").AtName("default_address")
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, address.AtName("country"), &country)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, address.AtName("postal_code"), &postalCode)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("organization_registration_number"), &registrationNumber)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("domain"), &domain)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Partner Center's address rules make the postal code optional in some
	// countries, but Microsoft documents no list of them (only a per-country
	// lookup), so a creation requires one everywhere.
	if postalCode.IsNull() {
		resp.Diagnostics.AddAttributeError(address.AtName("postal_code"), "Postal code required",
			"Creating a customer takes the postal code of its billing address: set "+
				"billing_profile.default_address.postal_code. Only a customer imported without one may leave it out.")
	}
	if !country.IsUnknown() && registrationNumber.IsNull() && partnercenter.RegistrationNumberRequired(country.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("organization_registration_number"), "Organization registration number required",
			fmt.Sprintf("Partner Center requires an organization registration number for customers billed in %s "+
				"(it refuses the creation with code %s otherwise): set organization_registration_number.",
				strings.ToUpper(country.ValueString()), partnercenter.CodeRegistrationNumberMissing))
	}
	// The provider may not be configured yet (its arguments unknown until
	// apply); the apply checks the domain again.
	if domain.IsUnknown() || r.Data == nil {
		return
	}
	stateType, ok := req.Plan.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return
	}
	op, cancel := shared.BeginOperation(ctx, r.Data, shared.OperationRead, stateType, req.Config.Raw, &resp.Diagnostics)
	if op == nil {
		return
	}
	defer cancel()
	free, customer := checkDomainAtPlan(op, initialDomain(domain.ValueString()))
	switch {
	case free:
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("adopted"), false)...)
	case customer != nil:
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("adopted"), true)...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), *customer.ID)...)
		planAdoptedGDAP(ctx, req, resp, customer)
	}
}

// planAdoptedGDAP plans the adopted customer's enable_gdap_by_default,
// which only a creation sets. Terraform takes no planned value other than
// a configured one, so a configuration that says otherwise is refused here,
// before anything is written, rather than failing the apply.
func planAdoptedGDAP(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, customer *partnercenter.Customer) {
	if customer.EnableGDAPByDefault == nil {
		return // the answer does not say it: the apply keeps the planned value
	}
	var configured types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("enable_gdap_by_default"), &configured)...)
	if resp.Diagnostics.HasError() || configured.IsUnknown() {
		return
	}
	current := *customer.EnableGDAPByDefault
	if !configured.IsNull() && configured.ValueBool() != current {
		resp.Diagnostics.AddAttributeError(path.Root("enable_gdap_by_default"), "Sent only when the customer is created",
			fmt.Sprintf("This resource would adopt your customer %q, whose enable_gdap_by_default is %t; the "+
				"configuration says %t, which only a creation sets, so the apply could not make it true. Set "+
				"enable_gdap_by_default = %t (or remove it) to adopt this customer.", *customer.ID, current,
				configured.ValueBool(), current))
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("enable_gdap_by_default"), current)...)
}

// checkDomainAtPlan asks whether the domain is free. A free domain names a
// new tenant, whose prefix rules are checked here; a domain of one of the
// partner's customers is a warning (the apply adopts it, which is how an
// interrupted creation recovers); of any other tenant, an error. It
// returns whether the domain is free, and the customer to adopt.
func checkDomainAtPlan(op *shared.Operation, domain string) (free bool, adopt *partnercenter.Customer) {
	available, err := op.Client.DomainAvailable(op.Ctx, domain)
	if err != nil {
		op.Fail(fmt.Sprintf("Checking whether the domain %q is free", domain), err)
		return false, nil
	}
	if available {
		if err := checkNewTenantDomain(domain); err != nil {
			op.Diags.AddAttributeError(path.Root("domain"), "Invalid domain for a new tenant", fmt.Sprintf(
				"No customer has the domain %q, so the apply would create a tenant for it, but %s.", domain, err))
		}
		return true, nil
	}
	customer, err := findCustomerByDomain(op.Ctx, op.Client, domain)
	switch {
	case errors.Is(err, partnercenter.ErrNotFound):
		op.Diags.AddAttributeError(path.Root("domain"), "Domain already taken", takenDomainDetail(domain))
	case err != nil:
		op.Fail(fmt.Sprintf("Looking for the customer with domain %q", domain), err)
	default:
		op.Diags.AddAttributeWarning(path.Root("domain"), "Domain belongs to one of your customers", fmt.Sprintf(
			"The domain %q belongs to your customer %q. The apply will adopt that customer into this resource instead "+
				"of creating a tenant (as after an apply interrupted once the customer existed), and set its billing "+
				"profile to the configuration's where it differs; admin_user_name and admin_password will stay null. To "+
				"bring it under management explicitly, import it instead (a later plan then shows any billing profile "+
				"change): terraform import <address> %s. Manage it from this resource only: another instance that "+
				"holds it and is destroyed with on_destroy = \"delete\" (the old one of a create_before_destroy "+
				"replacement) deletes it. If this warning appears during an apply whose plan said "+
				"this resource creates a tenant, the domain was taken since the plan, and the apply stops with "+
				"nothing written: plan again.", domain, *customer.ID, *customer.ID))
		return false, customer
	}
	return false, nil
}

// takenDomainDetail explains a domain that a tenant has but that is not
// (or not yet) listed among the partner's customers.
func takenDomainDetail(domain string) string {
	return fmt.Sprintf("The domain %q is taken by a tenant that is not listed among your customers. If an earlier apply "+
		"of this resource was interrupted while creating the customer, that tenant may be the one it created: Partner "+
		"Center can take several minutes to list a new customer. Keep this configuration as it is and plan again in a "+
		"few minutes; once listed, the customer is adopted, not created again. If no apply of yours created it, the "+
		"domain belongs to someone else: choose another domain.", domain)
}

// planUpdate refuses a change of domain, and of what only a creation sends
// (enable_gdap_by_default, organization_registration_number).
func planUpdate(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var planned, current types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("domain"), &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("domain"), &current)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !planned.IsUnknown() && !current.IsNull() {
		if initialDomain(planned.ValueString()) != initialDomain(current.ValueString()) {
			resp.Diagnostics.AddAttributeError(path.Root("domain"), "A customer's domain cannot change", fmt.Sprintf(
				"This customer's domain is %q; the configuration now says %q. A customer's domain cannot change: "+
					"another domain would mean a new tenant, which this resource never creates in place of an existing "+
					"customer. Restore the domain, or remove this customer from the configuration (on_destroy then "+
					"decides what happens to it) and add a new partnercenter_customer for the new domain.",
				current.ValueString(), planned.ValueString()))
			return
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("domain"), current)...)
	}
	keepCreationArgument[types.String](ctx, req, resp, "organization_registration_number", false)
	keepCreationArgument[types.Bool](ctx, req, resp, "enable_gdap_by_default", true)
	planUnsettledProfile(ctx, req, resp)
}

// planUnsettledProfile plans an update of a billing profile that the
// creation could not confirm (settleProfile): without a refresh
// (-refresh=false) the state shows the configuration's values, so no
// difference would otherwise be planned and the profile never sent.
func planUnsettledProfile(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	marker, diags := req.Private.GetKey(ctx, billingProfileUnsettledKey)
	resp.Diagnostics.Append(diags...)
	if len(marker) == 0 || resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("billing_profile").AtName("id"), types.StringUnknown())...)
	resp.Diagnostics.AddAttributeWarning(path.Root("billing_profile"), "Billing profile sent again",
		"When this customer was created, Partner Center was not seen to hold the configured billing profile, and the "+
			"state has shown the configuration's values since, without a refresh to correct them. This plan sends "+
			"the profile again, under the etag read then; if it changed since, the apply writes nothing and asks "+
			"for a plan with a refresh.")
}

// keepCreationArgument refuses a configured value of an argument that only
// the creation sends when it differs from the state's: Terraform takes no
// planned value other than a configured one, and no request can change
// it. Left out of the configuration, a computed one keeps the state's.
func keepCreationArgument[T interface {
	IsNull() bool
	IsUnknown() bool
	String() string
}](ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, name string, computed bool) {
	var configured, current T
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), &configured)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(name), &current)...)
	if resp.Diagnostics.HasError() || configured.IsUnknown() {
		return
	}
	switch {
	case configured.IsNull() && computed:
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), current)...)
	case !configured.IsNull() && configured.String() != current.String():
		has, advice := current.String(), "Set it back to "+current.String()+", or remove it."
		if current.IsNull() {
			has, advice = "none recorded", "Remove it."
		}
		resp.Diagnostics.AddAttributeError(path.Root(name), "Sent only when the customer is created",
			fmt.Sprintf("%s is sent to Partner Center only when the customer is created, and the customer has %s; "+
				"the configuration's %s cannot be applied. %s", name, has, configured.String(), advice))
	}
}
