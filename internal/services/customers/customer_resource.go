package customers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var (
	_ resource.ResourceWithConfigure   = (*customerResource)(nil)
	_ resource.ResourceWithImportState = (*customerResource)(nil)
	_ resource.ResourceWithIdentity    = (*customerResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*customerResource)(nil)
	_ shared.Modeled                   = (*customerResource)(nil)
)

// recoveryLookupTimeout bounds the search for a customer whose creation
// ended without an answer; it runs even when the creation's own time is up.
const recoveryLookupTimeout = time.Minute

type customerResource struct {
	shared.ResourceBase
}

// customerResourceModel is the resource's plan and state: the customer as
// the data source reads it, with the arguments that create it.
type customerResourceModel struct {
	customerModel
	Domain                         types.String   `tfsdk:"domain"`
	OrganizationRegistrationNumber types.String   `tfsdk:"organization_registration_number"`
	OnDestroy                      types.String   `tfsdk:"on_destroy"`
	Adopted                        types.Bool     `tfsdk:"adopted"`
	AdminUserName                  types.String   `tfsdk:"admin_user_name"`
	AdminPassword                  types.String   `tfsdk:"admin_password"`
	Timeouts                       timeouts.Value `tfsdk:"timeouts"`
}

func (r *customerResource) Model() any { return &customerResourceModel{} }

// customerIdentityModel is the resource identity of partnercenter_customer.
type customerIdentityModel struct {
	CustomerID types.String `tfsdk:"customer_id"`
}

func (m customerResourceModel) IdentityModel() any { return &customerIdentityModel{CustomerID: m.ID} }

func NewCustomerResource() resource.Resource { return &customerResource{} }

var _ = shared.RegisterResource(NewCustomerResource)

func (r *customerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (r *customerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	s, err := customerResourceSchema(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Internal provider error", "Building the schema of partnercenter_customer: "+err.Error())
		return
	}
	resp.Schema = s
}

// Create adopts the customer the plan said it adopts (adopted, with its
// id), or creates one where the plan found the domain free. A domain whose
// owner changed since the plan is refused with nothing written: the apply
// does only what its plan showed. When the creation's outcome stays
// unknown, the customer is looked for by its domain: found, it is adopted
// (this Create made it); not found, nothing is saved, and the error says
// whether the domain is still free.
func (r *customerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var (
		etag      string
		unsettled bool
	)
	shared.Create(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, plan *customerResourceModel) *customerResourceModel {
		domain := initialDomain(plan.Domain.ValueString())
		plannedAdoption, plannedID := plannedAdoptionOf(plan)
		available, err := op.Client.DomainAvailable(op.Ctx, domain)
		if err != nil {
			op.Fail(fmt.Sprintf("Checking whether the domain %q is free", domain), err)
			return nil
		}
		if !available {
			customer, err := findCustomerByDomain(op.Ctx, op.Client, domain)
			if err != nil {
				r.failTakenDomain(op, domain, err)
				return nil
			}
			if !checkAdoptionAsPlanned(op, plan, domain, customer, plannedAdoption, plannedID) {
				return nil
			}
			op.Diags.AddWarning("Existing customer adopted", fmt.Sprintf("The domain %q belongs to your customer %q, which "+
				"this resource now manages instead of creating a tenant, as the plan said. admin_user_name and "+
				"admin_password stay null; its billing profile is set to the configuration's where it differs.",
				domain, *customer.ID))
			var state *customerResourceModel
			state, etag, unsettled = customerState(op, plan, customer, nil, true)
			if state != nil {
				state.ID = types.StringValue(plannedID) // the same customer, as the plan spelled its id
			}
			return state
		}
		if plannedAdoption == adoptionPlanned {
			op.Diags.AddAttributeError(path.Root("domain"), "Customer to adopt no longer has the domain", fmt.Sprintf(
				"The plan adopts your customer %q, which had the domain %q, but the domain is free now: the customer "+
					"was deleted or ended its relationship with you since the plan. Creating a tenant instead is not what "+
					"the plan showed, so nothing was written. Run terraform plan again: it shows the creation of a new "+
					"tenant, which you can then apply.", plannedID, domain))
			return nil
		}
		// The plan checked this unless the provider's configuration was
		// unknown then.
		if err := checkNewTenantDomain(domain); err != nil {
			op.Diags.AddAttributeError(path.Root("domain"), "Invalid domain for a new tenant", fmt.Sprintf(
				"No customer has the domain %q, so a tenant would be created for it, but %s. Nothing was written.", domain, err))
			return nil
		}

		planned := billingProfileOf(op.Ctx, plan.BillingProfile, op.Diags)
		if planned == nil {
			op.Diags.AddAttributeError(path.Root("billing_profile"), "Internal provider error",
				"The plan holds no billing profile to create the customer with. This is a bug in the provider; please report it.")
			return nil
		}
		// Null or unknown: false, as the creation sends it.
		enableGDAP := plan.EnableGDAPByDefault.ValueBool()
		created, err := op.Client.CreateCustomer(op.Ctx, newCustomerRequest(domain, plan.OrganizationRegistrationNumber.ValueString(), enableGDAP, planned))
		var admin *partnercenter.AdminCredentials
		if created != nil {
			admin = &created.Credentials
			op.Ctx = shared.MaskSecrets(op.Ctx, []string{created.Credentials.Password})
		}
		if err != nil {
			if admin == nil && refusedOutright(err) {
				op.Fail(fmt.Sprintf("Creating customer with domain %q", domain), err)
				return nil
			}
			customer := recoverCreate(op, domain, err, created)
			if customer == nil {
				return nil
			}
			var state *customerResourceModel
			state, etag, unsettled = customerState(op, plan, customer, admin, false)
			return state
		}
		customer := &created.Customer
		// The creation's answer says less than a read of the customer.
		if read, err := op.Client.GetCustomer(op.Ctx, *customer.ID); err == nil {
			customer = read
		}
		var state *customerResourceModel
		state, etag, unsettled = customerState(op, plan, customer, admin, false)
		return state
	})
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, billingProfileETagKey, etagJSON(etag))...)
		if unsettled {
			resp.Diagnostics.Append(resp.Private.SetKey(ctx, billingProfileUnsettledKey, []byte("true"))...)
		}
	}
}

// adoption is what a plan decided for a domain taken or free.
type adoption int

const (
	// adoptionUnplanned: the plan could not check the domain (the
	// provider's configuration was unknown then).
	adoptionUnplanned adoption = iota
	adoptionPlanned
	creationPlanned
)

// plannedAdoptionOf is what the plan decided (adopted) and the id of the
// customer it adopts.
func plannedAdoptionOf(plan *customerResourceModel) (adoption, string) {
	switch {
	case plan.Adopted.IsUnknown() || plan.Adopted.IsNull():
		return adoptionUnplanned, ""
	case !plan.Adopted.ValueBool():
		return creationPlanned, ""
	}
	return adoptionPlanned, plan.ID.ValueString()
}

// checkAdoptionAsPlanned reports, before anything is written, a customer
// with the domain that the plan did not say this resource adopts: the
// domain was free at plan time and a customer took it since (another
// resource of the configuration with the same domain, or someone outside
// Terraform), or it changed hands. It also refuses a customer whose
// enable_gdap_by_default, which no request can change, differs from the
// plan's: the state could hold neither value truthfully.
func checkAdoptionAsPlanned(op *shared.Operation, plan *customerResourceModel, domain string, customer *partnercenter.Customer, planned adoption, plannedID string) bool {
	id := *customer.ID
	switch {
	case planned == adoptionPlanned && strings.EqualFold(id, plannedID):
	case planned == adoptionPlanned:
		op.Diags.AddAttributeError(path.Root("domain"), "Domain changed hands since the plan", fmt.Sprintf("The plan adopts "+
			"your customer %q for the domain %q, but your customer %q has the domain now. Nothing was written. Run "+
			"terraform plan again and check which customer it adopts.", plannedID, domain, id))
		return false
	default:
		when := "which was free then"
		if planned == adoptionUnplanned {
			when = "which the plan could not check (the provider's configuration was unknown then)"
		}
		op.Diags.AddAttributeError(path.Root("domain"), "Domain taken since the plan", fmt.Sprintf("The plan creates a "+
			"tenant for the domain %q, %s, but your customer %q has it now: another resource of this configuration "+
			"with the same domain created it, or someone did outside Terraform. This resource does not take it "+
			"over, because its plan did not say so; nothing was written. Manage that customer from ONE resource: if "+
			"another resource holds it, give this one a different domain (or remove it); otherwise import it into "+
			"this one (terraform import <address> %s) and apply again.", domain, when, id, id))
		return false
	}
	if plannedGDAP := plan.EnableGDAPByDefault; customer.EnableGDAPByDefault != nil && !plannedGDAP.IsUnknown() && !plannedGDAP.IsNull() {
		enable := plannedGDAP.ValueBool()
		if enable != *customer.EnableGDAPByDefault {
			op.Diags.AddAttributeError(path.Root("enable_gdap_by_default"), "enable_gdap_by_default differs from the plan",
				fmt.Sprintf("The plan adopts your customer %q with enable_gdap_by_default = %t, but Partner Center now "+
					"says %t, which only a creation sets. Nothing was written. Run terraform plan again: it plans "+
					"Partner Center's value.", id, enable, *customer.EnableGDAPByDefault))
			return false
		}
	}
	return true
}

// refusedOutright reports an answer that says the customer was not created:
// a client error other than a timeout or throttling, to the creation's
// only attempt. After an attempt whose outcome was unknown (no answer, a
// server error), a later refusal may be about the tenant that attempt made.
func refusedOutright(err error) bool {
	var apiErr *partnercenter.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.Attempts <= 1 &&
		apiErr.StatusCode != http.StatusRequestTimeout && apiErr.StatusCode != http.StatusTooManyRequests
}

// Lookups of a domain a tenant has retry while the partner's customer list
// does not show it yet: Partner Center lists a new customer with a delay.
var (
	domainLookupAttempts = 3
	domainLookupWait     = 2 * time.Second
)

// findCustomerByDomain is the partner's customer with the domain, looked
// for up to domainLookupAttempts times while the list does not show it.
// Call it for a domain known to be taken.
func findCustomerByDomain(ctx context.Context, client *partnercenter.Client, domain string) (*partnercenter.Customer, error) {
	for attempt := 1; ; attempt++ {
		customer, err := client.GetCustomerByDomain(ctx, domain)
		if !errors.Is(err, partnercenter.ErrNotFound) || attempt == domainLookupAttempts {
			return customer, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(domainLookupWait):
		}
	}
}

// recoverCreate finds the customer a creation without a usable answer may
// have made, even when the creation's time is up or it was interrupted: by
// the id the answer had, else by the domain; an answer whose id is a GUID
// names the customer even when neither read finds it yet (as the success
// path trusts the answer), so its administrator's password is kept. It
// returns nil after reporting why nothing can be saved.
func recoverCreate(op *shared.Operation, domain string, createErr error, created *partnercenter.CreatedCustomer) *partnercenter.Customer {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(op.Ctx), recoveryLookupTimeout)
	defer cancel()
	what := fmt.Sprintf("Creating customer with domain %q", domain)
	var answeredID string
	if created != nil {
		for _, id := range []*string{created.Customer.ID, tenantIDOf(&created.Customer)} {
			if id == nil || !shared.GUIDPattern.MatchString(*id) {
				continue
			}
			answeredID = *id
			if customer, err := op.Client.GetCustomer(ctx, *id); err == nil {
				op.Diags.AddWarning("Customer created with an answer partly unreadable", fmt.Sprintf("%s: %s\n"+
					"The customer exists: %q is now in the state, with the administrator's credentials the answer carried.",
					what, createErr, *customer.ID))
				return customer
			}
		}
	}
	customer, err := findCustomerByDomain(ctx, op.Client, domain)
	if err == nil {
		password := "Partner Center's answer carried the first administrator's password, which is lost: admin_user_name " +
			"and admin_password are null. Reset that administrator's password in Microsoft Entra ID."
		if created != nil {
			password = "The administrator's credentials the answer carried are kept."
		}
		op.Diags.AddWarning("Customer created without a usable answer", fmt.Sprintf("%s got no usable answer (%s), but the "+
			"customer exists: %q is now in the state. %s", what, createErr, *customer.ID, password))
		return customer
	}
	if answeredID != "" {
		answered := created.Customer
		answered.ID = &answeredID
		op.Diags.AddWarning("Customer created with an answer partly unreadable", fmt.Sprintf("%s: %s\nPartner Center "+
			"does not show the customer yet (%s), but its answer named it: %q is now in the state, from that answer, "+
			"with the administrator's credentials it carried. The next refresh reads the rest.", what, createErr, err, answeredID))
		return &answered
	}
	summary, detail := shared.OperationErrorDiagnostic(op.Ctx, op.Kind, what, createErr, op.Timeout)
	lost := ""
	if created != nil {
		lost = " Partner Center's answer carried the first administrator's password, which could not be saved without the " +
			"customer: reset it in Microsoft Entra ID once the customer is adopted."
	}
	switch available, headErr := op.Client.DomainAvailable(ctx, domain); {
	case !errors.Is(err, partnercenter.ErrNotFound):
		detail += fmt.Sprintf("\n\nThe customer may have been created: looking for it by the domain %q failed too (%s). "+
			"Nothing was saved: apply again, and the next plan finds the customer if it exists and adopts it "+
			"instead of creating a second tenant.%s", domain, err, lost)
	case headErr == nil && available && created == nil:
		detail += fmt.Sprintf("\n\nThe domain %q is still free and no customer has it: the customer was not created and "+
			"nothing was saved. Applying again is safe.", domain)
	default:
		detail += fmt.Sprintf("\n\nThe customer was probably created: the domain %q is taken (or its check failed) but "+
			"Partner Center does not list a customer with it yet, which can take several minutes for a new customer. "+
			"Nothing was saved. Keep the configuration as it is and apply again in a few minutes: the plan then finds "+
			"the customer and adopts it instead of creating a second tenant.%s", domain, lost)
	}
	op.Diags.AddError(summary, detail)
	return nil
}

// tenantIDOf is the company profile's tenant id, which is the customer's id.
func tenantIDOf(c *partnercenter.Customer) *string {
	if c.CompanyProfile == nil {
		return nil
	}
	return c.CompanyProfile.TenantID
}

// failTakenDomain reports a domain taken by a tenant the partner cannot
// adopt, or a failed search among its customers.
func (r *customerResource) failTakenDomain(op *shared.Operation, domain string, err error) {
	if errors.Is(err, partnercenter.ErrNotFound) {
		op.Diags.AddAttributeError(path.Root("domain"), "Domain already taken", takenDomainDetail(domain))
		return
	}
	op.Fail(fmt.Sprintf("Looking for the customer with domain %q", domain), err)
}

// customerState is the state of a customer created or adopted on plan, the
// etag of its billing profile, and whether that profile is unsettled: what
// Partner Center says, and whether this resource adopted the customer or
// made it; nil after an error. Where its billing profile differs from the
// plan, it is replaced to match (settleProfile). enable_gdap_by_default
// stays as planned where the answer does not say it.
func customerState(op *shared.Operation, plan *customerResourceModel, c *partnercenter.Customer, admin *partnercenter.AdminCredentials, adopted bool) (_ *customerResourceModel, etag string, unsettled bool) {
	state := *plan
	state.customerModel = customerModelOf(c, op.Diags)
	planned := billingProfileOf(op.Ctx, plan.BillingProfile, op.Diags)
	if op.Diags.HasError() {
		return nil, "", false
	}
	profile, etag, unsettled := settleProfile(op, *c.ID, c.BillingProfile, planned)
	state.BillingProfile = billingProfileValue(profile, op.Diags)
	if c.EnableGDAPByDefault == nil && !plan.EnableGDAPByDefault.IsUnknown() {
		state.EnableGDAPByDefault = plan.EnableGDAPByDefault // as sent, where the answer does not say it
	}
	state.Adopted = types.BoolValue(adopted)
	state.AdminUserName, state.AdminPassword = types.StringNull(), types.StringNull()
	if admin != nil && admin.Password != "" {
		state.AdminUserName, state.AdminPassword = types.StringValue(admin.UserName), types.StringValue(admin.Password)
	}
	return &state, etag, unsettled
}

// settleProfile makes the customer's billing profile the planned one: read
// as Partner Center answered it (see reconcileBillingProfile); where a
// configured member differs, the profile is replaced under the etag just
// read (the client retries it), and the answer taken.
//
// A member still different afterwards (the replacement failed, or the
// service rewrote it) cannot be put in the state as Partner Center has it:
// Terraform takes only the planned value after a create, and otherwise
// taints the resource, whose replacement would abandon or delete the
// tenant just made. Failing would leave that tenant out of the state. So
// the planned member stays, with a warning naming every difference, and
// the profile is reported unsettled: Create records that in private
// state, so that the next plan sends the profile again even without a
// refresh (planUpdate), while a refresh shows Partner Center's values.
// Returns the profile, its etag, and whether it is unsettled.
func settleProfile(op *shared.Operation, customerID string, read, planned *partnercenter.BillingProfile) (_ *partnercenter.BillingProfile, etag string, unsettled bool) {
	etag = read.ETag()
	profile := reconcileBillingProfile(read, planned)
	if len(profileDifferences(profile, planned)) > 0 {
		if etag == "" {
			// The customer's record came without its billing profile or its
			// etag: the profile's own read has both.
			if record, err := op.Client.GetBillingProfile(op.Ctx, customerID); err == nil {
				etag, profile = record.ETag, reconcileBillingProfile(&record.Profile, planned)
			}
		}
	}
	if len(profileDifferences(profile, planned)) > 0 {
		record, err := op.Client.UpdateBillingProfile(op.Ctx, customerID, etag, billingProfileChanges(planned))
		if err != nil {
			summary, detail := shared.OperationErrorDiagnostic(op.Ctx, op.Kind, fmt.Sprintf("Setting the billing profile of customer %q", customerID), err, op.Timeout)
			op.Diags.AddWarning(summary, detail+"\nThe customer is in the state; the next plan shows its billing profile as an update.")
		} else {
			etag = record.ETag
			profile = reconcileBillingProfile(&record.Profile, planned)
		}
	}
	if differences := profileDifferences(profile, planned); len(differences) > 0 {
		op.Diags.AddWarning("Billing profile differs from the configuration", fmt.Sprintf("Partner Center holds for customer "+
			"%q a billing profile that differs from the configuration: %s. Terraform requires the state of a new "+
			"resource to match its plan, so the state shows the configuration's values for these members, not "+
			"Partner Center's, until the next refresh; the next plan sends the profile again (even with "+
			"-refresh=false).", customerID, strings.Join(differences, "; ")))
		profile = withPlannedMembers(profile, planned)
		unsettled = true
	}
	return profile, etag, unsettled
}

// Read refreshes the customer. A customer Partner Center does not find is
// looked for once more before it leaves the state (confirmGone): leaving
// it would throw away the administrator's password, which no read returns.
// The billing profile's etag goes to private state, for the update the plan
// built on this read.
func (r *customerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var etag string
	shared.Read(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, prior *customerResourceModel) *customerResourceModel {
		var state *customerResourceModel
		state, etag = readCustomer(op, prior)
		return state
	})
	if etag != "" && !resp.Diagnostics.HasError() && !resp.State.Raw.IsNull() {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, billingProfileETagKey, etagJSON(etag))...)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, billingProfileUnsettledKey, nil)...)
	}
}

// readCustomer is the state a refresh of prior saves, nil when there is
// none to save, and the billing profile's etag as read. The list resource
// builds its results with it from an imported customer's prior state.
func readCustomer(op *shared.Operation, prior *customerResourceModel) (_ *customerResourceModel, etag string) {
	id := prior.ID.ValueString()
	customer, err := op.Client.GetCustomer(op.Ctx, id)
	if errors.Is(err, partnercenter.ErrNotFound) {
		var gone bool
		if customer, gone, err = confirmGone(op, id, prior.Domain.ValueString()); err == nil && customer == nil {
			if gone {
				return nil, ""
			}
			return prior, "" // kept as it was
		}
	}
	if err != nil {
		op.Fail(fmt.Sprintf("Reading customer %q", id), err)
		return nil, ""
	}
	if customer.BillingProfile.ETag() == "" {
		// Without its profile (or its etag) the plan could neither
		// compare nor replace it: the profile's own read has both.
		record, err := op.Client.GetBillingProfile(op.Ctx, id)
		if err != nil {
			op.Fail(fmt.Sprintf("Reading the billing profile of customer %q", id), err)
			return nil, ""
		}
		customer.BillingProfile = &record.Profile
		if customer.BillingProfile.ETag() == "" {
			customer.BillingProfile.Attributes = &partnercenter.ProfileAttributes{ETag: etagJSON(record.ETag)}
		}
	}
	state := *prior
	state.customerModel = customerModelOf(customer, op.Diags)
	state.ID = prior.ID // as stored: the API may answer in another letter case
	priorProfile := billingProfileOf(op.Ctx, prior.BillingProfile, op.Diags)
	state.BillingProfile = billingProfileValue(reconcileBillingProfile(customer.BillingProfile, priorProfile), op.Diags)
	if customer.EnableGDAPByDefault == nil {
		state.EnableGDAPByDefault = prior.EnableGDAPByDefault
	}
	// After an import, the number the customer was created with.
	if p := customer.CompanyProfile; prior.OrganizationRegistrationNumber.ValueString() == "" && p != nil &&
		p.OrganizationRegistrationNumber != nil && *p.OrganizationRegistrationNumber != "" {
		state.OrganizationRegistrationNumber = types.StringPointerValue(p.OrganizationRegistrationNumber)
	}
	// After an import, the domain is the company profile's.
	if domain := prior.Domain.ValueString(); customer.CompanyProfile != nil && customer.CompanyProfile.Domain != nil &&
		(domain == "" || initialDomain(domain) != initialDomain(*customer.CompanyProfile.Domain)) {
		state.Domain = types.StringPointerValue(customer.CompanyProfile.Domain)
	}
	if op.Diags.HasError() {
		return nil, ""
	}
	return &state, customer.BillingProfile.ETag()
}

// goneRecheckWait is how long a refresh waits before reading again a
// customer Partner Center said it does not know.
var goneRecheckWait = 2 * time.Second

// confirmGone looks again for a customer a read did not find: it reads it
// again after goneRecheckWait, then asks whether its domain is still taken.
// It returns the customer when found; gone when the customer is not found
// and its domain is free; neither when the domain is still taken by a
// tenant the partner's list does not show (the state is then kept, with a
// warning).
func confirmGone(op *shared.Operation, id, domain string) (_ *partnercenter.Customer, gone bool, _ error) {
	select {
	case <-op.Ctx.Done():
		return nil, false, op.Ctx.Err()
	case <-time.After(goneRecheckWait):
	}
	customer, err := op.Client.GetCustomer(op.Ctx, id)
	if !errors.Is(err, partnercenter.ErrNotFound) {
		return customer, false, err
	}
	domain = initialDomain(domain)
	removed := func() (*partnercenter.Customer, bool, error) {
		op.Diags.AddWarning("Customer no longer exists", fmt.Sprintf("Partner Center no longer knows customer %q, twice "+
			"asked, and its domain %q is free: it is removed from the state, and the plan creates it again.", id, domain))
		return nil, true, nil
	}
	if domain == "" {
		return removed()
	}
	available, err := op.Client.DomainAvailable(op.Ctx, domain)
	if err != nil {
		return nil, false, err
	}
	if available {
		return removed()
	}
	found, err := op.Client.GetCustomerByDomain(op.Ctx, domain)
	switch {
	case err == nil && strings.EqualFold(*found.ID, id):
		return found, false, nil
	case err != nil && !errors.Is(err, partnercenter.ErrNotFound):
		return nil, false, err
	}
	op.Diags.AddWarning("Customer not found, kept in the state", fmt.Sprintf("Partner Center does not find customer %q, "+
		"but its domain %q is still taken, so the customer is kept in the state as it was (with its administrator's "+
		"credentials) rather than planned anew. If the customer ended its relationship with you, stop managing it "+
		"with a removed block (or terraform state rm); otherwise refresh again later.", id, domain))
	return nil, false, nil
}

// billingProfileETagKey names, in private state, the billing profile's etag
// as last read, which an update sends as If-Match.
const billingProfileETagKey = "billing_profile_etag"

// billingProfileUnsettledKey marks, in private state, a billing profile
// that the state shows as configured although Partner Center was not seen
// to hold it (settleProfile); a refresh, which reads the real one, or an
// update that writes it, clears it.
const billingProfileUnsettledKey = "billing_profile_unsettled"

func etagJSON(etag string) []byte {
	b, _ := json.Marshal(etag) //nolint:errchkjson // a string always marshals
	return b
}

// Update replaces the billing profile when the plan changes it, under the
// etag the plan's refresh read: a profile changed since is not written
// over; the apply fails and asks for a new plan. Everything else the plan
// may change (on_destroy, timeouts) needs no request.
func (r *customerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plannedETag, newETag string
	raw, diags := req.Private.GetKey(ctx, billingProfileETagKey)
	resp.Diagnostics.Append(diags...)
	unsettled, diags := req.Private.GetKey(ctx, billingProfileUnsettledKey)
	resp.Diagnostics.Append(diags...)
	if len(raw) > 0 && json.Unmarshal(raw, &plannedETag) != nil {
		plannedETag = ""
	}
	shared.Update(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, plan, prior *customerResourceModel) *customerResourceModel {
		state := *plan
		shared.KeepPriorWhereUnknown(op.Ctx, &state, prior)
		planned := billingProfileOf(op.Ctx, plan.BillingProfile, op.Diags)
		previous := billingProfileOf(op.Ctx, prior.BillingProfile, op.Diags)
		if op.Diags.HasError() {
			return nil
		}
		if len(unsettled) == 0 && previous != nil && reflect.DeepEqual(billingProfileChanges(planned), billingProfileChanges(previous)) {
			return &state
		}
		id := plan.ID.ValueString()
		what := fmt.Sprintf("Updating the billing profile of customer %q", id)
		if plannedETag == "" {
			op.Diags.AddError("No billing profile etag from the plan", fmt.Sprintf("%s: the plan holds no etag of the "+
				"profile it compared with the configuration, so the apply could overwrite a change it never showed. "+
				"Nothing was written. Run terraform plan (without -refresh=false) and apply that plan.", what))
			return nil
		}
		record, err := op.Client.UpdateBillingProfile(op.Ctx, id, plannedETag, billingProfileChanges(planned))
		if errors.Is(err, partnercenter.ErrStaleETag) {
			op.Diags.AddError("Billing profile changed since the plan", fmt.Sprintf("%s: %s.\nSomeone changed the profile "+
				"after the plan read it, and the plan did not show that change: the apply does not write over it. Run "+
				"terraform plan again, check the change it shows, and apply that plan.", what, err))
			return nil
		}
		var unknown *partnercenter.ProfileUpdateUnknownError
		if errors.As(err, &unknown) {
			summary, detail := shared.OperationErrorDiagnostic(op.Ctx, op.Kind, what, err, op.Timeout)
			op.Diags.AddError(summary, detail+"\nRun terraform plan again: its refresh shows the profile Partner Center "+
				"holds now, and any difference from the configuration; apply that plan.")
			return nil
		}
		if err != nil {
			op.Fail(what, err)
			return nil
		}
		newETag = record.ETag
		profile := reconcileBillingProfile(&record.Profile, planned)
		if differences := profileDifferences(profile, planned); len(differences) > 0 {
			op.Diags.AddError("Billing profile not as planned", fmt.Sprintf("%s: Partner Center answered with a profile "+
				"that differs from the plan: %s. The next plan shows the profile as Partner Center holds it.",
				what, strings.Join(differences, "; ")))
			return nil
		}
		state.BillingProfile = billingProfileValue(profile, op.Diags)
		return &state
	})
	if newETag != "" && !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, billingProfileETagKey, etagJSON(newETag))...)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, billingProfileUnsettledKey, nil)...)
	}
}

// Delete abandons the customer (the default) or deletes it, which only an
// integration sandbox allows; production's refusal keeps the resource in
// the state and says how to let it go.
func (r *customerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	shared.Delete(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, prior *customerResourceModel) {
		id, domain := prior.ID.ValueString(), prior.Domain.ValueString()
		if prior.OnDestroy.ValueString() != customerOnDestroyDelete {
			op.Diags.AddWarning("Customer left in Partner Center", fmt.Sprintf("Customer %q (%s) is no longer managed by "+
				"Terraform but still exists in Partner Center, with its subscriptions: on_destroy is \"abandon\". "+
				"To delete a customer of an integration sandbox account, set on_destroy = \"delete\" before destroying.",
				id, domain))
			return
		}
		err := op.Client.DeleteCustomer(op.Ctx, id)
		var apiErr *partnercenter.APIError
		switch {
		case err == nil || errors.Is(err, partnercenter.ErrNotFound):
		case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden:
			facts := shared.APIErrorFacts(fmt.Sprintf("Deleting customer %q (%s)", id, domain), apiErr)
			letGo := "To stop managing it, set on_destroy = \"abandon\", apply, then destroy (or remove the resource " +
				"from the configuration); or replace the resource block with a removed block (lifecycle { destroy = false })."
			if sandboxOnlyRefusal(apiErr) {
				op.Diags.AddError("Customers can be deleted only in an integration sandbox", facts+
					"Partner Center deletes customers only in an integration sandbox (test) account; in production a "+
					"customer cannot be deleted through the API. The customer is still in Partner Center and in the "+
					"state. "+letGo)
				return
			}
			op.Diags.AddError("Deleting the customer was refused", facts+"The customer is still in Partner Center and "+
				"in the state. If this is a production account: Partner Center deletes customers only in an "+
				"integration sandbox account, never in production. "+letGo+" Otherwise (an integration sandbox "+
				"account): the credentials lack the permission to delete customers; sign in as a user with the Admin "+
				"agent role (or give the application's user that role) and destroy again.")
		default:
			op.Fail(fmt.Sprintf("Deleting customer %q", id), err)
		}
	})
}

// sandboxOnlyRefusal reports a refusal whose text says that only an
// integration sandbox deletes customers. Any other 403 (a missing role)
// may come from a sandbox too, so it gets no such explanation alone.
func sandboxOnlyRefusal(e *partnercenter.APIError) bool {
	text := strings.ToLower(e.Description)
	return strings.Contains(text, "sandbox") || strings.Contains(text, "testing in production")
}

// ImportState takes a customer's tenant ID, as the import ID or the
// identity's customer_id. Read fills the rest; the administrator's
// credentials, returned only at creation, stay null.
func (r *customerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, summary, ok := shared.ImportedID(ctx, req, &resp.Diagnostics, func(i *customerIdentityModel) string { return i.CustomerID.ValueString() })
	if !ok {
		return
	}
	id := strings.TrimSpace(given)
	if !shared.GUIDPattern.MatchString(id) {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("A customer is imported by its tenant ID, a GUID such as "+
			"eebd1b55-5360-4438-a11d-5c06918c3014, not %q.", given))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("on_destroy"), customerOnDestroyAbandon)...)
	resp.Diagnostics.Append(shared.SetIdentity(ctx, resp.Identity, customerResourceModel{customerModel: customerModel{ID: types.StringValue(id)}})...)
}
