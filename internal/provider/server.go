package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cspkit/terraform-provider-partnercenter/internal/services/customers"
)

// ProtocolServer returns the factory of the provider's plugin protocol 6
// server, for main.go and the acceptance tests alike.
func ProtocolServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &partnerCenterProvider{version: version}
		framework, ok := providerserver.NewProtocol6(p)().(frameworkServer)
		if !ok {
			// A version of terraform-plugin-framework dropped one of them;
			// every test that starts the provider fails here.
			panic("terraform-plugin-framework's server no longer answers every RPC of frameworkServer (server.go)")
		}
		return &protocolServer{frameworkServer: framework, customers: customers.NewCustomersReader(&p.configured)}
	}
}

// frameworkServer is every RPC terraform-plugin-framework's server answers:
// the required ones and the optional capabilities (list resources, actions,
// state stores) that Terraform finds by asking the server for their
// interfaces. Embedding tfprotov6.ProviderServer alone would hide the
// optional ones, and Terraform would be told they are not implemented.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// protocolServer is terraform-plugin-framework's server with two changes.
//
// It answers partnercenter_customers' reads itself (CustomersReader): the
// framework's handling of a read's result costs several times the rest of a
// large list (DESIGN.md).
//
// It hands the framework a detachable context for the RPCs Terraform sends
// once per data source or resource instance. terraform-plugin-framework
// (v1.19) keeps the cancel function of every RPC's context until the provider
// stops, and with it that context's loggers: about 55 KiB per instance, so a
// plan reading 1,000 customers one by one grew the provider past 80 MiB.
// Detaching lets the RPC's values go as soon as it returns.
type protocolServer struct {
	frameworkServer
	customers customers.CustomersReader
	// inFlight are the reads of CustomersReader under way, which
	// StopProvider cancels as the framework cancels its own.
	inFlight inFlight
}

// detached calls call with a context that forgets ctx's values once call
// returns.
func detached[Req, Resp any](ctx context.Context, req Req, call func(context.Context, Req) (Resp, error)) (Resp, error) {
	ctx, release := detachable(ctx)
	defer release()
	return call(ctx, req)
}

func (s *protocolServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return detached(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s *protocolServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName == customers.CustomersTypeName {
		ctx, done := s.inFlight.Add(ctx)
		defer done()
		return s.customers.Read(ctx, req), nil
	}
	return detached(ctx, req, s.frameworkServer.ReadDataSource)
}

func (s *protocolServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return detached(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s *protocolServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return detached(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s *protocolServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return detached(ctx, req, s.frameworkServer.ReadResource)
}

func (s *protocolServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return detached(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s *protocolServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return detached(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s *protocolServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return detached(ctx, req, s.frameworkServer.ImportResourceState)
}

// StopProvider (Ctrl-C) also cancels the reads the framework does not see.
func (s *protocolServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.inFlight.stop()
	return s.frameworkServer.StopProvider(ctx, req)
}

// inFlight cancels, on StopProvider, the operations running at that moment
// and no later ones, as terraform-plugin-framework does with its RPCs.
type inFlight struct {
	mu      sync.Mutex
	next    uint64
	cancels map[uint64]context.CancelFunc
}

// add makes ctx cancellable by stop until done is called.
func (f *inFlight) Add(ctx context.Context) (_ context.Context, done func()) {
	ctx, cancel := context.WithCancel(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cancels == nil {
		f.cancels = map[uint64]context.CancelFunc{}
	}
	id := f.next
	f.next++
	f.cancels[id] = cancel
	return ctx, func() {
		f.mu.Lock()
		delete(f.cancels, id)
		f.mu.Unlock()
		cancel()
	}
}

func (f *inFlight) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, cancel := range f.cancels {
		cancel()
		delete(f.cancels, id)
	}
}
