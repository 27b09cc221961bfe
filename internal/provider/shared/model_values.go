package shared

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NullUnknown makes each unknown value of model, a pointer to a typed
// model (embedded structs included), null of its type: what a state holds
// for a value the plan left unknown and Partner Center has not given yet.
func NullUnknown(ctx context.Context, model any) diag.Diagnostics {
	return replaceValues(ctx, model, func(v attr.Value) (any, bool) { return nil, v.IsUnknown() })
}

// SetUnknown makes every value of model, a pointer to a typed model
// (embedded structs included), unknown: what a plan holds for values only
// Partner Center's answer will give.
func SetUnknown(ctx context.Context, model any) diag.Diagnostics {
	return replaceValues(ctx, model, func(attr.Value) (any, bool) { return tftypes.UnknownValue, true })
}

// replaceValues sets each attr.Value field of model for which replace
// holds to the value of its type that replace gives (nil: null, or
// tftypes.UnknownValue).
func replaceValues(ctx context.Context, model any, replace func(attr.Value) (any, bool)) diag.Diagnostics {
	var diags diag.Diagnostics
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		diags.AddError("Internal provider error", fmt.Sprintf("Setting the values of a model: %T is not a pointer to a struct.", model))
		return diags
	}
	return replaceFields(ctx, v.Elem(), replace)
}

// replaceFields is replaceValues on the struct v; an embedded struct's
// fields are the model's own, even when its type is unexported.
func replaceFields(ctx context.Context, v reflect.Value, replace func(attr.Value) (any, bool)) diag.Diagnostics {
	var diags diag.Diagnostics
	for i := range v.NumField() {
		field, f := v.Type().Field(i), v.Field(i)
		if field.Anonymous && f.Kind() == reflect.Struct {
			diags.Append(replaceFields(ctx, f, replace)...)
			continue
		}
		if !field.IsExported() {
			continue
		}
		value, ok := f.Interface().(attr.Value)
		if !ok {
			continue
		}
		raw, ok := replace(value)
		if !ok {
			continue
		}
		typ := value.Type(ctx)
		replaced, err := typ.ValueFromTerraform(ctx, tftypes.NewValue(typ.TerraformType(ctx), raw))
		if err != nil || !reflect.TypeOf(replaced).AssignableTo(f.Type()) {
			diags.AddError("Internal provider error", fmt.Sprintf("Setting %s of a model: %v (%T)", field.Name, err, replaced))
			continue
		}
		f.Set(reflect.ValueOf(replaced))
	}
	return diags
}
