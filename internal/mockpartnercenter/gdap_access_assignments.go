package mockpartnercenter

import (
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

const (
	gdapAssignmentsPath   = gdapRelationshipPath + "/accessAssignments"
	gdapAssignmentPath    = gdapAssignmentsPath + "/{assignmentID}"
	exampleAssignments    = gdapRelationshipsPath + "/" + exampleUnknownID + "/accessAssignments"
	exampleAssignmentPath = exampleAssignments + "/" + exampleUnknownID
)

var _ = declareGraphRoutes(
	apiRoute{RouteGDAPAccessAssignments, "GET " + gdapAssignmentsPath, exampleAssignments, (*Server).serveGDAPAssignments},
	apiRoute{RouteGDAPAccessAssignments, "POST " + gdapAssignmentsPath, exampleAssignments, (*Server).serveGDAPAssignmentCreate},
	apiRoute{RouteGDAPAccessAssignment, "GET " + gdapAssignmentPath, exampleAssignmentPath, (*Server).serveGDAPAssignment},
	apiRoute{RouteGDAPAccessAssignment, "PATCH " + gdapAssignmentPath, exampleAssignmentPath, (*Server).serveGDAPAssignmentPatch},
	apiRoute{RouteGDAPAccessAssignment, "DELETE " + gdapAssignmentPath, exampleAssignmentPath, (*Server).serveGDAPAssignmentDelete},
)

var errAssignmentNotFound = graphAnswer(http.StatusNotFound, "ResourceNotFound", "The delegated admin access assignment was not found.")

// readAssignmentLocked counts a read: pending turns active after
// SetGDAPAssignmentsPending's reads, deleting turns deleted, and a deleted
// assignment is gone on the read after.
func (s *Server) readAssignmentLocked(rel *gdapRelationship, a *gdapObject) (map[string]any, bool) {
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
		return nil, false
	}
	return a.doc, true
}

// assignmentLocked finds the request's relationship and assignment.
func (s *Server) assignmentLocked(r *http.Request) (*gdapRelationship, *gdapObject, answer) {
	rel := s.relLocked(r.PathValue("relationshipID"))
	if rel == nil {
		return nil, nil, errRelNotFound
	}
	for _, a := range rel.assignments {
		if strings.EqualFold(str(a.doc, "id"), r.PathValue("assignmentID")) {
			return rel, a, answer{}
		}
	}
	return rel, nil, errAssignmentNotFound
}

// checkAssignmentRoles: an assignment's roles are a subset of its
// relationship's (the resource page's accessDetails).
func checkAssignmentRoles(rel *gdapRelationship, ids []string) (answer, bool) {
	if len(ids) == 0 {
		return graphAnswer(http.StatusBadRequest, "BadRequest", "The accessDetails must name at least one role."), false
	}
	for _, id := range ids {
		if !slices.Contains(roles(rel.doc), id) {
			return graphAnswer(http.StatusBadRequest, "BadRequest", "The role '"+sanitize(id)+"' is not part of the delegated admin relationship."), false
		}
	}
	return answer{}, true
}

func (s *Server) serveGDAPAssignments(w http.ResponseWriter, r *http.Request) {
	s.graphRead(w, r, func() answer {
		rel := s.relLocked(r.PathValue("relationshipID"))
		if rel == nil {
			return errRelNotFound
		}
		list := []any{}
		for _, a := range slices.Clone(rel.assignments) {
			if doc, ok := s.readAssignmentLocked(rel, a); ok {
				list = append(list, doc)
			}
		}
		return jsonAnswer(http.StatusOK, map[string]any{"value": list})
	})
}

func (s *Server) serveGDAPAssignment(w http.ResponseWriter, r *http.Request) {
	s.graphRead(w, r, func() answer {
		rel, a, miss := s.assignmentLocked(r)
		if a == nil {
			return miss
		}
		doc, ok := s.readAssignmentLocked(rel, a)
		if !ok {
			return errAssignmentNotFound
		}
		return jsonAnswer(http.StatusOK, doc)
	})
}

func (s *Server) serveGDAPAssignmentCreate(w http.ResponseWriter, r *http.Request) {
	body := readBody(r)
	s.graphWrite(w, r, func() answer {
		rel := s.relLocked(r.PathValue("relationshipID"))
		if rel == nil {
			return errRelNotFound
		}
		if st := str(rel.doc, "status"); st != "active" {
			return graphAnswer(http.StatusBadRequest, "BadRequest", "Access assignments can only be created on an active relationship; it is '"+st+"'.")
		}
		container, _ := body["accessContainer"].(map[string]any)
		group := str(container, "accessContainerId")
		if group == "" || str(container, "accessContainerType") != "securityGroup" {
			return graphAnswer(http.StatusBadRequest, "BadRequest", "The accessContainer must name a securityGroup.")
		}
		if a, ok := checkAssignmentRoles(rel, roles(body)); !ok {
			return a
		}
		for _, a := range rel.assignments {
			if c, _ := a.doc["accessContainer"].(map[string]any); strings.EqualFold(str(c, "accessContainerId"), group) && str(a.doc, "status") != "deleted" {
				// Inferred: partners' tools keep one assignment per group and
				// no page documents the answer; 409 as for a duplicate name.
				return graphAnswer(http.StatusConflict, "Conflict", "The security group '"+sanitize(group)+"' already has an access assignment in this relationship.")
			}
		}
		doc := map[string]any{"@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment", "id": uuid.NewString(), "status": "pending",
			"createdDateTime": graphNow(), "accessContainer": map[string]any{"accessContainerId": group, "accessContainerType": "securityGroup"},
			"accessDetails": accessDetails(roles(body))}
		touch(doc)
		rel.assignments = append(rel.assignments, &gdapObject{doc: doc})
		a := jsonAnswer(http.StatusCreated, doc)
		a.location = "http://" + r.Host + gdapRelationshipsPath + "/" + str(rel.doc, "id") + "/accessAssignments/" + str(doc, "id")
		return a
	})
}

// serveGDAPAssignmentPatch: the update page answers 200 with the object when
// nothing changes, else 202 with a Location naming an operation; the mock
// applies the change at once and lists the operation as succeeded.
func (s *Server) serveGDAPAssignmentPatch(w http.ResponseWriter, r *http.Request) {
	body := readBody(r)
	s.graphWrite(w, r, func() answer {
		rel, a, miss := s.assignmentLocked(r)
		if a == nil {
			return miss
		}
		if ans, ok := checkETag(r, a.doc); !ok {
			return ans
		}
		if ans, ok := checkAssignmentRoles(rel, roles(body)); !ok {
			return ans
		}
		if slices.Equal(roles(body), roles(a.doc)) {
			return jsonAnswer(http.StatusOK, a.doc)
		}
		a.doc["accessDetails"] = accessDetails(roles(body))
		touch(a.doc)
		op := map[string]any{"@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation", "id": uuid.NewString(),
			"operationType": "delegatedAdminAccessAssignmentUpdate", "status": "succeeded", "data": string(mustJSON(body)), "createdDateTime": graphNow()}
		touch(op)
		rel.operations = append(rel.operations, &gdapObject{doc: op, reads: 2})
		w.Header().Set("Retry-After", "10")
		return answer{status: http.StatusAccepted, location: "http://" + r.Host + gdapRelationshipsPath + "/" + str(rel.doc, "id") + "/operations/" + str(op, "id")}
	})
}

func (s *Server) serveGDAPAssignmentDelete(w http.ResponseWriter, r *http.Request) {
	s.graphWrite(w, r, func() answer {
		_, a, miss := s.assignmentLocked(r)
		if a == nil {
			return miss
		}
		if ans, ok := checkETag(r, a.doc); !ok {
			return ans
		}
		a.doc["status"] = "deleting"
		touch(a.doc)
		return answer{status: http.StatusNoContent}
	})
}

// errNoRelationship is the test controls' error for an unknown id.
var errNoRelationship = errors.New("mockpartnercenter: no such delegated admin relationship")

// ApproveGDAPRelationship is the customer's approval: approvalPending ->
// active, with activatedDateTime now, endDateTime = activated + duration,
// and the documented customer as the tenant when none was named.
func (s *Server) ApproveGDAPRelationship(id string) error {
	return withLock(s, func() error {
		rel := s.relLocked(id)
		if rel == nil {
			return errNoRelationship
		}
		if st := str(rel.doc, "status"); st != "approvalPending" {
			return fmt.Errorf("mockpartnercenter: relationship %s is %s, not approvalPending", id, st)
		}
		if c, _ := rel.doc["customer"].(map[string]any); str(c, "tenantId") == "" {
			rel.doc["customer"] = map[string]any{"tenantId": DocumentedCustomerID, "displayName": "Documented customer"}
		}
		m := durationRE.FindStringSubmatch(str(rel.doc, "duration"))
		days := 0
		if m != nil {
			_, _ = fmt.Sscan(m[1], &days)
			if m[2] == "Y" {
				days *= 365
			}
		}
		now := time.Now().UTC()
		rel.doc["status"], rel.doc["activatedDateTime"] = "active", now.Format(time.RFC3339Nano)
		rel.doc["endDateTime"] = now.AddDate(0, 0, days).Format(time.RFC3339Nano)
		touch(rel.doc)
		return nil
	})
}

// SetGDAPRelationshipStatus sets a relationship's status, as an expiry or a
// termination outside Terraform would.
func (s *Server) SetGDAPRelationshipStatus(id, status string) error {
	return withLock(s, func() error {
		rel := s.relLocked(id)
		if rel == nil {
			return errNoRelationship
		}
		rel.doc["status"] = status
		touch(rel.doc)
		return nil
	})
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
	return withLock(s, func() []map[string]any {
		out := []map[string]any{}
		if rel := s.relLocked(relationshipID); rel != nil {
			for _, a := range rel.assignments {
				out = append(out, clone(a.doc))
			}
		}
		return out
	})
}

// AddGDAPRelationship seeds a relationship (status "created" unless obj
// says otherwise), checked as a create would be.
func (s *Server) AddGDAPRelationship(obj map[string]any) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	{
		doc := clone(obj)
		doc["id"] = cmpStr(str(doc, "id"), uuid.NewString()+"-"+uuid.NewString())
		doc["status"] = cmpStr(str(doc, "status"), "created")
		doc["autoExtendDuration"] = cmpStr(str(doc, "autoExtendDuration"), "PT0S")
		doc["createdDateTime"] = cmpStr(str(doc, "createdDateTime"), graphNow())
		if a, ok := s.checkRelationshipLocked(doc, str(doc, "id")); !ok || s.relLocked(str(doc, "id")) != nil {
			return "", fmt.Errorf("mockpartnercenter: relationship refused: %d %s", a.status, a.body)
		}
		touch(doc)
		s.putRelLocked(doc)
		return str(doc, "id"), nil
	}
}

// SetGDAPAssignmentsPending makes new access assignments stay pending for n
// reads before they are active.
func (s *Server) SetGDAPAssignmentsPending(n int) {
	s.locked(func() { s.gdap.pendingReads = max(n, 0) })
}
