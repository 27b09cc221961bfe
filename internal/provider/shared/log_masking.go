package shared

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// MaskSecrets makes every log line written with ctx replace the secret values,
// in messages and fields alike, so that even TF_LOG=TRACE shows none of them.
func MaskSecrets(ctx context.Context, secrets []string) context.Context {
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, secrets...)
	return tflog.MaskAllFieldValuesStrings(ctx, secrets...)
}
