package gdap

import (
	"context"
	"fmt"
	"time"

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
	_ datasource.DataSourceWithConfigure = (*relationshipDataSource)(nil)
	_ shared.Modeled                     = (*relationshipDataSource)(nil)
)

// approvalLinkPrefix is the Microsoft 365 admin center page where a
// customer approves a relationship. Inferred from partners' tools: no
// Microsoft page states it.
const approvalLinkPrefix = "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/"

// relationshipItem is a relationship as both data sources show it.
type relationshipItem struct {
	ID                  types.String `tfsdk:"id"`
	DisplayName         types.String `tfsdk:"display_name"`
	CustomerID          types.String `tfsdk:"customer_id"`
	CustomerDisplayName types.String `tfsdk:"customer_display_name"`
	Status              types.String `tfsdk:"status"`
	Roles               types.List   `tfsdk:"roles"`
	AutoExtend          types.String `tfsdk:"auto_extend"`
	Duration            types.String `tfsdk:"duration"`
	CreatedDateTime     types.String `tfsdk:"created_date_time"`
	ActivatedDateTime   types.String `tfsdk:"activated_date_time"`
	EndDateTime         types.String `tfsdk:"end_date_time"`
	ApprovalURL         types.String `tfsdk:"approval_url"`
	Reseller            types.Bool   `tfsdk:"reseller_relationship"`
}

// relationshipItemAttributes are relationshipItem's attributes, computed.
func relationshipItemAttributes() map[string]schema.Attribute {
	str := func(d string) schema.Attribute { return schema.StringAttribute{MarkdownDescription: d, Computed: true} }
	return map[string]schema.Attribute{
		"id":                    str("The relationship's ID, two GUIDs joined by `-`."),
		"display_name":          str("The relationship's display name, unique among the partner's relationships."),
		"customer_id":           str("The customer's tenant ID; null while any customer may accept it."),
		"customer_display_name": str("The customer's name as Graph reports it; null when unknown."),
		"status": str("As Graph reports it: `created`, `approvalPending`, `approved`, `activating`, `active`, `expiring`, " +
			"`expired`, `terminationRequested`, `terminating` or `terminated`."),
		"roles": schema.ListAttribute{MarkdownDescription: "The template IDs of the Microsoft Entra roles the relationship grants, " +
			"in Graph's order (see `partnercenter_gdap_roles` for their names).", ElementType: types.StringType, Computed: true},
		"auto_extend":         str("`autoExtendDuration`: `PT0S` (no extension), `P180D` or `P0D`."),
		"duration":            str("The relationship's length, an ISO 8601 duration such as `P730D`."),
		"created_date_time":   str("When it was created (RFC 3339)."),
		"activated_date_time": str("When the customer's approval made it active (RFC 3339); null before."),
		"end_date_time": str("When it ends or ended (RFC 3339); null before it is active. Compare it with " +
			"`timecmp(...)` and `timeadd(plantimestamp(), ...)` to find relationships expiring soon."),
		"approval_url": str("While `approvalPending`, the Microsoft 365 admin center link the customer opens to approve it " +
			"(the link's form is inferred from partners' tools, not documented by Microsoft); null otherwise."),
		"reseller_relationship": schema.BoolAttribute{MarkdownDescription: "True for a `resellerDelegatedAdminRelationship`, " +
			"which Graph lists with the partner's own: an indirect reseller's relationship that its indirect provider created.",
			Computed: true},
	}
}

// dateOf is a Graph date as RFC 3339, null when absent.
func dateOf(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339Nano))
}

func relationshipItemOf(r *partnercenter.DelegatedAdminRelationship, diags *diag.Diagnostics) relationshipItem {
	item := relationshipItem{
		ID: types.StringValue(r.ID), DisplayName: types.StringValue(r.DisplayName), Status: types.StringValue(r.Status),
		CustomerID: types.StringNull(), CustomerDisplayName: types.StringNull(), ApprovalURL: types.StringNull(),
		Roles: shared.StringListOf(r.Roles, diags), AutoExtend: types.StringValue(r.AutoExtendDuration),
		Duration: types.StringValue(r.Duration), CreatedDateTime: dateOf(r.CreatedDateTime),
		ActivatedDateTime: dateOf(r.ActivatedDateTime), EndDateTime: dateOf(r.EndDateTime),
		Reseller: types.BoolValue(r.Reseller),
	}
	if c := r.Customer; c != nil && c.TenantID != "" {
		item.CustomerID = types.StringValue(c.TenantID)
		if c.DisplayName != "" {
			item.CustomerDisplayName = types.StringValue(c.DisplayName)
		}
	}
	if r.Status == partnercenter.RelationshipStatusApprovalPending {
		item.ApprovalURL = types.StringValue(approvalLinkPrefix + r.ID)
	}
	return item
}

// relationshipIDPattern: a relationship's id is two GUIDs joined by "-"
// (Graph's samples); a single GUID is accepted too.
const relationshipIDPattern = `^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(-[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})?$`

type relationshipDataSource struct {
	shared.DataSourceBase
}

type assignmentItem struct {
	ID              types.String `tfsdk:"id"`
	SecurityGroupID types.String `tfsdk:"security_group_id"`
	Roles           types.List   `tfsdk:"roles"`
	Status          types.String `tfsdk:"status"`
}

type relationshipDataSourceModel struct {
	relationshipItem
	AccessAssignments []assignmentItem `tfsdk:"access_assignments"`
	Timeouts          timeouts.Value   `tfsdk:"timeouts"`
}

func NewRelationshipDataSource() datasource.DataSource { return &relationshipDataSource{} }

var _ = shared.RegisterDataSource(NewRelationshipDataSource)

func (d *relationshipDataSource) Model() any { return &relationshipDataSourceModel{} }

func (d *relationshipDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gdap_relationship"
}

func (d *relationshipDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := relationshipItemAttributes()
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "The relationship's ID, two GUIDs joined by `-`.",
		Required:            true,
		Validators:          []validator.String{relationshipIDValidator()},
	}
	attributes["access_assignments"] = schema.ListNestedAttribute{
		MarkdownDescription: "The relationship's access assignments, as Graph lists them.",
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"id":                schema.StringAttribute{MarkdownDescription: "The assignment's ID.", Computed: true},
			"security_group_id": schema.StringAttribute{MarkdownDescription: "The partner tenant's security group it gives roles to.", Computed: true},
			"roles": schema.ListAttribute{MarkdownDescription: "The role template IDs it gives.",
				ElementType: types.StringType, Computed: true},
			"status": schema.StringAttribute{MarkdownDescription: "`pending`, `active`, `deleting`, `deleted` or `error`.", Computed: true},
		}},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one granular delegated admin (GDAP) relationship by its ID through Microsoft Graph, with its " +
			"access assignments.",
		Attributes: attributes,
		Blocks:     map[string]schema.Block{"timeouts": shared.ReadTimeoutBlock(ctx)},
	}
}

func (d *relationshipDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	shared.ReadDataSource(ctx, &d.DataSourceBase, req, resp, func(op *shared.Operation, config *relationshipDataSourceModel) *relationshipDataSourceModel {
		if !op.RequireGraph() {
			return nil
		}
		id := config.ID.ValueString()
		rel, err := op.Graph.GetDelegatedAdminRelationship(op.Ctx, id)
		if err != nil {
			op.Fail(fmt.Sprintf("Reading delegated admin relationship %q", id), err)
			return nil
		}
		assignments, err := op.Graph.ListDelegatedAdminAccessAssignments(op.Ctx, id)
		if err != nil {
			op.Fail(fmt.Sprintf("Listing the access assignments of delegated admin relationship %q", id), err)
			return nil
		}
		state := &relationshipDataSourceModel{relationshipItem: relationshipItemOf(rel, op.Diags), Timeouts: config.Timeouts,
			AccessAssignments: []assignmentItem{}}
		state.ID = config.ID // as written
		for _, a := range assignments {
			state.AccessAssignments = append(state.AccessAssignments, assignmentItem{ID: types.StringValue(a.ID),
				SecurityGroupID: types.StringValue(a.SecurityGroupID), Roles: shared.StringListOf(a.Roles, op.Diags),
				Status: types.StringValue(a.Status)})
		}
		return state
	})
}
