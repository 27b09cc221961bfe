package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

var _ datasource.DataSourceWithConfigure = (*azureEntitlementsDataSource)(nil)

type azureEntitlementsDataSource struct {
	dataSourceBase
}

func newAzureEntitlementsDataSource() datasource.DataSource { return &azureEntitlementsDataSource{} }

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
				Validators: []validator.String{guidValidator()},
			},
			"entitlements": schema.ListNestedAttribute{
				MarkdownDescription: "The Azure subscriptions under the plan, in the order Partner Center returns them. Empty, never null, " +
					"when the plan has none.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":              computedString("The Azure subscription ID, as `azurerm`'s `subscription_id` takes it."),
						"friendly_name":   computedString("The Azure subscription's name (`friendlyName`)."),
						"status":          computedString("The Azure subscription's state (`status`), such as `active`."),
						"subscription_id": computedString("The Partner Center subscription ID of the Azure plan it belongs to (`subscriptionId`)."),
					},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutBlock(ctx),
		},
	}
}

func (d *azureEntitlementsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	d.read(ctx, req, resp, func(op *operation) map[string]tftypes.Value {
		customerID, subscriptionID := op.arg("customer_id"), op.arg("subscription_id")
		entitlements, err := op.client.ListAzureEntitlements(op.ctx, customerID, subscriptionID)
		if err != nil {
			what := fmt.Sprintf("Reading the Azure entitlements of subscription %q of customer %q", subscriptionID, customerID)
			op.failOnSubscription(what, customerID, subscriptionID, err)
			return nil
		}
		return map[string]tftypes.Value{"entitlements": entitlementsValue(op, entitlements)}
	})
}

// entitlementsValue is the entitlements attribute of the state op builds.
func entitlementsValue(op *operation, entitlements []partnercenter.AzureEntitlement) tftypes.Value {
	return listValue(op, "entitlements", entitlements,
		func(elementType tftypes.Object) func(*partnercenter.AzureEntitlement) tftypes.Value {
			return func(e *partnercenter.AzureEntitlement) tftypes.Value {
				return tftypes.NewValue(elementType, map[string]tftypes.Value{
					"id":              stringValue(e.ID),
					"friendly_name":   stringValue(e.FriendlyName),
					"status":          stringValue(e.Status),
					"subscription_id": stringValue(e.SubscriptionID),
				})
			}
		})
}
