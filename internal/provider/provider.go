// Package provider maps the Partner Center API client to Terraform's schema.
// It stays thin: everything about HTTP, tokens and Partner Center's JSON lives
// in internal/partnercenter.
package provider

import (
	"context"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
	// The service packages register their types as they initialise.
	_ "github.com/cspkit/terraform-provider-partnercenter/internal/services/customers"
	_ "github.com/cspkit/terraform-provider-partnercenter/internal/services/gdap"
	_ "github.com/cspkit/terraform-provider-partnercenter/internal/services/licences"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/cspkit/partnercenter"

// typeName prefixes every data source's and resource's type name.
const typeName = "partnercenter"

var _ provider.ProviderWithListResources = (*partnerCenterProvider)(nil)

type partnerCenterProvider struct {
	version string
	// configured is what Configure built, for the reads the protocol server
	// answers without the framework.
	configured atomic.Pointer[shared.ProviderData]
}

func (p *partnerCenterProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = typeName
	resp.Version = p.version
}

func (p *partnerCenterProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

// Configure resolves settings and builds the API client. It makes no network
// call: the first read fetches the token.
func (p *partnerCenterProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	settings, diags := resolveSettings(config, lookupEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = shared.MaskSecrets(ctx, settings.secrets())

	data, diags := newProviderData(settings, p.version, req.TerraformVersion)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Debug(ctx, "Partner Center provider configured", map[string]any{
		"environment":    string(settings.cloud.Environment),
		"endpoint":       settings.endpoint,
		"graph_endpoint": settings.graphEndpoint,
		"graph":          data.Graph != nil,
		"authority_host": settings.authorityHost,
		"credential":     settings.credentialKind(),
		"credential_use": settings.credentialDescription(),
		"correlation_id": data.Client.CorrelationID(),
	})
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
	p.configured.Store(data)
}

// DataSources serves the types the service packages register, each in its
// own file (shared.RegisterDataSource), so that a new type touches no list.
func (p *partnerCenterProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return shared.DataSources(typeName)
}

func (p *partnerCenterProvider) Resources(_ context.Context) []func() resource.Resource {
	return shared.Resources(typeName)
}

// ListResources serve terraform query (Terraform 1.14+); older Terraform and
// OpenTofu never ask for them.
func (p *partnerCenterProvider) ListResources(_ context.Context) []func() list.ListResource {
	return shared.ListResources(typeName)
}
