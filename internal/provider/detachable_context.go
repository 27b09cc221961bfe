package provider

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// detachableContext behaves as its parent until released, then forgets it:
// whoever still holds the context afterwards no longer holds the parent's
// values. It keeps what costs nothing to keep — the parent's Done channel and
// deadline — so that, released or not, Err is non-nil exactly when Done is
// closed and, once non-nil, never changes, as the context.Context contract
// requires.
type detachableContext struct {
	parent      atomic.Pointer[context.Context]
	done        <-chan struct{}
	deadline    time.Time
	hasDeadline bool

	mu  sync.Mutex
	err error // the first non-nil Err, kept so that it never changes
}

// detachable wraps ctx; release must be called once the call that received
// the wrapper has returned.
func detachable(ctx context.Context) (context.Context, func()) {
	d := &detachableContext{done: ctx.Done()}
	d.deadline, d.hasDeadline = ctx.Deadline()
	d.parent.Store(&ctx)
	return d, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.err = ctx.Err()
		d.parent.Store(nil)
	}
}

func (d *detachableContext) Deadline() (time.Time, bool) { return d.deadline, d.hasDeadline }

func (d *detachableContext) Done() <-chan struct{} { return d.done }

// Err asks the parent while it is attached, and keeps its answer at release.
// Once released, the closed Done channel alone tells that the parent ended,
// and the deadline tells why; the first answer is kept, so a cancellation
// seen before the deadline stays a cancellation after it.
func (d *detachableContext) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return d.err
	}
	if p := d.parent.Load(); p != nil {
		d.err = (*p).Err()
		return d.err
	}
	select {
	case <-d.done:
		d.err = context.Canceled
		if d.hasDeadline && !time.Now().Before(d.deadline) {
			d.err = context.DeadlineExceeded
		}
		return d.err
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
