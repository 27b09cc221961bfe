package provider

import (
	"context"
	"sync/atomic"
	"time"
)

// detachableContext behaves as its parent until released, then forgets it:
// whoever still holds the context afterwards no longer holds the parent's
// values. Done keeps the parent's channel, which holds nothing else alive.
type detachableContext struct {
	parent atomic.Pointer[context.Context]
	done   <-chan struct{}
}

// detachable wraps ctx; release must be called once the call that received
// the wrapper has returned.
func detachable(ctx context.Context) (context.Context, func()) {
	d := &detachableContext{done: ctx.Done()}
	d.parent.Store(&ctx)
	return d, func() { d.parent.Store(nil) }
}

func (d *detachableContext) Deadline() (time.Time, bool) {
	if p := d.parent.Load(); p != nil {
		return (*p).Deadline()
	}
	return time.Time{}, false
}

func (d *detachableContext) Done() <-chan struct{} { return d.done }

func (d *detachableContext) Err() error {
	if p := d.parent.Load(); p != nil {
		return (*p).Err()
	}
	return context.Canceled
}

func (d *detachableContext) Value(key any) any {
	if p := d.parent.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}
