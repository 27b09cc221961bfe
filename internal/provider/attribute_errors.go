package provider

import (
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// sensitiveArguments names the provider arguments marked Sensitive.
var sensitiveArguments = sync.OnceValue(func() map[string]bool {
	out := make(map[string]bool)
	for name, attr := range providerSchema().Attributes {
		if attr.IsSensitive() {
			out[name] = true
		}
	}
	return out
})

// addArgumentError reports a problem with a provider argument. Terraform
// prints the configuration line an attribute diagnostic points at, and a
// sensitive argument's line may hold the secret itself, so for those the
// diagnostic names the argument in words and points at no line.
func addArgumentError(diags *diag.Diagnostics, attr, summary, detail string) {
	if sensitiveArguments()[attr] {
		diags.AddError(summary, fmt.Sprintf("The %s argument: %s", attr, detail))
		return
	}
	diags.AddAttributeError(path.Root(attr), summary, detail)
}
