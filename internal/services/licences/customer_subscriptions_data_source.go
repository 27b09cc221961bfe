package licences

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var _ datasource.DataSourceWithConfigure = (*customerSubscriptionsDataSource)(nil)

type customerSubscriptionsDataSource struct {
	shared.DataSourceBase
}

func NewCustomerSubscriptionsDataSource() datasource.DataSource {
	return &customerSubscriptionsDataSource{}
}

var _ = shared.RegisterDataSource(NewCustomerSubscriptionsDataSource)

func (d *customerSubscriptionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_subscriptions"
}

// customerIDArgument is the customer_id argument of the subscription data
// sources.
func customerIDArgument() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The customer's tenant ID, a GUID in any letter case.",
		Required:            true,
		Validators:          []validator.String{shared.GUIDValidator()},
	}
}

func (d *customerSubscriptionsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := subscriptionAttributes()
	attributes["id"] = shared.ComputedString("The subscription ID, in the letter case Partner Center sends.")
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
			"timeouts": shared.ReadTimeoutBlock(ctx),
		},
	}
}

func (d *customerSubscriptionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	d.ReadWith(ctx, req, resp, func(op *shared.Operation) map[string]tftypes.Value {
		customerID := shared.StringOf(op.Input["customer_id"])
		subscriptions, err := op.Client.GetCustomerSubscriptions(op.Ctx, customerID)
		if err != nil {
			op.Fail(fmt.Sprintf("Reading the subscriptions of customer %q", customerID), err)
			return nil
		}
		list, err := SubscriptionsValue(op, subscriptions)
		if err != nil {
			op.BuildFailed(err)
			return nil
		}
		return map[string]tftypes.Value{"subscriptions": list}
	})
}

// SubscriptionsValue is the subscriptions attribute of the state op builds.
func SubscriptionsValue(op *shared.Operation, subscriptions []partnercenter.Subscription) (tftypes.Value, error) {
	return shared.ListValue(op, "subscriptions", subscriptions,
		func(elementType tftypes.Object) (func(*partnercenter.Subscription) tftypes.Value, error) {
			values, err := NewSubscriptionValues(elementType)
			return values.value, err
		})
}
