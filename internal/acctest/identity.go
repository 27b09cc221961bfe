package acctest

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// ConfiguredServer is the provider's protocol server, configured against
// mock (Partner Center and Microsoft Graph), and its schemas.
func ConfiguredServer(t testing.TB, mock *mockpartnercenter.Server) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	t.Helper()
	ctx := context.Background()
	server := UnderTest.Server("test")()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: DynamicValue(t, ObjectValue(t, schemas.Provider.ValueType(), map[string]tftypes.Value{
			"endpoint": str(mock.URL()), "graph_endpoint": str(mock.GraphURL()), "authority_host": str(mock.URL()),
			"tenant_id": str(MockTenantID), "client_id": str(MockClientID), "client_secret": str(MockClientSecret),
			"refresh_token": str(MockRefreshToken),
		})),
	})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, configured.Diagnostics)
	}
	return server, schemas
}

// ReadWithoutIdentity configures the provider against the mock and reads
// a resource of typeName whose state holds the attributes set (the others
// null) and, as a state saved before the resource had an identity, no
// identity. It returns the response and the identity it carries (nil when
// none), attribute by attribute.
func ReadWithoutIdentity(t *testing.T, mock *mockpartnercenter.Server, typeName string, set map[string]tftypes.Value) (
	*tfprotov6.ReadResourceResponse, map[string]tftypes.Value) {
	t.Helper()
	ctx := context.Background()
	server, schemas := ConfiguredServer(t, mock)
	resourceSchema, ok := schemas.ResourceSchemas[typeName]
	if !ok {
		t.Fatalf("no resource %s", typeName)
	}
	stateType := resourceSchema.ValueType()
	resp, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: typeName, CurrentState: DynamicValue(t, ObjectValue(t, stateType, set)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.NewIdentity == nil || resp.NewIdentity.IdentityData == nil {
		return resp, nil
	}
	identitySchemas, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	identityType := identitySchemas.IdentitySchemas[typeName].ValueType()
	identity, err := resp.NewIdentity.IdentityData.Unmarshal(identityType)
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string]tftypes.Value{}
	if err := identity.As(&attrs); err != nil {
		t.Fatal(err)
	}
	return resp, attrs
}

// IdentityValues are the identity values of the resource at address in
// `terraform show -json`; nil when it has none.
func (k *KillableTerraform) IdentityValues(address string) map[string]any {
	k.t.Helper()
	return k.showResource(address).Identity
}
