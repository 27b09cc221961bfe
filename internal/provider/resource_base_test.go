package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// probeModel is the probe's typed model.
type probeModel struct {
	ID       types.String   `tfsdk:"id"`
	Name     types.String   `tfsdk:"name"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// probeResource is a resource built on ResourceBase and the typed path as
// the provider's own are: its code is its schema and one build function per
// operation, here one that records what the shared path gave it.
type probeResource struct {
	shared.ResourceBase
	seen  []*shared.Operation
	build func(op *shared.Operation, m *probeModel) *probeModel
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

func (r *probeResource) record(op *shared.Operation, m *probeModel) *probeModel {
	r.seen = append(r.seen, op)
	if deadline, ok := op.Ctx.Deadline(); !ok || time.Until(deadline) > op.Timeout {
		return nil
	}
	return r.build(op, m)
}

func (r *probeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	shared.Create(ctx, &r.ResourceBase, req, resp, r.record)
}

func (r *probeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	shared.Read(ctx, &r.ResourceBase, req, resp, r.record)
}

func (r *probeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	shared.Update(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, plan, _ *probeModel) *probeModel { return r.record(op, plan) })
}

func (r *probeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	shared.Delete(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, prior *probeModel) { r.record(op, prior) })
}

// newConfiguredProbe is a probeResource configured as the framework would,
// with what the provider's Configure hands to resources.
func newConfiguredProbe(t *testing.T, build func(op *shared.Operation, m *probeModel) *probeModel) (*probeResource, tftypes.Object, schema.Schema) {
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
	setID := func(_ *shared.Operation, m *probeModel) *probeModel {
		m.ID = types.StringValue("id-of-" + m.Name.ValueString())
		return m
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
	r, stateType, s := newConfiguredProbe(t, func(*shared.Operation, *probeModel) *probeModel { return nil })
	prior := probeValue(t, stateType, tftypes.NewValue(tftypes.String, "id-of-probe"))
	resp := resource.ReadResponse{State: tfsdk.State{Schema: s, Raw: prior}}
	r.Read(ctx, resource.ReadRequest{State: tfsdk.State{Schema: s, Raw: prior}}, &resp)
	if resp.Diagnostics.HasError() || !resp.State.Raw.IsNull() {
		t.Errorf("state %v, diagnostics %v; want the resource removed without error", resp.State.Raw, resp.Diagnostics)
	}
}

// A model out of step with the schema is an error diagnostic, not a crash
// of the provider, and nothing is saved.
func TestTypedPath_modelOutOfStepWithTheSchemaIsADiagnostic(t *testing.T) {
	ctx := context.Background()
	r, stateType, s := newConfiguredProbe(t, nil)
	type wrongModel struct {
		ID       types.Bool     `tfsdk:"id"`
		Name     types.String   `tfsdk:"name"`
		Timeouts timeouts.Value `tfsdk:"timeouts"`
	}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: s}}
	req := resource.CreateRequest{Plan: tfsdk.Plan{Schema: s, Raw: probeValue(t, stateType, tftypes.NewValue(tftypes.String, tftypes.UnknownValue))}}
	built := false
	shared.Create(ctx, &r.ResourceBase, req, &resp, func(*shared.Operation, *wrongModel) *wrongModel {
		built = true
		return &wrongModel{}
	})
	if !resp.Diagnostics.HasError() || built {
		t.Fatalf("diagnostics = %v, built %v; want an error before any build", resp.Diagnostics, built)
	}
	if !resp.State.Raw.IsNull() {
		t.Errorf("state = %v, want none", resp.State.Raw)
	}
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

// ListResources are none: a list resource needs its resource, which the
// probe provider does not serve.
func (probeProvider) ListResources(context.Context) []func() list.ListResource { return nil }

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
