package mockpartnercenter

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Routes of Microsoft Graph's GDAP API (tenantRelationships).
const (
	RouteGDAPRelationships          Route = "gdap_relationships"
	RouteGDAPRelationship           Route = "gdap_relationship"
	RouteGDAPRelationshipRequests   Route = "gdap_relationship_requests"
	RouteGDAPRelationshipOperations Route = "gdap_relationship_operations"
)

const (
	gdapRelationshipsPath = "/v1.0/tenantRelationships/delegatedAdminRelationships"
	gdapRelationshipPath  = gdapRelationshipsPath + "/{relationshipID}"
	// globalAdministrator is the Global Administrator role template id:
	// it cannot auto-extend, and removing it is the one role change allowed
	// on an active relationship.
	globalAdministrator = "62e90394-69f5-4237-9190-012177145e10"
	gdapMaxPage         = 300 // the list page: "$top supports up to 300 objects"
	gdapDefaultPage     = 100 // inferred: no page states the default
)

var _ = declareGraphRoutes(
	apiRoute{RouteGDAPRelationships, "GET " + gdapRelationshipsPath, gdapRelationshipsPath, (*Server).serveGDAPList},
	apiRoute{RouteGDAPRelationships, "POST " + gdapRelationshipsPath, gdapRelationshipsPath, (*Server).serveGDAPCreate},
	apiRoute{RouteGDAPRelationship, "GET " + gdapRelationshipPath, gdapRelationshipsPath + "/" + exampleUnknownID, (*Server).serveGDAPGet},
	apiRoute{RouteGDAPRelationship, "PATCH " + gdapRelationshipPath, gdapRelationshipsPath + "/" + exampleUnknownID, (*Server).serveGDAPPatch},
	apiRoute{RouteGDAPRelationship, "DELETE " + gdapRelationshipPath, gdapRelationshipsPath + "/" + exampleUnknownID, (*Server).serveGDAPDelete},
	apiRoute{RouteGDAPRelationshipRequests, "GET " + gdapRelationshipPath + "/requests", gdapRelationshipsPath + "/" + exampleUnknownID + "/requests", (*Server).serveGDAPRequests},
	apiRoute{RouteGDAPRelationshipRequests, "POST " + gdapRelationshipPath + "/requests", gdapRelationshipsPath + "/" + exampleUnknownID + "/requests", (*Server).serveGDAPRequestCreate},
	apiRoute{RouteGDAPRelationshipOperations, "GET " + gdapRelationshipPath + "/operations", gdapRelationshipsPath + "/" + exampleUnknownID + "/operations", (*Server).serveGDAPOperations},
)

// gdapObject is a stored Graph object, as served, and the reads it has
// seen, which move its status along.
type gdapObject struct {
	doc   map[string]any
	reads int
}

type gdapRelationship struct {
	gdapObject
	requests, operations []*gdapObject
	assignments          []*gdapObject
	pendingOp            []string // the roles a running operation leaves
}

type gdapState struct {
	rels         map[string]*gdapRelationship // by lower-case id
	order        []string
	pendingReads int // reads an access assignment stays pending
}

func newGDAPState() gdapState { return gdapState{rels: map[string]*gdapRelationship{}} }

// graphAnswer is an error answer in Graph's shape, built under s.mu.
func graphAnswer(status int, code, message string) answer {
	return answer{status: status, body: graphErrorBody(http.Header{}, code, message)}
}

// graphWrite runs a write route: faults first (AfterCommit and
// FaultDropConnection commit the write, then answer), then the write.
func (s *Server) graphWrite(w http.ResponseWriter, r *http.Request, writeLocked func() answer) {
	run := func() answer { return withLock(s, writeLocked) }
	if s.applyFault(w, r, "", routeFaults{commit: func() { run() }}) {
		return
	}
	writeGraphAnswer(w, run())
}

// graphRead runs a read route after the faults.
func (s *Server) graphRead(w http.ResponseWriter, r *http.Request, readLocked func() answer) {
	if !s.applyFault(w, r, "", routeFaults{}) {
		writeGraphAnswer(w, withLock(s, readLocked))
	}
}

// writeGraphAnswer sends a; an error is given this response's request ids.
func writeGraphAnswer(w http.ResponseWriter, a answer) {
	if a.status >= 400 && a.body != nil {
		var e graphError
		_ = json.Unmarshal(a.body, &e)
		writeGraphError(w, a.status, e.Error.Code, e.Error.Message)
		return
	}
	a.write(w)
}

func newGraphETag() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return `W/"` + base64.StdEncoding.EncodeToString(b) + `"`
}

func graphNow() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// touch gives a written object a new etag and modification time.
func touch(doc map[string]any) {
	doc["@odata.etag"] = newGraphETag()
	doc["lastModifiedDateTime"] = graphNow()
}

func clone(doc map[string]any) map[string]any {
	b, _ := json.Marshal(doc)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

func str(doc map[string]any, key string) string { v, _ := doc[key].(string); return v }

// roles reads accessDetails.unifiedRoles[].roleDefinitionId.
func roles(doc map[string]any) []string {
	ad, _ := doc["accessDetails"].(map[string]any)
	list, _ := ad["unifiedRoles"].([]any)
	var out []string
	for _, r := range list {
		m, _ := r.(map[string]any)
		out = append(out, str(m, "roleDefinitionId"))
	}
	return out
}

func accessDetails(ids []string) map[string]any {
	list := make([]any, len(ids))
	for i, id := range ids {
		list[i] = map[string]any{"roleDefinitionId": id}
	}
	return map[string]any{"unifiedRoles": list}
}

func (s *Server) relLocked(id string) *gdapRelationship { return s.gdap.rels[strings.ToLower(id)] }

var errRelNotFound = graphAnswer(http.StatusNotFound, "ResourceNotFound", "The delegated admin relationship was not found.")

// readBody decodes a JSON object body; nil when it is not one.
func readBody(r *http.Request) map[string]any {
	var m map[string]any
	if json.NewDecoder(io.LimitReader(r.Body, maxRecordedBody)).Decode(&m) != nil {
		return nil
	}
	return m
}

var durationRE = regexp.MustCompile(`^P(\d+)([DY])$`)

// validDuration: "between P1D and P2Y inclusive" (create and update pages).
func validDuration(d string) bool {
	m := durationRE.FindStringSubmatch(d)
	if m == nil {
		return false
	}
	n, _ := strconv.Atoi(m[1])
	if m[2] == "Y" {
		n *= 365
	}
	return n >= 1 && n <= 730
}

// checkRelationship validates a relationship as it would be stored.
func (s *Server) checkRelationshipLocked(doc map[string]any, id string) (answer, bool) {
	name := str(doc, "displayName")
	switch {
	case name == "" || len([]rune(name)) > 50:
		return graphAnswer(http.StatusBadRequest, "BadRequest", "The displayName is required and must be at most 50 characters."), false
	case !validDuration(str(doc, "duration")):
		return graphAnswer(http.StatusBadRequest, "BadRequest", "The duration must be between P1D and P2Y inclusive."), false
	case len(roles(doc)) == 0:
		return graphAnswer(http.StatusBadRequest, "BadRequest", "The accessDetails must name at least one role."), false
	case !slices.Contains([]string{"PT0S", "P0D", "P180D"}, str(doc, "autoExtendDuration")):
		return graphAnswer(http.StatusBadRequest, "BadRequest", "The autoExtendDuration must be PT0S, P0D or P180D."), false
	case str(doc, "autoExtendDuration") == "P180D" && slices.Contains(roles(doc), globalAdministrator):
		return graphAnswer(http.StatusBadRequest, "BadRequest", "A relationship with the Global Administrator role cannot auto-extend."), false
	}
	for _, k := range s.gdap.order {
		if other := s.gdap.rels[k]; k != strings.ToLower(id) && strings.EqualFold(str(other.doc, "displayName"), name) {
			// Graph's answer to a duplicate name is documented nowhere
			// found; 409 is the conflict's status by HTTP's rules.
			return graphAnswer(http.StatusConflict, "Conflict", "A delegated admin relationship named '"+name+"' already exists."), false
		}
	}
	return answer{}, true
}

func (s *Server) serveGDAPCreate(w http.ResponseWriter, r *http.Request) {
	body := readBody(r)
	s.graphWrite(w, r, func() answer {
		if body == nil {
			return graphAnswer(http.StatusBadRequest, "BadRequest", "The request body is not a JSON object.")
		}
		doc := map[string]any{"@odata.type": "#microsoft.graph.delegatedAdminRelationship", "id": uuid.NewString() + "-" + uuid.NewString(),
			"displayName": body["displayName"], "duration": body["duration"], "customer": body["customer"],
			"accessDetails": accessDetails(roles(body)), "status": "created", "autoExtendDuration": cmpStr(str(body, "autoExtendDuration"), "PT0S"),
			"createdDateTime": graphNow(), "activatedDateTime": nil, "endDateTime": nil}
		if a, ok := s.checkRelationshipLocked(doc, ""); !ok {
			return a
		}
		touch(doc)
		s.putRelLocked(doc)
		a := jsonAnswer(http.StatusCreated, doc)
		a.location = "http://" + r.Host + gdapRelationshipsPath + "/" + str(doc, "id")
		return a
	})
}

func cmpStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (s *Server) putRelLocked(doc map[string]any) {
	id := strings.ToLower(str(doc, "id"))
	s.gdap.rels[id] = &gdapRelationship{gdapObject: gdapObject{doc: doc}}
	s.gdap.order = append(s.gdap.order, id)
}

// readRelLocked counts a read and moves a termination along: Graph shows
// terminationRequested, then terminating, then terminated.
func readRelLocked(rel *gdapRelationship) map[string]any {
	switch str(rel.doc, "status") {
	case "terminationRequested":
		rel.doc["status"] = "terminating"
	case "terminating":
		rel.doc["status"] = "terminated"
		rel.doc["endDateTime"] = graphNow()
	default:
		return rel.doc
	}
	touch(rel.doc)
	return rel.doc
}

func (s *Server) serveGDAPGet(w http.ResponseWriter, r *http.Request) {
	s.graphRead(w, r, func() answer {
		rel := s.relLocked(r.PathValue("relationshipID"))
		if rel == nil {
			return errRelNotFound
		}
		return jsonAnswer(http.StatusOK, readRelLocked(rel))
	})
}

// gdapFilterRE reads the $filter forms the mock knows: equality on status,
// displayName and customer/tenantId, joined by "and".
var gdapFilterRE = regexp.MustCompile(`^(status|displayName|customer/tenantId) eq '((?:[^']|'')*)'$`)

func (s *Server) serveGDAPList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.graphRead(w, r, func() answer {
		conds := map[string]string{}
		if f := q.Get("$filter"); f != "" {
			for _, part := range strings.Split(f, " and ") {
				m := gdapFilterRE.FindStringSubmatch(strings.TrimSpace(part))
				if m == nil {
					return graphAnswer(http.StatusBadRequest, "BadRequest", "Invalid filter clause: "+sanitize(part))
				}
				conds[m[1]] = strings.ReplaceAll(m[2], "''", "'")
			}
		}
		top, skip := gdapDefaultPage, 0
		if v := q.Get("$top"); v != "" {
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > gdapMaxPage {
				return graphAnswer(http.StatusBadRequest, "BadRequest", "The $top value must be between 1 and 300.")
			} else {
				top = n
			}
		}
		if v := q.Get("$skiptoken"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return graphAnswer(http.StatusBadRequest, "BadRequest", "The $skiptoken is not valid.")
			}
			skip = n
		}
		var matched []any
		for _, k := range s.gdap.order {
			doc := readRelLocked(s.gdap.rels[k])
			cust, _ := doc["customer"].(map[string]any)
			if (conds["status"] == "" || conds["status"] == str(doc, "status")) &&
				(conds["displayName"] == "" || conds["displayName"] == str(doc, "displayName")) &&
				(conds["customer/tenantId"] == "" || strings.EqualFold(conds["customer/tenantId"], str(cust, "tenantId"))) {
				matched = append(matched, doc)
			}
		}
		page := map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships"}
		end := min(skip+top, len(matched))
		page["value"] = append([]any{}, matched[min(skip, end):end]...)
		if end < len(matched) {
			next := q
			next.Set("$top", strconv.Itoa(top))
			next.Set("$skiptoken", strconv.Itoa(end))
			page["@odata.nextLink"] = "http://" + r.Host + gdapRelationshipsPath + "?" + next.Encode()
		}
		return jsonAnswer(http.StatusOK, page)
	})
}

// checkETag applies If-Match: required on PATCH and DELETE (the pages say
// "Required"; the status of its absence is inferred), 412 when stale.
func checkETag(r *http.Request, doc map[string]any) (answer, bool) {
	switch m := r.Header.Get("If-Match"); {
	case m == "":
		return graphAnswer(http.StatusBadRequest, "BadRequest", "The If-Match header is required."), false
	case m != "*" && m != str(doc, "@odata.etag"):
		return graphAnswer(http.StatusPreconditionFailed, "PreconditionFailed", "The If-Match etag does not match the object's."), false
	}
	return answer{}, true
}

func (s *Server) serveGDAPDelete(w http.ResponseWriter, r *http.Request) {
	s.graphWrite(w, r, func() answer {
		rel := s.relLocked(r.PathValue("relationshipID"))
		if rel == nil {
			return errRelNotFound
		}
		if a, ok := checkETag(r, rel.doc); !ok {
			return a
		}
		if st := str(rel.doc, "status"); st != "created" {
			return graphAnswer(http.StatusBadRequest, "BadRequest", "A relationship can only be deleted in status 'created'; it is '"+st+"'.")
		}
		id := strings.ToLower(str(rel.doc, "id"))
		delete(s.gdap.rels, id)
		s.gdap.order = slices.DeleteFunc(s.gdap.order, func(k string) bool { return k == id })
		return answer{status: http.StatusNoContent}
	})
}

func (s *Server) serveGDAPPatch(w http.ResponseWriter, r *http.Request) {
	body := readBody(r)
	s.graphWrite(w, r, func() answer {
		rel := s.relLocked(r.PathValue("relationshipID"))
		if rel == nil {
			return errRelNotFound
		}
		if a, ok := checkETag(r, rel.doc); !ok {
			return a
		}
		if body == nil {
			return graphAnswer(http.StatusBadRequest, "BadRequest", "The request body is not a JSON object.")
		}
		switch st := str(rel.doc, "status"); {
		case st == "created":
			doc := clone(rel.doc)
			for _, k := range []string{"displayName", "duration", "customer", "autoExtendDuration"} {
				if v, ok := body[k]; ok {
					doc[k] = v
				}
			}
			if _, ok := body["accessDetails"]; ok {
				doc["accessDetails"] = accessDetails(roles(body))
			}
			if a, ok := s.checkRelationshipLocked(doc, str(doc, "id")); !ok {
				return a
			}
			touch(doc)
			rel.doc = doc
			return jsonAnswer(http.StatusOK, doc)
		case st == "active" && len(body) == 1 && body["autoExtendDuration"] != nil:
			doc := clone(rel.doc)
			doc["autoExtendDuration"] = body["autoExtendDuration"]
			if a, ok := s.checkRelationshipLocked(doc, str(doc, "id")); !ok {
				return a
			}
			touch(doc)
			rel.doc = doc
			return jsonAnswer(http.StatusOK, doc)
		case st == "active" && len(body) == 1 && body["accessDetails"] != nil &&
			slices.Equal(roles(body), slices.DeleteFunc(roles(rel.doc), func(id string) bool { return id == globalAdministrator })) &&
			len(roles(body)) < len(roles(rel.doc)) && rel.pendingOp == nil:
			// Removing Global Administrator is a long-running operation.
			rel.pendingOp = roles(body)
			op := map[string]any{"@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation", "id": uuid.NewString(),
				"operationType": "delegatedAdminRelationshipUpdate", "status": "notStarted", "data": string(mustJSON(body)),
				"createdDateTime": graphNow()}
			touch(op)
			rel.operations = append(rel.operations, &gdapObject{doc: op})
			return answer{status: http.StatusAccepted, location: "http://" + r.Host + gdapRelationshipsPath + "/" + str(rel.doc, "id") + "/operations/" + str(op, "id")}
		default:
			return graphAnswer(http.StatusBadRequest, "BadRequest", "The relationship in status '"+st+"' cannot be updated this way: only autoExtendDuration, or removing the Global Administrator role, while active.")
		}
	})
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func (s *Server) serveGDAPOperations(w http.ResponseWriter, r *http.Request) {
	s.graphRead(w, r, func() answer {
		rel := s.relLocked(r.PathValue("relationshipID"))
		if rel == nil {
			return errRelNotFound
		}
		ops := []any{}
		for _, op := range rel.operations {
			// notStarted, running on the first read, succeeded on the next.
			if op.reads++; str(op.doc, "status") != "succeeded" {
				op.doc["status"] = map[bool]string{true: "running", false: "succeeded"}[op.reads < 2]
				if op.reads >= 2 && rel.pendingOp != nil {
					rel.doc["accessDetails"] = accessDetails(rel.pendingOp)
					rel.pendingOp = nil
					touch(rel.doc)
				}
				touch(op.doc)
			}
			doc := op.doc
			if str(doc, "operationType") == "delegatedAdminRelationshipUpdate" && !strings.Contains(r.Header.Get("Prefer"), "include-unknown-enum-members") {
				// An evolvable enum member: Graph sends the sentinel unless asked.
				doc = clone(doc)
				doc["operationType"] = "unknownFutureValue"
			}
			ops = append(ops, doc)
		}
		return jsonAnswer(http.StatusOK, map[string]any{"value": ops})
	})
}

func (s *Server) serveGDAPRequests(w http.ResponseWriter, r *http.Request) {
	s.graphRead(w, r, func() answer {
		rel := s.relLocked(r.PathValue("relationshipID"))
		if rel == nil {
			return errRelNotFound
		}
		reqs := []any{}
		for _, q := range rel.requests {
			if str(q.doc, "status") == "created" {
				q.doc["status"], q.doc["lastModifiedDateTime"] = "succeeded", graphNow()
			}
			reqs = append(reqs, q.doc)
		}
		return jsonAnswer(http.StatusOK, map[string]any{"value": reqs})
	})
}

func (s *Server) serveGDAPRequestCreate(w http.ResponseWriter, r *http.Request) {
	body := readBody(r)
	s.graphWrite(w, r, func() answer {
		rel := s.relLocked(r.PathValue("relationshipID"))
		if rel == nil {
			return errRelNotFound
		}
		action, st := str(body, "action"), str(rel.doc, "status")
		next := map[string]string{"lockForApproval created": "approvalPending", "terminate active": "terminationRequested"}[action+" "+st]
		if next == "" {
			return graphAnswer(http.StatusBadRequest, "BadRequest", fmt.Sprintf("The action '%s' is not allowed on a relationship in status '%s'.", sanitize(action), st))
		}
		rel.doc["status"] = next
		touch(rel.doc)
		req := map[string]any{"@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest", "id": uuid.NewString(),
			"action": action, "status": "created", "createdDateTime": graphNow(), "lastModifiedDateTime": graphNow()}
		rel.requests = append(rel.requests, &gdapObject{doc: req})
		a := jsonAnswer(http.StatusCreated, req)
		a.location = "http://" + r.Host + gdapRelationshipsPath + "/" + str(rel.doc, "id") + "/requests/" + str(req, "id")
		return a
	})
}
