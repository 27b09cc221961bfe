package shared

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ResourceBase holds what every resource gets from Configure and serves its
// create, read, update and delete on the path data sources take
// (runOperation): the provider configured, the timeouts block's value for the
// operation, secrets masked, a builder out of step with its schema reported.
// A resource embeds it and passes each call its own buildFunc.
type ResourceBase struct {
	Data *ProviderData
}

func (b *ResourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	b.Data = data
}

// create runs build on the plan; the state is the plan with build's
// attributes, which must leave nothing unknown.
func (b *ResourceBase) CreateWith(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse, build buildFunc) {
	if state, ok := runOperation(ctx, b.Data, OperationCreate, req.Plan.Schema, req.Plan.Raw, &resp.Diagnostics, build); ok {
		resp.State.Raw = state
	}
}

// read runs build on the prior state; the state is the prior state with
// build's attributes. build returns nil without an error for an object gone
// from Partner Center: the resource leaves the state, to be planned anew.
func (b *ResourceBase) ReadWith(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse, build buildFunc) {
	state, ok := runOperation(ctx, b.Data, OperationRead, req.State.Schema, req.State.Raw, &resp.Diagnostics, build)
	switch {
	case ok:
		resp.State.Raw = state
	case !resp.Diagnostics.HasError():
		resp.State.RemoveResource(ctx)
	}
}

// update runs build on the plan, as create does, and gives it the prior
// state too; the plan carries the ids of the prior state
// (UseStateForUnknown).
func (b *ResourceBase) UpdateWith(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse,
	build func(op *Operation, prior map[string]tftypes.Value) map[string]tftypes.Value) {
	prior := map[string]tftypes.Value{}
	if err := req.State.Raw.As(&prior); err != nil {
		resp.Diagnostics.AddError("Internal provider error", "Reading the prior state: "+err.Error())
		return
	}
	state, ok := runOperation(ctx, b.Data, OperationUpdate, req.Plan.Schema, req.Plan.Raw, &resp.Diagnostics,
		func(op *Operation) map[string]tftypes.Value { return build(op, prior) })
	if ok {
		resp.State.Raw = state
	}
}

// delete runs remove on the prior state. Without an error, the framework
// drops the resource from the state.
func (b *ResourceBase) DeleteWith(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse, remove func(op *Operation)) {
	runOperation(ctx, b.Data, OperationDelete, req.State.Schema, req.State.Raw, &resp.Diagnostics,
		func(op *Operation) map[string]tftypes.Value {
			remove(op)
			return nil
		})
}

// ResourceTimeoutsBlock is the timeouts block of a resource: create, read
// (each refresh), update and delete, each a positive duration defaulting
// to DefaultTimeouts.
func ResourceTimeoutsBlock(ctx context.Context) schema.Block {
	describe := func(kind OperationKind, what string) string {
		return fmt.Sprintf("How long %s may take, retries included, as a duration such as `10m` or `1h`. Defaults to `%s`.",
			what, shortDuration(DefaultTimeouts[kind]))
	}
	block := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: describe(OperationCreate, "a create"),
		ReadDescription:   describe(OperationRead, "a read (each refresh)"),
		UpdateDescription: describe(OperationUpdate, "an update"),
		DeleteDescription: describe(OperationDelete, "a delete"),
	})
	nested, ok := block.(schema.SingleNestedBlock)
	if !ok {
		return block
	}
	nested.MarkdownDescription = "Bounds the time each change may take."
	for name, attribute := range nested.Attributes {
		if s, ok := attribute.(schema.StringAttribute); ok {
			s.MarkdownDescription = s.Description
			s.Validators = append(s.Validators, positiveDurationValidator{})
			nested.Attributes[name] = s
		}
	}
	return nested
}

// shortDuration writes d as a user writes it: 30m rather than 30m0s.
func shortDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
