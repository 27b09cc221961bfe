package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

var _ datasource.DataSourceWithConfigure = (*customerSubscriptionsDataSource)(nil)

type customerSubscriptionsDataSource struct {
	dataSourceBase
}

func newCustomerSubscriptionsDataSource() datasource.DataSource {
	return &customerSubscriptionsDataSource{}
}

func (d *customerSubscriptionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_subscriptions"
}

// customerIDArgument is the customer_id argument of the subscription data
// sources.
func customerIDArgument() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The customer's tenant ID, a GUID in any letter case.",
		Required:            true,
		Validators:          []validator.String{guidValidator()},
	}
}

func (d *customerSubscriptionsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := subscriptionAttributes()
	attributes["id"] = computedString("The subscription ID, in the letter case Partner Center sends.")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every subscription of one customer: Microsoft 365 and other new-commerce subscriptions, legacy " +
			"subscriptions, add-ons, marketplace offers and the Azure plan, with offer, quantity, term, renewal and status. " +
			"One request, or one per page when Partner Center pages the list.",
		Attributes: map[string]schema.Attribute{
			"customer_id": customerIDArgument(),
			"subscriptions": schema.ListNestedAttribute{
				MarkdownDescription: "The customer's subscriptions, in the order Partner Center returns them. Empty, never null, " +
					"for a customer without subscriptions.",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: attributes},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutBlock(ctx),
		},
	}
}

func (d *customerSubscriptionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var customerID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("customer_id"), &customerID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, readTimeout, ok := d.beginRead(ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	subscriptions, err := d.data.client.GetCustomerSubscriptions(ctx, customerID.ValueString())
	if err != nil {
		summary, detail := readErrorDiagnostic(ctx, fmt.Sprintf("Reading the subscriptions of customer %q", customerID.ValueString()), err, readTimeout)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	state, err := subscriptionsState(ctx, resp.State.Schema, req.Config.Raw, subscriptions)
	if err != nil {
		resp.Diagnostics.AddError("Internal provider error", err.Error())
		return
	}
	resp.State.Raw = state
}

// subscriptionsState is the configuration with the subscriptions added.
func subscriptionsState(ctx context.Context, s typedSchema, config tftypes.Value, subscriptions []partnercenter.Subscription) (tftypes.Value, error) {
	return listState(ctx, s, config, "subscriptions", subscriptions,
		func(elementType tftypes.Object) (func(*partnercenter.Subscription) tftypes.Value, error) {
			values, err := newSubscriptionValues(elementType)
			return values.value, err
		})
}
