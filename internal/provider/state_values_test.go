package provider

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
	"github.com/cspkit/terraform-provider-partnercenter/internal/services/customers"
	"github.com/cspkit/terraform-provider-partnercenter/internal/services/licences"
)

// State values not held in a typed model are built by hand beside each
// schema (subscription_values.go, customers_data_source_listed.go, the
// entitlements' state), so their attribute names are written twice; a
// shared.Modeled type's model is checked against its schema instead, and
// its package tests that every attribute is filled. Every data source and
// resource is walked here:
// an API object with every field set must fill every attribute the read
// computes, nested ones included. An attribute added to a schema without its
// value, or named differently in the two places, fails here instead of in a
// user's plan.
func TestStateValuesFillEverySchemaAttribute(t *testing.T) {
	ctx := context.Background()
	var (
		customer     partnercenter.Customer
		subscription partnercenter.Subscription
		entitlement  partnercenter.AzureEntitlement
		availability partnercenter.Availability
	)
	acctest.FillEveryField(t, &availability)
	acctest.FillEveryField(t, &customer)
	acctest.FillEveryField(t, &subscription)
	acctest.FillEveryField(t, &entitlement)

	// Each case builds the state a read would, and names the attributes
	// that come from the configuration rather than from Partner Center.
	type stateCase struct {
		fromConfig []string
		state      func(t *testing.T, stateType tftypes.Object) tftypes.Value
	}
	// listOf is the state of a list data source: its list attribute from
	// list, the rest null as in an empty configuration.
	listOf := func(attr string, list func(*shared.Operation) (tftypes.Value, error)) func(*testing.T, tftypes.Object) tftypes.Value {
		return func(t *testing.T, stateType tftypes.Object) tftypes.Value {
			attrs := acctest.NullAttributes(stateType)
			value, err := list(&shared.Operation{StateType: stateType})
			if err != nil {
				t.Fatal(err)
			}
			attrs[attr] = value
			return tftypes.NewValue(stateType, attrs)
		}
	}
	dataSources := map[string]stateCase{
		"partnercenter_customer_subscriptions": {[]string{"customer_id", "timeouts"}, listOf("subscriptions", func(op *shared.Operation) (tftypes.Value, error) {
			return licences.SubscriptionsValue(op, []partnercenter.Subscription{subscription})
		})},
		"partnercenter_azure_entitlements": {[]string{"customer_id", "subscription_id", "timeouts"}, listOf("entitlements", func(op *shared.Operation) (tftypes.Value, error) {
			return licences.EntitlementsValue(op, []partnercenter.AzureEntitlement{entitlement})
		})},
		"partnercenter_product_availabilities": {[]string{"product_id", "sku_id", "country", "timeouts"}, listOf("availabilities", func(op *shared.Operation) (tftypes.Value, error) {
			return shared.ListValue(op, "availabilities", []partnercenter.Availability{availability}, licences.AvailabilityValue)
		})},
		customers.CustomersTypeName: {[]string{"domain_prefix", "company_name_prefix", "timeouts"}, func(t *testing.T, stateType tftypes.Object) tftypes.Value {
			listed := customers.NewListedCustomers()
			if err := listed.Add([]partnercenter.Customer{customer}); err != nil {
				t.Fatal(err)
			}
			encoded, err := listed.State(stateType, map[string]tftypes.Value{})
			if err != nil {
				t.Fatal(err)
			}
			state, err := (&tfprotov6.DynamicValue{MsgPack: encoded}).Unmarshal(stateType)
			if err != nil {
				t.Fatal(err)
			}
			return state
		}},
	}
	// Every resource has a typed model, checked against its schema; a
	// resource building its state by hand would need a case here.
	resources := map[string]stateCase{}

	p := &partnerCenterProvider{}
	var served []servedSchema
	for _, newDataSource := range p.DataSources(ctx) {
		served = append(served, dataSourceSchema(ctx, newDataSource()))
	}
	for _, newResource := range p.Resources(ctx) {
		served = append(served, resourceSchema(ctx, newResource()))
	}
	handBuilt := 0
	for _, s := range served {
		if s.model == nil {
			handBuilt++
		}
	}
	if handBuilt != len(dataSources)+len(resources) {
		t.Errorf("%d cases for %d data sources and resources built by hand: remove the cases of those the provider no longer serves or that have a typed model",
			len(dataSources)+len(resources), handBuilt)
	}
	for _, s := range served {
		t.Run(s.typeName, func(t *testing.T) {
			if s.model != nil {
				requireModelFitsSchema(ctx, t, s)
				return
			}
			tt, ok := dataSources[s.typeName]
			if s.resource {
				tt, ok = resources[s.typeName]
			}
			if !ok {
				t.Fatalf("no case builds the state of %s: add one here", s.typeName)
			}
			stateType, ok := s.schema.Type().TerraformType(ctx).(tftypes.Object)
			if !ok {
				t.Fatalf("the schema of %s is not an object", s.typeName)
			}
			var attrs map[string]tftypes.Value
			if err := tt.state(t, stateType).As(&attrs); err != nil {
				t.Fatal(err)
			}
			for name, value := range attrs {
				if !slices.Contains(tt.fromConfig, name) {
					acctest.RequireFilled(t, name, value)
				}
			}
		})
	}
}

// servedSchema is the schema of a data source or resource the provider
// serves, under its type name.
type servedSchema struct {
	typeName string
	resource bool
	schema   shared.TypedSchema
	// model is a new model of a shared.Modeled type, nil for a state built
	// by hand.
	model any
	// state is a state of the schema holding raw.
	state func(raw tftypes.Value) tfsdk.State
}

func dataSourceSchema(ctx context.Context, ds datasource.DataSource) servedSchema {
	var meta datasource.MetadataResponse
	ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "partnercenter"}, &meta)
	var resp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
	return servedSchema{typeName: meta.TypeName, schema: resp.Schema, model: modelOf(ds),
		state: func(raw tftypes.Value) tfsdk.State { return tfsdk.State{Schema: resp.Schema, Raw: raw} }}
}

func resourceSchema(ctx context.Context, r resource.Resource) servedSchema {
	var meta resource.MetadataResponse
	r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "partnercenter"}, &meta)
	var resp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &resp)
	return servedSchema{typeName: meta.TypeName, resource: true, schema: resp.Schema, model: modelOf(r),
		state: func(raw tftypes.Value) tfsdk.State { return tfsdk.State{Schema: resp.Schema, Raw: raw} }}
}

// modelOf is a new model of t when its state is a typed model, else nil.
func modelOf(t any) any {
	if m, ok := t.(shared.Modeled); ok {
		return m.Model()
	}
	return nil
}

// requireModelFitsSchema fails unless the schema's attributes and the
// model's fields are the same names with convertible types: a state with
// every attribute known and set, nested ones included, must read into the
// model and be written back unchanged.
func requireModelFitsSchema(ctx context.Context, t *testing.T, s servedSchema) {
	t.Helper()
	if s.resource {
		// A plan's computed nested values are unknown, which only
		// Terraform values (types.List, types.Object) can hold.
		modelType := reflect.TypeOf(s.model).Elem()
		for _, f := range reflect.VisibleFields(modelType) {
			if name := f.Tag.Get("tfsdk"); f.IsExported() && name != "" && !f.Type.Implements(reflect.TypeFor[attr.Value]()) {
				t.Errorf("the model of %s holds %s as %s: a resource's model holds Terraform values only", s.typeName, name, f.Type)
			}
		}
	}
	stateType := s.schema.Type().TerraformType(ctx)
	full := fullValue(stateType)
	state := s.state(full)
	if diags := state.Get(ctx, s.model); diags.HasError() {
		t.Fatalf("the model of %s does not fit its schema: %v", s.typeName, diags)
	}
	written := s.state(tftypes.NewValue(stateType, nil))
	if diags := written.Set(ctx, s.model); diags.HasError() {
		t.Fatalf("the model of %s cannot be written to its schema: %v", s.typeName, diags)
	}
	if !written.Raw.Equal(full) {
		t.Errorf("the model of %s loses values: %v became %v", s.typeName, full, written.Raw)
	}
	// The typed operation path reads and saves models itself: it must agree.
	model := reflect.New(reflect.TypeOf(s.model).Elem()).Interface()
	var diags diag.Diagnostics
	shared.GetModel(ctx, state.Get, model, &diags)
	saved := s.state(tftypes.NewValue(stateType, nil))
	if diags.Append(shared.SetModel(ctx, &saved, model)...); diags.HasError() {
		t.Fatalf("the typed operation path cannot read and save the model of %s: %v", s.typeName, diags)
	}
	if !saved.Raw.Equal(full) {
		t.Errorf("the typed operation path loses values of %s: %v became %v", s.typeName, full, saved.Raw)
	}
}

// fullValue is a value of typ with everything known and set: strings "x",
// numbers 1, true, collections of one element.
func fullValue(typ tftypes.Type) tftypes.Value {
	switch typ := typ.(type) {
	case tftypes.Object:
		attrs := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			attrs[name] = fullValue(at)
		}
		return tftypes.NewValue(typ, attrs)
	case tftypes.List:
		return tftypes.NewValue(typ, []tftypes.Value{fullValue(typ.ElementType)})
	case tftypes.Set:
		return tftypes.NewValue(typ, []tftypes.Value{fullValue(typ.ElementType)})
	case tftypes.Map:
		return tftypes.NewValue(typ, map[string]tftypes.Value{"k": fullValue(typ.ElementType)})
	}
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, "x")
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, 1)
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, true)
	}
	return tftypes.NewValue(typ, nil)
}
