package shared

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ListResultTypes are the attribute types of a listed resource's schema and
// of its identity's, computed once a listing: the framework computes a
// schema's type anew at every call, and its reflection sets a model, which
// together cost most of a list result's allocations.
type ListResultTypes struct {
	req                list.ListRequest
	resource, identity tftypes.Object
}

func NewListResultTypes(ctx context.Context, req list.ListRequest) (ListResultTypes, diag.Diagnostics) {
	var diags diag.Diagnostics
	resource, ok := req.ResourceSchema.Type().TerraformType(ctx).(tftypes.Object)
	identity, okIdentity := req.ResourceIdentitySchema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok || !okIdentity {
		diags.AddError("Internal provider error", "The schema of the listed resource or of its identity is not an object.")
		return ListResultTypes{}, diags
	}
	return ListResultTypes{req: req, resource: resource, identity: identity}, diags
}

// Identity is model, the listed resource's identity model, as a result's
// identity.
func (t ListResultTypes) Identity(ctx context.Context, model any, diags *diag.Diagnostics) *tfsdk.ResourceIdentity {
	return &tfsdk.ResourceIdentity{Schema: t.req.ResourceIdentitySchema, Raw: wireValue(ctx, t.identity, model, diags)}
}

// Resource is model, the listed resource's model, as a result's resource:
// the value SetModel would save.
func (t ListResultTypes) Resource(ctx context.Context, model any, diags *diag.Diagnostics) *tfsdk.Resource {
	return &tfsdk.Resource{Schema: t.req.ResourceSchema, Raw: wireValue(ctx, t.resource, model, diags)}
}

// wireValue is model, of a schema of type objectType, as Terraform receives
// it, built attribute by attribute without a framework object between.
func wireValue(ctx context.Context, objectType tftypes.Object, model any, diags *diag.Diagnostics) tftypes.Value {
	values, err := modelValues(model)
	if err != nil {
		diags.AddError("Internal provider error", "Building a list result: "+err.Error())
		return tftypes.Value{}
	}
	attributes := make(map[string]tftypes.Value, len(values))
	for name, value := range values {
		if attributes[name], err = value.ToTerraformValue(ctx); err != nil {
			diags.AddError("Internal provider error", "Building a list result's "+name+": "+err.Error())
			return tftypes.Value{}
		}
	}
	if err := tftypes.ValidateValue(objectType, attributes); err != nil {
		diags.AddError("Internal provider error", "Building a list result: "+err.Error())
		return tftypes.Value{}
	}
	return tftypes.NewValue(objectType, attributes)
}
