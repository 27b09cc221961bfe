package partnercenter

import "context"

// Logger receives the client's diagnostic messages. Fields never hold
// credentials or tokens. A nil Logger discards everything.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Trace(ctx context.Context, msg string, fields map[string]any)
}
