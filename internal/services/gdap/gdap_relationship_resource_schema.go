package gdap

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// relGlobalAdministrator is the Global Administrator role's template id:
// it cannot auto-extend, and removing it is the only role change an active
// relationship allows.
const relGlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10"

// relApprovalURLPrefix is the Microsoft 365 admin center's invitation link,
// inferred from partners' tools: no Graph page documents it.
const relApprovalURLPrefix = "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/"

// relMaxDays is Graph's longest duration, P2Y, in days.
const relMaxDays = 730

type gdapRelationshipModel struct {
	ID                   types.String   `tfsdk:"id"`
	DisplayName          types.String   `tfsdk:"display_name"`
	Duration             types.String   `tfsdk:"duration"`
	CustomerID           types.String   `tfsdk:"customer_id"`
	CustomerDisplayName  types.String   `tfsdk:"customer_display_name"`
	Roles                types.Set      `tfsdk:"roles"`
	AutoExtend           types.String   `tfsdk:"auto_extend"`
	AllowReplacement     types.Bool     `tfsdk:"allow_replacement"`
	Status               types.String   `tfsdk:"status"`
	ApprovalURL          types.String   `tfsdk:"approval_url"`
	CreatedDateTime      types.String   `tfsdk:"created_date_time"`
	ActivatedDateTime    types.String   `tfsdk:"activated_date_time"`
	EndDateTime          types.String   `tfsdk:"end_date_time"`
	LastModifiedDateTime types.String   `tfsdk:"last_modified_date_time"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

func gdapRelationshipSchema(ctx context.Context) schema.Schema {
	computed := func(description string, keep bool) schema.StringAttribute {
		a := schema.StringAttribute{Computed: true, MarkdownDescription: description}
		if keep {
			a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
		}
		return a
	}
	return schema.Schema{
		MarkdownDescription: "A granular delegated admin privileges (GDAP) relationship with a customer, through " +
			"Microsoft Graph. A create makes the relationship and locks it for the customer's approval: the apply ends " +
			"with `status = \"approvalPending\"` and never waits for the approval, a person's step that can take days. " +
			"Send the customer `approval_url`; a refresh after the approval shows `active`.\n\n" +
			"Graph allows few changes after the lock: `auto_extend` and removing the Global Administrator role while " +
			"`active`. Any other change is refused at plan time, unless `allow_replacement = true`, " +
			"which replaces the relationship by a new one the customer must approve again. Destroying a relationship " +
			"deletes it while `created`, terminates it while `active`, and cannot end one awaiting approval or one " +
			"`expiring` (past its end date): those are removed from the state with a warning. A relationship found " +
			"in status `created` (imported, or whose lock failed) is locked by the next apply.",
		Attributes: map[string]schema.Attribute{
			"id": computed("The relationship's id, two GUIDs joined by `-`.", true),
			"display_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The relationship's name, 1 to 50 characters, unique across all your relationships " +
					"(Graph keeps it unique; the plan adopts a relationship of this name that matches the configuration, " +
					"which is how an interrupted apply recovers).",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 50)},
			},
			"duration": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "How long the relationship lasts once approved, as `P<n>D` with n from 1 to 730 " +
					"(`P730D` is two years, the longest).",
				Validators: []validator.String{relDurationValidator{}},
			},
			"customer_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The customer's tenant id. Without it any customer may accept the relationship; " +
					"after the approval it is the accepting customer's.",
				Validators:    []validator.String{shared.GUIDValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"customer_display_name": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The customer tenant's name as Microsoft Entra ID sets it, read-only in Graph; " +
					"Graph reports it once the customer has approved, null before.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"roles": schema.SetAttribute{
				Required: true, ElementType: types.StringType,
				MarkdownDescription: "The Microsoft Entra built-in role template ids the relationship grants, at least one.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(shared.GUIDValidator())},
			},
			"auto_extend": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("PT0S"),
				MarkdownDescription: "`P180D` extends the relationship by 180 days each time it ends; `PT0S` (the " +
					"default) lets it expire. Graph also reports `P0D`, which means the same as `PT0S`. Not allowed " +
					"with the Global Administrator role.",
				Validators: []validator.String{stringvalidator.OneOf("P180D", "PT0S", "P0D")},
			},
			"allow_replacement": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Lets a plan replace a locked relationship when the configuration changes what " +
					"Graph cannot change in place (roles, duration, customer): the old one is ended and a new one, " +
					"which needs a new `display_name`, awaits the customer's approval. Defaults to `false`: such a " +
					"change is refused at plan time.",
			},
			"status": computed("The relationship's status as Graph reports it: `created`, `approvalPending`, "+
				"`approved`, `activating`, `active`, `expiring`, `expired`, `terminationRequested`, `terminating` or "+
				"`terminated`.", false),
			"approval_url": computed("The link the customer opens to approve the relationship (Microsoft 365 admin "+
				"center). Its form is inferred from partners' tools; Graph's pages do not document it.", true),
			"created_date_time":       computed("When the relationship was created (RFC 3339).", true),
			"activated_date_time":     computed("When the customer's approval made the relationship active, null before.", false),
			"end_date_time":           computed("When the relationship ends or ended, null before it is active.", false),
			"last_modified_date_time": computed("When the relationship last changed.", false),
		},
		Blocks: map[string]schema.Block{"timeouts": shared.ResourceTimeoutsBlock(ctx)},
	}
}

var relDurationRE = regexp.MustCompile(`^P([0-9]{1,4})D$`)

// relDurationDays reads P<n>D (and Graph's P<n>Y, which it may answer
// with); ok is false for any other form.
func relDurationDays(d string) (int, bool) {
	if m := relDurationRE.FindStringSubmatch(d); m != nil {
		n, err := strconv.Atoi(m[1])
		return n, err == nil
	}
	if rest, found := strings.CutPrefix(d, "P"); found {
		if years, ok := strings.CutSuffix(rest, "Y"); ok {
			n, err := strconv.Atoi(years)
			return n * 365, err == nil && n > 0 && n < 10
		}
	}
	return 0, false
}

type relDurationValidator struct{}

func (relDurationValidator) Description(context.Context) string {
	return fmt.Sprintf("must be P<n>D with n from 1 to %d", relMaxDays)
}

func (v relDurationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (relDurationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d := req.ConfigValue.ValueString()
	if n, ok := relDurationDays(d); !ok || !relDurationRE.MatchString(d) || n < 1 || n > relMaxDays {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", fmt.Sprintf("duration is %q; Graph takes a "+
			"duration from one day to two years, written here as P<n>D with n from 1 to %d: for two years write "+
			"\"P%dD\".", d, relMaxDays, relMaxDays))
	}
}

// relSameAutoExtend compares auto-extension values, P0D and PT0S being the
// same "no extension".
func relSameAutoExtend(a, b string) bool {
	norm := func(s string) string {
		if s == "P0D" || s == "" {
			return "PT0S"
		}
		return s
	}
	return norm(a) == norm(b)
}

// relSameDuration compares durations by their days.
func relSameDuration(a, b string) bool {
	x, okA := relDurationDays(a)
	y, okB := relDurationDays(b)
	return a == b || okA && okB && x == y
}

// relEnded says whether a relationship has ended or is ending: nothing but
// a new relationship restores the access.
func relEnded(status string) bool {
	switch status {
	case partnercenter.RelationshipStatusExpired, partnercenter.RelationshipStatusTerminated,
		partnercenter.RelationshipStatusTerminating, partnercenter.RelationshipStatusTerminationRequested:
		return true
	}
	return false
}

// relAwaitingApproval says whether a relationship is locked and waits for
// (or is finishing) the customer's approval.
func relAwaitingApproval(status string) bool {
	switch status {
	case partnercenter.RelationshipStatusApprovalPending, partnercenter.RelationshipStatusApproved,
		partnercenter.RelationshipStatusActivating:
		return true
	}
	return false
}
