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

var _ datasource.DataSourceWithConfigure = (*azureEntitlementsDataSource)(nil)

type azureEntitlementsDataSource struct {
	shared.DataSourceBase
}

func NewAzureEntitlementsDataSource() datasource.DataSource { return &azureEntitlementsDataSource{} }

var _ = shared.RegisterDataSource(NewAzureEntitlementsDataSource)

func (d *azureEntitlementsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_azure_entitlements"
}

func (d *azureEntitlementsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Azure subscriptions under a customer's Azure plan: the IDs that go into an `azurerm` provider " +
			"block or a role assignment. Partner Center calls them the plan's Azure entitlements.",
		Attributes: map[string]schema.Attribute{
			"customer_id": customerIDArgument(),
			"subscription_id": schema.StringAttribute{
				MarkdownDescription: "The Partner Center subscription ID of the customer's Azure plan, a GUID in any letter case. " +
					"A subscription that is not an Azure plan is an error.",
				Required:   true,
				Validators: []validator.String{shared.GUIDValidator()},
			},
			"entitlements": schema.ListNestedAttribute{
				MarkdownDescription: "The Azure subscriptions under the plan, in the order Partner Center returns them. Empty, never null, " +
					"when the plan has none.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":              shared.ComputedString("The Azure subscription ID, as `azurerm`'s `subscription_id` takes it."),
						"friendly_name":   shared.ComputedString("The Azure subscription's name (`friendlyName`)."),
						"status":          shared.ComputedString("The Azure subscription's state (`status`), such as `active`."),
						"subscription_id": shared.ComputedString("The Partner Center subscription ID of the Azure plan it belongs to (`subscriptionId`)."),
					},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": shared.ReadTimeoutBlock(ctx),
		},
	}
}

func (d *azureEntitlementsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	d.ReadWith(ctx, req, resp, func(op *shared.Operation) map[string]tftypes.Value {
		customerID, subscriptionID := shared.StringOf(op.Input["customer_id"]), shared.StringOf(op.Input["subscription_id"])
		entitlements, err := op.Client.ListAzureEntitlements(op.Ctx, customerID, subscriptionID)
		if err != nil {
			what := fmt.Sprintf("Reading the Azure entitlements of subscription %q of customer %q", subscriptionID, customerID)
			op.FailOnSubscription(what, customerID, subscriptionID, err)
			return nil
		}
		list, err := EntitlementsValue(op, entitlements)
		if err != nil {
			op.BuildFailed(err)
			return nil
		}
		return map[string]tftypes.Value{"entitlements": list}
	})
}

// EntitlementsValue is the entitlements attribute of the state op builds.
func EntitlementsValue(op *shared.Operation, entitlements []partnercenter.AzureEntitlement) (tftypes.Value, error) {
	return shared.ListValue(op, "entitlements", entitlements,
		func(elementType tftypes.Object) (func(*partnercenter.AzureEntitlement) tftypes.Value, error) {
			return func(e *partnercenter.AzureEntitlement) tftypes.Value {
				return tftypes.NewValue(elementType, map[string]tftypes.Value{
					"id":              shared.StringValue(e.ID),
					"friendly_name":   shared.StringValue(e.FriendlyName),
					"status":          shared.StringValue(e.Status),
					"subscription_id": shared.StringValue(e.SubscriptionID),
				})
			}, nil
		})
}
