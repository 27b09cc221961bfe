package gdap

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// ModifyPlan refuses, before anything is written, an assignment Graph
// would refuse: on a relationship that is not active, with roles the
// relationship does not hold, or for a group that already has another
// assignment. Only reads are sent; with relationship_id unknown, the
// apply makes the same checks before it writes.
func (r *accessAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.Data == nil {
		return
	}
	var plan accessAssignmentModel
	if shared.GetModel(ctx, req.Plan.Get, &plan, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	creating := req.State.Raw.IsNull()
	if !creating {
		var prior accessAssignmentModel
		if shared.GetModel(ctx, req.State.Get, &prior, &resp.Diagnostics); resp.Diagnostics.HasError() {
			return
		}
		if prior.Status.ValueString() == assignmentError {
			// Graph could not apply it: only a new one can give the roles.
			plan.Status = types.StringUnknown()
			resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
			return
		}
		if plan.Roles.IsUnknown() || sameRoles(rolesOf(plan.Roles), rolesOf(prior.Roles)) {
			return
		}
	}
	if plan.RelationshipID.IsUnknown() || plan.Roles.IsUnknown() {
		return
	}
	stateType, ok := req.Plan.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return
	}
	op, cancel := shared.BeginOperation(ctx, r.Data, shared.OperationRead, stateType, req.Config.Raw, &resp.Diagnostics)
	if op == nil {
		return
	}
	defer cancel()
	relID, roles := plan.RelationshipID.ValueString(), rolesOf(plan.Roles)
	if !op.RequireGraph() || !checkAssignable(op, &resp.Diagnostics, relID, roles) || !creating || plan.SecurityGroupID.IsUnknown() {
		return
	}
	group := plan.SecurityGroupID.ValueString()
	existing, ok := groupAssignment(op, relID, group)
	switch {
	case !ok || existing == nil:
	case existing.Status == assignmentError:
		if _, held := erroredInState.Load(strings.ToLower(relID + "/" + existing.ID)); !held {
			resp.Diagnostics.AddError("Security group has a failed access assignment", erroredAssignmentAdvice(relID, group, existing))
		}
	case sameRoles(existing.Roles, roles):
		resp.Diagnostics.AddWarning("Existing access assignment will be adopted", fmt.Sprintf("Security group %s already "+
			"has access assignment %s (status %s) on relationship %s with the configured roles. Graph keeps one per group "+
			"and relationship, so the apply adopts it instead of creating another.", group, existing.ID, existing.Status, relID))
	default:
		resp.Diagnostics.AddError("Security group already has an access assignment", existingAssignmentAdvice(relID, group, existing))
	}
}

// checkAssignable reads the relationship and reports, in diags, why an
// assignment with roles cannot be made or changed on it now.
func checkAssignable(op *shared.Operation, diags *diag.Diagnostics, relID string, roles []string) bool {
	rel, err := op.Graph.GetDelegatedAdminRelationship(op.Ctx, relID)
	if err != nil {
		diags.AddError(shared.OperationErrorDiagnostic(op.Ctx, op.Kind, fmt.Sprintf("Reading delegated admin relationship %q", relID), err, op.Timeout))
		return false
	}
	switch rel.Status {
	case partnercenter.RelationshipStatusActive:
	case partnercenter.RelationshipStatusApprovalPending:
		diags.AddError("Relationship awaits the customer's approval", fmt.Sprintf("Delegated admin relationship %s (%q) is "+
			"approvalPending: the customer must approve it first, at %s%s (a link whose form is inferred from partners' "+
			"tools). Access assignments need an active relationship; plan again after the approval. Nothing was written.",
			rel.ID, rel.DisplayName, approvalLinkPrefix, rel.ID))
		return false
	default:
		diags.AddError("Relationship not active", fmt.Sprintf("Delegated admin relationship %s (%q) is %s; access "+
			"assignments need an active relationship (an expiring one is past its end date). Nothing was written.", rel.ID, rel.DisplayName, rel.Status))
		return false
	}
	var missing []string
	for _, id := range roles {
		if !slices.ContainsFunc(rel.Roles, func(r string) bool { return strings.EqualFold(r, id) }) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		diags.AddError("Roles not in the relationship", fmt.Sprintf("Delegated admin relationship %s (%q) does not hold "+
			"the role(s) %s; an access assignment can only give roles of its relationship, which holds %s. Remove them from "+
			"roles, or add them to a new relationship the customer approves. Nothing was written.",
			rel.ID, rel.DisplayName, describeRoles(missing), describeRoles(rel.Roles)))
		return false
	}
	return true
}
