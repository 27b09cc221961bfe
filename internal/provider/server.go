package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ProtocolServer returns the factory of the provider's plugin protocol 6
// server, for main.go and the acceptance tests alike.
func ProtocolServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return perInstanceRPCServer{ProviderServer: providerserver.NewProtocol6(New(version)())()}
	}
}

// perInstanceRPCServer hands the framework a detachable context for the RPCs
// Terraform sends once per data source instance. terraform-plugin-framework
// (v1.19) keeps the cancel function of every RPC's context until the provider
// stops, and with it that context's loggers: about 55 KiB per instance, so a
// plan reading 1,000 customers one by one grew the provider past 80 MiB.
// Detaching lets the RPC's values go as soon as it returns.
type perInstanceRPCServer struct {
	tfprotov6.ProviderServer
}

func (s perInstanceRPCServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	ctx, release := detachable(ctx)
	defer release()
	return s.ProviderServer.ValidateDataResourceConfig(ctx, req)
}

func (s perInstanceRPCServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	ctx, release := detachable(ctx)
	defer release()
	return s.ProviderServer.ReadDataSource(ctx, req)
}
