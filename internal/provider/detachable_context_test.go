package provider

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type contextKey string

func TestDetachableContext(t *testing.T) {
	parent, cancel := context.WithTimeout(context.WithValue(context.Background(), contextKey("k"), "v"), time.Hour)
	defer cancel()
	ctx, release := detachable(parent)

	if ctx.Value(contextKey("k")) != "v" || ctx.Err() != nil || ctx.Done() != parent.Done() {
		t.Fatal("before release the context must behave as its parent")
	}
	if deadline, ok := ctx.Deadline(); !ok || deadline.IsZero() {
		t.Fatal("the parent's deadline is lost")
	}
	// Children created before release still see the parent's cancellation.
	child, cancelChild := context.WithCancel(ctx)
	defer cancelChild()

	release()
	if ctx.Value(contextKey("k")) != nil {
		t.Fatal("a released context still holds its parent's values")
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("Err after release = %v, want context.Canceled", ctx.Err())
	}
	cancel()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the parent's cancellation did not reach a child")
	}
}

// retainingServer keeps every context it is given, as the framework does.
type retainingServer struct {
	tfprotov6.ProviderServer
	kept []context.Context
}

func (s *retainingServer) ReadDataSource(ctx context.Context, _ *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	s.kept = append(s.kept, ctx)
	if ctx.Value(contextKey("logger")) == nil {
		return nil, errors.New("the RPC's values were not visible during the call")
	}
	return &tfprotov6.ReadDataSourceResponse{}, nil
}

func (s *retainingServer) ValidateDataResourceConfig(ctx context.Context, _ *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	s.kept = append(s.kept, ctx)
	return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
}

func TestProtocolServer_releasesContexts(t *testing.T) {
	inner := &retainingServer{}
	server := &protocolServer{ProviderServer: inner}
	ctx := context.WithValue(context.Background(), contextKey("logger"), "per-RPC logger")
	if _, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{}); err != nil {
		t.Fatal(err)
	}
	if len(inner.kept) != 2 {
		t.Fatalf("kept %d contexts", len(inner.kept))
	}
	for i, kept := range inner.kept {
		if kept.Value(contextKey("logger")) != nil {
			t.Errorf("context %d still reaches the RPC's values after the RPC returned", i)
		}
	}
}
