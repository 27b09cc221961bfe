package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// probeResource is a resource built on ResourceBase as the provider's own
// will be: its code is its schema and one buildFunc per operation, here one
// that records what the shared path gave it.
type probeResource struct {
	shared.ResourceBase
	seen  []*shared.Operation
	build func(op *shared.Operation) map[string]tftypes.Value
}

func (r *probeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_probe"
}

func (r *probeResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":   schema.StringAttribute{Computed: true},
			"name": schema.StringAttribute{Required: true},
		},
		Blocks: map[string]schema.Block{"timeouts": shared.ResourceTimeoutsBlock(ctx)},
	}
}

func (r *probeResource) Record(op *shared.Operation) map[string]tftypes.Value {
	r.seen = append(r.seen, op)
	if deadline, ok := op.Ctx.Deadline(); !ok || time.Until(deadline) > op.Timeout {
		return nil
	}
	return r.build(op)
}

func (r *probeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.CreateWith(ctx, req, resp, r.Record)
}

func (r *probeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.ReadWith(ctx, req, resp, r.Record)
}

func (r *probeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.UpdateWith(ctx, req, resp, func(op *shared.Operation, _ map[string]tftypes.Value) map[string]tftypes.Value { return r.Record(op) })
}

func (r *probeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	r.DeleteWith(ctx, req, resp, func(op *shared.Operation) { r.Record(op) })
}

// newConfiguredProbe is a probeResource configured as the framework would,
// with what the provider's Configure hands to resources.
func newConfiguredProbe(t *testing.T, build func(op *shared.Operation) map[string]tftypes.Value) (*probeResource, tftypes.Object, schema.Schema) {
	t.Helper()
	ctx := context.Background()
	providerType := providerSchema().Type().TerraformType(ctx)
	var configured provider.ConfigureResponse
	(&partnerCenterProvider{version: "test"}).Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{
		Schema: providerSchema(),
		Raw:    acctest.ObjectValue(t, providerType, map[string]tftypes.Value{"access_token": tftypes.NewValue(tftypes.String, "probe-token")}),
	}}, &configured)
	if configured.Diagnostics.HasError() || configured.ResourceData == nil {
		t.Fatalf("Configure gave resources %v: %v", configured.ResourceData, configured.Diagnostics)
	}
	r := &probeResource{build: build}
	var resp resource.ConfigureResponse
	r.Configure(ctx, resource.ConfigureRequest{ProviderData: configured.ResourceData}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	stateType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the probe's schema is not an object")
	}
	return r, stateType, schemaResp.Schema
}

// probeValue is the probe's plan or state: name set, id as given, and
// timeouts.create set to 7m.
func probeValue(t *testing.T, stateType tftypes.Object, id tftypes.Value) tftypes.Value {
	t.Helper()
	timeoutsType := stateType.AttributeTypes["timeouts"]
	return acctest.ObjectValue(t, stateType, map[string]tftypes.Value{
		"id":   id,
		"name": tftypes.NewValue(tftypes.String, "probe"),
		"timeouts": acctest.ObjectValue(t, timeoutsType, map[string]tftypes.Value{
			"create": tftypes.NewValue(tftypes.String, "7m"),
		}),
	})
}

func TestResourceBase_operations(t *testing.T) {
	ctx := context.Background()
	setID := func(op *shared.Operation) map[string]tftypes.Value {
		return map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "id-of-"+op.Arg("name"))}
	}
	r, stateType, s := newConfiguredProbe(t, setID)
	unknownID := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	prior := probeValue(t, stateType, tftypes.NewValue(tftypes.String, "id-of-probe"))

	var created resource.CreateResponse
	created.State = tfsdk.State{Schema: s}
	r.Create(ctx, resource.CreateRequest{Plan: tfsdk.Plan{Schema: s, Raw: probeValue(t, stateType, unknownID)}}, &created)
	if created.Diagnostics.HasError() {
		t.Fatal(created.Diagnostics)
	}
	if !created.State.Raw.Equal(prior) {
		t.Errorf("state after create = %v, want the plan with the id built: %v", created.State.Raw, prior)
	}

	var updated resource.UpdateResponse
	updated.State = tfsdk.State{Schema: s}
	r.Update(ctx, resource.UpdateRequest{Plan: tfsdk.Plan{Schema: s, Raw: prior}, State: tfsdk.State{Schema: s, Raw: prior}}, &updated)
	var read resource.ReadResponse
	read.State = tfsdk.State{Schema: s, Raw: prior}
	r.Read(ctx, resource.ReadRequest{State: tfsdk.State{Schema: s, Raw: prior}}, &read)
	var deleted resource.DeleteResponse
	r.Delete(ctx, resource.DeleteRequest{State: tfsdk.State{Schema: s, Raw: prior}}, &deleted)
	for _, d := range []interface{ HasError() bool }{updated.Diagnostics, read.Diagnostics, deleted.Diagnostics} {
		if d.HasError() {
			t.Fatal(d)
		}
	}
	if !updated.State.Raw.Equal(prior) || !read.State.Raw.Equal(prior) {
		t.Errorf("state after update %v, after read %v; want %v", updated.State.Raw, read.State.Raw, prior)
	}

	// timeouts.create is set; the others take their defaults.
	want := []struct {
		kind    shared.OperationKind
		timeout time.Duration
	}{{shared.OperationCreate, 7 * time.Minute}, {shared.OperationUpdate, 30 * time.Minute}, {shared.OperationRead, 5 * time.Minute}, {shared.OperationDelete, 30 * time.Minute}}
	if len(r.seen) != len(want) {
		t.Fatalf("%d operations ran, want %d", len(r.seen), len(want))
	}
	for i, w := range want {
		if op := r.seen[i]; op.Kind != w.kind || op.Timeout != w.timeout || op.Client == nil {
			t.Errorf("operation %d: %s bounded by %s (client %v), want %s bounded by %s", i, op.Kind, op.Timeout, op.Client, w.kind, w.timeout)
		}
	}
}

// A read that finds the object gone removes the resource from the state.
func TestResourceBase_readOfAGoneObjectRemovesTheResource(t *testing.T) {
	ctx := context.Background()
	r, stateType, s := newConfiguredProbe(t, func(*shared.Operation) map[string]tftypes.Value { return nil })
	prior := probeValue(t, stateType, tftypes.NewValue(tftypes.String, "id-of-probe"))
	resp := resource.ReadResponse{State: tfsdk.State{Schema: s, Raw: prior}}
	r.Read(ctx, resource.ReadRequest{State: tfsdk.State{Schema: s, Raw: prior}}, &resp)
	if resp.Diagnostics.HasError() || !resp.State.Raw.IsNull() {
		t.Errorf("state %v, diagnostics %v; want the resource removed without error", resp.State.Raw, resp.Diagnostics)
	}
}

// A builder out of step with the schema is an error diagnostic, not a crash
// of the provider: a value of the wrong type, an attribute the schema lacks,
// an argument read as the wrong type.
func TestRunOperation_stateOutOfStepWithTheSchemaIsADiagnostic(t *testing.T) {
	builders := map[string]func(op *shared.Operation) map[string]tftypes.Value{
		"wrong type": func(*shared.Operation) map[string]tftypes.Value {
			return map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.Bool, true)}
		},
		"unknown attribute": func(*shared.Operation) map[string]tftypes.Value {
			return map[string]tftypes.Value{"colour": tftypes.NewValue(tftypes.String, "red")}
		},
		"argument of another type": func(op *shared.Operation) map[string]tftypes.Value {
			return map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, op.Arg("timeouts"))}
		},
	}
	for name, build := range builders {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			r, stateType, s := newConfiguredProbe(t, build)
			resp := resource.CreateResponse{State: tfsdk.State{Schema: s}}
			r.Create(ctx, resource.CreateRequest{Plan: tfsdk.Plan{Schema: s, Raw: probeValue(t, stateType, tftypes.NewValue(tftypes.String, tftypes.UnknownValue))}}, &resp)
			if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics[0].Detail(), "Building the state of this create") {
				t.Fatalf("diagnostics = %v, want one about building the state", resp.Diagnostics)
			}
			if !resp.State.Raw.IsNull() {
				t.Errorf("state = %v, want none", resp.State.Raw)
			}
		})
	}
}

// A bug that is not a value out of step with its type still panics, with
// its stack, rather than passing for one.
func TestRunOperation_otherPanicsPropagate(t *testing.T) {
	r, stateType, s := newConfiguredProbe(t, func(op *shared.Operation) map[string]tftypes.Value {
		var missing *shared.Operation
		return missing.Input
	})
	defer func() {
		var runtimeErr interface{ RuntimeError() }
		if err, ok := recover().(error); !ok || !errors.As(err, &runtimeErr) {
			t.Errorf("recovered %v, want the nil dereference's runtime error", err)
		}
	}()
	resp := resource.CreateResponse{State: tfsdk.State{Schema: s}}
	r.Create(context.Background(), resource.CreateRequest{Plan: tfsdk.Plan{Schema: s, Raw: probeValue(t, stateType, tftypes.NewValue(tftypes.String, tftypes.UnknownValue))}}, &resp)
	t.Error("Create returned")
}

// An operation before Configure is an error, not a nil dereference.
func TestResourceBase_beforeConfigure(t *testing.T) {
	ctx := context.Background()
	_, stateType, s := newConfiguredProbe(t, nil)
	r := &probeResource{}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: s}}
	r.Create(ctx, resource.CreateRequest{Plan: tfsdk.Plan{Schema: s, Raw: probeValue(t, stateType, tftypes.NewValue(tftypes.String, tftypes.UnknownValue))}}, &resp)
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary() != "Provider not configured" || len(r.seen) != 0 {
		t.Errorf("diagnostics %v, %d operations run; want only \"Provider not configured\"", resp.Diagnostics, len(r.seen))
	}
}

// probeProvider is the provider with probeResource among its resources.
type probeProvider struct{ *partnerCenterProvider }

func (probeProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &probeResource{} }}
}

// The framework serves a resource built on ResourceBase, with its timeouts
// block for create, update and delete and their defaults documented.
func TestResourceBase_servedByTheFramework(t *testing.T) {
	server := providerserver.NewProtocol6(probeProvider{&partnerCenterProvider{version: "test"}})()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("schema: %v %v", err, resp.Diagnostics)
	}
	probe, ok := resp.ResourceSchemas["partnercenter_probe"]
	if !ok {
		t.Fatal("partnercenter_probe is not served")
	}
	var timeouts *tfprotov6.SchemaNestedBlock
	for _, b := range probe.Block.BlockTypes {
		if b.TypeName == "timeouts" {
			timeouts = b
		}
	}
	if timeouts == nil {
		t.Fatal("no timeouts block")
	}
	got := map[string]string{}
	for _, a := range timeouts.Block.Attributes {
		got[a.Name] = a.Description
	}
	for _, kind := range []shared.OperationKind{shared.OperationCreate, shared.OperationUpdate, shared.OperationDelete} {
		if want := "Defaults to `30m`."; !strings.HasSuffix(got[string(kind)], want) {
			t.Errorf("timeouts.%s is described %q, want it to end %q", kind, got[string(kind)], want)
		}
	}
	if want := "Defaults to `5m`."; !strings.HasSuffix(got[string(shared.OperationRead)], want) {
		t.Errorf("timeouts.read is described %q, want it to end %q", got[string(shared.OperationRead)], want)
	}
	if len(got) != 4 {
		t.Errorf("timeouts has %v, want create, read, update and delete", got)
	}
}
