package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// gdapListType is the data source through which the credential tests read
// Microsoft Graph: it lists GDAP relationships with the provider's Graph
// client on the shared operation path, as a GDAP data source does, and is
// served by this package's tests only. It keeps these tests about
// credentials independent of the GDAP types' own schemas.
const gdapListType = "partnercenter_test_gdap_relationships"

type gdapProbeDataSource struct {
	shared.DataSourceBase
}

var _ = shared.RegisterDataSource(func() datasource.DataSource { return &gdapProbeDataSource{} })

type gdapProbeRelationship struct {
	ID          types.String `tfsdk:"id"`
	DisplayName types.String `tfsdk:"display_name"`
}

type gdapProbeModel struct {
	CustomerID    types.String            `tfsdk:"customer_id"`
	Status        types.String            `tfsdk:"status"`
	Relationships []gdapProbeRelationship `tfsdk:"relationships"`
}

func (d *gdapProbeDataSource) Model() any { return &gdapProbeModel{} }

func (d *gdapProbeDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_test_gdap_relationships"
}

func (d *gdapProbeDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"customer_id": schema.StringAttribute{Optional: true},
			"status":      schema.StringAttribute{Optional: true},
			"relationships": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"id":           schema.StringAttribute{Computed: true},
					"display_name": schema.StringAttribute{Computed: true},
				},
			}},
		},
	}
}

func (d *gdapProbeDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	shared.ReadDataSource(ctx, &d.DataSourceBase, req, resp, func(op *shared.Operation, config *gdapProbeModel) *gdapProbeModel {
		if !op.RequireGraph() {
			return nil
		}
		rels, err := op.Graph.ListDelegatedAdminRelationships(op.Ctx, partnercenter.DelegatedAdminRelationshipFilter{
			CustomerTenantID: config.CustomerID.ValueString(), Status: config.Status.ValueString(),
		})
		if err != nil {
			op.Fail("Listing GDAP relationships", err)
			return nil
		}
		config.Relationships = []gdapProbeRelationship{}
		for _, r := range rels {
			config.Relationships = append(config.Relationships, gdapProbeRelationship{types.StringValue(r.ID), types.StringValue(r.DisplayName)})
		}
		return config
	})
}
