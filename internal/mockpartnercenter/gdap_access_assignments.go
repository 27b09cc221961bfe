package mockpartnercenter

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Routes of a relationship's access assignments.
const (
	RouteGDAPAccessAssignments Route = "gdap_access_assignments"
	RouteGDAPAccessAssignment  Route = "gdap_access_assignment"
)

func init() {
	list, one := gdapRelationshipPath+"/accessAssignments", gdapRelationshipPath+"/accessAssignments/{assignmentID}"
	exList := gdapExample + "/accessAssignments"
	graphRoutes = append(graphRoutes,
		apiRoute{RouteGDAPAccessAssignments, "GET " + list, exList, gdapHandler(false, gdapAssignments)},
		apiRoute{RouteGDAPAccessAssignments, "POST " + list, exList, gdapHandler(true, gdapAssignmentCreate)},
		apiRoute{RouteGDAPAccessAssignment, "GET " + one, exList + "/" + exampleUnknownID, gdapHandler(false, gdapAssignment(gdapAssignmentGet))},
		apiRoute{RouteGDAPAccessAssignment, "PATCH " + one, exList + "/" + exampleUnknownID, gdapHandler(true, gdapAssignment(gdapAssignmentPatch))},
		apiRoute{RouteGDAPAccessAssignment, "DELETE " + one, exList + "/" + exampleUnknownID, gdapHandler(true, gdapAssignment(gdapAssignmentDelete))})
}

// readAssignment counts a read: pending turns active after
// SetGDAPAssignmentsPending's reads, deleting turns deleted, and a deleted
// assignment is gone on the read after (false).
func (s *Server) readAssignment(rel *gdapRelationship, a *gdapObject) bool {
	a.reads++
	switch str(a.doc, "status") {
	case "pending":
		if a.reads > s.gdap.pendingReads {
			a.doc["status"] = "active"
			touch(a.doc)
		}
	case "deleting":
		a.doc["status"] = "deleted"
		touch(a.doc)
	case "deleted":
		rel.assignments = slices.DeleteFunc(rel.assignments, func(o *gdapObject) bool { return o == a })
		return false
	}
	return true
}

// gdapAssignment finds the path's assignment (404 when unknown) for f.
func gdapAssignment(f func(*Server, gdapCall, *gdapObject) answer) func(*Server, gdapCall) answer {
	return func(s *Server, c gdapCall) answer {
		for _, a := range c.rel.assignments {
			if strings.EqualFold(str(a.doc, "id"), c.r.PathValue("assignmentID")) {
				return f(s, c, a)
			}
		}
		return c.err(http.StatusNotFound, "The access assignment %s was not found.", sanitize(c.r.PathValue("assignmentID")))
	}
}

// checkAssignmentRoles: an assignment's roles are among its relationship's.
func checkAssignmentRoles(c gdapCall) answer {
	ids, all := roles(c.body), roles(c.rel.doc)
	if len(ids) == 0 || slices.ContainsFunc(ids, func(id string) bool { return !slices.Contains(all, id) }) {
		return c.err(http.StatusBadRequest, "The accessDetails must name roles of the relationship: %s.", strings.Join(all, ", "))
	}
	return answer{}
}

func gdapAssignments(s *Server, c gdapCall) answer {
	list := []any{}
	for _, a := range slices.Clone(c.rel.assignments) {
		if s.readAssignment(c.rel, a) {
			list = append(list, a.doc)
		}
	}
	return jsonAnswer(http.StatusOK, map[string]any{"value": list})
}

func gdapAssignmentGet(s *Server, c gdapCall, a *gdapObject) answer {
	if !s.readAssignment(c.rel, a) {
		return c.err(http.StatusNotFound, "The access assignment %s was not found.", str(a.doc, "id"))
	}
	return jsonAnswer(http.StatusOK, a.doc)
}

func gdapAssignmentCreate(_ *Server, c gdapCall) answer {
	if st := str(c.rel.doc, "status"); st != "active" {
		return c.err(http.StatusBadRequest, "Access assignments need an active relationship; this one is '%s'.", st)
	}
	container, _ := c.body["accessContainer"].(map[string]any)
	group := str(container, "accessContainerId")
	if group == "" || str(container, "accessContainerType") != "securityGroup" {
		return c.err(http.StatusBadRequest, "The accessContainer must name a securityGroup.")
	}
	if a := checkAssignmentRoles(c); a.status != 0 {
		return a
	}
	for _, a := range c.rel.assignments {
		if other, _ := a.doc["accessContainer"].(map[string]any); strings.EqualFold(str(other, "accessContainerId"), group) {
			// Inferred: partners' tools keep one assignment per group and no
			// page documents the answer; 409 as for a duplicate name.
			return c.err(http.StatusConflict, "The security group %s already has an access assignment in this relationship.", sanitize(group))
		}
	}
	doc := touch(map[string]any{"@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment", "id": uuid.NewString(),
		"status": "pending", "createdDateTime": graphNow(), "accessDetails": accessDetails(roles(c.body)),
		"accessContainer": map[string]any{"accessContainerId": group, "accessContainerType": "securityGroup"}})
	c.rel.assignments = append(c.rel.assignments, &gdapObject{doc: doc})
	a := jsonAnswer(http.StatusCreated, doc)
	a.location = c.link(str(c.rel.doc, "id"), "accessAssignments", str(doc, "id"))
	return a
}

// gdapAssignmentPatch: the update page answers 200 with the object when
// nothing changes, else 202 with a Location naming an operation; the mock
// applies the change at once and lists the operation as succeeded.
func gdapAssignmentPatch(s *Server, c gdapCall, a *gdapObject) answer {
	if s.gdap.stalePatches > 0 {
		s.gdap.stalePatches--
		touch(a.doc)
	}
	if ans := checkETag(c, a.doc); ans.status != 0 {
		return ans
	}
	if ans := checkAssignmentRoles(c); ans.status != 0 {
		return ans
	}
	if slices.Equal(roles(c.body), roles(a.doc)) {
		return jsonAnswer(http.StatusOK, a.doc)
	}
	a.doc["accessDetails"] = accessDetails(roles(c.body))
	touch(a.doc)
	op := c.rel.addOperation("delegatedAdminAccessAssignmentUpdate", "succeeded", c.body)
	c.h.Set("Retry-After", "10")
	return answer{status: http.StatusAccepted, location: c.link(str(c.rel.doc, "id"), "operations", str(op, "id"))}
}

func gdapAssignmentDelete(_ *Server, c gdapCall, a *gdapObject) answer {
	// Inferred, as for a creation: no page says what an ended relationship's
	// assignments answer.
	if st := str(c.rel.doc, "status"); st != "active" {
		return c.err(http.StatusBadRequest, "Access assignments change only in an active relationship; this one is '%s'.", st)
	}
	if ans := checkETag(c, a.doc); ans.status != 0 {
		return ans
	}
	a.doc["status"] = "deleting"
	touch(a.doc)
	return answer{status: http.StatusNoContent}
}

// gdapControl runs f on relationship id under s.mu.
func (s *Server) gdapControl(id string, f func(*gdapRelationship) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rel := s.gdap.rels[strings.ToLower(id)]; rel != nil {
		return f(rel)
	}
	return errors.New("mockpartnercenter: no such delegated admin relationship " + id)
}

// ApproveGDAPRelationship is the customer's approval: approvalPending ->
// active, with activatedDateTime now, endDateTime = activated + duration,
// and the documented customer as the tenant when none was named. The
// customer's displayName becomes the tenant's own (Microsoft Entra ID sets
// it): the company name of a customer the mock knows, else a name of its
// own.
func (s *Server) ApproveGDAPRelationship(id string) error {
	return s.gdapControl(id, func(rel *gdapRelationship) error {
		if st := str(rel.doc, "status"); st != "approvalPending" {
			return fmt.Errorf("mockpartnercenter: relationship %s is %s, not approvalPending", id, st)
		}
		c, _ := rel.doc["customer"].(map[string]any)
		tenant := cmp.Or(str(c, "tenantId"), DocumentedCustomerID)
		name := "Tenant " + tenant // not a name the partner could have guessed
		if known, ok := s.customers[customerKey(tenant)]; ok {
			name = cmp.Or(stringAt(known.doc, "companyProfile", "companyName"), name)
		}
		rel.doc["customer"] = map[string]any{"tenantId": tenant, "displayName": name}
		now := time.Now().UTC()
		rel.doc["status"], rel.doc["activatedDateTime"] = "active", now.Format(time.RFC3339Nano)
		rel.doc["endDateTime"] = now.AddDate(0, 0, durationDays(str(rel.doc, "duration"))).Format(time.RFC3339Nano)
		touch(rel.doc)
		return nil
	})
}

// SetGDAPRelationshipStatus sets a relationship's status, as an expiry or a
// termination outside Terraform would.
func (s *Server) SetGDAPRelationshipStatus(id, status string) error {
	return s.gdapControl(id, func(rel *gdapRelationship) error { rel.doc["status"] = status; touch(rel.doc); return nil })
}

// GDAPRelationships returns the stored relationships as Graph serves them.
func (s *Server) GDAPRelationships() []map[string]any {
	return withLock(s, func() []map[string]any {
		out := []map[string]any{}
		for _, k := range s.gdap.order {
			out = append(out, clone(s.gdap.rels[k].doc))
		}
		return out
	})
}

// GDAPAccessAssignments returns a relationship's stored access assignments.
func (s *Server) GDAPAccessAssignments(relationshipID string) []map[string]any {
	out := []map[string]any{}
	_ = s.gdapControl(relationshipID, func(rel *gdapRelationship) error {
		for _, a := range rel.assignments {
			out = append(out, clone(a.doc))
		}
		return nil
	})
	return out
}

// AddGDAPRelationship seeds a relationship (status "created" unless obj
// says otherwise), checked as a create would be.
func (s *Server) AddGDAPRelationship(obj map[string]any) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := clone(obj)
	for k, v := range map[string]string{"id": uuid.NewString() + "-" + uuid.NewString(), "status": "created",
		"autoExtendDuration": "PT0S", "createdDateTime": graphNow()} {
		doc[k] = cmp.Or(str(doc, k), v)
	}
	c := gdapCall{h: http.Header{}}
	if a := s.checkRelationshipLocked(c, doc); a.status != 0 || s.gdap.rels[strings.ToLower(str(doc, "id"))] != nil {
		return "", fmt.Errorf("mockpartnercenter: relationship refused: %s", cmp.Or(string(a.body), "its id exists"))
	}
	s.putRelLocked(touch(doc))
	return str(doc, "id"), nil
}

// SetGDAPAssignmentsPending makes new access assignments stay pending for n
// reads before they are active.
func (s *Server) SetGDAPAssignmentsPending(n int) {
	s.locked(func() { s.gdap.pendingReads = max(n, 0) })
}

// SetGDAPStalePatches makes the next n PATCHes of an access assignment find
// its etag changed just before they are checked, as a change made by
// someone else between the client's read and its write would.
func (s *Server) SetGDAPStalePatches(n int) {
	s.locked(func() { s.gdap.stalePatches = max(n, 0) })
}

// SetGDAPAccessAssignmentStatus sets an access assignment's status, as
// Graph does when it cannot apply one (`error`).
func (s *Server) SetGDAPAccessAssignmentStatus(relationshipID, id, status string) error {
	return s.gdapControl(relationshipID, func(rel *gdapRelationship) error {
		for _, a := range rel.assignments {
			if strings.EqualFold(str(a.doc, "id"), id) {
				a.doc["status"] = status
				touch(a.doc)
				return nil
			}
		}
		return errors.New("mockpartnercenter: no such access assignment " + id)
	})
}
