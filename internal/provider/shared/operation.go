package shared

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// OperationKind is what one call does to Partner Center. It names the
// attribute of the timeouts block that bounds the call.
type OperationKind string

const (
	OperationRead   OperationKind = "read"
	OperationCreate OperationKind = "create"
	OperationUpdate OperationKind = "update"
	OperationDelete OperationKind = "delete"
)

// DefaultTimeouts bound each kind of operation, retries included, unless the
// timeouts block says otherwise. A purchase or a new tenant can keep Partner
// Center busy far longer than a read.
var DefaultTimeouts = map[OperationKind]time.Duration{
	OperationRead:   5 * time.Minute,
	OperationCreate: 30 * time.Minute,
	OperationUpdate: 30 * time.Minute,
	OperationDelete: 30 * time.Minute,
}

// operation is one call of a data source or resource to Partner Center, on
// the path every one of them shares (runOperation, CustomersReader): the
// provider is configured, the context is bounded by the kind's timeout and
// masks the provider's secrets in everything logged with it.
type Operation struct {
	Ctx    context.Context
	Kind   OperationKind
	Client *partnercenter.Client
	// Graph calls Microsoft Graph for the GDAP types; nil when the provider
	// has no Graph credential (RequireGraph says why).
	Graph            *partnercenter.GraphClient
	graphUnavailable string
	Timeout          time.Duration
	// StateType is the type of the state being built.
	StateType tftypes.Object
	// input holds the arguments and the timeouts block: the configuration
	// of a data source, the plan of a create or update, the prior state of
	// a resource's read or delete. It is a copy: tftypes.Value.As hands out
	// the value's own map, which the framework compares the state with.
	Input map[string]tftypes.Value
	Diags *diag.Diagnostics
	// purchases are this provider process's purchases.
	Purchases *PurchaseLedger
	// KeepStateOnError makes the state build returned the operation's
	// result even with an error: an object that exists but differs from
	// the plan must stay in the state.
	KeepStateOnError bool
}

// BeginOperation starts an operation on input. Its errors go to diags; when
// it returns an operation, the caller must call cancel.
func BeginOperation(ctx context.Context, data *ProviderData, kind OperationKind, stateType tftypes.Object, input tftypes.Value, diags *diag.Diagnostics) (_ *Operation, cancel context.CancelFunc) {
	if data == nil {
		diags.AddError("Provider not configured", "The Partner Center provider was not configured before this "+string(kind)+". "+
			"This is a bug in the provider; please report it.")
		return nil, nil
	}
	attributes := map[string]tftypes.Value{}
	if err := input.As(&attributes); err != nil {
		diags.AddError("Internal provider error", "Reading the "+string(kind)+"'s arguments: "+err.Error())
		return nil, nil
	}
	timeout, err := timeoutOf(attributes, kind)
	if err != nil {
		diags.AddError("Internal provider error", "Reading timeouts."+string(kind)+": "+err.Error())
		return nil, nil
	}
	ctx, cancel = context.WithTimeout(MaskSecrets(ctx, data.Secrets), timeout)
	return &Operation{
		Ctx: ctx, Kind: kind, Client: data.Client, Graph: data.Graph, graphUnavailable: data.GraphUnavailable, Timeout: timeout,
		StateType: stateType, Input: maps.Clone(attributes), Diags: diags, Purchases: data.Purchases,
	}, cancel
}

// timeoutOf is timeouts.<kind> of the attributes, or the kind's default when
// the block, or that attribute of it, is absent, null or unknown. The schema
// validated the duration.
func timeoutOf(attributes map[string]tftypes.Value, kind OperationKind) (time.Duration, error) {
	block, ok := attributes["timeouts"]
	if !ok || block.IsNull() || !block.IsKnown() {
		return DefaultTimeouts[kind], nil
	}
	timeouts := map[string]tftypes.Value{}
	if err := block.As(&timeouts); err != nil {
		return 0, err
	}
	value, ok := timeouts[string(kind)]
	if !ok || value.IsNull() || !value.IsKnown() {
		return DefaultTimeouts[kind], nil
	}
	var duration string
	if err := value.As(&duration); err != nil {
		return 0, err
	}
	return time.ParseDuration(duration)
}

// RequireGraph reports whether the operation has a Microsoft Graph client;
// without one it adds the error that says why and what to configure.
func (op *Operation) RequireGraph() bool {
	if op.Graph != nil {
		return true
	}
	op.Diags.AddError("Microsoft Graph is not configured", op.graphUnavailable)
	return false
}

// fail reports a failed call to Partner Center; what names the call, as in
// "Reading customer \"...\"".
func (op *Operation) Fail(what string, err error) {
	op.Diags.AddError(OperationErrorDiagnostic(op.Ctx, op.Kind, what, err, op.Timeout))
}

// FailOnSubscription reports a failed call about one subscription of a
// customer, explaining the answers particular to subscriptions.
func (op *Operation) FailOnSubscription(what, customerID, subscriptionID string, err error) {
	op.Diags.AddError(SubscriptionErrorDiagnostic(op.Ctx, op.Kind, what, customerID, subscriptionID, err, op.Timeout))
}

// buildFunc is a data source's or resource's own part of an operation: its
// call to Partner Center and the state attributes built from the answer. It
// returns nil after reporting a failure with op.fail. The attributes it
// leaves out keep their value in op.input.
type buildFunc func(op *Operation) map[string]tftypes.Value

// runOperation serves the data sources whose state is built by hand rather
// than held in a typed model (the lists, where the framework's reflection
// costs too much): it begins the operation, runs build and returns the
// state, op.input with build's attributes. ok is false when diags hold an
// error or build returned nil. Builders take their types from the schema and
// return errors, and the assembled state is checked against its type before
// it is made, so nothing here panics on a value out of step with its type.
func runOperation(ctx context.Context, data *ProviderData, kind OperationKind, schema TypedSchema, input tftypes.Value,
	diags *diag.Diagnostics, build buildFunc,
) (state tftypes.Value, ok bool) {
	stateType, isObject := schema.Type().TerraformType(ctx).(tftypes.Object)
	if !isObject {
		diags.AddError("Internal provider error", fmt.Sprintf("The schema's type is %s, not an object.", schema.Type().TerraformType(ctx)))
		return tftypes.Value{}, false
	}
	op, cancel := BeginOperation(ctx, data, kind, stateType, input, diags)
	if op == nil {
		return tftypes.Value{}, false
	}
	defer cancel()
	attributes := build(op)
	if attributes == nil || (diags.HasError() && !op.KeepStateOnError) {
		return tftypes.Value{}, false
	}
	values := op.Input
	maps.Copy(values, attributes)
	if err := tftypes.ValidateValue(stateType, values); err != nil {
		diags.AddError("Internal provider error", "Building the state of this "+string(kind)+": "+err.Error()+
			"\nThis is a bug in the provider; please report it.")
		return tftypes.Value{}, false
	}
	return tftypes.NewValue(stateType, values), true
}

// TypedSchema is what runOperation needs of a schema.
type TypedSchema interface {
	Type() attr.Type
}
