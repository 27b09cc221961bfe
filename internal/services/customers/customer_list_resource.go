package customers

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listresourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var (
	_ list.ListResourceWithConfigure        = (*customerListResource)(nil)
	_ list.ListResourceWithConfigValidators = (*customerListResource)(nil)
)

// customerListResource lists the partner's customers for terraform query
// (Terraform 1.14+), a page of Partner Center's list at a time.
type customerListResource struct {
	shared.ResourceBase
}

func NewCustomerListResource() list.ListResource { return &customerListResource{} }

var _ = shared.RegisterListResource(NewCustomerListResource)

func (l *customerListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (l *customerListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the partner's customers for `terraform query` (Terraform 1.14 or later), all of them or " +
			"those whose domain or company name starts with a prefix, to bring them under management: " +
			"`terraform query -generate-config-out=customers.tf` writes a `partnercenter_customer` resource and an " +
			"`import` block (by the identity `customer_id`) for each, and the plan that follows imports them " +
			"with no other change.\n\n" +
			"Each result is named after the customer's company name and domain, such as " +
			"`Contoso Ltd (contoso.onmicrosoft.com)`. Partner Center returns the customers a page at a time (500 " +
			"to a request): the list reads the next page only when Terraform wants more results, and stops at the " +
			"list block's `limit`, which **defaults to 100**: set `limit` to the number of customers you expect, " +
			"or more, to list them all. With `include_resource = true` (which `-generate-config-out` sets), each " +
			"customer is also read as an import reads it, one or two more requests a customer (the customer, and " +
			"its billing profile when the customer's record lacks it); without it, listing costs only the pages. " +
			"A customer that cannot be read then (such as a 403 for a customer GDAP does not reach) or that is gone " +
			"since its page was read is a warning naming it, with nothing generated for it, and the listing goes on.",
		Attributes: map[string]schema.Attribute{
			"domain_prefix": schema.StringAttribute{
				MarkdownDescription: "Only customers whose company profile domain starts with this text (letter case ignored), at most 256 characters. " +
					"Conflicts with `company_name_prefix`.",
				Optional:   true,
				Validators: customerPrefixValidators(),
			},
			"company_name_prefix": schema.StringAttribute{
				MarkdownDescription: "Only customers whose company name starts with this text (letter case ignored), at most 256 characters. " +
					"Conflicts with `domain_prefix`.",
				Optional:   true,
				Validators: customerPrefixValidators(),
			},
		},
	}
}

func (l *customerListResource) ListResourceConfigValidators(context.Context) []list.ConfigValidator {
	return []list.ConfigValidator{
		listresourcevalidator.Conflicting(path.MatchRoot("domain_prefix"), path.MatchRoot("company_name_prefix")),
	}
}

// errEnough stops the listing once Terraform wants no more results.
var errEnough = errors.New("enough customers listed")

// List streams the customers: a page is fetched only when Terraform wants
// more results than the pages before gave, and no more than a page is held.
// Terraform's StopProvider cancels ctx: the listing stops at once and ends
// with an error that says how far it got.
func (l *customerListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	stream.Results = func(push func(list.ListResult) bool) {
		var diags diag.Diagnostics
		configType, _ := req.Config.Raw.Type().(tftypes.Object)
		op, cancel := shared.BeginOperation(ctx, l.Data, shared.OperationRead, configType, req.Config.Raw, &diags)
		if op == nil {
			push(list.ListResult{Diagnostics: diags})
			return
		}
		defer cancel()
		opts, what := listOptions(op)
		// Terraform bounds the listing (limit, StopProvider), not a read's
		// timeout: with include_resource it reads every customer, each
		// read bounded by its own timeout.
		listCtx := shared.MaskSecrets(ctx, l.Data.Secrets)
		results, d := shared.NewListResultTypes(ctx, req)
		diags.Append(d...)
		var imported *importedCustomer
		if req.IncludeResource && !diags.HasError() {
			imported = importedCustomerPrior(ctx, req, &diags)
		}
		if diags.HasError() {
			push(list.ListResult{Diagnostics: diags})
			return
		}
		listed := 0
		err := op.Client.ListCustomerPages(listCtx, opts, func(page []partnercenter.Customer) error {
			for i := range page {
				if err := listCtx.Err(); err != nil {
					return err
				}
				result, identified := l.result(ctx, results, imported, &page[i])
				// A read cut short by StopProvider is the listing's
				// interruption, not a failure of that customer.
				if err := listCtx.Err(); err != nil {
					return err
				}
				if !push(result) {
					return errEnough
				}
				if !identified {
					continue // Terraform counts only results with an identity
				}
				listed++
				if req.Limit > 0 && int64(listed) >= req.Limit {
					return errEnough
				}
			}
			return nil
		})
		switch {
		case err == nil || errors.Is(err, errEnough):
			return
		case ctx.Err() != nil:
			diags.AddError("Listing customers interrupted", fmt.Sprintf("%s stopped after %d customers were listed: "+
				"Terraform stopped the provider (%s). The results are incomplete; run terraform query again.", what, listed, ctx.Err()))
		default:
			op.Fail(fmt.Sprintf("%s (after %d customers listed)", what, listed), err)
		}
		push(list.ListResult{Diagnostics: diags})
	}
}

// result is the listed customer c; when imported is not nil (the request
// includes resources), its resource is the state an import of c followed by
// a refresh saves. A customer that cannot be imported (gone since the page
// listed it, or unreadable, as when GDAP does not cover it) is a
// warning-only result, which Terraform passes over, rather than a null
// resource or an error that would end the query; listed is false then.
func (l *customerListResource) result(ctx context.Context, results shared.ListResultTypes, imported *importedCustomer,
	c *partnercenter.Customer) (_ list.ListResult, listed bool) {
	id := *c.ID // the client refuses a page with an item without one
	result := list.ListResult{DisplayName: displayName(c)}
	result.Identity = results.Identity(ctx, &customerIdentityModel{CustomerID: types.StringValue(id)}, &result.Diagnostics)
	if imported == nil || result.Diagnostics.HasError() {
		return result, !result.Diagnostics.HasError()
	}
	var read diag.Diagnostics
	state := l.importedState(ctx, imported, id, &read)
	if state == nil {
		return skippedCustomer(fmt.Sprintf("%q (%s)", id, result.DisplayName), read), false
	}
	result.Diagnostics = read
	result.Resource = results.Resource(ctx, state, &result.Diagnostics)
	return result, !result.Diagnostics.HasError()
}

// skippedCustomer is the warning-only result for the listed customer name
// whose import read gave no state: with read's errors as warnings, or,
// without errors, the customer gone (the read's own warning speaks of a
// state and a plan this listing does not have).
func skippedCustomer(name string, read diag.Diagnostics) list.ListResult {
	var diags diag.Diagnostics
	if !read.HasError() {
		diags.AddWarning("Customer gone since it was listed", fmt.Sprintf("Customer %s was on Partner Center's page of "+
			"customers, but Partner Center no longer knows it, twice asked: it is left out of the results and nothing "+
			"is generated for it.", name))
		return list.ListResult{Diagnostics: diags}
	}
	for _, d := range read.Errors() {
		diags.AddWarning(d.Summary(), d.Detail()+fmt.Sprintf("\nThe listing goes on without customer %s: nothing "+
			"is generated for it. Run terraform query again once it can be read.", name))
	}
	return list.ListResult{Diagnostics: diags}
}

// importedCustomer is what the resource's own ImportState gives a
// customer, once a listing: its model and the raw state it reads its
// timeouts from. Each customer's refresh starts from it with its own id.
type importedCustomer struct {
	prior     customerResourceModel
	stateType tftypes.Object
	raw       tftypes.Value
}

func importedCustomerPrior(ctx context.Context, req list.ListRequest, diags *diag.Diagnostics) *importedCustomer {
	const placeholder = "00000000-0000-0000-0000-000000000000" // each customer's id replaces it
	stateType, _ := req.ResourceSchema.Type().TerraformType(ctx).(tftypes.Object)
	resp := resource.ImportStateResponse{State: tfsdk.State{Schema: req.ResourceSchema, Raw: tftypes.NewValue(stateType, nil)}}
	(&customerResource{}).ImportState(ctx, resource.ImportStateRequest{ID: placeholder}, &resp)
	imported := &importedCustomer{stateType: stateType, raw: resp.State.Raw}
	if diags.Append(resp.Diagnostics...); !diags.HasError() {
		shared.GetModel(ctx, resp.State.Get, &imported.prior, diags)
	}
	return imported
}

// importedState is what an import of the customer id saves: the import's
// state with the id, then its refresh (readCustomer). It is nil after an
// error, or when the customer is gone since it was listed.
func (l *customerListResource) importedState(ctx context.Context, imported *importedCustomer, id string, diags *diag.Diagnostics) *customerResourceModel {
	prior := imported.prior
	prior.ID = types.StringValue(id)
	op, cancel := shared.BeginOperation(ctx, l.Data, shared.OperationRead, imported.stateType, imported.raw, diags)
	if op == nil {
		return nil
	}
	defer cancel()
	read, _ := readCustomer(op, &prior)
	if read == nil || diags.HasError() {
		return nil
	}
	return read
}

// displayName names a listed customer by its company name and domain, as
// in "Contoso Ltd (contoso.onmicrosoft.com)", or its id for what is
// missing.
func displayName(c *partnercenter.Customer) string {
	name, domain := *c.ID, *c.ID
	if p := c.CompanyProfile; p != nil {
		if p.CompanyName != nil && *p.CompanyName != "" {
			name = *p.CompanyName
		}
		if p.Domain != nil && *p.Domain != "" {
			domain = *p.Domain
		}
	}
	if name == domain {
		return name
	}
	return fmt.Sprintf("%s (%s)", name, domain)
}
