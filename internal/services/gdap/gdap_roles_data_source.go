package gdap

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var (
	_ datasource.DataSourceWithValidateConfig = (*rolesDataSource)(nil)
	_ shared.Modeled                          = (*rolesDataSource)(nil)
)

// rolesDataSource serves the built-in role table; it sends no request.
type rolesDataSource struct{}

type rolesModel struct {
	Names types.List `tfsdk:"names"`
	IDs   types.List `tfsdk:"ids"`
	Roles types.Map  `tfsdk:"roles"`
}

func NewRolesDataSource() datasource.DataSource { return &rolesDataSource{} }

var _ = shared.RegisterDataSource(NewRolesDataSource)

func (d *rolesDataSource) Model() any { return &rolesModel{} }

func (d *rolesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gdap_roles"
}

func (d *rolesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Microsoft Entra built-in roles a GDAP relationship can hold, by name and template ID, from the " +
			"provider's copy of Microsoft's [Microsoft Entra built-in roles](https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference) " +
			"table. Sends no request. Microsoft Graph may refuse a role that GDAP does not support; the relationship's creation says so.",
		Attributes: map[string]schema.Attribute{
			"names": schema.ListAttribute{
				MarkdownDescription: "Role names to look up, in any letter case, such as `User Administrator`. An unknown name is an " +
					"error at plan time that lists the closest names.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The template IDs of `names`, in the same order; empty without `names`.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"roles": schema.MapAttribute{
				MarkdownDescription: "Every built-in role the provider knows: name to template ID.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

// ValidateConfig refuses an unknown role name before anything is read.
func (d *rolesDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var names types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("names"), &names)...)
	if resp.Diagnostics.HasError() || names.IsNull() || names.IsUnknown() {
		return
	}
	for i, v := range names.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if _, known := roleIDOf(s.ValueString()); !known {
			resp.Diagnostics.AddAttributeError(path.Root("names").AtListIndex(i), "Unknown Microsoft Entra role",
				fmt.Sprintf("No Microsoft Entra built-in role is named %q. Closest names: %s.", s.ValueString(),
					strings.Join(closeRoleNames(s.ValueString()), "; ")))
		}
	}
}

func (d *rolesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m rolesModel
	if shared.GetModel(ctx, req.Config.Get, &m, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	ids := []string{}
	for _, v := range m.Names.Elements() {
		s, _ := v.(types.String)
		id, ok := roleIDOf(s.ValueString())
		if !ok {
			resp.Diagnostics.AddAttributeError(path.Root("names"), "Unknown Microsoft Entra role",
				fmt.Sprintf("No Microsoft Entra built-in role is named %q.", s.ValueString()))
			return
		}
		ids = append(ids, id)
	}
	m.IDs = shared.StringListOf(ids, &resp.Diagnostics)
	roles, diags := types.MapValueFrom(ctx, types.StringType, builtInRoles)
	resp.Diagnostics.Append(diags...)
	m.Roles = roles
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(shared.SetModel(ctx, &resp.State, &m)...)
	}
}
