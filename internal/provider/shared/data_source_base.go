package shared

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// DataSourceBase holds what every data source gets from Configure.
type DataSourceBase struct {
	data *ProviderData
}

func (b *DataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	b.data = data
}

// read serves a data source's Read on the shared path (runOperation): the
// state is the configuration with the attributes build returns.
func (b *DataSourceBase) ReadWith(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse, build buildFunc) {
	if state, ok := runOperation(ctx, b.data, OperationRead, resp.State.Schema, req.Config.Raw, &resp.Diagnostics, build); ok {
		resp.State.Raw = state
	}
}

// ReadTimeoutBlock is the timeouts block of every data source.
func ReadTimeoutBlock(ctx context.Context) schema.Block {
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

// ListValue is the list attribute attr of the state op builds, holding
// items: elementValue receives the list's element type, once, and returns
// the builder of one element. A schema without that list is an error.
func ListValue[T any](op *Operation, attr string, items []T, elementValue func(tftypes.Object) (func(*T) tftypes.Value, error)) (tftypes.Value, error) {
	listType, elementType, err := ObjectListType(op.StateType, attr)
	if err != nil {
		return tftypes.Value{}, err
	}
	value, err := elementValue(elementType)
	if err != nil {
		return tftypes.Value{}, err
	}
	elements := make([]tftypes.Value, len(items))
	for i := range items {
		elements[i] = value(&items[i])
	}
	return tftypes.NewValue(listType, elements), nil
}

// ObjectListType returns the type of the list of objects attr inside object
// and of its element; an error when object has no such list.
func ObjectListType(object tftypes.Object, attr string) (tftypes.List, tftypes.Object, error) {
	list, ok := object.AttributeTypes[attr].(tftypes.List)
	if !ok {
		return tftypes.List{}, tftypes.Object{}, fmt.Errorf("%s is %s, not a list", attr, object.AttributeTypes[attr])
	}
	element, ok := list.ElementType.(tftypes.Object)
	if !ok {
		return tftypes.List{}, tftypes.Object{}, fmt.Errorf("%s holds %s, not objects", attr, list.ElementType)
	}
	return list, element, nil
}

// BuildFailed reports a state that could not be built for its schema: a
// bug in the provider.
func (op *Operation) BuildFailed(err error) {
	op.Diags.AddError("Internal provider error", "Building the state of this "+string(op.Kind)+": "+err.Error()+
		"\nThis is a bug in the provider; please report it.")
}
