package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger routes the API client's messages to Terraform's log.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Trace(ctx context.Context, msg string, fields map[string]any) {
	tflog.Trace(ctx, msg, fields)
}

// sdkLogVariables set the levels of terraform-plugin-go's and
// terraform-plugin-framework's own loggers; the provider's logger is not
// among them.
var sdkLogVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// SDKLogLevels returns the SDK log variables to set so that the SDK's loggers
// follow the level Terraform keeps for provider logs (TF_LOG_PROVIDER, else
// TF_LOG; off when neither is set). Unset, the SDK logs at TRACE: it formats
// JSON lines for every RPC, and for some results every value, that Terraform
// reads and then throws away. Variables the user set are left alone, and so is
// the provider's own logger.
func SDKLogLevels(getenv func(string) string) map[string]string {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	if level == "" {
		level = "off"
	}
	out := map[string]string{}
	for _, name := range sdkLogVariables {
		if getenv(name) == "" {
			out[name] = level
		}
	}
	return out
}
