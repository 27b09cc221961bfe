package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// defaultReadTimeout bounds one read, retries included, unless timeouts.read says otherwise.
const defaultReadTimeout = 5 * time.Minute

// dataSourceBase holds what every data source gets from Configure.
type dataSourceBase struct {
	data *providerData
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	b.data = data
}

// beginRead bounds a read by the configuration's timeouts.read (five minutes
// unless set), retries included, and masks the provider's secrets in
// everything logged with the returned context. Its errors go to diags; when
// it returns ok, the caller must call cancel.
func (b *dataSourceBase) beginRead(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, timeout time.Duration, ok bool) {
	if b.data == nil {
		diags.AddError("Provider not configured", "The Partner Center provider was not configured before this read. "+
			"This is a bug in the provider; please report it.")
		return ctx, nil, 0, false
	}
	var t timeouts.Value
	diags.Append(config.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	timeout, d := t.Read(ctx, defaultReadTimeout)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, nil, 0, false
	}
	ctx, cancel = context.WithTimeout(maskSecrets(ctx, b.data.secrets), timeout)
	return ctx, cancel, timeout, true
}

// readTimeoutBlock is the timeouts block of every data source.
func readTimeoutBlock(ctx context.Context) schema.Block {
	block := timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: "How long a read may take, retries included, as a duration such as `30s` or `2m`. Defaults to `5m`.",
	})
	if nested, ok := block.(schema.SingleNestedBlock); ok {
		nested.MarkdownDescription = "Bounds the time a read may take."
		if read, ok := nested.Attributes["read"].(schema.StringAttribute); ok {
			read.Validators = append(read.Validators, positiveDurationValidator{})
			nested.Attributes["read"] = read
		}
		return nested
	}
	return block
}

// listState is the configuration with the list attribute attr set to items:
// elementValues receives the list's element type, once, and returns the
// builder of one element.
func listState[T any](ctx context.Context, s typedSchema, config tftypes.Value, attr string, items []T,
	elementValues func(tftypes.Object) (func(*T) tftypes.Value, error),
) (tftypes.Value, error) {
	stateType, state, err := stateFromConfig(ctx, s, config)
	if err != nil {
		return tftypes.Value{}, err
	}
	listType, ok := stateType.AttributeTypes[attr].(tftypes.List)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("%s is %s, not a list", attr, stateType.AttributeTypes[attr])
	}
	elementType, ok := listType.ElementType.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("%s holds %s, not objects", attr, listType.ElementType)
	}
	value, err := elementValues(elementType)
	if err != nil {
		return tftypes.Value{}, err
	}
	elements := make([]tftypes.Value, len(items))
	for i := range items {
		elements[i] = value(&items[i])
	}
	state[attr] = tftypes.NewValue(listType, elements)
	return tftypes.NewValue(stateType, state), nil
}
