package licences

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var _ datasource.DataSourceWithConfigure = (*productAvailabilitiesDataSource)(nil)

// productAvailabilitiesDataSource lists the ways a SKU can be bought in a
// country: what a purchase's catalog_item_id, term_duration and
// billing_cycle take, looked up at each plan since availability ids are
// reissued over time.
type productAvailabilitiesDataSource struct {
	shared.DataSourceBase
}

func NewProductAvailabilitiesDataSource() datasource.DataSource {
	return &productAvailabilitiesDataSource{}
}

var _ = shared.RegisterDataSource(NewProductAvailabilitiesDataSource)

func (d *productAvailabilitiesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_product_availabilities"
}

// catalogIDPattern is a product or SKU id: letters, digits and dashes.
var catalogIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

func (d *productAvailabilitiesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	catalogID := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Required: true,
			Validators: []validator.String{stringvalidator.RegexMatches(catalogIDPattern, "must be letters, digits and dashes")}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the availabilities of a product's SKU in a country: each one's `catalog_item_id` with the " +
			"terms and billing cycles it can be bought for. Feed them to `partnercenter_customer_subscription` rather than " +
			"writing a catalog item ID: Partner Center reissues availability IDs over time, and a stale one fails checkout.",
		Attributes: map[string]schema.Attribute{
			"product_id": catalogID("The product, such as `CFQ7TTC0LH18` (Microsoft 365 Business Basic): the first part of a catalog item ID."),
			"sku_id":     catalogID("The SKU of the product, such as `0001`: the second part of a catalog item ID."),
			"country": schema.StringAttribute{
				MarkdownDescription: "The customer's country, an ISO 3166 two-letter code such as `US`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[A-Za-z]{2}$`), "must be a two-letter country code such as US")},
			},
			"availabilities": schema.ListNestedAttribute{
				MarkdownDescription: "The availabilities, in Partner Center's order; `[]` when there are none.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":              shared.ComputedString("The availability ID (`id`): the third part of the catalog item ID."),
					"catalog_item_id": shared.ComputedString("What a purchase takes (`catalogItemId`): `product:sku:availability`."),
					"product_id":      shared.ComputedString("The product (`productId`)."),
					"sku_id":          shared.ComputedString("The SKU (`skuId`)."),
					"segment":         shared.ComputedString("The customer segment (`segment`), such as `commercial`."),
					"country":         shared.ComputedString("The country (`country`)."),
					"currency_code":   shared.ComputedString("The default currency (`defaultCurrency.code`), such as `USD`."),
					"is_purchasable":  shared.ComputedBool("Whether it can be bought (`isPurchasable`)."),
					"is_renewable":    shared.ComputedBool("Whether it can be renewed (`isRenewable`)."),
					"terms": schema.ListNestedAttribute{
						MarkdownDescription: "The commitments it can be bought for: a purchase's `term_duration` and `billing_cycle` must be one of these pairs.",
						Computed:            true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"id":            shared.ComputedString("The term's ID."),
							"duration":      shared.ComputedString("The term, an ISO 8601 duration (`P1M`, `P1Y`, `P3Y`): a purchase's `term_duration`."),
							"description":   shared.ComputedString("The term as Partner Center describes it, such as `One-Year commitment for monthly/yearly billing`."),
							"billing_cycle": shared.ComputedString("How often it is billed (`billingCycle`), such as `Monthly` or `Annual`: a purchase's `billing_cycle`, in any letter case."),
							"refund_options": schema.ListNestedAttribute{
								MarkdownDescription: "The refunds a cancellation gets, by how long after purchase (`cancellationPolicies[].refundOptions`).",
								Computed:            true,
								NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
									"type":          shared.ComputedString("`Full` or `Partial`."),
									"expires_after": shared.ComputedString("How long after purchase it is available, an ISO 8601 duration such as `P7D`."),
								}},
							},
						}},
					},
				}},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": shared.ReadTimeoutBlock(ctx)},
	}
}

func (d *productAvailabilitiesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	d.ReadWith(ctx, req, resp, func(op *shared.Operation) map[string]tftypes.Value {
		productID, skuID, country := shared.StringOf(op.Input["product_id"]), shared.StringOf(op.Input["sku_id"]), shared.StringOf(op.Input["country"])
		availabilities, err := op.Client.ListAvailabilities(op.Ctx, productID, skuID, country)
		what := fmt.Sprintf("Listing availabilities of product %q SKU %q in %q", productID, skuID, country)
		var apiErr *partnercenter.APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
			op.Diags.AddError("Product or SKU not found", shared.APIErrorFacts(what, apiErr)+"Check product_id and sku_id: they are the "+
				"first two parts of a catalog item ID, as Partner Center's catalog (or a subscription's offer_id) shows them.")
			return nil
		}
		if err != nil {
			op.Fail(what, err)
			return nil
		}
		if availabilities == nil {
			availabilities = []partnercenter.Availability{}
		}
		list, err := shared.ListValue(op, "availabilities", availabilities, AvailabilityValue)
		if err != nil {
			op.BuildFailed(err)
			return nil
		}
		return map[string]tftypes.Value{"availabilities": list}
	})
}

// AvailabilityValue builds one availability of the list.
func AvailabilityValue(availability tftypes.Object) (func(*partnercenter.Availability) tftypes.Value, error) {
	termsType, termType, err := shared.ObjectListType(availability, "terms")
	if err != nil {
		return nil, err
	}
	optionsType, optionType, err := shared.ObjectListType(termType, "refund_options")
	if err != nil {
		return nil, err
	}
	return func(a *partnercenter.Availability) tftypes.Value {
		var currency *string
		if a.DefaultCurrency != nil {
			currency = a.DefaultCurrency.Code
		}
		terms := tftypes.NewValue(termsType, nil)
		if a.Terms != nil {
			items := make([]tftypes.Value, len(a.Terms))
			for i, t := range a.Terms {
				items[i] = tftypes.NewValue(termType, map[string]tftypes.Value{
					"id":             shared.StringValue(t.ID),
					"duration":       shared.StringValue(t.Duration),
					"description":    shared.StringValue(t.Description),
					"billing_cycle":  shared.StringValue(t.BillingCycle),
					"refund_options": refundOptionsOfTerm(optionsType, optionType, t.CancellationPolicies),
				})
			}
			terms = tftypes.NewValue(termsType, items)
		}
		return tftypes.NewValue(availability, map[string]tftypes.Value{
			"id":              shared.StringValue(a.ID),
			"catalog_item_id": shared.StringValue(a.CatalogItemID),
			"product_id":      shared.StringValue(a.ProductID),
			"sku_id":          shared.StringValue(a.SkuID),
			"segment":         shared.StringValue(a.Segment),
			"country":         shared.StringValue(a.Country),
			"currency_code":   shared.StringValue(currency),
			"is_purchasable":  shared.BoolValue(a.IsPurchasable),
			"is_renewable":    shared.BoolValue(a.IsRenewable),
			"terms":           terms,
		})
	}, nil
}

// refundOptionsOfTerm flattens a term's cancellation policies into its
// refund options, null when it has no policy.
func refundOptionsOfTerm(listType tftypes.List, optionType tftypes.Object, policies []partnercenter.CancellationPolicy) tftypes.Value {
	if policies == nil {
		return tftypes.NewValue(listType, nil)
	}
	options := []tftypes.Value{}
	for _, p := range policies {
		for _, o := range p.RefundOptions {
			options = append(options, tftypes.NewValue(optionType, map[string]tftypes.Value{
				"type":          shared.StringValue(o.Type),
				"expires_after": shared.StringValue(o.ExpiresAfter),
			}))
		}
	}
	return tftypes.NewValue(listType, options)
}
