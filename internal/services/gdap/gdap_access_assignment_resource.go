package gdap

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var (
	_ resource.ResourceWithConfigure   = (*accessAssignmentResource)(nil)
	_ resource.ResourceWithImportState = (*accessAssignmentResource)(nil)
	_ resource.ResourceWithIdentity    = (*accessAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*accessAssignmentResource)(nil)
	_ shared.Modeled                   = (*accessAssignmentResource)(nil)
)

// Access assignment statuses as Graph spells them.
const (
	assignmentActive   = "active"
	assignmentError    = "error"
	assignmentDeleting = "deleting"
	assignmentDeleted  = "deleted"
)

// assignmentPollMax bounds the wait between two reads of an assignment
// that is still settling; the first wait is a second.
const assignmentPollMax = 15 * time.Second

type accessAssignmentResource struct {
	shared.ResourceBase
}

type accessAssignmentModel struct {
	ID                   types.String   `tfsdk:"id"`
	RelationshipID       types.String   `tfsdk:"relationship_id"`
	SecurityGroupID      types.String   `tfsdk:"security_group_id"`
	Roles                types.Set      `tfsdk:"roles"`
	Status               types.String   `tfsdk:"status"`
	CreatedDateTime      types.String   `tfsdk:"created_date_time"`
	LastModifiedDateTime types.String   `tfsdk:"last_modified_date_time"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

func NewAccessAssignmentResource() resource.Resource { return &accessAssignmentResource{} }

var _ = shared.RegisterResource(NewAccessAssignmentResource)

func (r *accessAssignmentResource) Model() any { return &accessAssignmentModel{} }

// assignmentIdentityModel is the resource identity of
// partnercenter_gdap_access_assignment. Neither id ever changes (another
// relationship replaces the assignment), so it is not mutable.
type assignmentIdentityModel struct {
	RelationshipID     types.String `tfsdk:"relationship_id"`
	AccessAssignmentID types.String `tfsdk:"access_assignment_id"`
}

func (m accessAssignmentModel) IdentityModel() any {
	return &assignmentIdentityModel{RelationshipID: m.RelationshipID, AccessAssignmentID: m.ID}
}

func (r *accessAssignmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"relationship_id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The delegated admin relationship's id.",
		},
		"access_assignment_id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The access assignment's id.",
		},
	}}
}

func (r *accessAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gdap_access_assignment"
}

func (r *accessAssignmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Gives a security group of the partner tenant roles in a customer's tenant through an active " +
			"granular delegated admin (GDAP) relationship, through Microsoft Graph. Graph keeps one assignment per security " +
			"group and relationship. The plan reads the relationship and refuses one that is not `active` (`expiring` means past its end date), " +
			"roles the relationship does not hold, and a group that already has an assignment with other roles (import it " +
			"instead); an existing assignment with the configured roles is adopted, with a warning. A create or a change " +
			"of roles waits until Graph reports the assignment `active`; one Graph reports in `error` is saved with that " +
			"status and fails the apply, and the next apply replaces it (an errored assignment of the group outside the " +
			"state fails the plan: import it to have it replaced, or delete it in Partner Center). A destroy waits until " +
			"it is gone.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The access assignment's ID.", Computed: true, PlanModifiers: stable},
			"relationship_id": schema.StringAttribute{
				MarkdownDescription: "The relationship's ID, two GUIDs joined by `-`. Changing it replaces the assignment.",
				Required:            true, PlanModifiers: replace,
				Validators: []validator.String{relationshipIDValidator()},
			},
			"security_group_id": schema.StringAttribute{
				MarkdownDescription: "The object ID (a GUID) of the security group in the partner tenant whose members get the " +
					"roles. Changing it replaces the assignment.",
				Required: true, PlanModifiers: replace,
				Validators: []validator.String{shared.GUIDValidator()},
			},
			"roles": schema.SetAttribute{
				MarkdownDescription: "Template IDs of Microsoft Entra roles, each one of the relationship's roles " +
					"(`partnercenter_gdap_roles` gives them by name). A change is sent in place.",
				Required: true, ElementType: types.StringType,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.RegexMatches(regexp.MustCompile(shared.GUIDPattern.String()),
						"must be a role template ID, a GUID"))},
			},
			"status":                  schema.StringAttribute{MarkdownDescription: "The assignment's status as Graph reports it (`active` after an apply).", Computed: true},
			"created_date_time":       schema.StringAttribute{MarkdownDescription: "When it was created (RFC 3339).", Computed: true, PlanModifiers: stable},
			"last_modified_date_time": schema.StringAttribute{MarkdownDescription: "When it last changed (RFC 3339).", Computed: true},
		},
		Blocks: map[string]schema.Block{"timeouts": shared.ResourceTimeoutsBlock(ctx)},
	}
}

// rolesOf are the set's role ids.
func rolesOf(set types.Set) []string {
	out := []string{}
	for _, v := range set.Elements() {
		if s, ok := v.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			out = append(out, s.ValueString())
		}
	}
	return out
}

// sameRoles compares role id sets without letter case.
func sameRoles(a, b []string) bool {
	norm := func(ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = strings.ToLower(id)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}

// assignmentState is the state Graph's answer makes; the ids the user
// wrote are kept as written when Graph spells them otherwise.
func assignmentState(a *partnercenter.DelegatedAdminAccessAssignment, from *accessAssignmentModel, diags *diag.Diagnostics) *accessAssignmentModel {
	roles, d := types.SetValueFrom(context.Background(), types.StringType, a.Roles)
	diags.Append(d...)
	state := &accessAssignmentModel{
		ID: types.StringValue(a.ID), RelationshipID: from.RelationshipID, SecurityGroupID: types.StringValue(a.SecurityGroupID),
		Roles: roles, Status: types.StringValue(a.Status), CreatedDateTime: dateOf(a.CreatedDateTime),
		LastModifiedDateTime: dateOf(a.LastModifiedDateTime), Timeouts: from.Timeouts,
	}
	if strings.EqualFold(from.SecurityGroupID.ValueString(), a.SecurityGroupID) {
		state.SecurityGroupID = from.SecurityGroupID
	}
	if sameRoles(rolesOf(from.Roles), a.Roles) && !from.Roles.IsUnknown() && !from.Roles.IsNull() {
		state.Roles = from.Roles
	}
	if from.ID.ValueString() != "" && strings.EqualFold(from.ID.ValueString(), a.ID) {
		state.ID = from.ID
	}
	return state
}

func (r *accessAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	shared.Create(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, plan *accessAssignmentModel) *accessAssignmentModel {
		if !op.RequireGraph() {
			return nil
		}
		relID, group, roles := plan.RelationshipID.ValueString(), plan.SecurityGroupID.ValueString(), rolesOf(plan.Roles)
		// The plan checked these unless relationship_id was unknown then;
		// the relationship may also have changed since.
		if !checkAssignable(op, op.Diags, relID, roles) {
			return nil
		}
		existing, ok := groupAssignment(op, relID, group)
		if !ok {
			return nil
		}
		var made *partnercenter.DelegatedAdminAccessAssignment
		switch {
		case existing != nil && existing.Status == assignmentError:
			op.Diags.AddError("Security group has a failed access assignment", erroredAssignmentAdvice(relID, group, existing))
			return nil
		case existing != nil && sameRoles(existing.Roles, roles):
			op.Diags.AddWarning("Existing access assignment adopted", fmt.Sprintf("Security group %s already had access "+
				"assignment %s on relationship %s with the configured roles; Graph keeps one per group, so this resource "+
				"now manages it.", group, existing.ID, relID))
			made = existing
		case existing != nil:
			op.Diags.AddError("Security group already has an access assignment", existingAssignmentAdvice(relID, group, existing))
			return nil
		default:
			made = createAssignment(op, relID, group, roles)
			if made == nil {
				return nil
			}
		}
		final := awaitAssignment(op, relID, made.ID, roles)
		if final == nil {
			return nil // the next plan finds the assignment and adopts it
		}
		// A failed assignment is saved with the error: Terraform taints it,
		// so the next apply deletes it and creates it again.
		op.KeepStateOnError = true
		return assignmentState(final, plan, op.Diags)
	})
}

// createAssignment sends the creation once; after an outcome it cannot
// know, the relationship's assignments show whether it was made.
func createAssignment(op *shared.Operation, relID, group string, roles []string) *partnercenter.DelegatedAdminAccessAssignment {
	made, err := op.Graph.CreateDelegatedAdminAccessAssignment(op.Ctx, relID, group, roles)
	if err == nil {
		return made
	}
	// Looked for on a context of its own: the creation's may be over.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(op.Ctx), time.Minute)
	defer cancel()
	list, listErr := op.Graph.ListDelegatedAdminAccessAssignments(ctx, relID)
	if listErr == nil {
		if found := findGroup(list, group); found != nil {
			return found
		}
	}
	op.Fail(fmt.Sprintf("Creating the access assignment of security group %q on delegated admin relationship %q", group, relID), err)
	return nil
}

// findGroup is the group's assignment that is not being deleted, or nil.
func findGroup(list []partnercenter.DelegatedAdminAccessAssignment, group string) *partnercenter.DelegatedAdminAccessAssignment {
	for i := range list {
		a := &list[i]
		if strings.EqualFold(a.SecurityGroupID, group) && a.Status != assignmentDeleted && a.Status != assignmentDeleting {
			return a
		}
	}
	return nil
}

// groupAssignment lists the relationship's assignments for the group's.
func groupAssignment(op *shared.Operation, relID, group string) (*partnercenter.DelegatedAdminAccessAssignment, bool) {
	list, err := op.Graph.ListDelegatedAdminAccessAssignments(op.Ctx, relID)
	if err != nil {
		op.Fail(fmt.Sprintf("Listing the access assignments of delegated admin relationship %q", relID), err)
		return nil, false
	}
	return findGroup(list, group), true
}

func existingAssignmentAdvice(relID, group string, a *partnercenter.DelegatedAdminAccessAssignment) string {
	return fmt.Sprintf("Security group %s already has access assignment %s (status %s, roles %s) on relationship %s, and "+
		"Graph keeps one per group and relationship. Import it and set roles as you want them: terraform import "+
		"<address> %s/%s. Nothing was written.", group, a.ID, a.Status, describeRoles(a.Roles), relID, relID, a.ID)
}

func erroredAssignmentAdvice(relID, group string, a *partnercenter.DelegatedAdminAccessAssignment) string {
	return fmt.Sprintf("Security group %s has access assignment %s on relationship %s in status %q: Microsoft Graph "+
		"could not apply it, so it is not adopted and must be deleted first, and Graph keeps one per group and "+
		"relationship. Either import it (terraform import <address> %s/%s), and the next apply deletes it and creates "+
		"it again, or delete it in Partner Center and plan again. If it is already in the state (a failed apply saved "+
		"it), plan with refresh (not -refresh=false), which lets the apply replace it. Nothing was written.",
		group, a.ID, relID, a.Status, relID, a.ID)
}

// erroredInState holds, lower-cased as relationship/assignment, the failed
// assignments this process read from Terraform's state: a plan that
// creates the group's assignment while one of them exists is replacing it
// (Terraform deletes it first), not creating a second one.
var erroredInState sync.Map

// awaitAssignment reads the assignment until it is active with the roles,
// and returns that read; nil after reporting a failure. A read in status
// error is returned with the failure reported.
func awaitAssignment(op *shared.Operation, relID, id string, roles []string) *partnercenter.DelegatedAdminAccessAssignment {
	what := fmt.Sprintf("Waiting for access assignment %q of delegated admin relationship %q to be active", id, relID)
	var last *partnercenter.DelegatedAdminAccessAssignment
	for wait := time.Second; ; wait = min(2*wait, assignmentPollMax) {
		a, err := op.Graph.GetDelegatedAdminAccessAssignment(op.Ctx, relID, id)
		switch {
		case err != nil:
			op.Fail(what, err)
			return nil
		case a.Status == assignmentError:
			op.Diags.AddError("Access assignment failed", fmt.Sprintf("Microsoft Graph reports access assignment %s of "+
				"relationship %s in status %q: it could not be applied. It is saved in the state with that status and "+
				"must be replaced: the next apply deletes it (under its etag) and creates it again. Check the security "+
				"group and the roles in Partner Center before applying again.", a.ID, relID, a.Status))
			return a
		case a.Status == assignmentActive && sameRoles(a.Roles, roles):
			return a
		}
		last = a
		select {
		case <-op.Ctx.Done():
			op.Diags.AddError("Access assignment not active in time", fmt.Sprintf("%s: after %s it is %q with roles %s "+
				"(configured: %s). Nothing is saved; the next plan finds it and adopts it once it is active with the "+
				"configured roles. A longer timeouts block gives Graph more time.", what, op.Timeout, last.Status,
				describeRoles(last.Roles), describeRoles(roles)))
			return nil
		case <-time.After(wait):
		}
	}
}

func (r *accessAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	shared.Read(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, prior *accessAssignmentModel) *accessAssignmentModel {
		if !op.RequireGraph() {
			return nil
		}
		relID, id := prior.RelationshipID.ValueString(), prior.ID.ValueString()
		a, err := op.Graph.GetDelegatedAdminAccessAssignment(op.Ctx, relID, id)
		switch {
		case errors.Is(err, partnercenter.ErrNotFound):
			return nil
		case err != nil:
			op.Fail(fmt.Sprintf("Reading access assignment %q of delegated admin relationship %q", id, relID), err)
			return nil
		case a.Status == assignmentDeleted:
			return nil
		case a.Status == assignmentError:
			erroredInState.Store(strings.ToLower(relID+"/"+a.ID), true)
		}
		return assignmentState(a, prior, op.Diags)
	})
}

// Update sends a change of roles under the etag of a fresh read; a 412
// (changed in between) is read again and sent once more.
func (r *accessAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	shared.Update(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, plan, prior *accessAssignmentModel) *accessAssignmentModel {
		if !op.RequireGraph() {
			return nil
		}
		relID, id, roles := prior.RelationshipID.ValueString(), prior.ID.ValueString(), rolesOf(plan.Roles)
		if !checkAssignable(op, op.Diags, relID, roles) {
			return nil
		}
		what := fmt.Sprintf("Updating the roles of access assignment %q of delegated admin relationship %q", id, relID)
		for attempt := 0; ; attempt++ {
			current, err := op.Graph.GetDelegatedAdminAccessAssignment(op.Ctx, relID, id)
			if err != nil {
				op.Fail(what, err)
				return nil
			}
			_, err = op.Graph.UpdateDelegatedAdminAccessAssignment(op.Ctx, relID, id, current.ETag, roles)
			if err == nil {
				break
			}
			if attempt > 0 || !partnercenter.IsPreconditionFailed(err) {
				op.Fail(what, err)
				return nil
			}
		}
		final := awaitAssignment(op, relID, id, roles)
		if final == nil {
			return nil
		}
		// A failed assignment is saved with the error; the next plan
		// replaces it.
		op.KeepStateOnError = true
		plan.ID = prior.ID
		return assignmentState(final, plan, op.Diags)
	})
}

// Delete removes the assignment under the etag of a fresh read and waits
// until Graph no longer serves it.
func (r *accessAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	shared.Delete(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, prior *accessAssignmentModel) {
		if !op.RequireGraph() {
			return
		}
		relID, id := prior.RelationshipID.ValueString(), prior.ID.ValueString()
		what := fmt.Sprintf("Deleting access assignment %q of delegated admin relationship %q", id, relID)
		for attempt := 0; ; attempt++ {
			current, err := op.Graph.GetDelegatedAdminAccessAssignment(op.Ctx, relID, id)
			if errors.Is(err, partnercenter.ErrNotFound) || (err == nil && current.Status == assignmentDeleted) {
				return
			}
			if err != nil {
				op.Fail(what, err)
				return
			}
			if current.Status == assignmentDeleting {
				break
			}
			err = op.Graph.DeleteDelegatedAdminAccessAssignment(op.Ctx, relID, id, current.ETag)
			if err == nil || errors.Is(err, partnercenter.ErrNotFound) {
				break
			}
			if endedWithRelationship(op, relID, id, err) {
				return
			}
			if attempt > 0 || !partnercenter.IsPreconditionFailed(err) {
				op.Fail(what, err)
				return
			}
		}
		for wait := time.Second; ; wait = min(2*wait, assignmentPollMax) {
			a, err := op.Graph.GetDelegatedAdminAccessAssignment(op.Ctx, relID, id)
			if errors.Is(err, partnercenter.ErrNotFound) || (err == nil && a.Status == assignmentDeleted) {
				return
			}
			if err != nil {
				op.Fail("Waiting for the deletion of access assignment "+id, err)
				return
			}
			select {
			case <-op.Ctx.Done():
				op.Fail("Waiting for the deletion of access assignment "+id, op.Ctx.Err())
				return
			case <-time.After(wait):
			}
		}
	})
}

// endedWithRelationship reports, after Graph refused to delete an
// assignment, whether its relationship has ended: the partner's access ended
// with it, so the assignment leaves the state with a warning instead of
// failing a destroy that could never succeed.
func endedWithRelationship(op *shared.Operation, relID, id string, refused error) bool {
	var apiErr *partnercenter.APIError
	if !errors.As(refused, &apiErr) || apiErr.StatusCode < 400 || apiErr.StatusCode >= 500 ||
		apiErr.StatusCode == http.StatusPreconditionFailed || apiErr.StatusCode == http.StatusTooManyRequests {
		return false
	}
	rel, err := op.Graph.GetDelegatedAdminRelationship(op.Ctx, relID)
	if err != nil || !relEnded(rel.Status) && rel.Status != partnercenter.RelationshipStatusExpiring {
		return false
	}
	op.Diags.AddWarning("Access assignment left with its ended relationship", fmt.Sprintf("Graph refused to delete "+
		"access assignment %q (%s), and its delegated admin relationship %q has ended or passed its end date (status "+
		"%s), which ends the access too. The assignment is removed from the state.", id, refused, relID, rel.Status))
	return true
}

// ImportState takes relationship_id/assignment_id, as the import ID or the
// identity.
func (r *accessAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, summary, ok := shared.ImportedID(ctx, req, &resp.Diagnostics, func(i *assignmentIdentityModel) string {
		return i.RelationshipID.ValueString() + "/" + i.AccessAssignmentID.ValueString()
	})
	if !ok {
		return
	}
	relID, id, found := strings.Cut(strings.TrimSpace(given), "/")
	if !found || !regexp.MustCompile(relationshipIDPattern).MatchString(relID) || strings.TrimSpace(id) == "" || strings.Contains(id, "/") {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("An access assignment is imported by its relationship_id and "+
			"access assignment id, such as 5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836 "+
			"and 3c4ed7a8-f8a3-4ba0-8a6b-7d5a7b1c2f01 (as an import ID, <relationship_id>/<assignment_id>: "+
			"5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836/3c4ed7a8-f8a3-4ba0-8a6b-7d5a7b1c2f01), not %q.", given))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("relationship_id"), relID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(shared.SetIdentity(ctx, resp.Identity, accessAssignmentModel{
		RelationshipID: types.StringValue(relID), ID: types.StringValue(id),
	})...)
}
