package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ datasource.DataSourceWithConfigure        = (*customersDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*customersDataSource)(nil)
)

type customersDataSource struct {
	dataSourceBase
}

func newCustomersDataSource() datasource.DataSource { return &customersDataSource{} }

func (d *customersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customers"
}

func (d *customersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	prefixValidators := []validator.String{stringvalidator.LengthAtLeast(1)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the partner's customers, all of them or those whose domain or company name starts with a prefix, " +
			"in a few requests: Partner Center returns them a page at a time and this data source follows every page. " +
			"The list carries less than a read of one customer: `commerce_id`, `allow_delegated_access`, `associated_partner_id`, " +
			"`custom_domains`, `billing_profile` and the company profile's `email` and `address` are null here; " +
			"`domains` holds the company profile's domain. Read a customer with `partnercenter_customer` for everything.",
		Attributes: map[string]schema.Attribute{
			"domain_prefix": schema.StringAttribute{
				MarkdownDescription: "Only customers whose company profile domain starts with this text (letter case ignored). " +
					"Conflicts with `company_name_prefix`.",
				Optional:   true,
				Validators: prefixValidators,
			},
			"company_name_prefix": schema.StringAttribute{
				MarkdownDescription: "Only customers whose company name starts with this text (letter case ignored). Conflicts with `domain_prefix`.",
				Optional:            true,
				Validators:          prefixValidators,
			},
			"customers": schema.ListNestedAttribute{
				MarkdownDescription: "The customers, in the order Partner Center returns them.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: customerAttributes(computedString("The customer's tenant ID.")),
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutBlock(ctx),
		},
	}
}

func (d *customersDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.Conflicting(path.MatchRoot("domain_prefix"), path.MatchRoot("company_name_prefix")),
	}
}

func (d *customersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var domainPrefix, companyNamePrefix types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("domain_prefix"), &domainPrefix)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("company_name_prefix"), &companyNamePrefix)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, readTimeout, diags := d.beginRead(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer cancel()

	var opts partnercenter.ListCustomersOptions
	operation := "Listing customers"
	switch {
	case domainPrefix.ValueString() != "":
		opts.Filter = &partnercenter.CustomerFilter{Field: partnercenter.CustomerFilterDomain, Value: domainPrefix.ValueString()}
		operation += " with domain prefix " + strconv.Quote(domainPrefix.ValueString())
	case companyNamePrefix.ValueString() != "":
		opts.Filter = &partnercenter.CustomerFilter{Field: partnercenter.CustomerFilterCompanyName, Value: companyNamePrefix.ValueString()}
		operation += " with company name prefix " + strconv.Quote(companyNamePrefix.ValueString())
	}
	customers, err := d.data.client.ListCustomers(ctx, opts)
	if err != nil {
		summary, detail := readErrorDiagnostic(ctx, operation, err, readTimeout)
		resp.Diagnostics.AddError(summary, detail)
		return
	}

	state, err := customersState(ctx, resp.State.Schema, req.Config.Raw, customers)
	if err != nil {
		resp.Diagnostics.AddError("Internal provider error", err.Error())
		return
	}
	resp.State.Raw = state
}

// customersState is the configuration with the customers added.
func customersState(ctx context.Context, s typedSchema, config tftypes.Value, customers []partnercenter.Customer) (tftypes.Value, error) {
	stateType, state, err := stateFromConfig(ctx, s, config)
	if err != nil {
		return tftypes.Value{}, err
	}
	listType, ok := stateType.AttributeTypes["customers"].(tftypes.List)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("customers is %s, not a list", stateType.AttributeTypes["customers"])
	}
	customerType, ok := listType.ElementType.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("customers holds %s, not objects", listType.ElementType)
	}
	values, err := newCustomerValues(customerType)
	if err != nil {
		return tftypes.Value{}, err
	}
	elements := make([]tftypes.Value, len(customers))
	for i := range customers {
		elements[i] = values.value(&customers[i])
	}
	state["customers"] = tftypes.NewValue(listType, elements)
	return tftypes.NewValue(stateType, state), nil
}
