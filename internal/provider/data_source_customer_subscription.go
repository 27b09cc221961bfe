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
)

var _ datasource.DataSourceWithConfigure = (*customerSubscriptionDataSource)(nil)

type customerSubscriptionDataSource struct {
	dataSourceBase
}

func newCustomerSubscriptionDataSource() datasource.DataSource {
	return &customerSubscriptionDataSource{}
}

func (d *customerSubscriptionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_subscription"
}

func (d *customerSubscriptionDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := subscriptionAttributes()
	attributes["customer_id"] = customerIDArgument()
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "The subscription ID, a GUID in any letter case; kept as written.",
		Required:            true,
		Validators:          []validator.String{guidValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one subscription of a customer by its ID: offer, quantity, term, renewal, billing and status, " +
			"the same attributes as an item of `partnercenter_customer_subscriptions`. A subscription of another customer is an error.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutBlock(ctx),
		},
	}
}

func (d *customerSubscriptionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var customerID, id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("customer_id"), &customerID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, readTimeout, ok := d.beginRead(ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	subscription, err := d.data.client.GetCustomerSubscription(ctx, customerID.ValueString(), id.ValueString())
	if err != nil {
		operation := fmt.Sprintf("Reading subscription %q of customer %q", id.ValueString(), customerID.ValueString())
		summary, detail := subscriptionErrorDiagnostic(ctx, operation, customerID.ValueString(), id.ValueString(), err, readTimeout)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	stateType, config, err := stateFromConfig(ctx, resp.State.Schema, req.Config.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Internal provider error", err.Error())
		return
	}
	values, err := newSubscriptionValues(stateType)
	if err != nil {
		resp.Diagnostics.AddError("Internal provider error", err.Error())
		return
	}
	state := values.attributes(subscription)
	// As written: the API may answer in another letter case.
	state["id"], state["customer_id"], state["timeouts"] = config["id"], config["customer_id"], config["timeouts"]
	resp.State.Raw = tftypes.NewValue(stateType, state)
}
