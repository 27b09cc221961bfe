package shared

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type embeddedFields struct {
	B types.String `tfsdk:"b"`
}

// A model the framework would refuse is an error diagnostic on the typed
// path too, never a panic or a silently wrong value; an unexported field is
// ignored as the framework ignores it.
func TestObjectValue_refusesWhatTheFrameworkRefuses(t *testing.T) {
	attrTypes := map[string]attr.Type{"a": types.StringType, "b": types.StringType}
	for name, tt := range map[string]struct {
		model any
		want  string
	}{
		"tag used twice": {struct {
			A  types.String `tfsdk:"a"`
			B  types.String `tfsdk:"b"`
			B2 types.String `tfsdk:"b"`
		}{}, `two fields tagged "b"`},
		"embedded by pointer": {struct {
			A types.String `tfsdk:"a"`
			*embeddedFields
		}{}, "by a pointer"},
		"unexported field": {struct {
			A types.String `tfsdk:"a"`
			B types.String `tfsdk:"b"`
			c types.String `tfsdk:"c"` //nolint:unused // the field under test
		}{A: types.StringValue("1"), B: types.StringValue("2")}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			object, diags := ObjectValue(attrTypes, tt.model)
			if tt.want == "" {
				if diags.HasError() || object.Attributes()["b"] != types.StringValue("2") {
					t.Fatalf("object %v, diagnostics %v; want b = 2 and no error", object, diags)
				}
				return
			}
			if !diags.HasError() || !strings.Contains(diags[0].Detail(), tt.want) {
				t.Fatalf("diagnostics %v, want an error saying %q", diags, tt.want)
			}
		})
	}
}
