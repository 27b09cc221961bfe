package shared

import (
	"context"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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
	var plan M
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...); resp.Diagnostics.HasError() {
		return
	}
	op, cancel := beginTyped(ctx, b.Data, OperationCreate, req.Plan.Raw, &resp.Diagnostics)
	if op == nil {
		return
	}
	defer cancel()
	if state := build(op, &plan); saveable(op, state) {
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

// Read serves a resource's Read from its prior state. build returns nil
// without an error for an object gone from Partner Center: the resource
// leaves the state, to be planned anew.
func Read[M any](ctx context.Context, b *ResourceBase, req resource.ReadRequest, resp *resource.ReadResponse,
	build func(op *Operation, prior *M) *M) {
	var prior M
	if resp.Diagnostics.Append(req.State.Get(ctx, &prior)...); resp.Diagnostics.HasError() {
		return
	}
	op, cancel := beginTyped(ctx, b.Data, OperationRead, req.State.Raw, &resp.Diagnostics)
	if op == nil {
		return
	}
	defer cancel()
	state := build(op, &prior)
	switch {
	case saveable(op, state):
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	case state == nil && !resp.Diagnostics.HasError():
		resp.State.RemoveResource(ctx)
	}
}

// Update serves a resource's Update from its plan and prior state.
func Update[M any](ctx context.Context, b *ResourceBase, req resource.UpdateRequest, resp *resource.UpdateResponse,
	build func(op *Operation, plan, prior *M) *M) {
	var plan, prior M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.Append(req.State.Get(ctx, &prior)...); resp.Diagnostics.HasError() {
		return
	}
	op, cancel := beginTyped(ctx, b.Data, OperationUpdate, req.Plan.Raw, &resp.Diagnostics)
	if op == nil {
		return
	}
	defer cancel()
	if state := build(op, &plan, &prior); saveable(op, state) {
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

// Delete serves a resource's Delete from its prior state. Without an
// error, the framework drops the resource from the state.
func Delete[M any](ctx context.Context, b *ResourceBase, req resource.DeleteRequest, resp *resource.DeleteResponse,
	remove func(op *Operation, prior *M)) {
	var prior M
	if resp.Diagnostics.Append(req.State.Get(ctx, &prior)...); resp.Diagnostics.HasError() {
		return
	}
	op, cancel := beginTyped(ctx, b.Data, OperationDelete, req.State.Raw, &resp.Diagnostics)
	if op == nil {
		return
	}
	defer cancel()
	remove(op, &prior)
}

// ReadDataSource serves a data source's Read from its configuration.
func ReadDataSource[M any](ctx context.Context, b *DataSourceBase, req datasource.ReadRequest, resp *datasource.ReadResponse,
	build func(op *Operation, config *M) *M) {
	var config M
	if resp.Diagnostics.Append(req.Config.Get(ctx, &config)...); resp.Diagnostics.HasError() {
		return
	}
	op, cancel := beginTyped(ctx, b.data, OperationRead, req.Config.Raw, &resp.Diagnostics)
	if op == nil {
		return
	}
	defer cancel()
	if state := build(op, &config); saveable(op, state) {
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

// beginTyped begins an operation whose arguments the model holds: the raw
// input only gives the timeouts block.
func beginTyped(ctx context.Context, data *ProviderData, kind OperationKind, input tftypes.Value, diags *diag.Diagnostics) (*Operation, context.CancelFunc) {
	return BeginOperation(ctx, data, kind, tftypes.Object{}, input, diags)
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

// Modeled is a data source or resource whose state is a typed model. Model
// returns a pointer to a new, zero model; the provider's tests check every
// registered Modeled type's model against its schema, so a new type needs
// no test case of its own for that.
type Modeled interface {
	Model() any
}
