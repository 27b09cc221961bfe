package customers

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// customerStateOf is the data source's state holding the model built from
// c: its attributes as Terraform values.
func customerStateOf(t *testing.T, c *partnercenter.Customer) map[string]tftypes.Value {
	t.Helper()
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	NewCustomerDataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: nullValue(ctx, schemaResp.Schema)}
	var model customerDataSourceModel
	diags := state.Get(ctx, &model)
	model.customerModel = customerModelOf(c, &diags)
	diags.Append(state.Set(ctx, &model)...)
	if diags.HasError() {
		t.Fatal(diags)
	}
	attrs := map[string]tftypes.Value{}
	if err := state.Raw.As(&attrs); err != nil {
		t.Fatal(err)
	}
	return attrs
}

// nullValue is a value of the schema whose attributes are all null.
func nullValue(ctx context.Context, s interface{ Type() attr.Type }) tftypes.Value {
	typ, _ := s.Type().TerraformType(ctx).(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	return tftypes.NewValue(typ, attrs)
}

func TestCustomerModel_absentFieldsAreNull(t *testing.T) {
	id := "7d9f3a52-0c1e-4b8a-9e0f-1a2b3c4d5e6f"
	empty := ""
	attrs := customerStateOf(t, &partnercenter.Customer{ID: &id, CommerceID: &empty})

	for _, name := range []string{
		"relationship_to_partner", "allow_delegated_access", "associated_partner_id", "custom_domains", "company_profile", "billing_profile",
		"enable_gdap_by_default", "tags",
	} {
		if !attrs[name].IsNull() {
			t.Errorf("%s = %v, want null", name, attrs[name])
		}
	}
	var commerceID string
	if err := attrs["commerce_id"].As(&commerceID); err != nil || attrs["commerce_id"].IsNull() || commerceID != "" {
		t.Errorf("an empty string from the API must stay an empty string, got %v", attrs["commerce_id"])
	}
	var domains []tftypes.Value
	if err := attrs["domains"].As(&domains); err != nil || attrs["domains"].IsNull() || len(domains) != 0 {
		t.Errorf("domains = %v, want a known empty list", attrs["domains"])
	}
}

// A customer with every field set fills every attribute its read computes,
// nested ones included: a field the conversion forgets fails here.
func TestCustomerModel_everyFieldFillsItsAttribute(t *testing.T) {
	var customer partnercenter.Customer
	acctest.FillEveryField(t, &customer)
	for name, value := range customerStateOf(t, &customer) {
		if name != "domain" && name != "timeouts" { // arguments, from the configuration
			acctest.RequireFilled(t, name, value)
		}
	}
}

// The resource's state after a creation fills every attribute Partner
// Center answers, and the administrator's credentials.
func TestCustomerState_everyFieldFillsItsAttribute(t *testing.T) {
	ctx := context.Background()
	var customer partnercenter.Customer
	acctest.FillEveryField(t, &customer)
	var schemaResp resource.SchemaResponse
	NewCustomerResource().Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: nullValue(ctx, schemaResp.Schema)}
	var plan customerResourceModel
	diags := state.Get(ctx, &plan)
	op := &shared.Operation{Ctx: ctx, Diags: &diags}
	// Planned as Partner Center holds it: nothing to replace.
	plan.BillingProfile = billingProfileValue(customer.BillingProfile, &diags)
	model, _, _ := customerState(op, &plan, &customer, &partnercenter.AdminCredentials{UserName: "admin", Password: "secret"}, false)
	if diags.HasError() || model == nil {
		t.Fatal(diags)
	}
	if diags := state.Set(ctx, model); diags.HasError() {
		t.Fatal(diags)
	}
	attrs := map[string]tftypes.Value{}
	if err := state.Raw.As(&attrs); err != nil {
		t.Fatal(err)
	}
	for name, value := range attrs {
		if !slices.Contains([]string{"domain", "organization_registration_number", "on_destroy", "timeouts"}, name) { // from the configuration
			acctest.RequireFilled(t, name, value)
		}
	}
}
