package provider

import (
	"context"
	"runtime"
	"testing"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// rpcValueSurvives sends one ReadDataSource to server with a context that
// carries a fresh allocation, and reports whether that allocation is still
// reachable after the RPC returned and the garbage collector ran.
func rpcValueSurvives(t *testing.T, server tfprotov6.ProviderServer) bool {
	t.Helper()
	held := weak.Make(sendRPCCarrying(t, server))
	runtime.GC()
	runtime.GC()
	survives := held.Value() != nil
	// The server must outlive the check: whatever it retains dies with it.
	runtime.KeepAlive(server)
	return survives
}

// sendRPCCarrying returns the allocation it put in the RPC's context, so
// that the caller's weak pointer has something to watch.
func sendRPCCarrying(t *testing.T, server tfprotov6.ProviderServer) *[4096]byte {
	t.Helper()
	payload := new([4096]byte)
	ctx := context.WithValue(context.Background(), contextKey("payload"), payload)
	if _, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "partnercenter_customer"}); err != nil {
		t.Fatal(err)
	}
	return payload
}

// The detachable context exists only because terraform-plugin-framework
// keeps every RPC's context until StopProvider (see DESIGN.md). This test
// fails the day the framework stops doing so: detachable_context.go and its
// use in protocolServer can then be deleted.
func TestFramework_stillRetainsRPCContexts(t *testing.T) {
	if !rpcValueSurvives(t, providerserver.NewProtocol6(&partnerCenterProvider{version: "test"})()) {
		t.Fatal("terraform-plugin-framework no longer retains RPC contexts after the RPC returns: " +
			"remove protocolServer's detachable contexts (server.go) and detachable_context.go")
	}
}

func TestProtocolServer_releasesRPCContexts(t *testing.T) {
	if rpcValueSurvives(t, ProtocolServer("test")()) {
		t.Fatal("the provider's server keeps an RPC's context values after the RPC returned")
	}
}
