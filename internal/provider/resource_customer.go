package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ resource.ResourceWithConfigure   = (*customerResource)(nil)
	_ resource.ResourceWithImportState = (*customerResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*customerResource)(nil)
)

// recoveryLookupTimeout bounds the search for a customer whose creation
// ended without an answer; it runs even when the creation's own time is up.
const recoveryLookupTimeout = time.Minute

type customerResource struct {
	resourceBase
}

func newCustomerResource() resource.Resource { return &customerResource{} }

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

// Create adopts the customer that already has the domain (the plan warned
// of it), or creates one. When the creation's outcome stays unknown, the
// customer is looked for by its domain: found, it is adopted; not found,
// nothing is saved and applying again is safe.
func (r *customerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.create(ctx, req, resp, func(op *operation) map[string]tftypes.Value {
		domain := initialDomain(op.arg("domain"))
		available, err := op.client.DomainAvailable(op.ctx, domain)
		if err != nil {
			op.fail(fmt.Sprintf("Checking whether the domain %q is free", domain), err)
			return nil
		}
		if !available {
			customer, err := op.client.GetCustomerByDomain(op.ctx, domain)
			if err != nil {
				r.failTakenDomain(op, domain, err)
				return nil
			}
			op.diags.AddWarning("Existing customer adopted", fmt.Sprintf("The domain %q belongs to your customer %q, which "+
				"this resource now manages instead of creating a tenant. admin_user_name and admin_password stay null. "+
				"If its billing profile differs from the configuration, the next plan shows the change.",
				domain, *customer.ID))
			return customerState(op, customer, nil)
		}

		planned := must(billingProfileFromValue(op.input["billing_profile"]))
		var enableGDAP bool
		if v := op.input["enable_gdap_by_default"]; v.IsKnown() && !v.IsNull() {
			must(0, v.As(&enableGDAP))
		}
		created, err := op.client.CreateCustomer(op.ctx, newCustomerRequest(domain, op.arg("organization_registration_number"), enableGDAP, planned))
		if err != nil {
			if refusedOutright(err) {
				op.fail(fmt.Sprintf("Creating customer with domain %q", domain), err)
				return nil
			}
			return recoverCreate(op, domain, err)
		}
		op.ctx = maskSecrets(op.ctx, []string{created.Credentials.Password})
		customer := &created.Customer
		// The creation's answer says less than a read of the customer.
		if read, err := op.client.GetCustomer(op.ctx, *customer.ID); err == nil {
			customer = read
		}
		return customerState(op, customer, &created.Credentials)
	})
}

// refusedOutright reports an answer that says the customer was not created:
// a client error other than a timeout or throttling. Anything else (no
// answer, a server error, an answer that could not be read) leaves the
// outcome unknown.
func refusedOutright(err error) bool {
	var apiErr *partnercenter.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 &&
		apiErr.StatusCode != http.StatusRequestTimeout && apiErr.StatusCode != http.StatusTooManyRequests
}

// recoverCreate looks for the customer a creation without an answer may
// have made, even when the creation's time is up or it was interrupted.
func recoverCreate(op *operation, domain string, createErr error) map[string]tftypes.Value {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(op.ctx), recoveryLookupTimeout)
	defer cancel()
	customer, err := op.client.GetCustomerByDomain(ctx, domain)
	if err == nil {
		op.diags.AddWarning("Customer created without an answer", fmt.Sprintf("Creating the customer with domain %q got no "+
			"answer (%s), but the customer exists: %q is now in the state. Partner Center's answer carried the first "+
			"administrator's password, which is lost: admin_user_name and admin_password are null. Reset that "+
			"administrator's password in Microsoft Entra ID.", domain, createErr, *customer.ID))
		return customerState(op, customer, nil)
	}
	summary, detail := operationErrorDiagnostic(op.ctx, op.kind, fmt.Sprintf("Creating customer with domain %q", domain), createErr, op.timeout)
	if errors.Is(err, partnercenter.ErrNotFound) {
		detail += fmt.Sprintf("\n\nNo customer has the domain %q: the customer was not created and nothing was saved. "+
			"Applying again is safe.", domain)
	} else {
		detail += fmt.Sprintf("\n\nThe customer may have been created: looking for it by the domain %q failed too (%s). "+
			"Nothing was saved: apply again, and the next plan finds the customer if it exists and adopts it "+
			"instead of creating a second tenant.", domain, err)
	}
	op.diags.AddError(summary, detail)
	return nil
}

// failTakenDomain reports a domain taken by a tenant the partner cannot
// adopt, or a failed search among its customers.
func (r *customerResource) failTakenDomain(op *operation, domain string, err error) {
	if errors.Is(err, partnercenter.ErrNotFound) {
		op.diags.AddAttributeError(path.Root("domain"), "Domain already taken", fmt.Sprintf("The domain %q is already "+
			"taken by a tenant that is not one of your customers: choose another domain.", domain))
		return
	}
	op.fail(fmt.Sprintf("Looking for the customer with domain %q", domain), err)
}

// customerState is the state of a customer created or adopted: what
// Partner Center says, with the arguments as planned, so that the state
// matches the plan; a difference between the two shows at the next refresh.
func customerState(op *operation, c *partnercenter.Customer, admin *partnercenter.AdminCredentials) map[string]tftypes.Value {
	values := must(newCustomerValues(op.stateType))
	state := values.attributes(c)
	planned := must(billingProfileFromValue(op.input["billing_profile"]))
	state["billing_profile"] = values.billingProfileValue(withComputedFrom(planned, c.BillingProfile))
	if v := op.input["enable_gdap_by_default"]; v.IsKnown() && !v.IsNull() {
		delete(state, "enable_gdap_by_default")
	}
	state["admin_user_name"] = tftypes.NewValue(tftypes.String, nil)
	state["admin_password"] = tftypes.NewValue(tftypes.String, nil)
	if admin != nil {
		state["admin_user_name"] = tftypes.NewValue(tftypes.String, admin.UserName)
		state["admin_password"] = tftypes.NewValue(tftypes.String, admin.Password)
	}
	return state
}

// withComputedFrom is the planned profile with the members Partner Center
// sets taken from read.
func withComputedFrom(planned, read *partnercenter.BillingProfile) *partnercenter.BillingProfile {
	out := *planned
	if read != nil {
		out.ID, out.FirstName, out.LastName = read.ID, read.FirstName, read.LastName
	}
	return reconcileBillingProfile(&out, planned)
}

func (r *customerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.read(ctx, req, resp, func(op *operation) map[string]tftypes.Value {
		id := op.arg("id")
		customer, err := op.client.GetCustomer(op.ctx, id)
		if errors.Is(err, partnercenter.ErrNotFound) {
			op.diags.AddWarning("Customer no longer exists", fmt.Sprintf("Partner Center no longer knows customer %q: "+
				"it is removed from the state.", id))
			return nil
		}
		if err != nil {
			op.fail(fmt.Sprintf("Reading customer %q", id), err)
			return nil
		}
		values := must(newCustomerValues(op.stateType))
		state := values.attributes(customer)
		delete(state, "id") // as stored: the API may answer in another letter case
		prior := must(billingProfileFromValue(op.input["billing_profile"]))
		state["billing_profile"] = values.billingProfileValue(reconcileBillingProfile(customer.BillingProfile, prior))
		if customer.EnableGDAPByDefault == nil {
			delete(state, "enable_gdap_by_default")
		}
		// After an import, the number the customer was created with.
		if p := customer.CompanyProfile; op.arg("organization_registration_number") == "" && p != nil &&
			p.OrganizationRegistrationNumber != nil && *p.OrganizationRegistrationNumber != "" {
			state["organization_registration_number"] = tftypes.NewValue(tftypes.String, *p.OrganizationRegistrationNumber)
		}
		// After an import, the domain is the company profile's.
		if p := customer.CompanyProfile; p != nil && p.Domain != nil &&
			(op.arg("domain") == "" || initialDomain(op.arg("domain")) != strings.ToLower(*p.Domain)) {
			state["domain"] = tftypes.NewValue(tftypes.String, *p.Domain)
		}
		return state
	})
}

// Update replaces the billing profile when the configuration changes it;
// everything else the plan may change (on_destroy, timeouts) needs no
// request.
func (r *customerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.update(ctx, req, resp, func(op *operation, prior map[string]tftypes.Value) map[string]tftypes.Value {
		state := map[string]tftypes.Value{}
		for name, v := range op.input {
			if !v.IsFullyKnown() {
				state[name] = prior[name]
			}
		}
		planned := must(billingProfileFromValue(op.input["billing_profile"]))
		previous := must(billingProfileFromValue(prior["billing_profile"]))
		if previous != nil && reflect.DeepEqual(billingProfileChanges(planned), billingProfileChanges(previous)) {
			return state
		}
		id := op.arg("id")
		record, err := op.client.UpdateBillingProfile(op.ctx, id, billingProfileChanges(planned))
		if err != nil {
			op.fail(fmt.Sprintf("Updating the billing profile of customer %q", id), err)
			return nil
		}
		state["billing_profile"] = must(newCustomerValues(op.stateType)).billingProfileValue(withComputedFrom(planned, &record.Profile))
		return state
	})
}

// Delete abandons the customer (the default) or deletes it, which only an
// integration sandbox allows; production's refusal is shown as it comes and
// keeps the resource in the state.
func (r *customerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	r.delete(ctx, req, resp, func(op *operation) {
		id := op.arg("id")
		if op.arg("on_destroy") != customerOnDestroyDelete {
			op.diags.AddWarning("Customer left in Partner Center", fmt.Sprintf("Customer %q (%s) is no longer managed by "+
				"Terraform but still exists in Partner Center, with its subscriptions: on_destroy is \"abandon\". "+
				"To delete a customer of an integration sandbox account, set on_destroy = \"delete\" before destroying.",
				id, op.arg("domain")))
			return
		}
		if err := op.client.DeleteCustomer(op.ctx, id); err != nil && !errors.Is(err, partnercenter.ErrNotFound) {
			op.fail(fmt.Sprintf("Deleting customer %q", id), err)
		}
	})
}

// ImportState takes a customer's tenant ID. Read fills the rest; the
// administrator's credentials, returned only at creation, stay null.
func (r *customerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if !guidPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("A customer is imported by its tenant ID, a GUID such as "+
			"eebd1b55-5360-4438-a11d-5c06918c3014, not %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("on_destroy"), customerOnDestroyAbandon)...)
}
