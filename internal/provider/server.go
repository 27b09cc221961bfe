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
		p := &partnerCenterProvider{version: version}
		stopped, stop := context.WithCancel(context.Background())
		return &protocolServer{
			ProviderServer: providerserver.NewProtocol6(p)(),
			customers:      newCustomersReader(p, stopped),
			stop:           stop,
		}
	}
}

// protocolServer is terraform-plugin-framework's server with two changes.
//
// It answers partnercenter_customers' reads itself (customersReader): the
// framework's handling of a read's result costs several times the rest of a
// large list (DESIGN.md).
//
// It hands the framework a detachable context for the RPCs Terraform sends
// once per data source instance. terraform-plugin-framework (v1.19) keeps the
// cancel function of every RPC's context until the provider stops, and with it
// that context's loggers: about 55 KiB per instance, so a plan reading 1,000
// customers one by one grew the provider past 80 MiB. Detaching lets the RPC's
// values go as soon as it returns.
type protocolServer struct {
	tfprotov6.ProviderServer
	customers customersReader
	stop      context.CancelFunc
}

func (s *protocolServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	ctx, release := detachable(ctx)
	defer release()
	return s.ProviderServer.ValidateDataResourceConfig(ctx, req)
}

func (s *protocolServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName == customersTypeName {
		return s.customers.read(ctx, req), nil
	}
	ctx, release := detachable(ctx)
	defer release()
	return s.ProviderServer.ReadDataSource(ctx, req)
}

// StopProvider (Ctrl-C) also cancels the reads the framework does not see.
func (s *protocolServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.stop()
	return s.ProviderServer.StopProvider(ctx, req)
}
