package partnercenter

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

const gdapAssignmentID = "a9d6cf90-083a-47dc-ace2-1da98be3f344"

func TestDelegatedAdminAccessAssignmentCalls(t *testing.T) {
	const etag = `W/"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw=="`
	roles := []string{"29232cdf-9323-42fd-ade2-1d097af3e4de", "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "729827e3-9c14-49f7-bb1b-9608f156bbb8", "3a2c62db-5318-420d-8d74-23affee5d9d5"}
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		one := fixture(t, "gdap-access-assignment-create-response.json")
		switch {
		case r.Method == http.MethodPost:
			writeJSON(w, http.StatusCreated, one)
		case r.Method == http.MethodPatch:
			w.Header().Set("Location", "https://graph.microsoft.com"+gdapRelationshipsPath+"/x/operations/y")
			writeJSON(w, http.StatusAccepted, `{}`)
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		case strings.HasSuffix(r.URL.Path, "/missing"):
			writeGDAPError(w, http.StatusNotFound, "NotFound")
		case strings.HasSuffix(r.URL.Path, "/accessAssignments"):
			writeJSON(w, http.StatusOK, `{"value":[`+one+`]}`)
		default:
			writeJSON(w, http.StatusOK, one)
		}
	}))
	ctx := t.Context()
	created, err := g.CreateDelegatedAdminAccessAssignment(ctx, gdapRelationshipID, "869713c9-0b28-4d08-8949-ae07ae1bf528", roles)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != gdapAssignmentID || created.ETag != etag || created.Status != "pending" ||
		created.SecurityGroupID != "869713c9-0b28-4d08-8949-ae07ae1bf528" || !reflect.DeepEqual(created.Roles, roles) ||
		created.CreatedDateTime == nil || created.LastModifiedDateTime == nil {
		t.Errorf("created %+v", created)
	}
	got, err := g.GetDelegatedAdminAccessAssignment(ctx, gdapRelationshipID, gdapAssignmentID)
	if err != nil || !reflect.DeepEqual(got, created) {
		t.Errorf("got %+v, %v", got, err)
	}
	listed, err := g.ListDelegatedAdminAccessAssignments(ctx, gdapRelationshipID)
	if err != nil || len(listed) != 1 || !reflect.DeepEqual(&listed[0], created) {
		t.Errorf("listed %+v, %v", listed, err)
	}
	updated, err := g.UpdateDelegatedAdminAccessAssignment(ctx, gdapRelationshipID, gdapAssignmentID, etag, roles[:1])
	if err != nil || updated != nil {
		t.Errorf("202: got %+v, %v, want nil, nil", updated, err)
	}
	if err := g.DeleteDelegatedAdminAccessAssignment(ctx, gdapRelationshipID, gdapAssignmentID, etag); err != nil {
		t.Error(err)
	}
	if _, err := g.GetDelegatedAdminAccessAssignment(ctx, gdapRelationshipID, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: %v", err)
	}

	collection := gdapRelationshipsPath + "/" + gdapRelationshipID + "/accessAssignments"
	want := []struct{ method, path, ifMatch, body string }{
		{http.MethodPost, collection, "", `{"accessContainer":{"accessContainerId":"869713c9-0b28-4d08-8949-ae07ae1bf528","accessContainerType":"securityGroup"},"accessDetails":{"unifiedRoles":[{"roleDefinitionId":"29232cdf-9323-42fd-ade2-1d097af3e4de"},{"roleDefinitionId":"f2ef992c-3afb-46b9-b7cf-a126ee74c451"},{"roleDefinitionId":"729827e3-9c14-49f7-bb1b-9608f156bbb8"},{"roleDefinitionId":"3a2c62db-5318-420d-8d74-23affee5d9d5"}]}}`},
		{http.MethodGet, collection + "/" + gdapAssignmentID, "", ""},
		{http.MethodGet, collection, "", ""},
		{http.MethodPatch, collection + "/" + gdapAssignmentID, etag, `{"accessDetails":{"unifiedRoles":[{"roleDefinitionId":"29232cdf-9323-42fd-ade2-1d097af3e4de"}]}}`},
		{http.MethodDelete, collection + "/" + gdapAssignmentID, etag, ""},
		{http.MethodGet, collection + "/missing", "", ""},
	}
	reqs := rec.all()
	if len(reqs) != len(want) {
		t.Fatalf("%d requests, want %d", len(reqs), len(want))
	}
	for i, w := range want {
		r := reqs[i]
		if r.method != w.method || r.path != w.path || r.header.Get("If-Match") != w.ifMatch || string(r.body) != w.body {
			t.Errorf("request %d: %s %s If-Match %q body %s\nwant %+v", i, r.method, r.path, r.header.Get("If-Match"), r.body, w)
		}
	}
}

func TestUpdateDelegatedAdminAccessAssignmentUnchanged(t *testing.T) {
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The page: identical values answer 200 with the assignment.
		writeJSON(w, http.StatusOK, fixture(t, "gdap-access-assignment-create-response.json"))
	}))
	got, err := g.UpdateDelegatedAdminAccessAssignment(t.Context(), gdapRelationshipID, gdapAssignmentID, "e", []string{"r"})
	if err != nil || got == nil || got.ID != gdapAssignmentID {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := g.UpdateDelegatedAdminAccessAssignment(t.Context(), gdapRelationshipID, gdapAssignmentID, "", nil); err == nil {
		t.Error("sent without an etag")
	}
	if err := g.DeleteDelegatedAdminAccessAssignment(t.Context(), gdapRelationshipID, "", "e"); err == nil {
		t.Error("an empty assignment id was accepted")
	}
}
