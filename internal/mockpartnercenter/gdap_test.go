package mockpartnercenter

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/fixtures"
)

const (
	gdapBase      = "/v1.0/tenantRelationships/delegatedAdminRelationships"
	exchangeAdmin = "29232cdf-9323-42fd-ade2-1d097af3e4de"
	securityRead  = "3a2c62db-5318-420d-8d74-23affee5d9d5"
	groupID       = "869713c9-0b28-4d08-8949-ae07ae1bf528"
)

// graphToken gets an App+User token for Graph from the main listener.
func graphToken(t *testing.T, base string) string {
	t.Helper()
	form := validTokenForm()
	form.Set("scope", DefaultGraphAudience+"/.default offline_access")
	resp, body := postForm(t, tokenURL(base), form)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &tok) != nil || tok.AccessToken == "" {
		t.Fatalf("Graph token: %d %s", resp.StatusCode, body)
	}
	return tok.AccessToken
}

// graphError is Graph's error body.
type graphError struct {
	Error struct {
		Code, Message string
		InnerError    map[string]string
	}
}

// graphErrorOf decodes a Graph error body, failing on any other shape.
func graphErrorOf(t *testing.T, body []byte) graphError {
	t.Helper()
	var e graphError
	decodeJSON(t, body, &e)
	if e.Error.Code == "" || e.Error.Message == "" || e.Error.InnerError["request-id"] == "" || e.Error.InnerError["date"] == "" {
		t.Fatalf("not a Graph error body: %s", body)
	}
	return e
}

// gdapEnv is a mock with both listeners under httptest and a Graph token.
type gdapEnv struct {
	s       *Server
	pc, api string // the main listener's and Graph's base URLs
	tok     string
}

func newGDAPEnv(t *testing.T, opts Options) gdapEnv {
	t.Helper()
	s, ts := newTestServer(t, opts)
	gs := httptest.NewServer(s.graphHandler)
	t.Cleanup(gs.Close)
	return gdapEnv{s: s, pc: ts.URL, api: gs.URL, tok: graphToken(t, ts.URL)}
}

// send sends a Graph request with a JSON body (nil for none) and decodes
// an object answer into a map.
func (e gdapEnv) send(t *testing.T, method, path string, headers map[string]string, body any) (*http.Response, map[string]any, []byte) {
	t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	resp, data := mustSend(t, method, e.api+path, e.tok, headers, raw)
	var doc map[string]any
	if len(data) > 0 {
		_ = json.Unmarshal(data, &doc)
	}
	return resp, doc, data
}

// wantStatus fails unless resp has status; a refusal must be Graph's error.
func wantStatus(t *testing.T, what string, resp *http.Response, data []byte, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: %d %s, want %d", what, resp.StatusCode, data, status)
	}
	if status >= 400 {
		graphErrorOf(t, data)
	}
}

func fixtureMap(t *testing.T, name string) map[string]any {
	t.Helper()
	raw, err := fixtures.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	decodeJSON(t, raw, &m)
	return m
}

// values returns a collection's value, failing on any other shape.
func values(t *testing.T, page map[string]any) []map[string]any {
	t.Helper()
	var out struct{ Value []map[string]any }
	if err := json.Unmarshal(mustJSON(page), &out); err != nil || out.Value == nil {
		t.Fatalf("not a collection: %v", page)
	}
	return out.Value
}

func ifMatch(doc map[string]any) map[string]string {
	return map[string]string{"If-Match": str(doc, "@odata.etag")}
}

func TestGDAPTokenAudiences(t *testing.T) {
	e := newGDAPEnv(t, Options{})
	pcTok := accessToken(t, e.pc)
	resp, data := mustSend(t, http.MethodGet, e.api+gdapBase, pcTok, nil, nil)
	if resp.StatusCode != http.StatusUnauthorized || graphErrorOf(t, data).Error.Code != "InvalidAuthenticationToken" {
		t.Errorf("Partner Center token on Graph: %d %s", resp.StatusCode, data)
	}
	if resp, _ := apiGet(t, e.pc, e.tok, "/v1/customers/"+DocumentedCustomerID, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("Graph token on Partner Center: %d, want 401", resp.StatusCode)
	}
	resp, _, data = e.send(t, http.MethodGet, gdapBase, map[string]string{"client-request-id": "my-id"}, nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("client-request-id") != "my-id" || resp.Header.Get("request-id") == "" {
		t.Errorf("Graph token on Graph: %d %v %s", resp.StatusCode, resp.Header, data)
	}
	// App-only: client credentials for Graph's .default.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID},
		"client_secret": {DefaultClientSecret}, "scope": {DefaultGraphAudience + "/.default"}}
	if resp, body := postForm(t, tokenURL(e.pc), form); resp.StatusCode != http.StatusOK {
		t.Errorf("client credentials for Graph: %d %s", resp.StatusCode, body)
	}
}

func TestGDAPRelationshipLifecycle(t *testing.T) {
	e := newGDAPEnv(t, Options{})
	req := fixtureMap(t, "gdap-relationship-create-request.json")
	resp, rel, data := e.send(t, http.MethodPost, gdapBase, nil, req)
	wantStatus(t, "create", resp, data, http.StatusCreated)
	id := str(rel, "id")
	if loc := resp.Header.Get("Location"); loc != e.api+gdapBase+"/"+id {
		t.Errorf("Location %q", loc)
	}
	documented := fixtureMap(t, "gdap-relationship-create-response.json")
	delete(documented, "@odata.context")
	if got, want := slices.Sorted(maps.Keys(rel)), slices.Sorted(maps.Keys(documented)); !slices.Equal(got, want) {
		t.Errorf("created relationship's properties %v, documented %v", got, want)
	}
	if str(rel, "status") != "created" || str(rel, "autoExtendDuration") != "P180D" || !slices.Equal(roles(rel), []string{exchangeAdmin, securityRead}) {
		t.Errorf("created: %s", data)
	}
	if got := e.s.RecordedRequests(); string(got[len(got)-1].Body) != string(mustJSON(req)) {
		t.Errorf("recorded body %s", got[len(got)-1].Body)
	}

	refusals := []struct {
		what  string
		patch func(m map[string]any)
		want  int
	}{
		{"duplicate name", func(map[string]any) {}, http.StatusConflict},
		{"51 characters", func(m map[string]any) { m["displayName"] = strings.Repeat("x", 51) }, http.StatusBadRequest},
		{"P731D", func(m map[string]any) { m["displayName"], m["duration"] = "other", "P731D" }, http.StatusBadRequest},
		{"P90D auto-extension", func(m map[string]any) { m["displayName"], m["autoExtendDuration"] = "other", "P90D" }, http.StatusBadRequest},
		{"Global Administrator auto-extending", func(m map[string]any) {
			m["displayName"], m["accessDetails"] = "other", accessDetails([]string{globalAdministrator})
		}, http.StatusBadRequest},
	}
	for _, r := range refusals {
		body := clone(req)
		r.patch(body)
		resp, _, data := e.send(t, http.MethodPost, gdapBase, nil, body)
		wantStatus(t, r.what, resp, data, r.want)
	}
	if n := len(e.s.GDAPRelationships()); n != 1 {
		t.Fatalf("%d relationships stored after refusals, want 1", n)
	}

	path := gdapBase + "/" + id
	resp, _, data = e.send(t, http.MethodPatch, path, nil, map[string]any{"duration": "P31D"})
	wantStatus(t, "PATCH without If-Match", resp, data, http.StatusBadRequest)
	resp, _, data = e.send(t, http.MethodPatch, path, map[string]string{"If-Match": `W/"stale"`}, map[string]any{"duration": "P31D"})
	wantStatus(t, "PATCH with a stale etag", resp, data, http.StatusPreconditionFailed)
	resp, patched, data := e.send(t, http.MethodPatch, path, ifMatch(rel), map[string]any{"duration": "P31D"})
	wantStatus(t, "PATCH", resp, data, http.StatusOK)
	if str(patched, "duration") != "P31D" || str(patched, "@odata.etag") == str(rel, "@odata.etag") {
		t.Errorf("patched: %s", data)
	}
	if stored := e.s.GDAPRelationships()[0]; str(stored, "duration") != "P31D" {
		t.Errorf("stored after PATCH: %v", stored)
	}
	resp, _, data = e.send(t, http.MethodPatch, path, ifMatch(rel), map[string]any{"duration": "P32D"})
	wantStatus(t, "PATCH with the etag before the last write", resp, data, http.StatusPreconditionFailed)

	resp, lock, data := e.send(t, http.MethodPost, path+"/requests", nil, map[string]any{"action": "lockForApproval"})
	wantStatus(t, "lock", resp, data, http.StatusCreated)
	if str(lock, "status") != "created" || str(lock, "action") != "lockForApproval" || resp.Header.Get("Location") == "" {
		t.Errorf("lock request: %s", data)
	}
	// The lock takes effect on the relationship's second read after it.
	e.s.SetGDAPLockReads(2)
	resp, _, data = e.send(t, http.MethodPost, path+"/requests", nil, map[string]any{"action": "lockForApproval"})
	wantStatus(t, "a second lock while the first is pending", resp, data, http.StatusCreated)
	if _, list, _ := e.send(t, http.MethodGet, path+"/requests", nil, nil); str(values(t, list)[1], "status") != "pending" {
		t.Errorf("requests before the lock took effect: %v", list)
	}
	if _, rel, _ = e.send(t, http.MethodGet, path, nil, nil); str(rel, "status") != "created" {
		t.Fatalf("first read after the lock: %v", rel)
	}
	_, rel, _ = e.send(t, http.MethodGet, path, nil, nil)
	if str(rel, "status") != "approvalPending" {
		t.Fatalf("after lock: %v", rel)
	}
	if _, list, _ := e.send(t, http.MethodGet, path+"/requests", nil, nil); str(values(t, list)[1], "status") != "succeeded" {
		t.Errorf("requests after the lock took effect: %v", list)
	}
	resp, _, data = e.send(t, http.MethodPatch, path, ifMatch(rel), map[string]any{"displayName": "renamed"})
	wantStatus(t, "PATCH while approvalPending", resp, data, http.StatusBadRequest)
	resp, _, data = e.send(t, http.MethodDelete, path, ifMatch(rel), nil)
	wantStatus(t, "DELETE while approvalPending", resp, data, http.StatusBadRequest)
	resp, _, data = e.send(t, http.MethodPost, path+"/accessAssignments", nil, assignmentBody(exchangeAdmin))
	wantStatus(t, "assignment before approval", resp, data, http.StatusBadRequest)
	if !strings.Contains(graphErrorOf(t, data).Error.Message, "approvalPending") {
		t.Errorf("the refusal does not name the status: %s", data)
	}

	if err := e.s.ApproveGDAPRelationship(id); err != nil {
		t.Fatal(err)
	}
	_, rel, _ = e.send(t, http.MethodGet, path, nil, nil)
	activated, err1 := time.Parse(time.RFC3339Nano, str(rel, "activatedDateTime"))
	end, err2 := time.Parse(time.RFC3339Nano, str(rel, "endDateTime"))
	if str(rel, "status") != "active" || err1 != nil || err2 != nil || end.Sub(activated) != 31*24*time.Hour {
		t.Errorf("approved: %v", rel)
	}
	// Microsoft Entra ID names the customer, not the partner's request.
	sent, _ := req["customer"].(map[string]any)
	if got, _ := rel["customer"].(map[string]any); str(got, "displayName") == "" || str(got, "displayName") == str(sent, "displayName") {
		t.Errorf("customer after the approval %v, want the tenant's own name, not the partner's %q", got, str(sent, "displayName"))
	}
	resp, _, data = e.send(t, http.MethodPatch, path, ifMatch(rel), map[string]any{"duration": "P60D"})
	wantStatus(t, "duration while active", resp, data, http.StatusBadRequest)
	resp, rel, data = e.send(t, http.MethodPatch, path, ifMatch(rel), map[string]any{"autoExtendDuration": "PT0S"})
	wantStatus(t, "autoExtendDuration while active", resp, data, http.StatusOK)
	if str(rel, "autoExtendDuration") != "PT0S" || str(e.s.GDAPRelationships()[0], "autoExtendDuration") != "PT0S" {
		t.Errorf("after the autoExtendDuration PATCH: %v", rel)
	}

	resp, _, data = e.send(t, http.MethodPost, path+"/requests", nil, map[string]any{"action": "terminate"})
	wantStatus(t, "terminate", resp, data, http.StatusCreated)
	for _, want := range []string{"terminating", "terminated", "terminated"} {
		if _, rel, _ = e.send(t, http.MethodGet, path, nil, nil); str(rel, "status") != want {
			t.Errorf("status %q, want %q", str(rel, "status"), want)
		}
	}
}

func TestGDAPDeleteWhileCreated(t *testing.T) {
	e := newGDAPEnv(t, Options{})
	_, rel, _ := e.send(t, http.MethodPost, gdapBase, nil, fixtureMap(t, "gdap-relationship-create-request.json"))
	path := gdapBase + "/" + str(rel, "id")
	resp, _, data := e.send(t, http.MethodDelete, path, nil, nil)
	wantStatus(t, "DELETE without If-Match", resp, data, http.StatusBadRequest)
	resp, _, data = e.send(t, http.MethodDelete, path, ifMatch(rel), nil)
	wantStatus(t, "DELETE", resp, data, http.StatusNoContent)
	resp, _, data = e.send(t, http.MethodGet, path, nil, nil)
	wantStatus(t, "GET after DELETE", resp, data, http.StatusNotFound)
	if len(e.s.GDAPRelationships()) != 0 {
		t.Error("deleted relationship still stored")
	}
}

// activeRelationship seeds an active relationship with roles.
func activeRelationship(t *testing.T, s *Server, name string, roleIDs ...string) string {
	t.Helper()
	id, err := s.AddGDAPRelationship(map[string]any{"displayName": name, "duration": "P730D",
		"accessDetails": accessDetails(roleIDs), "status": "approvalPending"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ApproveGDAPRelationship(id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestGDAPRemoveGlobalAdministrator(t *testing.T) {
	e := newGDAPEnv(t, Options{})
	path := gdapBase + "/" + activeRelationship(t, e.s, "with GA", globalAdministrator, exchangeAdmin)
	_, rel, _ := e.send(t, http.MethodGet, path, nil, nil)
	resp, _, data := e.send(t, http.MethodPatch, path, ifMatch(rel), map[string]any{"accessDetails": accessDetails([]string{globalAdministrator})})
	wantStatus(t, "removing another role while active", resp, data, http.StatusBadRequest)
	resp, _, data = e.send(t, http.MethodPatch, path, ifMatch(rel), map[string]any{"accessDetails": accessDetails([]string{exchangeAdmin})})
	wantStatus(t, "removing Global Administrator", resp, data, http.StatusAccepted)
	if !strings.HasPrefix(resp.Header.Get("Location"), e.api+path+"/operations/") {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	_, ops, _ := e.send(t, http.MethodGet, path+"/operations", nil, nil)
	op := values(t, ops)[0]
	if str(op, "status") != "running" || str(op, "operationType") != "unknownFutureValue" {
		t.Errorf("first read: %v", op)
	}
	if r := roles(e.s.GDAPRelationships()[0]); len(r) != 2 {
		t.Errorf("roles changed before the operation completed: %v", r)
	}
	_, ops, _ = e.send(t, http.MethodGet, path+"/operations", map[string]string{"Prefer": "include-unknown-enum-members"}, nil)
	op = values(t, ops)[0]
	if str(op, "status") != "succeeded" || str(op, "operationType") != "delegatedAdminRelationshipUpdate" {
		t.Errorf("second read: %v", op)
	}
	if r := roles(e.s.GDAPRelationships()[0]); !slices.Equal(r, []string{exchangeAdmin}) {
		t.Errorf("roles after the operation: %v", r)
	}
}

func assignmentBody(roleIDs ...string) map[string]any {
	return map[string]any{"accessContainer": map[string]any{"accessContainerId": groupID, "accessContainerType": "securityGroup"},
		"accessDetails": accessDetails(roleIDs)}
}

func TestGDAPAccessAssignments(t *testing.T) {
	e := newGDAPEnv(t, Options{})
	relID := activeRelationship(t, e.s, "assignments", exchangeAdmin, securityRead)
	base := gdapBase + "/" + relID + "/accessAssignments"
	resp, _, data := e.send(t, http.MethodPost, base, nil, assignmentBody(globalAdministrator))
	wantStatus(t, "a role the relationship lacks", resp, data, http.StatusBadRequest)
	e.s.SetGDAPAssignmentsPending(1)
	resp, a, data := e.send(t, http.MethodPost, base, nil, assignmentBody(exchangeAdmin, securityRead))
	wantStatus(t, "create", resp, data, http.StatusCreated)
	path := base + "/" + str(a, "id")
	documented := fixtureMap(t, "gdap-access-assignment-create-response.json")
	delete(documented, "@odata.context")
	if got, want := slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(documented)); !slices.Equal(got, want) || str(a, "status") != "pending" {
		t.Errorf("created assignment %s, documented keys %v", data, want)
	}
	if resp.Header.Get("Location") != e.api+path {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	resp, _, data = e.send(t, http.MethodPost, base, nil, assignmentBody(exchangeAdmin))
	wantStatus(t, "second assignment for the group", resp, data, http.StatusConflict)
	for _, want := range []string{"pending", "active"} {
		if _, a, _ = e.send(t, http.MethodGet, path, nil, nil); str(a, "status") != want {
			t.Errorf("status %q, want %q", str(a, "status"), want)
		}
	}
	resp, same, data := e.send(t, http.MethodPatch, path, ifMatch(a), map[string]any{"accessDetails": accessDetails([]string{exchangeAdmin, securityRead})})
	wantStatus(t, "PATCH with the same roles", resp, data, http.StatusOK)
	if str(same, "id") != str(a, "id") {
		t.Errorf("unchanged PATCH answered %s", data)
	}
	resp, _, data = e.send(t, http.MethodPatch, path, ifMatch(a), map[string]any{"accessDetails": accessDetails([]string{securityRead})})
	wantStatus(t, "PATCH", resp, data, http.StatusAccepted)
	stored := e.s.GDAPAccessAssignments(relID)[0]
	if !slices.Equal(roles(stored), []string{securityRead}) || str(stored, "@odata.etag") == str(a, "@odata.etag") {
		t.Errorf("stored after PATCH: %v", stored)
	}
	resp, _, data = e.send(t, http.MethodDelete, path, ifMatch(a), nil)
	wantStatus(t, "DELETE with the etag before the PATCH", resp, data, http.StatusPreconditionFailed)
	resp, _, data = e.send(t, http.MethodDelete, path, ifMatch(stored), nil)
	wantStatus(t, "DELETE", resp, data, http.StatusNoContent)
	for _, want := range []string{"deleted"} {
		if _, a, _ = e.send(t, http.MethodGet, path, nil, nil); str(a, "status") != want {
			t.Errorf("status %q, want %q", str(a, "status"), want)
		}
	}
	resp, _, data = e.send(t, http.MethodGet, path, nil, nil)
	wantStatus(t, "GET after deleted", resp, data, http.StatusNotFound)
}

func TestGDAPListFilterAndPaging(t *testing.T) {
	e := newGDAPEnv(t, Options{})
	for i, tenant := range []string{"a", "b", "a", "a", "c"} {
		_, err := e.s.AddGDAPRelationship(map[string]any{"displayName": "rel " + string(rune('0'+i)), "duration": "P30D",
			"customer": map[string]any{"tenantId": tenant}, "accessDetails": accessDetails([]string{exchangeAdmin})})
		if err != nil {
			t.Fatal(err)
		}
	}
	next := gdapBase + "?" + url.Values{"$filter": {"customer/tenantId eq 'a' and status eq 'created'"}, "$top": {"2"}}.Encode()
	var names []string
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		resp, page, data := e.send(t, http.MethodGet, strings.TrimPrefix(next, e.api), nil, nil)
		wantStatus(t, "list", resp, data, http.StatusOK)
		for _, v := range values(t, page) {
			names = append(names, str(v, "displayName"))
		}
		next = str(page, "@odata.nextLink")
		if next != "" && !strings.HasPrefix(next, e.api+gdapBase+"?") {
			t.Fatalf("nextLink %q is not absolute on the Graph host", next)
		}
	}
	if !slices.Equal(names, []string{"rel 0", "rel 2", "rel 3"}) {
		t.Errorf("filtered list %v", names)
	}
	resp, _, data := e.send(t, http.MethodGet, gdapBase+"?"+url.Values{"$filter": {"displayName eq 'rel 1'"}}.Encode(), nil, nil)
	if var1 := strings.Count(string(data), `"displayName"`); resp.StatusCode != http.StatusOK || var1 != 1 {
		t.Errorf("displayName filter: %d %s", resp.StatusCode, data)
	}
	resp, _, data = e.send(t, http.MethodGet, gdapBase+"?"+url.Values{"$filter": {"startswith(displayName,'rel')"}}.Encode(), nil, nil)
	wantStatus(t, "unknown filter", resp, data, http.StatusBadRequest)
}

func TestGDAPFaultsAfterCommit(t *testing.T) {
	e := newGDAPEnv(t, Options{})
	req := fixtureMap(t, "gdap-relationship-create-request.json")
	e.s.SetFault("", Fault{Kind: FaultServerError, Route: RouteGDAPRelationships, AfterCommit: true, Times: 1})
	resp, _, data := e.send(t, http.MethodPost, gdapBase, nil, req)
	wantStatus(t, "create with a server error after commit", resp, data, http.StatusInternalServerError)
	if rels := e.s.GDAPRelationships(); len(rels) != 1 || str(rels[0], "displayName") != str(req, "displayName") {
		t.Fatalf("after the fault: %v", rels)
	}
	stored := e.s.GDAPRelationships()[0]
	id := str(stored, "id")
	// A PATCH committed before its 500: the repeat is refused by the etag.
	e.s.SetFault("", Fault{Kind: FaultServerError, Route: RouteGDAPRelationship, AfterCommit: true, Times: 1})
	resp, _, data = e.send(t, http.MethodPatch, gdapBase+"/"+id, ifMatch(stored), map[string]any{"duration": "P90D"})
	wantStatus(t, "PATCH with a server error after commit", resp, data, http.StatusInternalServerError)
	if d := str(e.s.GDAPRelationships()[0], "duration"); d != "P90D" {
		t.Errorf("duration after the fault %q, want the PATCH committed", d)
	}
	resp, _, data = e.send(t, http.MethodPatch, gdapBase+"/"+id, ifMatch(stored), map[string]any{"duration": "P90D"})
	wantStatus(t, "the PATCH repeated", resp, data, http.StatusPreconditionFailed)
	e.s.SetFault("", Fault{Kind: FaultDropConnection, Route: RouteGDAPRelationshipRequests, Times: 1})
	if _, _, err := sendRequest(t.Context(), http.MethodPost, e.api+gdapBase+"/"+id+"/requests", e.tok, nil,
		mustJSON(map[string]any{"action": "lockForApproval"})); err == nil {
		t.Fatal("dropped connection answered")
	}
	if _, rel, _ := e.send(t, http.MethodGet, gdapBase+"/"+id, nil, nil); str(rel, "status") != "approvalPending" {
		t.Errorf("status after the dropped lock %q, want it committed", str(rel, "status"))
	}
	if e.s.WriteRequests() != 4 || e.s.Requests(RouteGDAPRelationshipRequests) != 1 {
		t.Errorf("writes %d, requests %d", e.s.WriteRequests(), e.s.Requests(RouteGDAPRelationshipRequests))
	}
	e.s.SetFault("", Fault{Kind: FaultThrottle, RetryAfter: "7", Route: RouteGDAPRelationship, Times: 1})
	resp, _, data = e.send(t, http.MethodGet, gdapBase+"/"+id, nil, nil)
	wantStatus(t, "throttled", resp, data, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") != "7" || graphErrorOf(t, data).Error.Code != "TooManyRequests" {
		t.Errorf("throttle: %v %s", resp.Header, data)
	}
}

// TestGDAPListeners checks Start opens Graph on a listener of its own, which
// the provider reaches as it would graph.microsoft.com.
func TestGDAPListeners(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if !strings.HasPrefix(s.GraphURL(), "http://127.0.0.1:") || s.GraphURL() == s.URL() {
		t.Fatalf("Graph URL %q beside %q", s.GraphURL(), s.URL())
	}
	resp, data := mustSend(t, http.MethodGet, s.GraphURL()+gdapBase, graphToken(t, s.URL()), nil, nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("request-id") == "" {
		t.Errorf("Graph listener: %d %s", resp.StatusCode, data)
	}
	if _, err := Listen(Options{GraphAddress: "0.0.0.0:0"}, "127.0.0.1:0"); err == nil {
		t.Error("a Graph address beyond loopback was accepted")
	}
}

func TestGDAPRateLimit(t *testing.T) {
	e := newGDAPEnv(t, Options{RateLimit: RateLimit{Requests: 1, Window: time.Minute}})
	e.send(t, http.MethodGet, gdapBase, nil, nil)
	resp, _, data := e.send(t, http.MethodGet, gdapBase, nil, nil)
	wantStatus(t, "over the limit", resp, data, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

// TestGDAPStatusOutsideTerraform: an expiry set by the test control shows on
// reads and stops new access assignments.
func TestGDAPStatusOutsideTerraform(t *testing.T) {
	e := newGDAPEnv(t, Options{})
	id := activeRelationship(t, e.s, "expires", exchangeAdmin)
	if err := e.s.SetGDAPRelationshipStatus(id, "expired"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetGDAPRelationshipStatus(exampleUnknownID, "expired"); err == nil {
		t.Error("an unknown relationship's status was set")
	}
	if _, rel, _ := e.send(t, http.MethodGet, gdapBase+"/"+id, nil, nil); str(rel, "status") != "expired" {
		t.Errorf("status %q", str(rel, "status"))
	}
	resp, _, data := e.send(t, http.MethodPost, gdapBase+"/"+id+"/accessAssignments", nil, assignmentBody(exchangeAdmin))
	wantStatus(t, "assignment on an expired relationship", resp, data, http.StatusBadRequest)
	if !strings.Contains(graphErrorOf(t, data).Error.Message, "'expired'") {
		t.Errorf("the refusal does not name the status: %s", data)
	}
}
