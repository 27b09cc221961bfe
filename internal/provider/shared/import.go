package shared

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ImportedID is what an import names, as one string: the import ID, or,
// for an import by identity (Terraform 1.12+, which sends no ID), the
// identity I's values that join makes into the import ID's form, so that
// one check serves both ways and a malformed value is reported in the same
// words. summary titles an error about it. ok is false after an error
// reading the identity, in diags.
func ImportedID[I any](ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics,
	join func(identity *I) string) (id, summary string, ok bool) {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		return req.ID, "Invalid import ID", true
	}
	var identity I
	if diags.Append(req.Identity.Get(ctx, &identity)...); diags.HasError() {
		return "", "", false
	}
	return join(&identity), "Invalid import identity", true
}
