package gdap

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var (
	_ datasource.DataSourceWithConfigure = (*relationshipsDataSource)(nil)
	_ shared.Modeled                     = (*relationshipsDataSource)(nil)
)

// relationshipStatuses are the statuses Graph's delegatedAdminRelationship
// page lists (unknownFutureValue left out: no relationship reports it).
var relationshipStatuses = []string{
	partnercenter.RelationshipStatusCreated, partnercenter.RelationshipStatusApprovalPending,
	partnercenter.RelationshipStatusApproved, partnercenter.RelationshipStatusActivating,
	partnercenter.RelationshipStatusActive, partnercenter.RelationshipStatusExpiring,
	partnercenter.RelationshipStatusExpired, partnercenter.RelationshipStatusTerminationRequested,
	partnercenter.RelationshipStatusTerminating, partnercenter.RelationshipStatusTerminated,
}

func relationshipIDValidator() validator.String {
	return stringvalidator.RegexMatches(regexp.MustCompile(relationshipIDPattern),
		"must be a relationship ID, two GUIDs joined by `-`")
}

type relationshipsDataSource struct {
	shared.DataSourceBase
}

type relationshipsModel struct {
	CustomerID    types.String       `tfsdk:"customer_id"`
	Status        types.String       `tfsdk:"status"`
	Relationships []relationshipItem `tfsdk:"relationships"`
	Timeouts      timeouts.Value     `tfsdk:"timeouts"`
}

func NewRelationshipsDataSource() datasource.DataSource { return &relationshipsDataSource{} }

var _ = shared.RegisterDataSource(NewRelationshipsDataSource)

func (d *relationshipsDataSource) Model() any { return &relationshipsModel{} }

func (d *relationshipsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gdap_relationships"
}

func (d *relationshipsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the partner's granular delegated admin (GDAP) relationships through Microsoft Graph, every " +
			"page, optionally of one customer or in one status. With `end_date_time` and `timecmp`, a configuration can find " +
			"the relationships that expire soon.",
		Attributes: map[string]schema.Attribute{
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "Only the relationships of this customer tenant ID.",
				Optional:            true,
				Validators:          []validator.String{shared.GUIDValidator()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Only the relationships in this status, spelled as Graph does (`active`, `approvalPending`, ...).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(relationshipStatuses...)},
			},
			"relationships": schema.ListNestedAttribute{
				MarkdownDescription: "The relationships, in Graph's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: relationshipItemAttributes()},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": shared.ReadTimeoutBlock(ctx)},
	}
}

func (d *relationshipsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	shared.ReadDataSource(ctx, &d.DataSourceBase, req, resp, func(op *shared.Operation, config *relationshipsModel) *relationshipsModel {
		if !op.RequireGraph() {
			return nil
		}
		list, err := op.Graph.ListDelegatedAdminRelationships(op.Ctx, partnercenter.DelegatedAdminRelationshipFilter{
			CustomerTenantID: config.CustomerID.ValueString(), Status: config.Status.ValueString()})
		if err != nil {
			op.Fail("Listing delegated admin relationships", err)
			return nil
		}
		state := *config
		state.Relationships = make([]relationshipItem, 0, len(list))
		for i := range list {
			state.Relationships = append(state.Relationships, relationshipItemOf(&list[i], op.Diags))
		}
		return &state
	})
}
