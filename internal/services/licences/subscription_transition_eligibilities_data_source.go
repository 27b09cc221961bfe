package licences

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var _ datasource.DataSourceWithConfigure = (*transitionEligibilitiesDataSource)(nil)

type transitionEligibilitiesDataSource struct {
	shared.DataSourceBase
}

func NewTransitionEligibilitiesDataSource() datasource.DataSource {
	return &transitionEligibilitiesDataSource{}
}

var _ = shared.RegisterDataSource(NewTransitionEligibilitiesDataSource)

// transitionEligibilitiesModel is the data source's state.
type transitionEligibilitiesModel struct {
	CustomerID      types.String       `tfsdk:"customer_id"`
	SubscriptionID  types.String       `tfsdk:"subscription_id"`
	EligibilityType types.String       `tfsdk:"eligibility_type"`
	Targets         []transitionTarget `tfsdk:"targets"`
	Timeouts        timeouts.Value     `tfsdk:"timeouts"`
}

type transitionTarget struct {
	CatalogItemID     types.String           `tfsdk:"catalog_item_id"`
	Title             types.String           `tfsdk:"title"`
	Description       types.String           `tfsdk:"description"`
	Quantity          types.Int64            `tfsdk:"quantity"`
	TransitionTypes   []transitionType       `tfsdk:"transition_types"`
	IntoSubscriptions []transitionIntoTarget `tfsdk:"into_subscriptions"`
}

type transitionType struct {
	Type       types.String      `tfsdk:"type"`
	IsEligible types.Bool        `tfsdk:"is_eligible"`
	Errors     []transitionError `tfsdk:"errors"`
}

type transitionIntoTarget struct {
	SubscriptionID types.String      `tfsdk:"subscription_id"`
	FriendlyName   types.String      `tfsdk:"friendly_name"`
	TermDuration   types.String      `tfsdk:"term_duration"`
	BillingCycle   types.String      `tfsdk:"billing_cycle"`
	IsEligible     types.Bool        `tfsdk:"is_eligible"`
	Errors         []transitionError `tfsdk:"errors"`
}

type transitionError struct {
	Code        types.String `tfsdk:"code"`
	Description types.String `tfsdk:"description"`
}

func (d *transitionEligibilitiesDataSource) Model() any { return &transitionEligibilitiesModel{} }

func (d *transitionEligibilitiesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_subscription_transition_eligibilities"
}

func (d *transitionEligibilitiesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	errorsAttribute := schema.ListNestedAttribute{
		MarkdownDescription: "Why the transition is not possible, empty when it is: Partner Center's error `code` and `description`.",
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"code":        schema.StringAttribute{MarkdownDescription: "Partner Center's code for the reason, such as `3`, as text.", Computed: true},
			"description": shared.ComputedString("The reason, in Partner Center's words."),
		}},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the products a new-commerce subscription can be upgraded to, for picking the target of an upgrade " +
			"(a transition, in Partner Center's words): for each target, whether the subscription can move to it and why not, and, for an " +
			"immediate transition, which of the customer's existing subscriptions of the target it could move into.",
		Attributes: map[string]schema.Attribute{
			"customer_id": customerIDArgument(),
			"subscription_id": schema.StringAttribute{
				MarkdownDescription: "The Partner Center ID of the subscription to upgrade, a GUID in any letter case.",
				Required:            true,
				Validators:          []validator.String{shared.GUIDValidator()},
			},
			"eligibility_type": schema.StringAttribute{
				MarkdownDescription: "`immediate` (the default) for an upgrade now, `scheduled` for one at the subscription's renewal. " +
					"Only an immediate upgrade can move into an existing subscription.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf("immediate", "scheduled")},
			},
			"targets": schema.ListNestedAttribute{
				MarkdownDescription: "The catalog items the subscription can be upgraded to, in the order Partner Center returns them. " +
					"Empty, never null, when it has no upgrade path.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"catalog_item_id": shared.ComputedString("The target, `{product}:{sku}:{availability}`, as " +
						"`partnercenter_customer_subscription`'s `catalog_item_id` takes it."),
					"title":       shared.ComputedString("The target's name."),
					"description": shared.ComputedString("Partner Center's description of the target."),
					"quantity":    schema.Int64Attribute{MarkdownDescription: "How many licenses would move.", Computed: true},
					"transition_types": schema.ListNestedAttribute{
						MarkdownDescription: "The kinds of transition to the target and whether each is possible.",
						Computed:            true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"type": shared.ComputedString("`transition_only` (the licenses move, the users keep their data) or " +
								"`transition_with_license_transfer`."),
							"is_eligible": shared.ComputedBool("Whether the subscription can make this transition."),
							"errors":      errorsAttribute,
						}},
					},
					"into_subscriptions": schema.ListNestedAttribute{
						MarkdownDescription: "The customer's existing subscriptions of the target that an immediate upgrade could move " +
							"into instead of buying a new one. Empty for `scheduled` and for a trial.",
						Computed: true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"subscription_id": shared.ComputedString("The existing subscription's ID."),
							"friendly_name":   shared.ComputedString("Its name."),
							"term_duration":   shared.ComputedString("Its term, such as `P1Y`."),
							"billing_cycle":   shared.ComputedString("Its billing cycle, such as `monthly`."),
							"is_eligible":     shared.ComputedBool("Whether the upgrade can move into it."),
							"errors":          errorsAttribute,
						}},
					},
				}},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": shared.ReadTimeoutBlock(ctx),
		},
	}
}

func (d *transitionEligibilitiesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	shared.ReadDataSource(ctx, &d.DataSourceBase, req, resp, func(op *shared.Operation, config *transitionEligibilitiesModel) *transitionEligibilitiesModel {
		customerID, subscriptionID := config.CustomerID.ValueString(), config.SubscriptionID.ValueString()
		if config.EligibilityType.IsNull() || config.EligibilityType.IsUnknown() {
			config.EligibilityType = types.StringValue("immediate")
		}
		items, err := op.Client.ListTransitionEligibilities(op.Ctx, customerID, subscriptionID, config.EligibilityType.ValueString())
		if err != nil {
			what := fmt.Sprintf("Reading the transition eligibilities of subscription %q of customer %q", subscriptionID, customerID)
			op.FailOnSubscription(what, customerID, subscriptionID, err)
			return nil
		}
		config.Targets = make([]transitionTarget, 0, len(items))
		for _, item := range items {
			target := transitionTarget{
				CatalogItemID: types.StringPointerValue(item.CatalogItemID), Title: types.StringPointerValue(item.Title),
				Description: types.StringPointerValue(item.Description), Quantity: types.Int64PointerValue(item.Quantity),
				TransitionTypes: make([]transitionType, 0, len(item.Eligibilities)), IntoSubscriptions: make([]transitionIntoTarget, 0),
			}
			for _, e := range item.Eligibilities {
				target.TransitionTypes = append(target.TransitionTypes, transitionType{
					Type: types.StringPointerValue(e.TransitionType), IsEligible: types.BoolPointerValue(e.IsEligible), Errors: transitionErrors(e.Errors),
				})
			}
			for _, s := range item.SubscriptionEligibilities {
				target.IntoSubscriptions = append(target.IntoSubscriptions, transitionIntoTarget{
					SubscriptionID: types.StringPointerValue(s.SubscriptionID), FriendlyName: types.StringPointerValue(s.SubscriptionFriendlyName),
					TermDuration: types.StringPointerValue(s.SubscriptionTermDuration), BillingCycle: types.StringPointerValue(s.SubscriptionBillingCycle),
					IsEligible: types.BoolPointerValue(s.IsEligible), Errors: transitionErrors(s.Errors),
				})
			}
			config.Targets = append(config.Targets, target)
		}
		return config
	})
}

// transitionErrors are the state of a transition's errors: a list, never null.
func transitionErrors(errs []partnercenter.TransitionError) []transitionError {
	out := make([]transitionError, 0, len(errs))
	for _, e := range errs {
		out = append(out, transitionError{Code: types.StringValue(e.Code), Description: types.StringValue(e.Description)})
	}
	return out
}
