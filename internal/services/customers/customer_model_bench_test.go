package customers

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/cspkit/terraform-provider-partnercenter/internal/fixtures"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// BenchmarkCustomerState measures 1,000 partnercenter_customer reads of
// Microsoft's documented customer from the configuration to the state, the
// calls to Partner Center left out: the configuration read into the model,
// the answer converted, the model saved, as the typed operation path does.
func BenchmarkCustomerState(b *testing.B) {
	ctx := context.Background()
	raw, err := fixtures.FS.ReadFile("customer-get-by-id.json")
	if err != nil {
		b.Fatal(err)
	}
	var customer partnercenter.Customer
	if err := json.Unmarshal(raw, &customer); err != nil {
		b.Fatal(err)
	}
	var schemaResp datasource.SchemaResponse
	NewCustomerDataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	config := tfsdk.Config{Schema: schemaResp.Schema, Raw: nullValue(ctx, schemaResp.Schema)}
	b.ReportAllocs()
	for b.Loop() {
		for range 1000 {
			var (
				model customerDataSourceModel
				diags diag.Diagnostics
			)
			shared.GetModel(ctx, config.Get, &model, &diags)
			model.customerModel = customerModelOf(&customer, &diags)
			state := tfsdk.State{Schema: schemaResp.Schema}
			if diags.Append(shared.SetModel(ctx, &state, &model)...); diags.HasError() {
				b.Fatal(diags)
			}
		}
	}
}
