package licences

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var _ datasource.DataSourceWithConfigure = (*customTermEndDatesDataSource)(nil)

type customTermEndDatesDataSource struct {
	shared.DataSourceBase
}

func NewCustomTermEndDatesDataSource() datasource.DataSource {
	return &customTermEndDatesDataSource{}
}

var _ = shared.RegisterDataSource(NewCustomTermEndDatesDataSource)

// customTermEndDatesModel is the data source's state.
type customTermEndDatesModel struct {
	CustomerID                 types.String    `tfsdk:"customer_id"`
	TermDuration               types.String    `tfsdk:"term_duration"`
	TermStartDate              types.String    `tfsdk:"term_start_date"`
	TargetCotermSubscriptionID types.String    `tfsdk:"target_coterm_subscription_id"`
	EndDates                   []customEndDate `tfsdk:"end_dates"`
	Timeouts                   timeouts.Value  `tfsdk:"timeouts"`
}

type customEndDate struct {
	EndDate               types.String   `tfsdk:"end_date"`
	Type                  types.String   `tfsdk:"type"`
	CotermSubscriptionIDs []types.String `tfsdk:"coterm_subscription_ids"`
}

// dayPattern is a day as custom_term_end_date and term_start_date take it.
var dayPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (d *customTermEndDatesDataSource) Model() any { return &customTermEndDatesModel{} }

func (d *customTermEndDatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_custom_term_end_dates"
}

func (d *customTermEndDatesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the end dates a new licence subscription of a term may be bought with instead of its own: the end of a " +
			"calendar month, or the end date of the customer's existing subscriptions (co-terminous purchases). " +
			"`partnercenter_customer_subscription` takes one as `custom_term_end_date`. Partner Center computes these dates for " +
			"purchases of new subscriptions only, not for renewals.",
		Attributes: map[string]schema.Attribute{
			"customer_id": customerIDArgument(),
			"term_duration": schema.StringAttribute{
				MarkdownDescription: "The term of the purchase: `P1M`, `P1Y` or `P3Y`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf("P1M", "P1Y", "P3Y")},
			},
			"term_start_date": schema.StringAttribute{
				MarkdownDescription: "The day the purchase is meant for, `YYYY-MM-DD`, not in the past; today when left out.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(dayPattern, "must be a day written YYYY-MM-DD")},
			},
			"target_coterm_subscription_id": schema.StringAttribute{
				MarkdownDescription: "The one subscription, a GUID, to end with: its end date is then the only subscription-aligned one listed.",
				Optional:            true,
				Validators:          []validator.String{shared.GUIDValidator()},
			},
			"end_dates": schema.ListNestedAttribute{
				MarkdownDescription: "The allowed end dates, in the order Partner Center returns them; empty, never null, when there are none.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"end_date": shared.ComputedString("The date as Partner Center sends it, such as `2027-07-31T00:00:00`. " +
						"`custom_term_end_date` takes it as it is or as its day (`2027-07-31`)."),
					"type": shared.ComputedString("`calendarMonthAligned` (the end of a calendar month) or `subscriptionAligned` " +
						"(the end date of the subscriptions in `coterm_subscription_ids`)."),
					"coterm_subscription_ids": shared.ComputedStringList("The subscriptions that end on this date, for a " +
						"subscription-aligned date; empty otherwise."),
				}},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": shared.ReadTimeoutBlock(ctx),
		},
	}
}

func (d *customTermEndDatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	shared.ReadDataSource(ctx, &d.DataSourceBase, req, resp, func(op *shared.Operation, config *customTermEndDatesModel) *customTermEndDatesModel {
		customerID, term := config.CustomerID.ValueString(), config.TermDuration.ValueString()
		dates, err := op.Client.ListCustomTermEndDates(op.Ctx, customerID, term, config.TermStartDate.ValueString(),
			config.TargetCotermSubscriptionID.ValueString())
		if err != nil {
			op.Fail(fmt.Sprintf("Reading the custom term end dates of a %s purchase for customer %q", term, customerID), err)
			return nil
		}
		config.EndDates = customEndDates(dates)
		return config
	})
}

// customEndDates are the state of the dates: a list, never null, and so
// are their subscription ids.
func customEndDates(dates []partnercenter.CustomTermEndDate) []customEndDate {
	out := make([]customEndDate, 0, len(dates))
	for _, d := range dates {
		ids := make([]types.String, 0, len(d.CotermSubscriptionIDs))
		for _, id := range d.CotermSubscriptionIDs {
			ids = append(ids, types.StringValue(id))
		}
		out = append(out, customEndDate{EndDate: types.StringPointerValue(d.EndDate), Type: types.StringPointerValue(d.Type), CotermSubscriptionIDs: ids})
	}
	return out
}
