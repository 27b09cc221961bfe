package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/services/customers"
)

// Ctrl-C makes Terraform send StopProvider: a read waiting on Partner Center
// must end at once rather than when its timeout runs out, whether the
// framework serves it (one customer) or the protocol server (the list).
func TestProviderServer_stopCancelsInFlightRead(t *testing.T) {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	tests := []struct {
		dataSource func() datasource.DataSource
		typeName   string
		config     map[string]tftypes.Value
		faultKey   string // the mock's fault key: a customer id, or "" for every request
		route      mockpartnercenter.Route
	}{
		{customers.NewCustomerDataSource, "partnercenter_customer", map[string]tftypes.Value{"id": str(acctest.DocumentedID)}, acctest.DocumentedID, mockpartnercenter.RouteGetCustomer},
		{customers.NewCustomersDataSource, customers.CustomersTypeName, nil, "", mockpartnercenter.RouteListCustomers},
	}
	for _, tt := range tests {
		t.Run(tt.typeName, func(t *testing.T) {
			mock, err := mockpartnercenter.Start(mockpartnercenter.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer mock.Close()

			ctx := context.Background()
			server := ProtocolServer("test")()
			providerType := providerSchema().Type().TerraformType(ctx)
			configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
				Config: acctest.DynamicValue(t, acctest.ObjectValue(t, providerType, map[string]tftypes.Value{
					"endpoint": str(mock.URL()), "authority_host": str(mock.URL()), "tenant_id": str(acctest.MockTenantID),
					"client_id": str(acctest.MockClientID), "client_secret": str(acctest.MockClientSecret), "refresh_token": str(acctest.MockRefreshToken),
				})),
			})
			if err != nil || len(configured.Diagnostics) > 0 {
				t.Fatalf("configure: %v %v", err, configured.Diagnostics)
			}
			// Faulted after configuring: the token request must go through.
			mock.SetFault(tt.faultKey, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang})

			var schemaResp datasource.SchemaResponse
			tt.dataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
			readConfig := acctest.ObjectValue(t, schemaResp.Schema.Type().TerraformType(ctx), tt.config)
			done := make(chan *tfprotov6.ReadDataSourceResponse, 1)
			go func() {
				resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: tt.typeName, Config: acctest.DynamicValue(t, readConfig)})
				if err != nil {
					t.Error(err)
				}
				done <- resp
			}()

			for deadline := time.Now().Add(10 * time.Second); mock.Requests(tt.route) == 0; {
				if time.Now().After(deadline) {
					t.Fatal("the read never reached Partner Center")
				}
				time.Sleep(10 * time.Millisecond)
			}
			if _, err := server.StopProvider(ctx, &tfprotov6.StopProviderRequest{}); err != nil {
				t.Fatal(err)
			}
			select {
			case resp := <-done:
				if len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Summary, "cancelled") {
					t.Fatalf("diagnostics = %+v, want one saying the read was cancelled", resp.Diagnostics)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the read went on after StopProvider")
			}
		})
	}
}

// The list's reads bypass the framework, so they must make its checks
// themselves: a read before ConfigureProvider is an error, not a panic.
func TestProviderServer_listBeforeConfigure(t *testing.T) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	customers.NewCustomersDataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	config := acctest.ObjectValue(t, schemaResp.Schema.Type().TerraformType(ctx), nil)
	resp, err := ProtocolServer("test")().ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
		TypeName: customers.CustomersTypeName, Config: acctest.DynamicValue(t, config),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != "Provider not configured" || resp.State != nil {
		t.Errorf("diagnostics %+v, state %v; want only \"Provider not configured\"", resp.Diagnostics, resp.State)
	}
}

// Terraform finds the optional RPCs (list resources, actions, state stores
// and whatever comes next) by asking the server for their interfaces: the
// provider's server must answer every RPC the framework's does.
func TestProtocolServer_offersEveryFrameworkRPC(t *testing.T) {
	framework := reflect.TypeOf(providerserver.NewProtocol6(&partnerCenterProvider{})())
	ours := reflect.TypeOf(ProtocolServer("test")())
	for i := range framework.NumMethod() {
		name := framework.Method(i).Name
		method, ok := ours.MethodByName(name)
		if !ok {
			t.Errorf("the framework's server answers %s, the provider's does not", name)
			continue
		}
		if got, want := signature(method), signature(framework.Method(i)); got != want {
			t.Errorf("%s takes and returns %s, the framework's %s", name, got, want)
		}
	}
	// The interfaces tf6server asserts, deprecated only because their
	// methods are to move into ProviderServer.
	optional := []reflect.Type{
		reflect.TypeFor[tfprotov6.ProviderServerWithListResource](), //nolint:staticcheck // see above
		reflect.TypeFor[tfprotov6.ProviderServerWithActions](),      //nolint:staticcheck // see above
		reflect.TypeFor[tfprotov6.ProviderServerWithStateStores](),  //nolint:staticcheck // see above
	}
	for _, capability := range optional {
		if framework.Implements(capability) && !ours.Implements(capability) {
			t.Errorf("the provider's server hides %s", capability)
		}
	}
}

// signature is a method's parameters and results, without its receiver.
func signature(m reflect.Method) string {
	var types []string
	for i := 1; i < m.Type.NumIn(); i++ {
		types = append(types, m.Type.In(i).String())
	}
	types = append(types, "->")
	for i := range m.Type.NumOut() {
		types = append(types, m.Type.Out(i).String())
	}
	return strings.Join(types, " ")
}

// StopProvider cancels the reads under way, not the provider: a read sent
// after it runs as any other.
func TestProviderServer_readAfterStop(t *testing.T) {
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	ctx := context.Background()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	server := ProtocolServer("test")()
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: acctest.DynamicValue(t, acctest.ObjectValue(t, providerSchema().Type().TerraformType(ctx), map[string]tftypes.Value{
			"endpoint": str(mock.URL()), "authority_host": str(mock.URL()), "tenant_id": str(acctest.MockTenantID),
			"client_id": str(acctest.MockClientID), "client_secret": str(acctest.MockClientSecret), "refresh_token": str(acctest.MockRefreshToken),
		})),
	})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, configured.Diagnostics)
	}
	if _, err := server.StopProvider(ctx, &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		dataSource func() datasource.DataSource
		typeName   string
		config     map[string]tftypes.Value
	}{
		{customers.NewCustomerDataSource, "partnercenter_customer", map[string]tftypes.Value{"id": str(acctest.DocumentedID)}},
		{customers.NewCustomersDataSource, customers.CustomersTypeName, nil},
	} {
		var schemaResp datasource.SchemaResponse
		tt.dataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
			TypeName: tt.typeName, Config: acctest.DynamicValue(t, acctest.ObjectValue(t, schemaResp.Schema.Type().TerraformType(ctx), tt.config)),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) > 0 || resp.State == nil {
			t.Errorf("%s read after StopProvider: diagnostics %+v, state %v; want a state", tt.typeName, resp.Diagnostics, resp.State)
		}
	}
}
