package mockpartnercenter

import (
	"cmp"
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
	gdapExample           = gdapRelationshipsPath + "/" + exampleUnknownID
	// globalAdministrator is the Global Administrator role template id: it
	// cannot auto-extend, and removing it is the one role change allowed on
	// an active relationship.
	globalAdministrator = "62e90394-69f5-4237-9190-012177145e10"
	gdapMaxPage         = 300 // the list page: "$top supports up to 300 objects"
	gdapDefaultPage     = 100 // inferred: no page states the default
)

func init() {
	graphRoutes = append(graphRoutes,
		apiRoute{RouteGDAPRelationships, "GET " + gdapRelationshipsPath, gdapRelationshipsPath, gdapHandler(false, gdapList)},
		apiRoute{RouteGDAPRelationships, "POST " + gdapRelationshipsPath, gdapRelationshipsPath, gdapHandler(true, gdapCreate)},
		apiRoute{RouteGDAPRelationship, "GET " + gdapRelationshipPath, gdapExample, gdapHandler(false, gdapGet)},
		apiRoute{RouteGDAPRelationship, "PATCH " + gdapRelationshipPath, gdapExample, gdapHandler(true, gdapPatch)},
		apiRoute{RouteGDAPRelationship, "DELETE " + gdapRelationshipPath, gdapExample, gdapHandler(true, gdapDelete)},
		apiRoute{RouteGDAPRelationshipRequests, "GET " + gdapRelationshipPath + "/requests", gdapExample + "/requests", gdapHandler(false, gdapRequests)},
		apiRoute{RouteGDAPRelationshipRequests, "POST " + gdapRelationshipPath + "/requests", gdapExample + "/requests", gdapHandler(true, gdapRequestCreate)},
		apiRoute{RouteGDAPRelationshipOperations, "GET " + gdapRelationshipPath + "/operations", gdapExample + "/operations", gdapHandler(false, gdapOperations)})
}

// gdapObject is a stored Graph object, as served, and the reads it has
// seen, which move its status along.
type gdapObject struct {
	doc   map[string]any
	reads int
}

type gdapRelationship struct {
	gdapObject
	requests, operations, assignments []*gdapObject
	pendingRoles                      []string // what a running operation leaves
	lock                              *gdapObject
	lockReads                         int // reads of the relationship until lock takes effect
}

type gdapState struct {
	rels         map[string]*gdapRelationship // by lower-case id
	order        []string
	pendingReads int // reads an access assignment stays pending
	lockReads    int // reads of a relationship until its lock takes effect
	stalePatches int // assignment PATCHes that find the etag changed
}

func newGDAPState() gdapState { return gdapState{rels: map[string]*gdapRelationship{}, lockReads: 1} }

// gdapCall is one request as its handler sees it, under s.mu.
type gdapCall struct {
	r    *http.Request
	h    http.Header // the response's, for the request ids errors name
	body map[string]any
	rel  *gdapRelationship // the path's relationship
}

func (c gdapCall) err(status int, format string, args ...any) answer {
	return graphErr(c.h, status, fmt.Sprintf(format, args...))
}

// link is an absolute URL under the relationships, on the Graph host.
func (c gdapCall) link(parts ...string) string {
	return "http://" + c.r.Host + strings.Join(append([]string{gdapRelationshipsPath}, parts...), "/")
}

// gdapHandler makes a route's handler: f gets the path's relationship (404
// when unknown) and the JSON body under s.mu; on a write route AfterCommit
// faults and FaultDropConnection run f before they answer.
func gdapHandler(write bool, f func(*Server, gdapCall) answer) func(*Server, http.ResponseWriter, *http.Request) {
	return func(s *Server, w http.ResponseWriter, r *http.Request) {
		c := gdapCall{r: r, h: w.Header()}
		if write {
			_ = json.NewDecoder(io.LimitReader(r.Body, maxRecordedBody)).Decode(&c.body)
		}
		run := func() answer {
			s.mu.Lock()
			defer s.mu.Unlock()
			if id := r.PathValue("relationshipID"); id != "" {
				if c.rel = s.gdap.rels[strings.ToLower(id)]; c.rel == nil {
					return c.err(http.StatusNotFound, "The delegated admin relationship %s was not found.", sanitize(id))
				}
			}
			return f(s, c)
		}
		var rf routeFaults
		if write {
			rf.commit = func() { run() }
		}
		if !s.applyFault(w, r, "", rf) {
			run().write(w)
		}
	}
}

func graphNow() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// touch gives a written object a new etag and modification time.
func touch(doc map[string]any) map[string]any {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	doc["@odata.etag"], doc["lastModifiedDateTime"] = `W/"`+base64.StdEncoding.EncodeToString(b)+`"`, graphNow()
	return doc
}

func clone(doc map[string]any) map[string]any {
	var out map[string]any
	_ = json.Unmarshal(mustJSON(doc), &out)
	return out
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func str(doc map[string]any, key string) string { v, _ := doc[key].(string); return v }

// roles reads accessDetails.unifiedRoles[].roleDefinitionId.
func roles(doc map[string]any) []string {
	ad, _ := doc["accessDetails"].(map[string]any)
	list, _ := ad["unifiedRoles"].([]any)
	out := make([]string, 0, len(list))
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

var durationRE = regexp.MustCompile(`^P(\d+)([DY])$`)

// durationDays reads the P{n}D and P{n}Y forms; 0 for any other.
func durationDays(d string) int {
	m := durationRE.FindStringSubmatch(d)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n * map[string]int{"D": 1, "Y": 365}[m[2]]
}

// checkRelationshipLocked validates doc as it would be stored (the create
// and update pages' rules); it answers the refusal, or status 0.
func (s *Server) checkRelationshipLocked(c gdapCall, doc map[string]any) answer {
	name, ext := str(doc, "displayName"), str(doc, "autoExtendDuration")
	switch days := durationDays(str(doc, "duration")); {
	case name == "" || len([]rune(name)) > 50:
		return c.err(http.StatusBadRequest, "The displayName is required and must be at most 50 characters.")
	case days < 1 || days > 730:
		return c.err(http.StatusBadRequest, "The duration must be between P1D and P2Y inclusive.")
	case len(roles(doc)) == 0:
		return c.err(http.StatusBadRequest, "The accessDetails must name at least one role.")
	case !slices.Contains([]string{"PT0S", "P0D", "P180D"}, ext):
		return c.err(http.StatusBadRequest, "The autoExtendDuration must be PT0S, P0D or P180D.")
	case ext == "P180D" && slices.Contains(roles(doc), globalAdministrator):
		return c.err(http.StatusBadRequest, "A relationship with the Global Administrator role cannot auto-extend.")
	}
	for _, k := range s.gdap.order {
		if k != strings.ToLower(str(doc, "id")) && strings.EqualFold(str(s.gdap.rels[k].doc, "displayName"), name) {
			// No page or thread found says what Graph answers for a
			// duplicate name; 409 is HTTP's status for the conflict.
			return c.err(http.StatusConflict, "A delegated admin relationship named '%s' already exists.", sanitize(name))
		}
	}
	return answer{}
}

func gdapCreate(s *Server, c gdapCall) answer {
	doc := map[string]any{"@odata.type": "#microsoft.graph.delegatedAdminRelationship", "id": uuid.NewString() + "-" + uuid.NewString(),
		"displayName": c.body["displayName"], "duration": c.body["duration"], "customer": c.body["customer"],
		"accessDetails": accessDetails(roles(c.body)), "status": "created", "createdDateTime": graphNow(),
		"autoExtendDuration": cmp.Or(str(c.body, "autoExtendDuration"), "PT0S"), "activatedDateTime": nil, "endDateTime": nil}
	if a := s.checkRelationshipLocked(c, doc); a.status != 0 {
		return a
	}
	s.putRelLocked(touch(doc))
	a := jsonAnswer(http.StatusCreated, doc)
	a.location = c.link(str(doc, "id"))
	return a
}

func (s *Server) putRelLocked(doc map[string]any) {
	id := strings.ToLower(str(doc, "id"))
	s.gdap.rels[id] = &gdapRelationship{gdapObject: gdapObject{doc: doc}}
	s.gdap.order = append(s.gdap.order, id)
}

// readRel moves a lock and a termination along with each read: Graph
// processes a lock after answering it (its request is created, pending,
// then succeeded), and shows terminationRequested, then terminating, then
// terminated.
func readRel(rel *gdapRelationship) map[string]any {
	switch str(rel.doc, "status") {
	case "created":
		if rel.lock != nil {
			if rel.lockReads--; rel.lockReads <= 0 {
				rel.doc["status"], rel.lock.doc["status"], rel.lock = "approvalPending", "succeeded", nil
				touch(rel.doc)
			}
		}
	case "terminationRequested":
		rel.doc["status"] = "terminating"
		touch(rel.doc)
	case "terminating":
		rel.doc["status"], rel.doc["endDateTime"] = "terminated", graphNow()
		touch(rel.doc)
	}
	return rel.doc
}

func gdapGet(_ *Server, c gdapCall) answer { return jsonAnswer(http.StatusOK, readRel(c.rel)) }

// gdapFilterRE reads the $filter clauses the mock knows: equality on status,
// displayName and customer/tenantId (the list page names no properties).
var gdapFilterRE = regexp.MustCompile(`^(status|displayName|customer/tenantId) eq '((?:[^']|'')*)'$`)

func gdapList(s *Server, c gdapCall) answer {
	q := c.r.URL.Query()
	conds := map[string]string{}
	for part := range strings.SplitSeq(q.Get("$filter"), " and ") {
		if m := gdapFilterRE.FindStringSubmatch(strings.TrimSpace(part)); m != nil {
			conds[m[1]] = strings.ReplaceAll(m[2], "''", "'")
		} else if part != "" {
			return c.err(http.StatusBadRequest, "Invalid filter clause: %s", sanitize(part))
		}
	}
	top, err1 := strconv.Atoi(cmp.Or(q.Get("$top"), strconv.Itoa(gdapDefaultPage)))
	skip, err2 := strconv.Atoi(cmp.Or(q.Get("$skiptoken"), "0"))
	if err1 != nil || err2 != nil || top < 1 || top > gdapMaxPage || skip < 0 {
		return c.err(http.StatusBadRequest, "The $top must be between 1 and %d and the $skiptoken one this list gave.", gdapMaxPage)
	}
	matched := []any{}
	for _, k := range s.gdap.order {
		doc := readRel(s.gdap.rels[k])
		cust, _ := doc["customer"].(map[string]any)
		if cmp.Or(conds["status"], str(doc, "status")) == str(doc, "status") &&
			cmp.Or(conds["displayName"], str(doc, "displayName")) == str(doc, "displayName") &&
			strings.EqualFold(cmp.Or(conds["customer/tenantId"], str(cust, "tenantId")), str(cust, "tenantId")) {
			matched = append(matched, doc)
		}
	}
	end := min(skip+top, len(matched))
	page := map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships",
		"value": matched[min(skip, end):end]}
	if end < len(matched) {
		q.Set("$top", strconv.Itoa(top))
		q.Set("$skiptoken", strconv.Itoa(end)) // opaque to clients; an offset here
		page["@odata.nextLink"] = c.link() + "?" + q.Encode()
	}
	return jsonAnswer(http.StatusOK, page)
}

// checkETag applies If-Match, which the PATCH and DELETE pages mark
// Required (the status of its absence is inferred): 412 when stale.
func checkETag(c gdapCall, doc map[string]any) answer {
	switch m := c.r.Header.Get("If-Match"); {
	case m == "":
		return c.err(http.StatusBadRequest, "The If-Match header is required.")
	case m != "*" && m != str(doc, "@odata.etag"):
		return c.err(http.StatusPreconditionFailed, "The If-Match etag does not match the object's.")
	}
	return answer{}
}

func gdapDelete(s *Server, c gdapCall) answer {
	if a := checkETag(c, c.rel.doc); a.status != 0 {
		return a
	}
	if st := str(c.rel.doc, "status"); st != "created" {
		return c.err(http.StatusBadRequest, "A relationship can only be deleted in status 'created'; it is '%s'.", st)
	}
	id := strings.ToLower(str(c.rel.doc, "id"))
	delete(s.gdap.rels, id)
	s.gdap.order = slices.DeleteFunc(s.gdap.order, func(k string) bool { return k == id })
	return answer{status: http.StatusNoContent}
}

// gdapPatch: every property while created; autoExtendDuration while active;
// removing Global Administrator while active, as a long-running operation.
func gdapPatch(s *Server, c gdapCall) answer {
	if a := checkETag(c, c.rel.doc); a.status != 0 {
		return a
	}
	withoutGA := slices.DeleteFunc(roles(c.rel.doc), func(id string) bool { return id == globalAdministrator })
	switch st, only := str(c.rel.doc, "status"), len(c.body) == 1; {
	case st == "created" || st == "active" && only && c.body["autoExtendDuration"] != nil:
		doc := clone(c.rel.doc)
		for k, v := range c.body {
			if slices.Contains([]string{"displayName", "duration", "customer", "autoExtendDuration"}, k) {
				doc[k] = v
			}
		}
		if c.body["accessDetails"] != nil {
			doc["accessDetails"] = accessDetails(roles(c.body))
		}
		if a := s.checkRelationshipLocked(c, doc); a.status != 0 {
			return a
		}
		c.rel.doc = touch(doc)
		return jsonAnswer(http.StatusOK, doc)
	case st == "active" && only && c.body["accessDetails"] != nil && c.rel.pendingRoles == nil &&
		len(withoutGA) < len(roles(c.rel.doc)) && slices.Equal(roles(c.body), withoutGA):
		c.rel.pendingRoles = withoutGA
		op := c.rel.addOperation("delegatedAdminRelationshipUpdate", "notStarted", c.body)
		return answer{status: http.StatusAccepted, location: c.link(str(c.rel.doc, "id"), "operations", str(op, "id"))}
	default:
		return c.err(http.StatusBadRequest, "A relationship in status '%s' cannot change so: only autoExtendDuration, "+
			"or removing the Global Administrator role, while active.", st)
	}
}

func (rel *gdapRelationship) addOperation(kind, status string, body map[string]any) map[string]any {
	op := touch(map[string]any{"@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation", "id": uuid.NewString(),
		"operationType": kind, "status": status, "data": string(mustJSON(body)), "createdDateTime": graphNow()})
	rel.operations = append(rel.operations, &gdapObject{doc: op})
	return op
}

// gdapOperations: an operation is running on its first read, succeeded (and
// applied) on the next.
func gdapOperations(_ *Server, c gdapCall) answer {
	ops := []any{}
	for _, op := range c.rel.operations {
		if op.reads++; str(op.doc, "status") != "succeeded" {
			op.doc["status"] = map[bool]string{true: "running", false: "succeeded"}[op.reads < 2]
			if op.reads >= 2 && c.rel.pendingRoles != nil {
				c.rel.doc["accessDetails"], c.rel.pendingRoles = accessDetails(c.rel.pendingRoles), nil
				touch(c.rel.doc)
			}
			touch(op.doc)
		}
		doc := op.doc
		if str(doc, "operationType") == "delegatedAdminRelationshipUpdate" && !strings.Contains(c.r.Header.Get("Prefer"), "include-unknown-enum-members") {
			// An evolvable enum member (the operation resource page): the
			// sentinel unless the request asks for it.
			doc = clone(doc)
			doc["operationType"] = "unknownFutureValue"
		}
		ops = append(ops, doc)
	}
	return jsonAnswer(http.StatusOK, map[string]any{"value": ops})
}

// gdapRequests: a lock still to take effect is pending; any other request
// has succeeded by its first listing.
func gdapRequests(_ *Server, c gdapCall) answer {
	reqs := []any{}
	for _, q := range c.rel.requests {
		if str(q.doc, "status") == "created" {
			q.doc["status"], q.doc["lastModifiedDateTime"] = map[bool]string{true: "pending", false: "succeeded"}[q == c.rel.lock], graphNow()
		}
		reqs = append(reqs, q.doc)
	}
	return jsonAnswer(http.StatusOK, map[string]any{"value": reqs})
}

func gdapRequestCreate(s *Server, c gdapCall) answer {
	action, st := str(c.body, "action"), str(c.rel.doc, "status")
	next := map[string]string{"lockForApproval created": "approvalPending", "terminate active": "terminationRequested"}[action+" "+st]
	if next == "" {
		return c.err(http.StatusBadRequest, "The action '%s' is not allowed on a relationship in status '%s'.", sanitize(action), st)
	}
	req := map[string]any{"@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest", "id": uuid.NewString(),
		"action": action, "status": "created", "createdDateTime": graphNow(), "lastModifiedDateTime": graphNow()}
	c.rel.requests = append(c.rel.requests, &gdapObject{doc: req})
	if action == "lockForApproval" {
		c.rel.lock, c.rel.lockReads = c.rel.requests[len(c.rel.requests)-1], s.gdap.lockReads
	} else {
		c.rel.doc["status"] = next
		touch(c.rel.doc)
	}
	a := jsonAnswer(http.StatusCreated, req)
	a.location = c.link(str(c.rel.doc, "id"), "requests", str(req, "id"))
	return a
}

// SetGDAPLockReads makes locks, those pending now and later ones, take
// effect on the nth read of their relationship from now or from the lock
// (1, the first read, by default).
func (s *Server) SetGDAPLockReads(n int) {
	s.locked(func() {
		s.gdap.lockReads = max(n, 1)
		for _, rel := range s.gdap.rels {
			rel.lockReads = s.gdap.lockReads
		}
	})
}
