package gdap

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// ValidateConfig refuses auto-extension with the Global Administrator
// role, which Partner Center does not allow ("Don't autoextend GDAP with
// Global Administrator").
func (r *gdapRelationshipResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var autoExtend types.String
	var roles types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("auto_extend"), &autoExtend)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("roles"), &roles)...)
	if resp.Diagnostics.HasError() || autoExtend.ValueString() != "P180D" {
		return
	}
	if slices.ContainsFunc(relRolesOf(roles), func(s string) bool { return strings.EqualFold(s, relGlobalAdministrator) }) {
		resp.Diagnostics.AddAttributeError(path.Root("auto_extend"), "No auto-extension with Global Administrator",
			fmt.Sprintf("roles include the Global Administrator role (%s), and a relationship with it cannot "+
				"auto-extend: Graph refuses auto_extend = \"P180D\" then. Set auto_extend = \"PT0S\" (or remove it), or "+
				"remove the Global Administrator role.", relGlobalAdministrator))
	}
}

// ModifyPlan refuses, before anything is written, what Graph cannot do: a
// display name another relationship has, and a change the relationship's
// status does not allow in place (unless allow_replacement says to replace
// it). Only reads are sent.
func (r *gdapRelationshipResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: Delete follows the status
	}
	var plan gdapRelationshipModel
	if shared.GetModel(ctx, req.Plan.Get, &plan, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		r.planCreate(ctx, req, resp, &plan)
		return
	}
	var prior gdapRelationshipModel
	if shared.GetModel(ctx, req.State.Get, &prior, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	// Graph's P0D and the default PT0S both mean no extension: an unset
	// auto_extend keeps what Graph reported rather than plan an update.
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("auto_extend"), &configured)...)
	if configured.IsNull() && plan.AutoExtend != prior.AutoExtend && !plan.AutoExtend.IsUnknown() &&
		relSameAutoExtend(plan.AutoExtend.ValueString(), prior.AutoExtend.ValueString()) {
		plan.AutoExtend = prior.AutoExtend
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("auto_extend"), prior.AutoExtend)...)
		// The framework marked the computed attributes unknown for that
		// difference: with no other change, the plan is the state.
		if len(relChangedAttributes(&plan, &prior)) == 0 && plan.AllowReplacement.Equal(prior.AllowReplacement) &&
			plan.Timeouts.Equal(prior.Timeouts) && !relEnded(prior.Status.ValueString()) &&
			prior.Status.ValueString() != partnercenter.RelationshipStatusCreated {
			resp.Diagnostics.Append(shared.SetPlanModel(ctx, &resp.Plan, &prior)...)
			return
		}
	}
	if planUpdate(ctx, resp, &plan, &prior) {
		r.planRename(ctx, req, resp, &plan, &prior)
	}
}

// planCreate looks the display name up (one listing): free, the apply
// creates; taken by a relationship that matches the configuration and has
// not ended, the apply adopts it (how an interrupted apply recovers);
// taken by any other, the plan fails.
func (r *gdapRelationshipResource) planCreate(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan *gdapRelationshipModel) {
	found := r.planLookup(ctx, req, resp, plan)
	if found == nil {
		return
	}
	name := plan.DisplayName.ValueString()
	differences := relDifferences(plan, found)
	if len(differences) > 0 || relEnded(found.Status) {
		if relEnded(found.Status) {
			differences = append(differences, "it has ended")
		}
		resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Display name already taken", fmt.Sprintf(
			"The delegated admin relationship %s (status %s) is already named %q, and Graph keeps names unique; it "+
				"cannot be adopted: %s. Choose another display_name, or, to manage that relationship, import it "+
				"(terraform import <address> %s) and make the configuration match it.",
			found.ID, found.Status, name, strings.Join(differences, "; "), found.ID))
		return
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("display_name"), "Existing relationship will be adopted", fmt.Sprintf(
		"The delegated admin relationship %s (status %s) named %q matches the configuration: the apply manages it "+
			"instead of creating one (as after an interrupted apply), and locks it for approval if it is still in "+
			"status created.", found.ID, found.Status, name))
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), found.ID)...)
}

// planLookup is the relationship named as the plan's display_name (one
// listing, shared by the plan's look-ups), nil when none has it or the
// look-up cannot be made yet (it then reports why, or the apply checks).
func (r *gdapRelationshipResource) planLookup(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan *gdapRelationshipModel) *partnercenter.DelegatedAdminRelationship {
	// The provider may not be configured yet; the apply checks again.
	if plan.DisplayName.IsUnknown() || r.Data == nil {
		return nil
	}
	stateType, ok := req.Plan.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return nil
	}
	op, cancel := shared.BeginOperation(ctx, r.Data, shared.OperationRead, stateType, req.Config.Raw, &resp.Diagnostics)
	if op == nil {
		return nil
	}
	defer cancel()
	if !op.RequireGraph() {
		return nil
	}
	name := plan.DisplayName.ValueString()
	found, err := relByListedName(op.Ctx, op.Graph, name)
	if err != nil {
		op.Fail(fmt.Sprintf("Looking for delegated admin relationship %q", name), err)
		return nil
	}
	return found
}

// planRename refuses, as a create would be, a rename of a relationship in
// status created to a display name another relationship has: Graph keeps
// names unique.
func (r *gdapRelationshipResource) planRename(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan, prior *gdapRelationshipModel) {
	found := r.planLookup(ctx, req, resp, plan)
	if found == nil || strings.EqualFold(found.ID, prior.ID.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Display name already taken", fmt.Sprintf(
		"The plan renames the delegated admin relationship %q (%s) to %q, but relationship %s (status %s) already "+
			"has that name, and Graph keeps names unique. Nothing will be written. Choose another display_name.",
		prior.DisplayName.ValueString(), prior.ID.ValueString(), plan.DisplayName.ValueString(), found.ID, found.Status))
}

// planUpdate checks the change against the status the state holds: Graph
// allows everything while created, only the auto-extension and the Global
// Administrator role's removal while active (not while expiring), nothing
// while approval is pending. Anything else needs a new relationship, planned as a
// replacement only with allow_replacement (or once the relationship has
// ended), and then under a new display name. While created, with or
// without a change, it plans an update, which locks the relationship (one
// imported, or whose lock failed, is locked so); it says whether the
// update renames such a relationship, for the caller to check the name.
func planUpdate(ctx context.Context, resp *resource.ModifyPlanResponse, plan, prior *gdapRelationshipModel) (renamesCreated bool) {
	status, id, name := prior.Status.ValueString(), prior.ID.ValueString(), prior.DisplayName.ValueString()
	changed := relChangedAttributes(plan, prior)
	if status == partnercenter.RelationshipStatusCreated {
		// The lock moves the status on, and an approval between the plan
		// and the apply names the customer as its tenant does.
		unknown := []string{"status", "last_modified_date_time", "activated_date_time", "end_date_time", "customer_display_name"}
		for _, attribute := range unknown {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attribute), types.StringUnknown())...)
		}
		return slices.Contains(changed, "display_name")
	}
	sameName := !plan.DisplayName.IsUnknown() && strings.EqualFold(plan.DisplayName.ValueString(), name)
	replace := func(why string) {
		if sameName {
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "New relationship needs a new display name",
				fmt.Sprintf("%s, so the plan would replace it by a new relationship; Graph keeps display names "+
					"unique, even of ended relationships, so the new one needs another display_name: change it, "+
					"for example to %q. To stop managing this relationship instead, remove it from the state "+
					"(a removed block, or terraform state rm).", why, name+" 2"))
			return
		}
		for _, attribute := range append(changed, "display_name") {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root(attribute))
		}
		resp.Diagnostics.AddWarning("Relationship will be replaced", fmt.Sprintf("%s: the plan replaces it by a new "+
			"relationship %q. The customer must approve the new one (send them its approval_url after the apply); "+
			"until then you have no access through it.", why, plan.DisplayName.ValueString()))
	}
	if relEnded(status) {
		replace(fmt.Sprintf("The delegated admin relationship %q (%s) has ended outside Terraform (status %s)", name, id, status))
		return false
	}
	if len(changed) == 0 {
		return false
	}
	refusal := relRefusal(status, changed, prior, plan)
	switch {
	case refusal == "":
	case relAwaitingApproval(status):
		resp.Diagnostics.AddError("Relationship awaiting the customer's approval", fmt.Sprintf("The delegated admin "+
			"relationship %q (%s) is awaiting the customer's approval (status %s), and Graph changes nothing in that "+
			"status; the plan changes %s. Nothing will be written. Revert the change and apply it once the customer "+
			"has approved (a refresh then shows status active).", name, id, status, strings.Join(changed, ", ")))
	case plan.AllowReplacement.ValueBool():
		replace(fmt.Sprintf("The delegated admin relationship %q (%s, status %s) cannot change so in place: %s", name, id, status, refusal))
	default:
		resp.Diagnostics.AddError("Change needs a new relationship", fmt.Sprintf("The delegated admin relationship %q "+
			"(%s) is in status %s: %s Only a new relationship, which the customer must approve again, can have "+
			"that. Nothing will be written. Revert the change, or set allow_replacement = true and give the new "+
			"relationship another display_name to plan its replacement.", name, id, status, refusal))
	}
	return false
}

// relChangedAttributes names the arguments a plan changes that Graph must
// change: allow_replacement and timeouts need no request.
func relChangedAttributes(plan, prior *gdapRelationshipModel) []string {
	var out []string
	differ := func(name string, p, s types.String, same func(a, b string) bool) {
		if !p.IsUnknown() && (p.IsNull() != s.IsNull() || !same(p.ValueString(), s.ValueString())) {
			out = append(out, name)
		}
	}
	differ("display_name", plan.DisplayName, prior.DisplayName, func(a, b string) bool { return a == b })
	differ("duration", plan.Duration, prior.Duration, relSameDuration)
	differ("customer_id", plan.CustomerID, prior.CustomerID, strings.EqualFold)
	if !plan.Roles.IsUnknown() && !relSameRoles(relRolesOf(plan.Roles), relRolesOf(prior.Roles)) {
		out = append(out, "roles")
	}
	differ("auto_extend", plan.AutoExtend, prior.AutoExtend, relSameAutoExtend)
	return out
}

// relRefusal says why Graph cannot make the changes in status, "" when it
// can.
func relRefusal(status string, changed []string, prior, plan *gdapRelationshipModel) string {
	switch {
	case status == partnercenter.RelationshipStatusCreated:
		return ""
	case relAwaitingApproval(status):
		return "Graph changes nothing while the customer's approval is awaited."
	case relEnded(status):
		return "the relationship has ended."
	case status == partnercenter.RelationshipStatusExpiring:
		// Graph's update page allows the auto-extension and the role
		// removal while active only; expiring is past the end date.
		return "Graph changes auto_extend, and removes the Global Administrator role, only while the relationship is " +
			"active, and this one is expiring (past its end date)."
	case status != partnercenter.RelationshipStatusActive:
		return fmt.Sprintf("this provider does not know what Graph allows in status %q.", status)
	}
	var refused []string
	for _, attribute := range changed {
		switch attribute {
		case "auto_extend":
		case "roles":
			old := relRolesOf(prior.Roles)
			withoutGA := slices.DeleteFunc(slices.Clone(old), func(s string) bool { return strings.EqualFold(s, relGlobalAdministrator) })
			if len(withoutGA) == len(old) || !relSameRoles(relRolesOf(plan.Roles), withoutGA) {
				refused = append(refused, "roles (only removing the Global Administrator role, alone, is allowed)")
			}
		default:
			refused = append(refused, attribute)
		}
	}
	if len(refused) == 0 {
		return ""
	}
	return fmt.Sprintf("Graph changes only auto_extend, and removes the Global Administrator role, on a relationship "+
		"in this status; the plan also changes %s.", strings.Join(refused, ", "))
}
