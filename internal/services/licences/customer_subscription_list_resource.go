package licences

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var _ = shared.RegisterListResource(NewCustomerSubscriptionList)

var _ list.ListResourceWithConfigure = (*customerSubscriptionList)(nil)

// customerSubscriptionList lists the subscriptions partnercenter_customer_subscription
// can manage (terraform query, Terraform 1.14+), of one customer or of
// every customer of the partner.
type customerSubscriptionList struct {
	shared.ResourceBase
}

// NewCustomerSubscriptionList returns the partnercenter_customer_subscription list resource.
func NewCustomerSubscriptionList() list.ListResource { return &customerSubscriptionList{} }

func (l *customerSubscriptionList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_subscription"
}

// subscriptionStatuses are the statuses Partner Center gives a subscription.
var subscriptionStatuses = []string{"active", "pending", "suspended", "disabled", "deleted", "expired"}

// productIDPattern is a catalog product id, such as CFQ7TTC0LH18: the first
// part of a catalog_item_id.
var productIDPattern = regexp.MustCompile(`^[A-Za-z0-9]+$`)

func (l *customerSubscriptionList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the subscriptions `partnercenter_customer_subscription` can manage, of one customer or of " +
			"every customer of the partner, for `terraform query` (Terraform 1.14 or later). With " +
			"`-generate-config-out=FILE` it writes a `resource` block and an `import` block (by identity: `customer_id` " +
			"and `subscription_id`) for each; `terraform plan` then shows only imports, and `terraform apply` imports " +
			"them without buying or changing anything. The generated blocks keep `on_destroy = \"abandon\"`, as an " +
			"import does.\n\n" +
			"Only the subscriptions the resource can manage are listed: new-commerce ones, whose offer is a catalog item, " +
			"`product:sku:availability` (such as `CFQ7TTC0LH18:0001:CFQ7TTC0K971`), on a term of `P1M`, `P1Y` or `P3Y` " +
			"billed `monthly`, `annual` or `triennial`. Legacy licence-based subscriptions, Azure plans (billed by usage) " +
			"and Azure savings plans or reservations billed at once are left out, and one warning at the end counts them " +
			"(`partnercenter_customer_subscriptions` shows them).\n\n" +
			"Partner Center is read one customer at a time: one request for each page of customers, one for each " +
			"customer's subscriptions (more when the service pages them); nothing more per subscription. Terraform " +
			"stops at the list block's `limit`, 100 by default: set `limit` above the number of subscriptions expected " +
			"to list them all. When every customer is listed, a customer whose subscriptions cannot be read (such as one " +
			"whose relationship with the partner has ended) is a warning naming it, and the listing goes on; the customer " +
			"`customer_id` names is an error.",
		Attributes: map[string]listschema.Attribute{
			"customer_id": listschema.StringAttribute{
				MarkdownDescription: "The tenant ID (a GUID) of the customer whose subscriptions to list. Without it, every " +
					"customer of the partner is listed, page by page, and the customers are read only as far as " +
					"`limit` needs.",
				Optional:   true,
				Validators: []validator.String{shared.GUIDValidator()},
			},
			"statuses": listschema.ListAttribute{
				MarkdownDescription: "The Partner Center statuses to list (" + quotedList(subscriptionStatuses) + "), in any letter case. " +
					"Unset, every subscription is listed whose status is neither `deleted` nor `expired`.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(stringvalidator.OneOfCaseInsensitive(subscriptionStatuses...)),
				},
			},
			"product_ids": listschema.ListAttribute{
				MarkdownDescription: "Lists only subscriptions to these products: the first part of `catalog_item_id`, " +
					"such as `CFQ7TTC0LH18` (Microsoft 365 Business Basic), in any letter case.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(stringvalidator.RegexMatches(productIDPattern,
						"must be a product ID such as CFQ7TTC0LH18, the first part of a catalog_item_id")),
				},
			},
		},
	}
}

// quotedList writes values as `a`, `b` and `c`.
func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
}

// subscriptionListConfig is the list block's configuration.
type subscriptionListConfig struct {
	CustomerID types.String `tfsdk:"customer_id"`
	Statuses   types.List   `tfsdk:"statuses"`
	ProductIDs types.List   `tfsdk:"product_ids"`
}

// List streams the subscriptions: one customer's subscriptions are read
// only once the consumer has taken every result before them.
func (l *customerSubscriptionList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config subscriptionListConfig
	diags := req.Config.Get(ctx, &config)
	if l.Data == nil {
		diags.AddError("Provider not configured", "The Partner Center provider was not configured before this list. "+
			"This is a bug in the provider; please report it.")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	lister := &subscriptionLister{
		ctx: shared.MaskSecrets(ctx, l.Data.Secrets), client: l.Data.Client, req: req,
		statuses: lowerSet(config.Statuses), products: lowerSet(config.ProductIDs),
	}
	lister.types, diags = shared.NewListResultTypes(ctx, req)
	if !diags.HasError() && req.IncludeResource {
		lister.prior, diags = importedSubscriptionPrior(ctx, req)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		lister.push = push
		lister.run(config.CustomerID.ValueString())
	}
}

// lowerSet is the strings of values in lower case, nil when unset.
func lowerSet(values types.List) map[string]bool {
	if values.IsNull() || values.IsUnknown() {
		return nil
	}
	out := make(map[string]bool, len(values.Elements()))
	for _, e := range values.Elements() {
		if s, ok := e.(types.String); ok {
			out[strings.ToLower(s.ValueString())] = true
		}
	}
	return out
}

// importedSubscriptionPrior is the prior state an import of a subscription
// gives its first Read, made by the resource's own ImportState: the list's
// resources are what an import followed by a Read saves. Its customer_id
// and id are placeholders each result replaces.
func importedSubscriptionPrior(ctx context.Context, req list.ListRequest) (*subscriptionResourceModel, diag.Diagnostics) {
	const placeholder = "00000000-0000-0000-0000-000000000000"
	resp := resource.ImportStateResponse{State: tfsdk.State{
		Schema: req.ResourceSchema, Raw: tftypes.NewValue(req.ResourceSchema.Type().TerraformType(ctx), nil),
	}}
	(&customerSubscriptionResource{}).ImportState(ctx, resource.ImportStateRequest{ID: placeholder + "/" + placeholder}, &resp)
	var prior subscriptionResourceModel
	if !resp.Diagnostics.HasError() {
		shared.GetModel(ctx, resp.State.Get, &prior, &resp.Diagnostics)
	}
	return &prior, resp.Diagnostics
}

// subscriptionLister is one listing in progress.
type subscriptionLister struct {
	ctx      context.Context
	client   *partnercenter.Client
	req      list.ListRequest
	push     func(list.ListResult) bool
	statuses map[string]bool // nil: all but deleted and expired
	products map[string]bool // nil: any product
	prior    *subscriptionResourceModel
	types    shared.ListResultTypes

	listed    int64 // results with a subscription pushed
	customers int   // customers whose subscriptions were read
	leftOut   int   // subscriptions the resource cannot manage
	only      bool  // the configuration names the customer
}

// errListingDone stops the customer list once the consumer wants no more.
var errListingDone = errors.New("listing done")

func (l *subscriptionLister) run(customerID string) {
	more := true
	if customerID != "" {
		l.only = true
		more = l.customer(customerID, "")
	} else {
		err := l.client.ListCustomerPages(l.ctx, partnercenter.ListCustomersOptions{}, func(page []partnercenter.Customer) error {
			for i := range page {
				c := &page[i]
				var company string
				if c.CompanyProfile != nil {
					company = shared.Deref(c.CompanyProfile.CompanyName)
				}
				if !l.customer(shared.Deref(c.ID), company) {
					return errListingDone
				}
			}
			return nil
		})
		switch {
		case errors.Is(err, errListingDone):
			more = false
		case err != nil && l.ctx.Err() != nil:
			l.interrupted("while listing the partner's customers")
			return
		case err != nil:
			var diags diag.Diagnostics
			diags.AddError(shared.OperationErrorDiagnostic(l.ctx, shared.OperationRead, "Listing the partner's customers", err, 0))
			l.push(list.ListResult{Diagnostics: diags})
			return
		}
	}
	if more {
		l.warnLeftOut()
	}
}

// customer pushes the subscriptions of one customer, named by company when
// the customer list gave it; false once no more results are wanted.
func (l *subscriptionLister) customer(customerID, company string) bool {
	if l.ctx.Err() != nil {
		l.interrupted(fmt.Sprintf("before reading the subscriptions of customer %q", customerID))
		return false
	}
	subscriptions, err := l.client.GetCustomerSubscriptions(l.ctx, customerID)
	if err != nil {
		if l.ctx.Err() != nil {
			l.interrupted(fmt.Sprintf("while reading the subscriptions of customer %q", customerID))
			return false
		}
		what := fmt.Sprintf("Listing the subscriptions of customer %q", customerID)
		if company != "" {
			what = fmt.Sprintf("Listing the subscriptions of customer %q (%s)", customerID, company)
		}
		summary, detail := shared.OperationErrorDiagnostic(l.ctx, shared.OperationRead, what, err, 0)
		var diags diag.Diagnostics
		if l.only {
			diags.AddError(summary, detail)
			l.push(list.ListResult{Diagnostics: diags})
			return false
		}
		diags.AddWarning(summary, detail+"\nThe listing goes on without this customer's subscriptions.")
		return l.push(list.ListResult{Diagnostics: diags})
	}
	l.customers++
	return l.customerSubscriptions(customerID, company, subscriptions)
}

// customerSubscriptions pushes the results of a customer's subscriptions
// as read; false once no more results are wanted.
func (l *subscriptionLister) customerSubscriptions(customerID, company string, subscriptions []partnercenter.Subscription) bool {
	for i := range subscriptions {
		s := &subscriptions[i]
		if !l.wanted(s) {
			continue
		}
		if !manageableSubscription(s) {
			l.leftOut++
			continue
		}
		if l.req.Limit > 0 && l.listed+1 >= l.req.Limit && !l.warnLeftOut() {
			// Terraform reads no further than the limit: the count of what
			// was left out goes before the last result.
			return false
		}
		if !l.push(l.result(customerID, company, s)) {
			return false
		}
		if l.listed++; l.req.Limit > 0 && l.listed >= l.req.Limit {
			return false
		}
	}
	return true
}

// wanted applies the statuses and product_ids filters.
func (l *subscriptionLister) wanted(s *partnercenter.Subscription) bool {
	status := strings.ToLower(shared.Deref(s.Status))
	if l.statuses == nil && (status == "deleted" || status == "expired") || l.statuses != nil && !l.statuses[status] {
		return false
	}
	if l.products == nil {
		return true
	}
	product, _, _, ok := shared.CatalogItemParts(shared.Deref(s.OfferID))
	return ok && l.products[strings.ToLower(product)]
}

// The terms and billing cycles partnercenter_customer_subscription takes.
var (
	subscriptionTerms         = []string{"P1M", "P1Y", "P3Y"}
	subscriptionBillingCycles = []string{"monthly", "annual", "triennial"}
)

// manageableSubscription reports whether partnercenter_customer_subscription
// can manage s, that is whether its arguments would pass the resource's
// validation: a new-commerce catalog item on a term, billed monthly,
// annually or triennially, for whole seats. Legacy offers, Azure plans
// (billed by usage, with no term) and Azure savings plans or reservations
// billed at once are not.
func manageableSubscription(s *partnercenter.Subscription) bool {
	_, _, _, ok := shared.CatalogItemParts(shared.Deref(s.OfferID))
	q := s.Quantity
	return ok && !strings.EqualFold(shared.Deref(s.BillingType), "usage") &&
		slices.Contains(subscriptionTerms, shared.Deref(s.TermDuration)) &&
		slices.ContainsFunc(subscriptionBillingCycles, func(c string) bool { return strings.EqualFold(c, shared.Deref(s.BillingCycle)) }) &&
		q != nil && *q >= 1 && *q <= maxQuantity && *q == math.Trunc(*q)
}

// result is the list result of one subscription: its identity, a name
// and, when asked for, the state an import and a Read of it save.
func (l *subscriptionLister) result(customerID, company string, s *partnercenter.Subscription) list.ListResult {
	result := list.ListResult{DisplayName: subscriptionDisplayName(s, company)}
	identity := subscriptionIdentityModel{CustomerID: types.StringValue(customerID), SubscriptionID: types.StringPointerValue(s.ID)}
	if l.req.IncludeResource {
		prior := *l.prior
		prior.CustomerID, prior.ID = identity.CustomerID, identity.SubscriptionID
		state := subscriptionResourceState(&prior, s, &result.Diagnostics)
		result.Resource = l.types.Resource(l.ctx, state, &result.Diagnostics)
		if m, ok := state.IdentityModel().(*subscriptionIdentityModel); ok {
			identity = *m
		}
	}
	result.Identity = l.types.Identity(l.ctx, &identity, &result.Diagnostics)
	return result
}

// subscriptionDisplayName is, for example, "Microsoft 365 E3 (25) - Contoso Ltd".
func subscriptionDisplayName(s *partnercenter.Subscription, company string) string {
	name := shared.Deref(s.FriendlyName)
	if name == "" {
		name = shared.Deref(s.OfferName)
	}
	if name == "" {
		name = shared.Deref(s.ID)
	}
	if s.Quantity != nil {
		name += " (" + strconv.FormatFloat(*s.Quantity, 'f', -1, 64) + ")"
	}
	if company != "" {
		name += " - " + company
	}
	return name
}

// warnLeftOut pushes, once, the warning that counts the subscriptions
// left out; false when no more results are wanted.
func (l *subscriptionLister) warnLeftOut() bool {
	if l.leftOut == 0 {
		return true
	}
	var diags diag.Diagnostics
	diags.AddWarning("Subscriptions left out", fmt.Sprintf("%d subscription(s) of the %d customer(s) read are not listed: "+
		"partnercenter_customer_subscription manages only new-commerce subscriptions (offer product:sku:availability) "+
		"on a term (P1M, P1Y or P3Y) billed monthly, annually or triennially, not legacy licence-based subscriptions, "+
		"Azure plans, or Azure savings plans and reservations billed at once. "+
		"The data source partnercenter_customer_subscriptions shows them all.", l.leftOut, l.customers))
	l.leftOut = 0
	return l.push(list.ListResult{Diagnostics: diags})
}

// interrupted pushes the error that says how far a cancelled listing got,
// where being what it was doing.
func (l *subscriptionLister) interrupted(where string) {
	var diags diag.Diagnostics
	diags.AddError("Listing subscriptions interrupted", fmt.Sprintf("The listing was cancelled (%s) after %d subscription(s) "+
		"from %d customer(s), %s. Run terraform query again to list them all.",
		context.Cause(l.ctx), l.listed, l.customers, where))
	l.push(list.ListResult{Diagnostics: diags})
}
