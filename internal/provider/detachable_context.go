package provider

import (
	"context"
	"sync/atomic"
	"time"
)

// detachableContext behaves as its parent until released, then forgets it:
// whoever still holds the context afterwards no longer holds the parent's
// values. It keeps what costs nothing to keep — the parent's Done channel and
// deadline — so that, released or not, Err is non-nil exactly when Done is
// closed, as the context.Context contract requires.
type detachableContext struct {
	parent      atomic.Pointer[context.Context]
	done        <-chan struct{}
	deadline    time.Time
	hasDeadline bool
}

// detachable wraps ctx; release must be called once the call that received
// the wrapper has returned.
func detachable(ctx context.Context) (context.Context, func()) {
	d := &detachableContext{done: ctx.Done()}
	d.deadline, d.hasDeadline = ctx.Deadline()
	d.parent.Store(&ctx)
	return d, func() { d.parent.Store(nil) }
}

func (d *detachableContext) Deadline() (time.Time, bool) { return d.deadline, d.hasDeadline }

func (d *detachableContext) Done() <-chan struct{} { return d.done }

// Err asks the parent while it is attached. Once released, the closed Done
// channel alone tells that the parent ended, and the deadline tells why.
func (d *detachableContext) Err() error {
	if p := d.parent.Load(); p != nil {
		return (*p).Err()
	}
	select {
	case <-d.done:
		if d.hasDeadline && !time.Now().Before(d.deadline) {
			return context.DeadlineExceeded
		}
		return context.Canceled
	default:
		return nil
	}
}

func (d *detachableContext) Value(key any) any {
	if p := d.parent.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}
