package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// maxBusyWaits bounds the waits for an object that stays busy when the
// context has no deadline.
const maxBusyWaits = 10

// whileBusy runs op until it stops failing with a 409 carrying one of
// codes, the answer of an object another operation still holds. Between
// attempts it waits as the retry backoff says, never past ctx's deadline
// nor more than maxBusyWaits times; then the last refusal is returned.
func (c *Client) whileBusy(ctx context.Context, op func() error, codes ...string) error {
	for waited := 0; ; waited++ {
		err := op()
		var apiErr *APIError
		if err == nil || !errors.As(err, &apiErr) || !slices.Contains(codes, apiErr.Code) {
			return err
		}
		d := c.backoff(waited)
		if waited >= maxBusyWaits || passesDeadline(ctx, d) {
			return err
		}
		c.log.Debug(ctx, "Partner Center object busy; waiting before trying again", map[string]any{
			"operation": apiErr.Operation, "code": apiErr.Code, "wait": d.String(), "request_id": apiErr.RequestID,
		})
		if serr := c.sleep(ctx, d); serr != nil {
			return fmt.Errorf("cancelled while waiting %s for a busy object: %w; last attempt: %w", d, serr, err)
		}
	}
}
