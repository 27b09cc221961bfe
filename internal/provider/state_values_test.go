package provider

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// State values are built by hand beside each schema (customer_value.go,
// subscription_value.go, listed_customers.go, the entitlements' state), so
// their attribute names are written twice. Every data source is walked here:
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
	)
	fill(reflect.ValueOf(&customer).Elem())
	fill(reflect.ValueOf(&subscription).Elem())
	fill(reflect.ValueOf(&entitlement).Elem())

	// Each case builds the state a read would, and names the attributes
	// that come from the configuration rather than from Partner Center.
	tests := []struct {
		dataSource func() datasource.DataSource
		fromConfig []string
		state      func(t *testing.T, stateType tftypes.Object, config tftypes.Value) tftypes.Value
	}{
		{newCustomerDataSource, []string{"domain", "timeouts"}, func(t *testing.T, stateType tftypes.Object, _ tftypes.Value) tftypes.Value {
			values, err := newCustomerValues(stateType)
			if err != nil {
				t.Fatal(err)
			}
			attrs := values.attributes(&customer)
			attrs["domain"] = tftypes.NewValue(tftypes.String, nil)
			attrs["timeouts"] = tftypes.NewValue(stateType.AttributeTypes["timeouts"], nil)
			return tftypes.NewValue(stateType, attrs)
		}},
		{newCustomerSubscriptionDataSource, []string{"customer_id", "timeouts"}, func(t *testing.T, stateType tftypes.Object, _ tftypes.Value) tftypes.Value {
			values, err := newSubscriptionValues(stateType)
			if err != nil {
				t.Fatal(err)
			}
			attrs := values.attributes(&subscription)
			attrs["customer_id"] = tftypes.NewValue(tftypes.String, nil)
			attrs["timeouts"] = tftypes.NewValue(stateType.AttributeTypes["timeouts"], nil)
			return tftypes.NewValue(stateType, attrs)
		}},
		{newCustomerSubscriptionsDataSource, []string{"customer_id", "timeouts"}, func(t *testing.T, stateType tftypes.Object, config tftypes.Value) tftypes.Value {
			state, err := subscriptionsState(ctx, schemaOf(ctx, newCustomerSubscriptionsDataSource()), config, []partnercenter.Subscription{subscription})
			if err != nil {
				t.Fatal(err)
			}
			return state
		}},
		{newAzureEntitlementsDataSource, []string{"customer_id", "subscription_id", "timeouts"}, func(t *testing.T, stateType tftypes.Object, config tftypes.Value) tftypes.Value {
			state, err := entitlementsState(ctx, schemaOf(ctx, newAzureEntitlementsDataSource()), config, []partnercenter.AzureEntitlement{entitlement})
			if err != nil {
				t.Fatal(err)
			}
			return state
		}},
		{newCustomersDataSource, []string{"domain_prefix", "company_name_prefix", "timeouts"}, func(t *testing.T, stateType tftypes.Object, _ tftypes.Value) tftypes.Value {
			listed := newListedCustomers()
			if err := listed.add([]partnercenter.Customer{customer}); err != nil {
				t.Fatal(err)
			}
			encoded, err := listed.state(stateType, map[string]tftypes.Value{})
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
	for _, tt := range tests {
		s := schemaOf(ctx, tt.dataSource())
		stateType, ok := s.Type().TerraformType(ctx).(tftypes.Object)
		if !ok {
			t.Fatalf("%T: the schema is not an object", tt.dataSource())
		}
		t.Run(reflect.TypeOf(tt.dataSource()).Elem().Name(), func(t *testing.T) {
			config := objectValue(t, stateType, nil)
			var attrs map[string]tftypes.Value
			if err := tt.state(t, stateType, config).As(&attrs); err != nil {
				t.Fatal(err)
			}
			for name, value := range attrs {
				if !slices.Contains(tt.fromConfig, name) {
					requireFilled(t, name, value)
				}
			}
		})
	}
}

// schemaOf is a data source's schema, as the framework would ask for it.
func schemaOf(ctx context.Context, ds datasource.DataSource) typedSchema {
	var resp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
	return resp.Schema
}

// requireFilled fails for a null value anywhere in v: in an object's
// attributes and in a list's elements, which must not be empty.
func requireFilled(t *testing.T, path string, v tftypes.Value) {
	t.Helper()
	if v.IsNull() || !v.IsKnown() {
		t.Errorf("%s is %v although the API object sets every field", path, v)
		return
	}
	switch {
	case v.Type().Is(tftypes.Object{}):
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatal(err)
		}
		for name, attr := range attrs {
			requireFilled(t, path+"."+name, attr)
		}
	case v.Type().Is(tftypes.List{}):
		var elements []tftypes.Value
		if err := v.As(&elements); err != nil {
			t.Fatal(err)
		}
		if len(elements) == 0 {
			t.Errorf("%s is empty although the API object sets every field", path)
		}
		for i, e := range elements {
			requireFilled(t, path+"["+strconv.Itoa(i)+"]", e)
		}
	}
}

// fill sets every field reachable from v to a non-zero value: pointers to
// filled values, slices of one filled element.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
	case reflect.Float64:
		v.SetFloat(1)
	default:
		panic("fill: add a case for " + v.Kind().String())
	}
}
