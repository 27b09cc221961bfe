package shared

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// ResourceBase holds what every resource (and list resource: its Configure
// is the same) gets from Configure; a resource embeds it and serves its operations through the typed path (Create, Read,
// Update, Delete in typed_operation.go).
type ResourceBase struct {
	Data *ProviderData
}

func (b *ResourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	b.Data = data
}

// ResourceTimeoutsBlock is the timeouts block of a resource: create, read
// (each refresh), update and delete, each a positive duration defaulting
// to DefaultTimeouts.
func ResourceTimeoutsBlock(ctx context.Context) schema.Block {
	describe := func(kind OperationKind, what string) string {
		return fmt.Sprintf("How long %s may take, retries included, as a duration such as `10m` or `1h`. Defaults to `%s`.",
			what, shortDuration(DefaultTimeouts[kind]))
	}
	block := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: describe(OperationCreate, "a create"),
		ReadDescription:   describe(OperationRead, "a read (each refresh)"),
		UpdateDescription: describe(OperationUpdate, "an update"),
		DeleteDescription: describe(OperationDelete, "a delete"),
	})
	nested, ok := block.(schema.SingleNestedBlock)
	if !ok {
		return block
	}
	nested.MarkdownDescription = "Bounds the time each change may take."
	for name, attribute := range nested.Attributes {
		if s, ok := attribute.(schema.StringAttribute); ok {
			s.MarkdownDescription = s.Description
			s.Validators = append(s.Validators, positiveDurationValidator{})
			nested.Attributes[name] = s
		}
	}
	return nested
}

// shortDuration writes d as a user writes it: 30m rather than 30m0s.
func shortDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
