package gdap

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

var (
	_ resource.ResourceWithConfigure      = (*gdapRelationshipResource)(nil)
	_ resource.ResourceWithImportState    = (*gdapRelationshipResource)(nil)
	_ resource.ResourceWithIdentity       = (*gdapRelationshipResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*gdapRelationshipResource)(nil)
	_ resource.ResourceWithValidateConfig = (*gdapRelationshipResource)(nil)
	_ shared.Modeled                      = (*gdapRelationshipResource)(nil)
)

// relRecoveryLookup bounds the search for a relationship whose creation,
// lock or termination ended without an answer; it runs even when the
// operation's own time is up.
const relRecoveryLookup = time.Minute

// relPollWait is the pause between reads while Graph finishes a lock, a
// role removal or a termination.
var relPollWait = time.Second

// relRequestFailed is the status of a relationship request Graph did not
// carry out.
const relRequestFailed = "failed"

type gdapRelationshipResource struct {
	shared.ResourceBase
}

func (r *gdapRelationshipResource) Model() any { return &gdapRelationshipModel{} }

func NewGDAPRelationshipResource() resource.Resource { return &gdapRelationshipResource{} }

var _ = shared.RegisterResource(NewGDAPRelationshipResource)

func (r *gdapRelationshipResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gdap_relationship"
}

// relIdentityModel is the resource identity of
// partnercenter_gdap_relationship. Graph never changes a relationship's id
// (a replacement is another resource object), so it is not mutable.
type relIdentityModel struct {
	RelationshipID types.String `tfsdk:"relationship_id"`
}

func (m gdapRelationshipModel) IdentityModel() any { return &relIdentityModel{RelationshipID: m.ID} }

func (r *gdapRelationshipResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"relationship_id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The delegated admin relationship's id.",
		},
	}}
}

func (r *gdapRelationshipResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = gdapRelationshipSchema(ctx)
}

// Create adopts the relationship the plan said it adopts, or creates one
// where the plan found the display name free, then locks it for the
// customer's approval. Nothing is saved after a failure: the next plan
// finds the relationship by its display name and adopts it, whereas a
// tainted one would be destroyed and made again, costing an approval.
func (r *gdapRelationshipResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	shared.Create(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, plan *gdapRelationshipModel) *gdapRelationshipModel {
		if !op.RequireGraph() {
			return nil
		}
		name := plan.DisplayName.ValueString()
		found, err := relByListedName(op.Ctx, op.Graph, name)
		if err != nil {
			op.Fail(fmt.Sprintf("Looking for delegated admin relationship %q", name), err)
			return nil
		}
		plannedID := ""
		if !plan.ID.IsUnknown() {
			plannedID = plan.ID.ValueString()
		}
		var rel *partnercenter.DelegatedAdminRelationship
		fresh := false // made by this apply, so no lock can be under way
		switch {
		case found != nil && strings.EqualFold(found.ID, plannedID):
			if differences := relDifferences(plan, found); len(differences) > 0 || relEnded(found.Status) {
				op.Diags.AddError("Relationship changed since the plan", fmt.Sprintf("The plan adopts the delegated admin "+
					"relationship %q (%s), which now differs from the configuration (status %s; %s). Nothing was "+
					"written. Run terraform plan again.", name, found.ID, found.Status, relOrNone(differences)))
				return nil
			}
			op.Diags.AddWarning("Existing relationship adopted", fmt.Sprintf("The delegated admin relationship %q (%s, "+
				"status %s) matches the configuration and is now managed by this resource instead of a new one, as "+
				"the plan said.", name, found.ID, found.Status))
			rel = found
		case found != nil:
			op.Diags.AddAttributeError(path.Root("display_name"), "Display name taken since the plan", fmt.Sprintf("The "+
				"plan creates the delegated admin relationship %q, but relationship %s (status %s) has that name now. "+
				"Nothing was written. Run terraform plan again: it adopts that relationship if it matches the "+
				"configuration, or explains what differs.", name, found.ID, found.Status))
			return nil
		case plannedID != "":
			op.Diags.AddAttributeError(path.Root("display_name"), "Relationship to adopt is gone", fmt.Sprintf("The plan "+
				"adopts the delegated admin relationship %s named %q, which Graph no longer lists. Nothing was written. "+
				"Run terraform plan again: it plans a new relationship.", plannedID, name))
			return nil
		default:
			if rel = relCreate(op, plan); rel == nil {
				return nil
			}
			fresh = true
		}
		again := fmt.Sprintf("\nThe relationship exists; nothing was saved. Run terraform plan again: it adopts %s by its "+
			"display name, and the apply locks it if it is still in status created (with no second lock while one is "+
			"under way).", rel.ID)
		if rel = relLock(op, rel, fresh, again); rel == nil {
			return nil
		}
		return relStateOf(plan, rel)
	})
}

// relCreate sends the creation once. After an unknown outcome it looks the
// relationship up by its display name, within relRecoveryLookup even when
// the create's time is up, and carries on with it when found.
func relCreate(op *shared.Operation, plan *gdapRelationshipModel) *partnercenter.DelegatedAdminRelationship {
	name := plan.DisplayName.ValueString()
	what := fmt.Sprintf("Creating delegated admin relationship %q", name)
	created, err := op.Graph.CreateDelegatedAdminRelationship(op.Ctx, partnercenter.NewDelegatedAdminRelationship{
		DisplayName: name, Duration: plan.Duration.ValueString(), AutoExtendDuration: plan.AutoExtend.ValueString(),
		Customer: relCustomerOf(plan), Roles: relRolesOf(plan.Roles),
	})
	if err == nil {
		return created
	}
	if relRefusedOutright(err) {
		op.Fail(what, err)
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(op.Ctx), relRecoveryLookup)
	defer cancel()
	found, lookErr := relByName(ctx, op.Graph, name)
	if lookErr == nil && found != nil && len(relDifferences(plan, found)) == 0 && !relEnded(found.Status) {
		op.Diags.AddWarning("Relationship created without a usable answer", fmt.Sprintf("%s got no usable answer (%s), "+
			"but Graph lists the relationship by its name: %s, which this apply carries on with.", what, err, found.ID))
		return found
	}
	summary, detail := shared.OperationErrorDiagnostic(op.Ctx, op.Kind, what, err, op.Timeout)
	switch {
	case lookErr != nil:
		detail += fmt.Sprintf("\n\nThe relationship may have been created: looking for it by its name failed too (%s). "+
			"Nothing was saved: run terraform plan again; it adopts the relationship if Graph made it.", lookErr)
	case found != nil:
		detail += fmt.Sprintf("\n\nGraph lists a relationship named %q (%s, status %s) that differs from the "+
			"configuration. Nothing was saved: run terraform plan again, which explains the difference.", name, found.ID, found.Status)
	default:
		detail += fmt.Sprintf("\n\nGraph lists no relationship named %q: it was not created. Nothing was saved; apply again.", name)
	}
	op.Diags.AddError(summary, detail)
	return nil
}

// relLock locks a relationship in status created for the customer's
// approval, once, and waits within the operation's time for Graph to
// process the lock, which it does after answering (the request is created,
// pending, then succeeded): until the relationship leaves status created
// or the lock request fails. Before locking a relationship it did not just
// create (fresh false), it lists the relationship's requests and sends no
// lock while one is under way or done; after an unknown outcome the status
// and the request list say whether the lock was made. again is the advice
// a failure adds. It returns the relationship as read last, nil after
// reporting a failure.
func relLock(op *shared.Operation, rel *partnercenter.DelegatedAdminRelationship, fresh bool, again string) *partnercenter.DelegatedAdminRelationship {
	what := fmt.Sprintf("Locking delegated admin relationship %q (%s) for the customer's approval", rel.DisplayName, rel.ID)
	fail := func(doing string, err error) *partnercenter.DelegatedAdminRelationship {
		summary, detail := shared.OperationErrorDiagnostic(op.Ctx, op.Kind, doing, err, op.Timeout)
		op.Diags.AddError(summary, detail+again)
		return nil
	}
	lockID := "" // the lock request followed; "" for any lock the relationship has
	isLock := func(q partnercenter.DelegatedAdminRelationshipRequest) bool {
		return q.Action == partnercenter.ActionLockForApproval && (lockID == "" || strings.EqualFold(q.ID, lockID))
	}
	if rel.Status == partnercenter.RelationshipStatusCreated {
		underWay := false
		if !fresh {
			requests, err := op.Graph.ListDelegatedAdminRelationshipRequests(op.Ctx, rel.ID)
			if err != nil {
				return fail(fmt.Sprintf("Listing the requests of delegated admin relationship %s", rel.ID), err)
			}
			underWay = slices.ContainsFunc(requests, func(q partnercenter.DelegatedAdminRelationshipRequest) bool {
				return isLock(q) && q.Status != relRequestFailed
			})
		}
		if !underWay {
			request, err := op.Graph.CreateDelegatedAdminRelationshipRequest(op.Ctx, rel.ID, partnercenter.ActionLockForApproval)
			if err != nil && (relRefusedOutright(err) || !relRequestMade(op, rel.ID, partnercenter.ActionLockForApproval)) {
				return fail(what, err)
			}
			if err == nil && request != nil {
				lockID = request.ID
			}
		}
	}
	for {
		read, err := op.Graph.GetDelegatedAdminRelationship(op.Ctx, rel.ID)
		if err != nil {
			return fail(fmt.Sprintf("Reading delegated admin relationship %s", rel.ID), err)
		}
		if relEnded(read.Status) {
			op.Diags.AddError("Relationship not locked", fmt.Sprintf("%s: Graph reports status %s after the lock.%s", what, read.Status, again))
			return nil
		}
		if read.Status != partnercenter.RelationshipStatusCreated {
			return read
		}
		requests, err := op.Graph.ListDelegatedAdminRelationshipRequests(op.Ctx, rel.ID)
		if err != nil {
			return fail(fmt.Sprintf("Listing the requests of delegated admin relationship %s", rel.ID), err)
		}
		if !slices.ContainsFunc(requests, func(q partnercenter.DelegatedAdminRelationshipRequest) bool {
			return isLock(q) && q.Status != relRequestFailed
		}) {
			op.Diags.AddError("Relationship not locked", fmt.Sprintf("%s: Graph reports the lock request failed, and the "+
				"relationship is still in status created.%s", what, again))
			return nil
		}
		select {
		case <-op.Ctx.Done():
			op.Diags.AddError("Relationship not locked in time", fmt.Sprintf("%s: Graph accepted the lock but still "+
				"reports status created after timeouts.%s (%s).%s", what, op.Kind, op.Timeout, again))
			return nil
		case <-time.After(relPollWait):
		}
	}
}

// relRequestMade says, after a request whose outcome is unknown, whether
// Graph made it: the relationship left the status the request leaves, or
// its request list shows it. It reads within relRecoveryLookup.
func relRequestMade(op *shared.Operation, id, action string) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(op.Ctx), relRecoveryLookup)
	defer cancel()
	if read, err := op.Graph.GetDelegatedAdminRelationship(ctx, id); err == nil {
		switch {
		case action == partnercenter.ActionLockForApproval && read.Status != partnercenter.RelationshipStatusCreated,
			action == partnercenter.ActionTerminate && relEnded(read.Status):
			return true
		}
	}
	requests, err := op.Graph.ListDelegatedAdminRelationshipRequests(ctx, id)
	return err == nil && slices.ContainsFunc(requests, func(q partnercenter.DelegatedAdminRelationshipRequest) bool {
		return q.Action == action && q.Status != relRequestFailed
	})
}

// relRefusedOutright reports an answer that says the request was not
// carried out: a client error, other than a timeout or throttling, to its
// only attempt.
func relRefusedOutright(err error) bool {
	var apiErr *partnercenter.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.Attempts <= 1 &&
		apiErr.StatusCode != http.StatusRequestTimeout && apiErr.StatusCode != http.StatusTooManyRequests
}

// relByName is the partner's relationship with the display name, nil when
// none has it.
func relByName(ctx context.Context, g *partnercenter.GraphClient, name string) (*partnercenter.DelegatedAdminRelationship, error) {
	list, err := g.ListDelegatedAdminRelationships(ctx, partnercenter.DelegatedAdminRelationshipFilter{DisplayName: name})
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// Read follows the relationship's status; one Graph no longer knows
// leaves the state. An ended one stays, for the plan to explain.
func (r *gdapRelationshipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	shared.Read(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, prior *gdapRelationshipModel) *gdapRelationshipModel {
		if !op.RequireGraph() {
			return nil
		}
		id := prior.ID.ValueString()
		rel, err := op.Graph.GetDelegatedAdminRelationship(op.Ctx, id)
		if errors.Is(err, partnercenter.ErrNotFound) {
			op.Diags.AddWarning("Relationship no longer exists", fmt.Sprintf("Graph no longer knows the delegated admin "+
				"relationship %s: it is removed from the state, and the plan creates it again.", id))
			return nil
		}
		if err != nil {
			op.Fail(fmt.Sprintf("Reading delegated admin relationship %s", id), err)
			return nil
		}
		return relStateOf(prior, rel)
	})
}

// Update makes the changes ModifyPlan allowed for the status, under the
// etag of a fresh read: while created, every property (then the lock);
// while active, the Global Administrator role's removal (a long-running
// operation, waited for) and the auto-extension. A status that moved since
// the plan so that the change is no longer allowed is refused with nothing
// written.
func (r *gdapRelationshipResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	shared.Update(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, plan, prior *gdapRelationshipModel) *gdapRelationshipModel {
		if !op.RequireGraph() {
			return nil
		}
		id := prior.ID.ValueString()
		rel, err := op.Graph.GetDelegatedAdminRelationship(op.Ctx, id)
		if err != nil {
			op.Fail(fmt.Sprintf("Reading delegated admin relationship %s", id), err)
			return nil
		}
		changed := relChangedAttributes(plan, prior)
		if refusal := relRefusal(rel.Status, changed, prior, plan); refusal != "" && len(changed) > 0 {
			op.Diags.AddError("Relationship changed since the plan", fmt.Sprintf("The delegated admin relationship %q (%s) "+
				"is now in status %s (the plan saw %s): %s Nothing was written. Run terraform plan again.",
				rel.DisplayName, id, rel.Status, prior.Status.ValueString(), refusal))
			return nil
		}
		if rel = relApplyChanges(op, plan, rel, changed); rel == nil {
			return nil
		}
		if rel.Status == partnercenter.RelationshipStatusCreated {
			again := fmt.Sprintf("\nThe state keeps the relationship %s as before this apply. Run terraform apply "+
				"again: while Graph reports status created, the plan updates the relationship and the apply locks it "+
				"(with no second lock while one is under way).", id)
			if rel = relLock(op, rel, false, again); rel == nil {
				return nil
			}
		} else if rel, err = op.Graph.GetDelegatedAdminRelationship(op.Ctx, id); err != nil {
			op.Fail(fmt.Sprintf("Reading delegated admin relationship %s", id), err)
			return nil
		}
		state := relStateOf(plan, rel)
		if differences := relDifferences(plan, rel); len(differences) > 0 || !strings.EqualFold(rel.DisplayName, plan.DisplayName.ValueString()) {
			op.Diags.AddError("Relationship not as planned", fmt.Sprintf("Graph holds the delegated admin relationship %s "+
				"as %q, differing from the plan: %s. The state shows Graph's values.", id, rel.DisplayName, relOrNone(differences)))
			op.KeepStateOnError = true
		}
		return state
	})
}

// relApplyChanges sends the changes: one PATCH while created; while active,
// the role removal then the auto-extension. It returns the relationship
// read last, nil after reporting a failure.
func relApplyChanges(op *shared.Operation, plan *gdapRelationshipModel, rel *partnercenter.DelegatedAdminRelationship, changed []string) *partnercenter.DelegatedAdminRelationship {
	var patch partnercenter.DelegatedAdminRelationshipPatch
	set := func(v types.String) *string { s := v.ValueString(); return &s }
	for _, attribute := range changed {
		switch attribute {
		case "display_name":
			patch.DisplayName = set(plan.DisplayName)
		case "duration":
			patch.Duration = set(plan.Duration)
		case "customer_id":
			patch.Customer = relCustomerOf(plan)
		case "roles":
			patch.Roles = relRolesOf(plan.Roles)
		case "auto_extend":
			patch.AutoExtendDuration = set(plan.AutoExtend)
		}
	}
	what := fmt.Sprintf("Updating delegated admin relationship %q (%s)", rel.DisplayName, rel.ID)
	if rel.Status == partnercenter.RelationshipStatusCreated {
		if len(changed) == 0 {
			return rel
		}
		next, err := relPatch(op, rel, patch)
		if err != nil {
			op.Fail(what, err)
			return nil
		}
		return next
	}
	if patch.Roles != nil {
		if _, err := relPatch(op, rel, partnercenter.DelegatedAdminRelationshipPatch{Roles: patch.Roles}); err != nil {
			op.Fail(what+": removing the Global Administrator role", err)
			return nil
		}
		if rel = relAwaitRoles(op, rel.ID, patch.Roles); rel == nil {
			return nil
		}
	}
	if patch.AutoExtendDuration != nil {
		next, err := relPatch(op, rel, partnercenter.DelegatedAdminRelationshipPatch{AutoExtendDuration: patch.AutoExtendDuration})
		if err != nil {
			op.Fail(what+": setting the auto-extension", err)
			return nil
		}
		if next != nil {
			rel = next
		}
	}
	return rel
}

// relPatch sends patch under rel's etag; a 412 (changed since that read) is
// read again and sent once more while the status is the same.
func relPatch(op *shared.Operation, rel *partnercenter.DelegatedAdminRelationship, patch partnercenter.DelegatedAdminRelationshipPatch) (*partnercenter.DelegatedAdminRelationship, error) {
	next, err := op.Graph.UpdateDelegatedAdminRelationship(op.Ctx, rel.ID, rel.ETag, patch)
	if partnercenter.IsPreconditionFailed(err) {
		fresh, readErr := op.Graph.GetDelegatedAdminRelationship(op.Ctx, rel.ID)
		if readErr != nil || fresh.Status != rel.Status {
			return nil, err
		}
		next, err = op.Graph.UpdateDelegatedAdminRelationship(op.Ctx, rel.ID, fresh.ETag, patch)
	}
	if err == nil && next == nil {
		// 202 or 204: the answer carries no relationship.
		next, err = op.Graph.GetDelegatedAdminRelationship(op.Ctx, rel.ID)
	}
	return next, err
}

// relAwaitRoles waits, within the update's time, until no operation of the
// relationship is still running and a read shows the roles.
func relAwaitRoles(op *shared.Operation, id string, roles []string) *partnercenter.DelegatedAdminRelationship {
	what := fmt.Sprintf("Removing the Global Administrator role from delegated admin relationship %s", id)
	for {
		operations, err := op.Graph.ListDelegatedAdminRelationshipOperations(op.Ctx, id)
		if err != nil {
			op.Fail(what+": listing its operations", err)
			return nil
		}
		running := slices.ContainsFunc(operations, func(o partnercenter.DelegatedAdminRelationshipOperation) bool {
			return o.Status == "notStarted" || o.Status == "running"
		})
		if !running {
			rel, err := op.Graph.GetDelegatedAdminRelationship(op.Ctx, id)
			if err != nil {
				op.Fail(what, err)
				return nil
			}
			if relSameRoles(rel.Roles, roles) {
				return rel
			}
			if i := slices.IndexFunc(operations, func(o partnercenter.DelegatedAdminRelationshipOperation) bool { return o.Status == "failed" }); i >= 0 {
				op.Diags.AddError("Role removal failed", fmt.Sprintf("%s: Graph's operation %s failed (%s); the "+
					"relationship still has roles %s.", what, operations[i].ID, operations[i].Data, strings.Join(rel.Roles, ", ")))
				return nil
			}
		}
		select {
		case <-op.Ctx.Done():
			op.Diags.AddError("Role removal not finished in time", fmt.Sprintf("%s: Graph accepted the change but did "+
				"not finish it within timeouts.update (%s). Run terraform plan later: its refresh shows the roles.", what, op.Timeout))
			return nil
		case <-time.After(relPollWait):
		}
	}
}

// Delete ends the relationship as its status allows: a DELETE while
// created, a termination (waited for) while active; one awaiting approval
// cannot be withdrawn, one expiring (past its end date) cannot be
// terminated, and one already ended needs nothing.
func (r *gdapRelationshipResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	shared.Delete(ctx, &r.ResourceBase, req, resp, func(op *shared.Operation, prior *gdapRelationshipModel) {
		if !op.RequireGraph() {
			return
		}
		id := prior.ID.ValueString()
		rel, err := op.Graph.GetDelegatedAdminRelationship(op.Ctx, id)
		if errors.Is(err, partnercenter.ErrNotFound) {
			return
		}
		if err != nil {
			op.Fail(fmt.Sprintf("Reading delegated admin relationship %s", id), err)
			return
		}
		switch status := rel.Status; {
		case status == partnercenter.RelationshipStatusCreated:
			err := op.Graph.DeleteDelegatedAdminRelationship(op.Ctx, id, rel.ETag)
			if partnercenter.IsPreconditionFailed(err) {
				if fresh, readErr := op.Graph.GetDelegatedAdminRelationship(op.Ctx, id); readErr == nil && fresh.Status == status {
					err = op.Graph.DeleteDelegatedAdminRelationship(op.Ctx, id, fresh.ETag)
				}
			}
			if err != nil && !errors.Is(err, partnercenter.ErrNotFound) {
				op.Fail(fmt.Sprintf("Deleting delegated admin relationship %s", id), err)
			}
		case status == partnercenter.RelationshipStatusActive:
			relTerminate(op, rel)
		case status == partnercenter.RelationshipStatusExpiring:
			// Graph's page: past its end date; terminate is for active ones.
			op.Diags.AddWarning("Relationship left to expire", fmt.Sprintf("The delegated admin relationship %q (%s) "+
				"is expiring: it has passed its end date, and Graph terminates only an active relationship. It is "+
				"removed from the state, with nothing sent, and ends as Graph expires it.", rel.DisplayName, id))
		case relAwaitingApproval(status):
			op.Diags.AddWarning("Relationship left awaiting approval", fmt.Sprintf("The delegated admin relationship %q "+
				"(%s) is in status %s. Graph deletes a relationship only while created and terminates it only while "+
				"active; no request withdraws one awaiting the customer's approval. It is removed from the state and "+
				"stays unapproved until it expires. Tell the customer not to approve it; if they do, import it and "+
				"destroy it again to terminate it.", rel.DisplayName, id, status))
		case relEnded(status):
		default:
			op.Diags.AddError("Relationship in an unknown status", fmt.Sprintf("The delegated admin relationship %s is in "+
				"status %q, which this provider does not know how to end. It stays in the state.", id, status))
		}
	})
}

// relTerminate requests the termination once (after an unknown outcome the
// status and request list say whether it was made) and waits, within the
// delete's time, for Graph to show it terminating or terminated.
func relTerminate(op *shared.Operation, rel *partnercenter.DelegatedAdminRelationship) {
	what := fmt.Sprintf("Terminating delegated admin relationship %q (%s)", rel.DisplayName, rel.ID)
	_, err := op.Graph.CreateDelegatedAdminRelationshipRequest(op.Ctx, rel.ID, partnercenter.ActionTerminate)
	if err != nil && (relRefusedOutright(err) || !relRequestMade(op, rel.ID, partnercenter.ActionTerminate)) {
		op.Fail(what, err)
		return
	}
	for {
		read, err := op.Graph.GetDelegatedAdminRelationship(op.Ctx, rel.ID)
		switch {
		case errors.Is(err, partnercenter.ErrNotFound):
			return
		case err != nil:
			op.Fail(what, err)
			return
		case read.Status == partnercenter.RelationshipStatusTerminating || read.Status == partnercenter.RelationshipStatusTerminated:
			return
		}
		select {
		case <-op.Ctx.Done():
			op.Diags.AddError("Termination not finished in time", fmt.Sprintf("%s: Graph accepted the termination but "+
				"still reports status %s after timeouts.delete (%s). Destroy again later.", what, read.Status, op.Timeout))
			return
		case <-time.After(relPollWait):
		}
	}
}

// ImportState takes a relationship's id, as the import ID or the
// identity's relationship_id; Read fills the rest.
func (r *gdapRelationshipResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, summary, ok := shared.ImportedID(ctx, req, &resp.Diagnostics, func(i *relIdentityModel) string { return i.RelationshipID.ValueString() })
	if !ok {
		return
	}
	id := strings.TrimSpace(given)
	if id == "" || strings.ContainsAny(id, "/?# ") {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("A delegated admin relationship is imported by its id, "+
			"such as 5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836, not %q.", given))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("allow_replacement"), false)...)
	resp.Diagnostics.Append(shared.SetIdentity(ctx, resp.Identity, gdapRelationshipModel{ID: types.StringValue(id)})...)
}

// relStateOf is the state for rel, Graph's answer or read, keeping base's
// spelling (the plan's or prior state's) where it means the same.
func relStateOf(base *gdapRelationshipModel, rel *partnercenter.DelegatedAdminRelationship) *gdapRelationshipModel {
	state := *base
	keep := func(old types.String, now string, same func(a, b string) bool) types.String {
		if !old.IsUnknown() && !old.IsNull() && same(old.ValueString(), now) {
			return old
		}
		return types.StringValue(now)
	}
	state.ID = keep(base.ID, rel.ID, strings.EqualFold)
	state.DisplayName = keep(base.DisplayName, rel.DisplayName, strings.EqualFold)
	state.Duration = keep(base.Duration, rel.Duration, relSameDuration)
	autoExtend := rel.AutoExtendDuration
	if autoExtend == "" {
		autoExtend = "PT0S" // Graph's default
	}
	state.AutoExtend = keep(base.AutoExtend, autoExtend, relSameAutoExtend)
	state.CustomerID, state.CustomerDisplayName = types.StringNull(), types.StringNull()
	if c := rel.Customer; c != nil {
		state.CustomerID = keep(base.CustomerID, c.TenantID, strings.EqualFold)
		if c.DisplayName != "" {
			state.CustomerDisplayName = types.StringValue(c.DisplayName) // Microsoft Entra ID's, read-only
		}
	}
	planned := relRolesOf(base.Roles)
	roles := make([]attr.Value, 0, len(rel.Roles))
	for _, role := range rel.Roles {
		if i := slices.IndexFunc(planned, func(p string) bool { return strings.EqualFold(p, role) }); i >= 0 {
			role = planned[i]
		}
		roles = append(roles, types.StringValue(role))
	}
	state.Roles = types.SetValueMust(types.StringType, roles)
	if state.AllowReplacement.IsNull() || state.AllowReplacement.IsUnknown() {
		state.AllowReplacement = types.BoolValue(false)
	}
	state.Status = types.StringValue(rel.Status)
	state.ApprovalURL = types.StringValue(relApprovalURLPrefix + rel.ID)
	date := func(t *time.Time) types.String {
		if t == nil {
			return types.StringNull()
		}
		return types.StringValue(t.UTC().Format(time.RFC3339))
	}
	state.CreatedDateTime, state.ActivatedDateTime = date(rel.CreatedDateTime), date(rel.ActivatedDateTime)
	state.EndDateTime, state.LastModifiedDateTime = date(rel.EndDateTime), date(rel.LastModifiedDateTime)
	return &state
}

// relRolesOf is a set of role ids as strings; nil when it is not known.
func relRolesOf(set types.Set) []string {
	if set.IsNull() || set.IsUnknown() {
		return nil
	}
	var out []string
	for _, v := range set.Elements() {
		if s, ok := v.(types.String); ok && !s.IsUnknown() && !s.IsNull() {
			out = append(out, s.ValueString())
		}
	}
	return out
}

func relSameRoles(a, b []string) bool {
	lower := func(list []string) []string {
		out := make([]string, len(list))
		for i, s := range list {
			out[i] = strings.ToLower(s)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(lower(a), lower(b))
}

// relCustomerOf is the customer a model names, nil for any customer; its
// display name is Microsoft Entra ID's to set, never sent.
func relCustomerOf(m *gdapRelationshipModel) *partnercenter.DelegatedAdminCustomer {
	if m.CustomerID.IsNull() || m.CustomerID.IsUnknown() {
		return nil
	}
	return &partnercenter.DelegatedAdminCustomer{TenantID: m.CustomerID.ValueString()}
}

// relDifferences names how rel differs from the model in what defines a
// relationship: the customer, the roles, the duration and the
// auto-extension. Unknown values differ from nothing.
func relDifferences(m *gdapRelationshipModel, rel *partnercenter.DelegatedAdminRelationship) []string {
	var out []string
	tenant := ""
	if rel.Customer != nil {
		tenant = rel.Customer.TenantID
	}
	if c := m.CustomerID; !c.IsUnknown() && !c.IsNull() && !strings.EqualFold(c.ValueString(), tenant) {
		out = append(out, fmt.Sprintf("customer_id is %q, the relationship's customer %q", c.ValueString(), tenant))
	}
	if roles := relRolesOf(m.Roles); !m.Roles.IsUnknown() && !relSameRoles(roles, rel.Roles) {
		out = append(out, fmt.Sprintf("roles are [%s], the relationship's [%s]", strings.Join(roles, ", "), strings.Join(rel.Roles, ", ")))
	}
	if d := m.Duration; !d.IsUnknown() && !relSameDuration(d.ValueString(), rel.Duration) {
		out = append(out, fmt.Sprintf("duration is %q, the relationship's %q", d.ValueString(), rel.Duration))
	}
	if a := m.AutoExtend; !a.IsUnknown() && !relSameAutoExtend(a.ValueString(), rel.AutoExtendDuration) {
		out = append(out, fmt.Sprintf("auto_extend is %q, the relationship's %q", a.ValueString(), rel.AutoExtendDuration))
	}
	return out
}

func relOrNone(differences []string) string {
	if len(differences) == 0 {
		return "no difference in customer, roles, duration or auto-extension"
	}
	return strings.Join(differences, "; ")
}
