package shared

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// ProviderData is what Configure hands to every data source.
type ProviderData struct {
	Client *partnercenter.Client
	// Graph calls Microsoft Graph for the GDAP resources; nil when the
	// provider has no Graph credential, and GraphUnavailable then says why
	// and what to set.
	Graph            *partnercenter.GraphClient
	GraphUnavailable string
	Secrets          []string
	// purchases are the purchases made by this provider process, which
	// the look-up for earlier purchases leaves out.
	Purchases *PurchaseLedger
}

// providerDataFrom unpacks what Configure stored, for a data source.
func providerDataFrom(data any) (*ProviderData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		return nil, diags
	}
	pd, ok := data.(*ProviderData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; please report this to the provider's maintainers", data))
	}
	return pd, diags
}
