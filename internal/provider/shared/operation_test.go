package shared

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A state built by hand that does not fit its schema is an error
// diagnostic and no state, not a panic.
func TestRunOperation_stateOutOfStepWithTheSchemaIsADiagnostic(t *testing.T) {
	ctx := context.Background()
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"id":   schema.StringAttribute{Computed: true},
		"name": schema.StringAttribute{Required: true},
	}}
	stateType, ok := s.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	input := tftypes.NewValue(stateType, map[string]tftypes.Value{
		"id":   tftypes.NewValue(tftypes.String, nil),
		"name": tftypes.NewValue(tftypes.String, "probe"),
	})
	for name, attributes := range map[string]map[string]tftypes.Value{
		"wrong type":        {"id": tftypes.NewValue(tftypes.Bool, true)},
		"unknown attribute": {"colour": tftypes.NewValue(tftypes.String, "red")},
	} {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			state, ok := runOperation(ctx, &ProviderData{}, OperationRead, s, input, &diags,
				func(*Operation) map[string]tftypes.Value { return attributes })
			if ok || !diags.HasError() || !strings.Contains(diags[0].Detail(), "Building the state of this read") {
				t.Fatalf("ok %v, diagnostics %v; want an error about building the state", ok, diags)
			}
			if !state.Equal(tftypes.Value{}) {
				t.Errorf("state = %v, want none", state)
			}
		})
	}
}
