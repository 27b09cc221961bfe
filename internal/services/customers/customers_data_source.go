package customers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var _ datasource.DataSourceWithConfigValidators = (*customersDataSource)(nil)

const CustomersTypeName = "partnercenter_customers"

// maxPrefixLength bounds domain_prefix and company_name_prefix: a domain name
// has at most 253 characters, and a longer prefix could match nothing.
const maxPrefixLength = 256

// customersDataSource gives the framework the list's schema and validation;
// CustomersReader answers its reads.
type customersDataSource struct{}

func NewCustomersDataSource() datasource.DataSource { return &customersDataSource{} }

var _ = shared.RegisterDataSource(NewCustomersDataSource)

func (d *customersDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = CustomersTypeName
}

func (d *customersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	prefixValidators := customerPrefixValidators()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the partner's customers, all of them or those whose domain or company name starts with a prefix, " +
			"in a few requests: Partner Center returns them a page at a time and this data source follows every page. " +
			"Each item carries what Partner Center's list returns, under the same names as `partnercenter_customer`: " +
			"`id`, `relationship_to_partner`, `domains` (the company profile's domain) and `company_profile` with " +
			"`tenant_id`, `domain` and `company_name`. Read a customer with `partnercenter_customer` for the rest.",
		Attributes: map[string]schema.Attribute{
			"domain_prefix": schema.StringAttribute{
				MarkdownDescription: "Only customers whose company profile domain starts with this text (letter case ignored), at most 256 characters. " +
					"Conflicts with `company_name_prefix`.",
				Optional:   true,
				Validators: prefixValidators,
			},
			"company_name_prefix": schema.StringAttribute{
				MarkdownDescription: "Only customers whose company name starts with this text (letter case ignored), at most 256 characters. " +
					"Conflicts with `domain_prefix`.",
				Optional:   true,
				Validators: prefixValidators,
			},
			"customers": schema.ListNestedAttribute{
				MarkdownDescription: "The customers, in the order Partner Center returns them.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: listedCustomerAttributes(),
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": shared.ReadTimeoutBlock(ctx),
		},
	}
}

// customerPrefixValidators check domain_prefix and company_name_prefix,
// of this data source and of the partnercenter_customer list resource. A
// prefix travels in the request's query: bound it, as a domain name is.
func customerPrefixValidators() []validator.String {
	return []validator.String{stringvalidator.LengthBetween(1, maxPrefixLength)}
}

func (d *customersDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.Conflicting(path.MatchRoot("domain_prefix"), path.MatchRoot("company_name_prefix")),
	}
}

// listedAttributes are the attributes of a customer that Partner Center's list
// returns and, for company_profile, the nested attributes it keeps. List items
// carry only these, under the same names and paths as a single read, so that
// an expression over items works on either.
var listedAttributes = map[string][]string{
	"id":                      nil,
	"relationship_to_partner": nil,
	"domains":                 nil,
	"company_profile":         {"tenant_id", "domain", "company_name"},
}

// listedCustomerAttributes picks listedAttributes from the full customer's.
func listedCustomerAttributes() map[string]schema.Attribute {
	full := customerAttributes(shared.ComputedString("The customer's tenant ID."))
	out := make(map[string]schema.Attribute, len(listedAttributes))
	for name, nested := range listedAttributes {
		out[name] = full[name]
		if object, ok := full[name].(schema.SingleNestedAttribute); ok && nested != nil {
			attributes := make(map[string]schema.Attribute, len(nested))
			for _, n := range nested {
				attributes[n] = object.Attributes[n]
			}
			object.Attributes = attributes
			out[name] = object
		}
	}
	return out
}

// Read is never called: the provider's protocol server routes this data
// source's reads to CustomersReader.
func (d *customersDataSource) Read(_ context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	resp.Diagnostics.AddError("Internal provider error", CustomersTypeName+" was read through the framework, "+
		"not the provider's protocol server. This is a bug in the provider; please report it.")
}

// CustomersReader answers the list's ReadDataSource at the protocol level:
// it streams the pages into listedCustomers and returns their msgpack as the
// state. The framework still serves the schema and validates the
// configuration; only its per-value handling of a read's result (semantic
// equality, null-block reification, conversion to the protocol), which costs
// several times the rest of a large list, is skipped. It begins its
// operation as the framework-served reads do (BeginOperation).
type CustomersReader struct {
	// configured is what the provider's Configure built.
	configured *atomic.Pointer[shared.ProviderData]
	stateType  tftypes.Object
	// schemaErr says why the schema gave no object type, a bug reported by
	// every read rather than a panic while the provider starts.
	schemaErr error
}

func NewCustomersReader(configured *atomic.Pointer[shared.ProviderData]) CustomersReader {
	var resp datasource.SchemaResponse
	NewCustomersDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	r := CustomersReader{configured: configured}
	t := resp.Schema.Type().TerraformType(context.Background())
	var ok bool
	if r.stateType, ok = t.(tftypes.Object); !ok {
		r.schemaErr = fmt.Errorf("the schema of %s is %s, not an object", CustomersTypeName, t)
	}
	return r
}

func (r CustomersReader) Read(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) *tfprotov6.ReadDataSourceResponse {
	var diags diag.Diagnostics
	state := r.State(ctx, req.Config, &diags)
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protocolDiagnostics(diags)}
	if !diags.HasError() {
		resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	}
	return resp
}

// state is the msgpack of the read's state; its errors go to diags.
func (r CustomersReader) State(ctx context.Context, dv *tfprotov6.DynamicValue, diags *diag.Diagnostics) []byte {
	config, err := r.decodeConfig(dv)
	if err != nil {
		diags.AddError("Internal provider error", "Reading the configuration of "+CustomersTypeName+": "+err.Error())
		return nil
	}
	// The framework names the data source in the logs of the reads it serves.
	ctx = tflog.SetField(ctx, "tf_data_source_type", CustomersTypeName)
	op, cancel := shared.BeginOperation(ctx, r.configured.Load(), shared.OperationRead, r.stateType, config, diags)
	if op == nil {
		return nil
	}
	defer cancel()

	opts, what := listOptions(op)
	customers := NewListedCustomers()
	if err := op.Client.ListCustomerPages(op.Ctx, opts, customers.Add); err != nil {
		op.Fail(what, err)
		return nil
	}
	state, err := customers.State(r.stateType, op.Input)
	if err != nil {
		diags.AddError("Internal provider error", "Encoding the customers: "+err.Error())
		return nil
	}
	return state
}

func (r CustomersReader) decodeConfig(dv *tfprotov6.DynamicValue) (tftypes.Value, error) {
	if r.schemaErr != nil {
		return tftypes.Value{}, r.schemaErr
	}
	if dv == nil {
		return tftypes.Value{}, errors.New("no configuration")
	}
	return dv.Unmarshal(r.stateType)
}

// listOptions turns the configured prefix, if any, into the list's filter and
// the operation named in errors.
func listOptions(op *shared.Operation) (partnercenter.ListCustomersOptions, string) {
	domainPrefix, companyNamePrefix := shared.StringOf(op.Input["domain_prefix"]), shared.StringOf(op.Input["company_name_prefix"])
	var opts partnercenter.ListCustomersOptions
	what := "Listing customers"
	switch {
	case domainPrefix != "":
		opts.Filter = &partnercenter.CustomerFilter{Field: partnercenter.CustomerFilterDomain, Value: domainPrefix}
		what += " with domain prefix " + strconv.Quote(domainPrefix)
	case companyNamePrefix != "":
		opts.Filter = &partnercenter.CustomerFilter{Field: partnercenter.CustomerFilterCompanyName, Value: companyNamePrefix}
		what += " with company name prefix " + strconv.Quote(companyNamePrefix)
	}
	return opts, what
}

// protocolDiagnostics are diags as the protocol carries them.
func protocolDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		severity := tfprotov6.DiagnosticSeverityError
		if d.Severity() == diag.SeverityWarning {
			severity = tfprotov6.DiagnosticSeverityWarning
		}
		out = append(out, &tfprotov6.Diagnostic{Severity: severity, Summary: d.Summary(), Detail: d.Detail()})
	}
	return out
}
