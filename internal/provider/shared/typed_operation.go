package shared

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The typed operation path: each function reads the request's model M (the
// plan, the prior state or the configuration), begins the operation on it
// and hands both to the type's own build function, which calls Partner
// Center, reports failures on op and returns the model to save, nil when
// there is nothing to save. A model that does not fit its schema is an
// error diagnostic from the framework, never a panic.

// Create serves a resource's Create from its plan.
func Create[M any](ctx context.Context, b *ResourceBase, req resource.CreateRequest, resp *resource.CreateResponse,
	build func(op *Operation, plan *M) *M) {
	withModel(ctx, b.Data, OperationCreate, req.Plan.Get, req.Plan.Raw, &resp.Diagnostics, func(op *Operation, plan *M) {
		if state := build(op, plan); saveable(op, state) {
			resp.Diagnostics.Append(SetModel(ctx, &resp.State, state)...)
			resp.Diagnostics.Append(SetIdentity(ctx, resp.Identity, state)...)
		}
	})
}

// Read serves a resource's Read from its prior state. build returns nil
// without an error for an object gone from Partner Center: the resource
// leaves the state, to be planned anew.
func Read[M any](ctx context.Context, b *ResourceBase, req resource.ReadRequest, resp *resource.ReadResponse,
	build func(op *Operation, prior *M) *M) {
	withModel(ctx, b.Data, OperationRead, req.State.Get, req.State.Raw, &resp.Diagnostics, func(op *Operation, prior *M) {
		state := build(op, prior)
		switch {
		case saveable(op, state):
			resp.Diagnostics.Append(SetModel(ctx, &resp.State, state)...)
			resp.Diagnostics.Append(SetIdentity(ctx, resp.Identity, state)...)
		case state == nil && !resp.Diagnostics.HasError():
			resp.State.RemoveResource(ctx)
			// The framework wants an identity even of an object gone: a
			// state saved before identities has none to keep.
			resp.Diagnostics.Append(SetIdentity(ctx, resp.Identity, prior)...)
		}
	})
}

// Update serves a resource's Update from its plan and prior state.
func Update[M any](ctx context.Context, b *ResourceBase, req resource.UpdateRequest, resp *resource.UpdateResponse,
	build func(op *Operation, plan, prior *M) *M) {
	var prior M
	if GetModel(ctx, req.State.Get, &prior, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	withModel(ctx, b.Data, OperationUpdate, req.Plan.Get, req.Plan.Raw, &resp.Diagnostics, func(op *Operation, plan *M) {
		if state := build(op, plan, &prior); saveable(op, state) {
			resp.Diagnostics.Append(SetModel(ctx, &resp.State, state)...)
			resp.Diagnostics.Append(SetIdentity(ctx, resp.Identity, state)...)
		}
	})
}

// Delete serves a resource's Delete from its prior state. Without an
// error, the framework drops the resource from the state.
func Delete[M any](ctx context.Context, b *ResourceBase, req resource.DeleteRequest, resp *resource.DeleteResponse,
	remove func(op *Operation, prior *M)) {
	withModel(ctx, b.Data, OperationDelete, req.State.Get, req.State.Raw, &resp.Diagnostics, remove)
}

// ReadDataSource serves a data source's Read from its configuration.
func ReadDataSource[M any](ctx context.Context, b *DataSourceBase, req datasource.ReadRequest, resp *datasource.ReadResponse,
	build func(op *Operation, config *M) *M) {
	withModel(ctx, b.data, OperationRead, req.Config.Get, req.Config.Raw, &resp.Diagnostics, func(op *Operation, config *M) {
		if state := build(op, config); saveable(op, state) {
			resp.Diagnostics.Append(SetModel(ctx, &resp.State, state)...)
		}
	})
}

// withModel reads the model with get, begins the operation on raw and runs
// run with both; a failure of either is in diags and nothing runs.
func withModel[M any](ctx context.Context, data *ProviderData, kind OperationKind, get func(context.Context, any) diag.Diagnostics,
	raw tftypes.Value, diags *diag.Diagnostics, run func(op *Operation, model *M)) {
	var model M
	if GetModel(ctx, get, &model, diags); diags.HasError() {
		return
	}
	// The raw input gives the timeouts block and the state's type.
	stateType, _ := raw.Type().(tftypes.Object)
	op, cancel := BeginOperation(ctx, data, kind, stateType, raw, diags)
	if op == nil {
		return
	}
	defer cancel()
	run(op, &model)
}

// saveable says whether a build's result goes to the state: one was
// returned, and either nothing failed or the object must stay in the state
// despite the error.
func saveable[M any](op *Operation, state *M) bool {
	return state != nil && (!op.Diags.HasError() || op.KeepStateOnError)
}

// KeepPriorWhereUnknown sets each attribute of the plan model that is not
// wholly known (a computed one the update does not set, a nested object
// with an unknown member) to the prior state's, so that the state an update
// saves holds nothing unknown. plan and prior point to models of one type;
// attributes of embedded structs count as the model's own.
func KeepPriorWhereUnknown[M any](ctx context.Context, plan, prior *M) {
	keepPriorWhereUnknown(ctx, reflect.ValueOf(plan).Elem(), reflect.ValueOf(prior).Elem())
}

func keepPriorWhereUnknown(ctx context.Context, plan, prior reflect.Value) {
	for i := range plan.NumField() {
		field := plan.Field(i)
		if plan.Type().Field(i).Anonymous && field.Kind() == reflect.Struct {
			keepPriorWhereUnknown(ctx, field, prior.Field(i))
			continue
		}
		if !field.CanSet() {
			continue
		}
		value, ok := field.Interface().(attr.Value)
		if !ok {
			continue
		}
		if v, err := value.ToTerraformValue(ctx); err != nil || !v.IsFullyKnown() {
			field.Set(prior.Field(i))
		}
	}
}

// GetModel reads a request's plan, state or configuration into model, as
// get(ctx, model) would, but with the model's tags read once per model type
// (modelFields): get reads the value as one object, whose attributes go to
// the model's fields. The framework's struct reflection parses the tags
// again, compiling a regexp per field, at every call; with SetModel's, that
// cost a partnercenter_customer read 1.3 ms, a third of its provider CPU.
// A model with a field of Go structs (a nested list as []T) is read by get
// itself: those are small, and the framework converts them.
func GetModel(ctx context.Context, get func(context.Context, any) diag.Diagnostics, model any, diags *diag.Diagnostics) {
	v := reflect.ValueOf(model).Elem()
	fields, flat, err := modelFields(v.Type())
	if err != nil {
		diags.AddError("Internal provider error", err.Error())
		return
	}
	if !flat {
		diags.Append(get(ctx, model)...)
		return
	}
	var object types.Object
	if diags.Append(get(ctx, &object)...); diags.HasError() {
		return
	}
	if object.IsNull() || object.IsUnknown() {
		diags.AddError("Internal provider error", fmt.Sprintf("Reading %s from a value that is null or unknown.", v.Type()))
		return
	}
	attributes := object.Attributes()
	for _, f := range fields {
		field := v.FieldByIndex(f.index)
		value, ok := attributes[f.name]
		if !ok || !reflect.TypeOf(value).AssignableTo(field.Type()) {
			diags.AddError("Internal provider error", fmt.Sprintf("The schema's %s does not fit %s of %s.", f.name, field.Type(), v.Type()))
			return
		}
		field.Set(reflect.ValueOf(value))
	}
	if len(fields) != len(attributes) {
		diags.AddError("Internal provider error", fmt.Sprintf("%s has %d fields for the schema's %d attributes.", v.Type(), len(fields), len(attributes)))
	}
}

// SetModel saves model to the state, as state.Set(ctx, model) would, with
// the model's tags read once per model type (see GetModel).
func SetModel(ctx context.Context, state *tfsdk.State, model any) diag.Diagnostics {
	return setModel(ctx, state.Schema.Type(), state.Set, model)
}

// SetPlanModel is SetModel for a plan a resource modifies.
func SetPlanModel(ctx context.Context, plan *tfsdk.Plan, model any) diag.Diagnostics {
	return setModel(ctx, plan.Schema.Type(), plan.Set, model)
}

// setModel sets model, of a schema of type schemaType, with set.
func setModel(ctx context.Context, schemaType attr.Type, set func(context.Context, any) diag.Diagnostics, model any) diag.Diagnostics {
	objectType, ok := schemaType.(attr.TypeWithAttributeTypes)
	if !ok {
		var diags diag.Diagnostics
		diags.AddError("Internal provider error", fmt.Sprintf("The schema's type is %s, not an object.", schemaType))
		return diags
	}
	_, flat, err := modelFields(reflect.Indirect(reflect.ValueOf(model)).Type())
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Internal provider error", err.Error())
		return diags
	}
	if !flat {
		return set(ctx, model)
	}
	object, diags := ObjectValue(objectType.AttributeTypes(), model)
	if diags.HasError() {
		return diags
	}
	return append(diags, set(ctx, object)...)
}

// ObjectValue is model, a struct (or a pointer to one) of attr.Value fields
// tagged tfsdk, embedded structs included, as an object of attrTypes, as
// types.ObjectValueFrom makes it but with the tags read once per struct type.
func ObjectValue(attrTypes map[string]attr.Type, model any) (types.Object, diag.Diagnostics) {
	values, err := modelValues(model)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Internal provider error", err.Error())
		return types.ObjectUnknown(attrTypes), diags
	}
	return types.ObjectValue(attrTypes, values)
}

// modelValues are the attribute values of model, a struct (or a pointer to
// one) of attr.Value fields tagged tfsdk, by attribute name.
func modelValues(model any) (map[string]attr.Value, error) {
	v := reflect.Indirect(reflect.ValueOf(model))
	fields, _, err := modelFields(v.Type())
	if err != nil {
		return nil, err
	}
	values := make(map[string]attr.Value, len(fields))
	for _, f := range fields {
		value, ok := v.FieldByIndex(f.index).Interface().(attr.Value)
		if !ok {
			return nil, fmt.Errorf("%s of %s is not a Terraform value", f.name, v.Type())
		}
		values[f.name] = value
	}
	return values, nil
}

// ObjectListValue is models, structs as ObjectValue takes them, as a known
// list of objects of attrTypes; unknown after an error.
func ObjectListValue[M any](attrTypes map[string]attr.Type, models []M) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	elementType := types.ObjectType{AttrTypes: attrTypes}
	elements := make([]attr.Value, len(models))
	for i := range models {
		object, d := ObjectValue(attrTypes, &models[i])
		if diags.Append(d...); diags.HasError() {
			return types.ListUnknown(elementType), diags
		}
		elements[i] = object
	}
	list, d := types.ListValue(elementType, elements)
	return list, append(diags, d...)
}

// modelField is a field of a model and the attribute it holds.
type modelField struct {
	index []int
	name  string
}

// modelFieldsOf caches modelFields by struct type.
var modelFieldsOf sync.Map

// fieldsOfModel are a model type's tagged fields, whether every one of them
// holds an attr.Value, and why the type cannot be a model.
type fieldsOfModel struct {
	fields []modelField
	flat   bool
	err    error
}

// modelFields are the tagged fields of the struct type t, those of its
// embedded structs included; flat says that each holds an attr.Value. As
// the framework's reflection does, it ignores unexported fields and refuses
// a struct embedded by pointer and a tag used twice.
func modelFields(t reflect.Type) (fields []modelField, flat bool, err error) {
	if cached, ok := modelFieldsOf.Load(t); ok {
		if f, ok := cached.(fieldsOfModel); ok {
			return f.fields, f.flat, f.err
		}
	}
	flat = true
	valueType := reflect.TypeFor[attr.Value]()
	seen := map[string]bool{}
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous && f.Type.Kind() == reflect.Pointer {
			err = fmt.Errorf("%s embeds %s by a pointer, which a model cannot do", t, f.Type)
			break
		}
		name := f.Tag.Get("tfsdk")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		if seen[name] {
			err = fmt.Errorf("%s has two fields tagged %q", t, name)
			break
		}
		seen[name] = true
		fields = append(fields, modelField{index: f.Index, name: name})
		flat = flat && f.Type.Implements(valueType)
	}
	modelFieldsOf.Store(t, fieldsOfModel{fields, flat, err})
	return fields, flat, err
}

// Modeled is a data source or resource whose state is a typed model. Model
// returns a pointer to a new, zero model; the provider's tests check every
// registered Modeled type's model against its schema, so a new type needs
// no test case of its own for that.
type Modeled interface {
	Model() any
}
