package licences

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var (
	_ datasource.DataSourceWithConfigure = (*customerSubscriptionDataSource)(nil)
	_ shared.Modeled                     = (*customerSubscriptionDataSource)(nil)
)

type customerSubscriptionDataSource struct {
	shared.DataSourceBase
}

func NewCustomerSubscriptionDataSource() datasource.DataSource {
	return &customerSubscriptionDataSource{}
}

var _ = shared.RegisterDataSource(NewCustomerSubscriptionDataSource)

func (d *customerSubscriptionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_subscription"
}

func (d *customerSubscriptionDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := subscriptionAttributes()
	attributes["customer_id"] = customerIDArgument()
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "The subscription ID, a GUID in any letter case; kept as written.",
		Required:            true,
		Validators:          []validator.String{shared.GUIDValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one subscription of a customer by its ID: offer, quantity, term, renewal, billing and status, " +
			"the same attributes as an item of `partnercenter_customer_subscriptions`. A subscription of another customer is an error.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{
			"timeouts": shared.ReadTimeoutBlock(ctx),
		},
	}
}

// customerSubscriptionDataSourceModel is the data source's configuration
// and state.
type customerSubscriptionDataSourceModel struct {
	ID               types.String   `tfsdk:"id"`
	CustomerID       types.String   `tfsdk:"customer_id"`
	FriendlyName     types.String   `tfsdk:"friendly_name"`
	Quantity         types.Number   `tfsdk:"quantity"`
	Status           types.String   `tfsdk:"status"`
	TermDuration     types.String   `tfsdk:"term_duration"`
	BillingCycle     types.String   `tfsdk:"billing_cycle"`
	AutoRenewEnabled types.Bool     `tfsdk:"auto_renew_enabled"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
	subscriptionComputedModel
}

func (d *customerSubscriptionDataSource) Model() any { return &customerSubscriptionDataSourceModel{} }

func (d *customerSubscriptionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	shared.ReadDataSource(ctx, &d.DataSourceBase, req, resp, readSubscription)
}

func readSubscription(op *shared.Operation, config *customerSubscriptionDataSourceModel) *customerSubscriptionDataSourceModel {
	customerID, id := config.CustomerID.ValueString(), config.ID.ValueString()
	subscription, err := op.Client.GetCustomerSubscription(op.Ctx, customerID, id)
	if err != nil {
		op.FailOnSubscription(fmt.Sprintf("Reading subscription %q of customer %q", id, customerID), customerID, id, err)
		return nil
	}
	return subscriptionDataSourceState(config, subscription, op.Diags)
}

// subscriptionDataSourceState is the state of the data source for s; id
// stays as written: the API may answer in another letter case.
func subscriptionDataSourceState(config *customerSubscriptionDataSourceModel, s *partnercenter.Subscription,
	diags *diag.Diagnostics) *customerSubscriptionDataSourceModel {
	computed, d := subscriptionComputedOf(s)
	diags.Append(d...)
	state := *config
	state.subscriptionComputedModel = computed
	state.FriendlyName = types.StringPointerValue(s.FriendlyName)
	state.Quantity = numberValue(s.Quantity)
	state.Status = types.StringPointerValue(s.Status)
	state.TermDuration = types.StringPointerValue(s.TermDuration)
	state.BillingCycle = types.StringPointerValue(s.BillingCycle)
	state.AutoRenewEnabled = types.BoolPointerValue(s.AutoRenewEnabled)
	return &state
}
