package licences

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var _ datasource.DataSourceWithConfigure = (*customerSubscriptionDataSource)(nil)

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

func (d *customerSubscriptionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	d.ReadWith(ctx, req, resp, func(op *shared.Operation) map[string]tftypes.Value {
		customerID, id := op.Arg("customer_id"), op.Arg("id")
		subscription, err := op.Client.GetCustomerSubscription(op.Ctx, customerID, id)
		if err != nil {
			op.FailOnSubscription(fmt.Sprintf("Reading subscription %q of customer %q", id, customerID), customerID, id, err)
			return nil
		}
		state := shared.Must(NewSubscriptionValues(op.StateType)).Attributes(subscription)
		delete(state, "id") // as written: the API may answer in another letter case
		return state
	})
}
