package shared

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

// AttributeTypes are the attribute types of an object type, as a nested
// attribute's GetType gives it; nil for another type, which makes every
// value built with them an error diagnostic.
func AttributeTypes(t attr.Type) map[string]attr.Type {
	if o, ok := t.(types.ObjectType); ok {
		return o.AttrTypes
	}
	return nil
}

// ObjectOf is ObjectValue with its diagnostics added to diags: model as an
// object of attrTypes, unknown after an error.
func ObjectOf(attrTypes map[string]attr.Type, model any, diags *diag.Diagnostics) types.Object {
	object, d := ObjectValue(attrTypes, model)
	diags.Append(d...)
	return object
}

// StringListOf is items as a known list of strings, empty rather than null.
func StringListOf(items []string, diags *diag.Diagnostics) types.List {
	elements := make([]attr.Value, len(items))
	for i, s := range items {
		elements[i] = types.StringValue(s)
	}
	list, d := types.ListValue(types.StringType, elements)
	diags.Append(d...)
	return list
}

// StringListOrNullOf keeps the difference between a list Partner Center
// left out (null) and an empty one.
func StringListOrNullOf(items []string, diags *diag.Diagnostics) types.List {
	if items == nil {
		return types.ListNull(types.StringType)
	}
	return StringListOf(items, diags)
}
