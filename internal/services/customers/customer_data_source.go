package customers

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var (
	_ datasource.DataSourceWithConfigure        = (*customerDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*customerDataSource)(nil)
	_ shared.Modeled                            = (*customerDataSource)(nil)
)

type customerDataSource struct {
	shared.DataSourceBase
}

func NewCustomerDataSource() datasource.DataSource { return &customerDataSource{} }

var _ = shared.RegisterDataSource(NewCustomerDataSource)

func (d *customerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (d *customerDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := customerAttributes(schema.StringAttribute{
		MarkdownDescription: "The customer's tenant ID, a GUID in any letter case; kept as written. Set this or `domain`. " +
			"When the customer is looked up by `domain`, this is the tenant ID found.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{shared.GUIDValidator()},
	})
	attributes["domain"] = schema.StringAttribute{
		MarkdownDescription: "Look the customer up by the domain of its company profile (such as `contoso.onmicrosoft.com`) instead of by `id`. " +
			"The match is exact and ignores letter case; no match, or more than one, is an error. Costs one list request more than a read by `id`.",
		Optional:   true,
		Validators: []validator.String{shared.DomainNameValidator{}},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one customer of the partner from Partner Center by tenant ID or by domain: company profile, billing profile, " +
			"domains, relationship to the partner and delegated access.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{
			"timeouts": shared.ReadTimeoutBlock(ctx),
		},
	}
}

func (d *customerDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("domain")),
	}
}

// customerDataSourceModel is the data source's configuration and state.
type customerDataSourceModel struct {
	customerModel
	Domain   types.String   `tfsdk:"domain"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *customerDataSource) Model() any { return &customerDataSourceModel{} }

func (d *customerDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	shared.ReadDataSource(ctx, &d.DataSourceBase, req, resp, func(op *shared.Operation, config *customerDataSourceModel) *customerDataSourceModel {
		id, domain := config.ID.ValueString(), config.Domain.ValueString()
		var (
			customer *partnercenter.Customer
			err      error
			subject  string
		)
		if id != "" {
			subject = fmt.Sprintf("customer %q", id)
			customer, err = op.Client.GetCustomer(op.Ctx, id)
		} else {
			subject = fmt.Sprintf("customer with domain %q", domain)
			customer, err = op.Client.GetCustomerByDomain(op.Ctx, domain)
		}
		if err != nil {
			op.Fail("Reading "+subject, err)
			return nil
		}
		if customer.CustomDomainsWithheld() {
			op.Diags.AddWarning(shared.WithheldDetailsWarning(subject, customer))
		}
		state := *config
		state.customerModel = customerModelOf(customer, op.Diags)
		if id != "" {
			state.ID = config.ID // as written: the API may answer in another letter case
		}
		return &state
	})
}
