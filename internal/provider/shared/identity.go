package shared

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// Identified is a resource model that names its object's resource
// identity (Terraform 1.12+): IdentityModel returns a pointer to the typed
// model of the resource's identity schema. Create, Read and Update set it
// wherever they save the model, so that a state written before the
// resource had an identity gets one at its next refresh.
type Identified interface {
	IdentityModel() any
}

// SetIdentity sets identity, when Terraform sent one, from model when the
// model is Identified.
func SetIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, model any) diag.Diagnostics {
	m, ok := model.(Identified)
	if identity == nil || !ok {
		return nil
	}
	return identity.Set(ctx, m.IdentityModel())
}
