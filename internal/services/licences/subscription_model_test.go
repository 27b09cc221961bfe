package licences

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// A subscription with every field set fills every attribute the data
// source and the resource compute: a field forgotten in the models, or an
// attribute added to the schema without its value, fails here.
func TestSubscriptionModels_fillEveryComputedAttribute(t *testing.T) {
	ctx := context.Background()
	var subscription partnercenter.Subscription
	acctest.FillEveryField(t, &subscription)

	var dsSchema datasource.SchemaResponse
	NewCustomerSubscriptionDataSource().Schema(ctx, datasource.SchemaRequest{}, &dsSchema)
	config := tfsdk.Config{Schema: dsSchema.Schema, Raw: nullExcept(dsSchema.Schema.Type().TerraformType(ctx), "customer_id", "id")}
	var dsModel customerSubscriptionDataSourceModel
	var diags diag.Diagnostics
	shared.GetModel(ctx, config.Get, &dsModel, &diags)
	requireNoError(t, diags)
	dsState := tfsdk.State{Schema: dsSchema.Schema}
	requireNoError(t, shared.SetModel(ctx, &dsState, subscriptionDataSourceState(&dsModel, &subscription, &diags)))
	requireNoError(t, diags)
	requireEveryAttributeFilled(t, dsState.Raw, "timeouts")

	var rSchema resource.SchemaResponse
	NewCustomerSubscriptionResource().Schema(ctx, resource.SchemaRequest{}, &rSchema)
	prior := tfsdk.State{Schema: rSchema.Schema, Raw: nullExcept(rSchema.Schema.Type().TerraformType(ctx), "customer_id", "id")}
	var rModel subscriptionResourceModel
	shared.GetModel(ctx, prior.Get, &rModel, &diags)
	requireNoError(t, diags)
	rState := tfsdk.State{Schema: rSchema.Schema}
	requireNoError(t, shared.SetModel(ctx, &rState, subscriptionResourceState(&rModel, &subscription, &diags)))
	requireNoError(t, diags)
	requireEveryAttributeFilled(t, rState.Raw, "on_destroy", "additional_to", "custom_term_end_date", "cart_id", "timeouts", "renewal")
}

// nullExcept is a value of the object type typ with the attributes named
// "x" and the others null.
func nullExcept(typ tftypes.Type, set ...string) tftypes.Value {
	object, _ := typ.(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, at := range object.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
		if slices.Contains(set, name) {
			attrs[name] = tftypes.NewValue(at, "x")
		}
	}
	return tftypes.NewValue(object, attrs)
}

func requireNoError(t *testing.T, diags diag.Diagnostics) {
	t.Helper()
	if diags.HasError() {
		t.Fatal(diags)
	}
}

// requireEveryAttributeFilled fails for each null or unknown value in
// state, nested ones and list elements included, but for the top-level
// attributes only the configuration sets.
func requireEveryAttributeFilled(t *testing.T, state tftypes.Value, fromConfig ...string) {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	for name, v := range attrs {
		if !slices.Contains(fromConfig, name) {
			acctest.RequireFilled(t, name, v)
		}
	}
}

// BenchmarkSubscriptionResourceState measures a refresh's own work for 100
// partnercenter_customer_subscription resources: the prior state read into
// the model, Partner Center's subscription turned into it, the state saved,
// as the typed operation path does.
func BenchmarkSubscriptionResourceState(b *testing.B) {
	ctx := context.Background()
	var subscription partnercenter.Subscription
	acctest.FillEveryField(b, &subscription)
	var s resource.SchemaResponse
	NewCustomerSubscriptionResource().Schema(ctx, resource.SchemaRequest{}, &s)
	prior := tfsdk.State{Schema: s.Schema, Raw: nullExcept(s.Schema.Type().TerraformType(ctx), "customer_id", "id")}
	b.ReportAllocs()
	for b.Loop() {
		for range 100 {
			var model subscriptionResourceModel
			var diags diag.Diagnostics
			shared.GetModel(ctx, prior.Get, &model, &diags)
			state := tfsdk.State{Schema: s.Schema}
			diags.Append(shared.SetModel(ctx, &state, subscriptionResourceState(&model, &subscription, &diags))...)
			if diags.HasError() {
				b.Fatal(diags)
			}
		}
	}
}
