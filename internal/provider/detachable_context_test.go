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
	// The contract: Err is nil while Done is open.
	if err := ctx.Err(); err != nil {
		t.Fatalf("Err after release, parent still running = %v, want nil while Done is open", err)
	}
	if deadline, ok := ctx.Deadline(); !ok || deadline.IsZero() {
		t.Fatal("a released context lost the deadline")
	}
	cancel()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the parent's cancellation did not reach a child")
	}
	select {
	case <-ctx.Done():
	default:
		t.Fatal("Done is open after the parent was cancelled")
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("Err after release and cancel = %v, want context.Canceled", ctx.Err())
	}
}

func TestDetachableContext_deadlineAfterRelease(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	ctx, release := detachable(parent)
	release()
	<-ctx.Done()
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("Err = %v, want context.DeadlineExceeded", ctx.Err())
	}
}

// A context cancelled before its deadline stays cancelled once the deadline
// has passed: Err, once non-nil, must not change.
func TestDetachableContext_errKeptAfterRelease(t *testing.T) {
	const deadline = 50 * time.Millisecond
	parent, cancel := context.WithTimeout(context.Background(), deadline)
	ctx, release := detachable(parent)
	release()
	cancel()
	<-ctx.Done()
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("Err after cancel = %v, want context.Canceled", ctx.Err())
	}
	time.Sleep(2 * deadline)
	if err := ctx.Err(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Err once the deadline passed = %v, want context.Canceled still", err)
	}
}

func TestDetachableContext_backgroundParent(t *testing.T) {
	ctx, release := detachable(context.Background())
	release()
	if ctx.Done() != nil || ctx.Err() != nil {
		t.Fatal("a context that can never be cancelled must stay so after release")
	}
	if _, ok := ctx.Deadline(); ok {
		t.Fatal("no deadline was set")
	}
}

// retainingServer keeps every context it is given, as the framework does.
type retainingServer struct {
	frameworkServer
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

func (s *retainingServer) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	s.kept = append(s.kept, ctx)
	return &tfprotov6.ReadResourceResponse{}, nil
}

func (s *retainingServer) PlanResourceChange(ctx context.Context, _ *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	s.kept = append(s.kept, ctx)
	return &tfprotov6.PlanResourceChangeResponse{}, nil
}

func (s *retainingServer) ApplyResourceChange(ctx context.Context, _ *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	s.kept = append(s.kept, ctx)
	return &tfprotov6.ApplyResourceChangeResponse{}, nil
}

func TestProtocolServer_releasesContexts(t *testing.T) {
	inner := &retainingServer{}
	server := &protocolServer{frameworkServer: inner}
	ctx := context.WithValue(context.Background(), contextKey("logger"), "per-RPC logger")
	if _, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{}); err != nil {
		t.Fatal(err)
	}
	// A plan or apply of 1,000 resource instances sends as many of these.
	if _, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{}); err != nil {
		t.Fatal(err)
	}
	if len(inner.kept) != 5 {
		t.Fatalf("kept %d contexts", len(inner.kept))
	}
	for i, kept := range inner.kept {
		if kept.Value(contextKey("logger")) != nil {
			t.Errorf("context %d still reaches the RPC's values after the RPC returned", i)
		}
	}
}
