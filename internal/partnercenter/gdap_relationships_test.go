package partnercenter

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

const gdapRelationshipID = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"

const gdapRelationshipsPath = "/v1.0/tenantRelationships/delegatedAdminRelationships"

// writeGDAPError writes an error in Graph's shape.
func writeGDAPError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, `{"error":{"code":"`+code+`","message":"refused","innerError":{"request-id":"r","date":"2022-02-10T11:24:42"}}}`)
}

func TestCreateDelegatedAdminRelationshipDocumented(t *testing.T) {
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		w.Header().Set("Location", "https://graph.microsoft.com"+gdapRelationshipsPath+"/"+gdapRelationshipID)
		writeJSON(w, http.StatusCreated, fixture(t, "gdap-relationship-create-response.json"))
	}))
	got, err := g.CreateDelegatedAdminRelationship(t.Context(), NewDelegatedAdminRelationship{
		DisplayName: "Contoso admin relationship", Duration: "P730D", AutoExtendDuration: "P180D",
		Customer: &DelegatedAdminCustomer{TenantID: "4b827261-d21f-4aa9-b7db-7fa1f56fb163", DisplayName: "Contoso subsidiary Inc"},
		Roles:    []string{"29232cdf-9323-42fd-ade2-1d097af3e4de", "3a2c62db-5318-420d-8d74-23affee5d9d5"},
	})
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if len(reqs) != 1 || reqs[0].method != http.MethodPost || reqs[0].path != gdapRelationshipsPath {
		t.Fatalf("requests %+v", reqs)
	}
	if want := jsonObject(t, []byte(fixture(t, "gdap-relationship-create-request.json"))); !reflect.DeepEqual(jsonObject(t, reqs[0].body), want) {
		t.Errorf("body %s, want the documented request", reqs[0].body)
	}
	end := time.Date(2024, 2, 10, 11, 24, 42, 314826600, time.UTC)
	if got.ID != gdapRelationshipID || got.Status != RelationshipStatusCreated || got.ETag != `W/"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw=="` ||
		got.Duration != "P730D" || got.AutoExtendDuration != "P180D" || got.DisplayName != "Contoso admin relationship" ||
		got.Customer == nil || got.Customer.TenantID != "4b827261-d21f-4aa9-b7db-7fa1f56fb163" ||
		strings.Join(got.Roles, ",") != "29232cdf-9323-42fd-ade2-1d097af3e4de,3a2c62db-5318-420d-8d74-23affee5d9d5" ||
		got.ActivatedDateTime != nil || got.EndDateTime == nil || !got.EndDateTime.Equal(end) ||
		got.CreatedDateTime == nil || got.LastModifiedDateTime == nil {
		t.Errorf("decoded %+v", got)
	}
}

func TestCreateDelegatedAdminRelationshipWithoutCustomerOmitsIt(t *testing.T) {
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, http.StatusCreated, `{"id":"x","status":"created","customer":null,"activatedDateTime":null}`)
	}))
	got, err := g.CreateDelegatedAdminRelationship(t.Context(), NewDelegatedAdminRelationship{DisplayName: "d", Duration: "P1D", Roles: []string{"r"}})
	if err != nil {
		t.Fatal(err)
	}
	body := jsonObject(t, rec.all()[0].body)
	if _, ok := body["customer"]; ok {
		t.Errorf("body names a customer: %v", body)
	}
	if _, ok := body["autoExtendDuration"]; ok {
		t.Errorf("body sets autoExtendDuration: %v", body)
	}
	if got.Customer != nil || got.ActivatedDateTime != nil {
		t.Errorf("decoded %+v", got)
	}
}

func TestGraphPostsAreSentOnce(t *testing.T) {
	calls := map[string]func(g *GraphClient) error{
		"create relationship": func(g *GraphClient) error {
			_, err := g.CreateDelegatedAdminRelationship(t.Context(), NewDelegatedAdminRelationship{DisplayName: "d", Duration: "P1D", Roles: []string{"r"}})
			return err
		},
		"lock": func(g *GraphClient) error {
			_, err := g.CreateDelegatedAdminRelationshipRequest(t.Context(), gdapRelationshipID, ActionLockForApproval)
			return err
		},
		"terminate": func(g *GraphClient) error {
			_, err := g.CreateDelegatedAdminRelationshipRequest(t.Context(), gdapRelationshipID, ActionTerminate)
			return err
		},
		"create access assignment": func(g *GraphClient) error {
			_, err := g.CreateDelegatedAdminAccessAssignment(t.Context(), gdapRelationshipID, "g", []string{"r"})
			return err
		},
	}
	for name, call := range calls {
		for _, fault := range []string{"500", "dropped connection"} {
			t.Run(name+"/"+fault, func(t *testing.T) {
				var rec recorder
				g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					rec.record(r)
					if fault == "500" {
						writeGDAPError(w, http.StatusInternalServerError, "InternalServerError")
						return
					}
					dropConnection(t, w)
				}))
				if err := call(g); err == nil {
					t.Fatal("no error")
				}
				if n := len(rec.all()); n != 1 {
					t.Errorf("sent %d times, want once", n)
				}
			})
		}
		t.Run(name+"/429", func(t *testing.T) {
			var rec recorder
			g, env := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if rec.record(r) == 0 {
					w.Header().Set("Retry-After", "7")
					writeGDAPError(w, http.StatusTooManyRequests, "TooManyRequests")
					return
				}
				writeJSON(w, http.StatusCreated, `{"id":"x","status":"created"}`)
			}))
			if err := call(g); err != nil {
				t.Fatal(err)
			}
			if n := len(rec.all()); n != 2 {
				t.Errorf("sent %d times, want 2", n)
			}
			if w := env.waits(); len(w) != 1 || w[0] != 7*time.Second {
				t.Errorf("waits %v, want the Retry-After", w)
			}
		})
	}
}

func TestGetDelegatedAdminRelationship(t *testing.T) {
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		if strings.HasSuffix(r.URL.Path, "/missing") {
			writeGDAPError(w, http.StatusNotFound, "NotFound")
			return
		}
		writeJSON(w, http.StatusOK, fixture(t, "gdap-relationship-create-response.json"))
	}))
	got, err := g.GetDelegatedAdminRelationship(t.Context(), gdapRelationshipID)
	if err != nil || got.ID != gdapRelationshipID {
		t.Fatalf("got %+v, %v", got, err)
	}
	_, err = g.GetDelegatedAdminRelationship(t.Context(), "missing")
	var apiErr *APIError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &apiErr) {
		t.Errorf("err = %v, want a not-found *APIError", err)
	}
	reqs := rec.all()
	if len(reqs) != 2 || reqs[0].method != http.MethodGet || reqs[0].path != gdapRelationshipsPath+"/"+gdapRelationshipID {
		t.Errorf("requests %+v", reqs)
	}
	if _, err := g.GetDelegatedAdminRelationship(t.Context(), " "); err == nil || len(rec.all()) != 2 {
		t.Errorf("an empty id was sent: %v", err)
	}
}

func TestListDelegatedAdminRelationshipsFilter(t *testing.T) {
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		// A service that ignored the filter: the client drops what does not match.
		writeJSON(w, http.StatusOK, `{"value":[
			{"id":"a","displayName":"O'Brien","status":"active","customer":{"tenantId":"T1"}},
			{"id":"b","displayName":"O'Brien","status":"expired","customer":{"tenantId":"t1"}},
			{"id":"c","displayName":"other","status":"ACTIVE","customer":{"tenantId":"t1"}},
			{"id":"d","displayName":"o'brien","status":"active","customer":null},
			{"id":"e","displayName":"o'brien","status":"active","customer":{"tenantId":"t1"}}]}`)
	}))
	got, err := g.ListDelegatedAdminRelationships(t.Context(), DelegatedAdminRelationshipFilter{
		CustomerTenantID: "t1", Status: RelationshipStatusActive, DisplayName: "O'Brien",
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "a,e" {
		t.Errorf("ids %v, want a,e", ids)
	}
	want := "$filter=customer%2FtenantId%20eq%20%27t1%27%20and%20status%20eq%20%27active%27"
	if q := rec.all()[0].query; q != want {
		t.Errorf("query %s\nwant  %s", q, want)
	}
	// A quote in a tenant id cannot end the OData string early.
	if _, err := g.ListDelegatedAdminRelationships(t.Context(), DelegatedAdminRelationshipFilter{CustomerTenantID: "x' or 1 eq 1 or 'a"}); err != nil {
		t.Fatal(err)
	}
	if q, _ := url.QueryUnescape(rec.all()[1].query); q != "$filter=customer/tenantId eq 'x'' or 1 eq 1 or ''a'" {
		t.Errorf("query %s", q)
	}
}

func TestListDelegatedAdminRelationshipsUnfiltered(t *testing.T) {
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, http.StatusOK, `{"value":[{"id":"a","status":"unknownFutureValue"}]}`)
	}))
	got, err := g.ListDelegatedAdminRelationships(t.Context(), DelegatedAdminRelationshipFilter{})
	if err != nil || len(got) != 1 || got[0].Status != "unknownFutureValue" {
		t.Fatalf("got %+v, %v", got, err)
	}
	if r := rec.all()[0]; r.query != "" || r.path != gdapRelationshipsPath {
		t.Errorf("request %+v", r)
	}
}

func TestUpdateDelegatedAdminRelationship(t *testing.T) {
	const etag = `W/"JyI0NzAwNjg0NS0wMDAwLTE5MDAtMDAwMC02MGY0Yjg4MzAwMDAiJw=="`
	status := http.StatusOK
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch status {
		case http.StatusAccepted:
			w.Header().Set("Location", "https://graph.microsoft.com"+gdapRelationshipsPath+"/x/operations/y")
			writeJSON(w, status, `{}`)
		case http.StatusPreconditionFailed:
			writeGDAPError(w, status, "PreconditionFailed")
		default:
			writeJSON(w, status, fixture(t, "gdap-relationship-create-response.json"))
		}
	}))
	auto := "PT0S"
	got, err := g.UpdateDelegatedAdminRelationship(t.Context(), gdapRelationshipID, etag, DelegatedAdminRelationshipPatch{AutoExtendDuration: &auto})
	if err != nil || got == nil || got.ID != gdapRelationshipID {
		t.Fatalf("got %+v, %v", got, err)
	}
	r := rec.all()[0]
	if r.method != http.MethodPatch || r.path != gdapRelationshipsPath+"/"+gdapRelationshipID || r.header.Get("If-Match") != etag ||
		string(r.body) != `{"autoExtendDuration":"PT0S"}` {
		t.Errorf("request %s %s If-Match %q body %s", r.method, r.path, r.header.Get("If-Match"), r.body)
	}

	status = http.StatusAccepted
	got, err = g.UpdateDelegatedAdminRelationship(t.Context(), gdapRelationshipID, etag, DelegatedAdminRelationshipPatch{Roles: []string{"r1"}})
	if err != nil || got != nil {
		t.Fatalf("202: got %+v, %v, want nil, nil", got, err)
	}
	if body := string(rec.all()[1].body); body != `{"accessDetails":{"unifiedRoles":[{"roleDefinitionId":"r1"}]}}` {
		t.Errorf("body %s", body)
	}

	status = http.StatusPreconditionFailed
	_, err = g.UpdateDelegatedAdminRelationship(t.Context(), gdapRelationshipID, etag, DelegatedAdminRelationshipPatch{Roles: []string{"r1"}})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusPreconditionFailed || len(rec.all()) != 3 {
		t.Errorf("412: %v after %d requests", err, len(rec.all()))
	}

	if _, err := g.UpdateDelegatedAdminRelationship(t.Context(), gdapRelationshipID, "", DelegatedAdminRelationshipPatch{Roles: []string{}}); err == nil || len(rec.all()) != 3 {
		t.Errorf("sent without an etag: %v", err)
	}
}

func TestUpdateDelegatedAdminRelationshipRetriesUnknownOutcome(t *testing.T) {
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec.record(r) == 0 {
			dropConnection(t, w)
			return
		}
		writeJSON(w, http.StatusOK, fixture(t, "gdap-relationship-create-response.json"))
	}))
	name := "n"
	if _, err := g.UpdateDelegatedAdminRelationship(t.Context(), gdapRelationshipID, "e", DelegatedAdminRelationshipPatch{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if len(reqs) != 2 || reqs[1].header.Get("If-Match") != "e" {
		t.Errorf("requests %+v", reqs)
	}
}

func TestDeleteDelegatedAdminRelationship(t *testing.T) {
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		w.WriteHeader(http.StatusNoContent)
	}))
	if err := g.DeleteDelegatedAdminRelationship(t.Context(), gdapRelationshipID, "e1"); err != nil {
		t.Fatal(err)
	}
	r := rec.all()[0]
	if r.method != http.MethodDelete || r.path != gdapRelationshipsPath+"/"+gdapRelationshipID || r.header.Get("If-Match") != "e1" {
		t.Errorf("request %+v", r)
	}
	if err := g.DeleteDelegatedAdminRelationship(t.Context(), gdapRelationshipID, ""); err == nil || len(rec.all()) != 1 {
		t.Errorf("sent without an etag: %v", err)
	}
}

func TestDelegatedAdminRelationshipRequests(t *testing.T) {
	var rec recorder
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch {
		case r.Method == http.MethodPost:
			writeJSON(w, http.StatusCreated, fixture(t, "gdap-request-lock-response.json"))
		case strings.HasSuffix(r.URL.Path, "/requests"):
			writeJSON(w, http.StatusOK, `{"value":[`+fixture(t, "gdap-request-lock-response.json")+`]}`)
		default:
			writeJSON(w, http.StatusOK, `{"value":[{"@odata.etag":"W/\"o\"","id":"op1","operationType":"delegatedAdminAccessAssignmentUpdate","status":"running","data":"{}","createdDateTime":"2022-02-10T10:55:47Z","lastModifiedDateTime":""}]}`)
		}
	}))
	req, err := g.CreateDelegatedAdminRelationshipRequest(t.Context(), gdapRelationshipID, ActionLockForApproval)
	if err != nil {
		t.Fatal(err)
	}
	if req.ID != "5a6666c9-7282-0a41-67aa-25a5a3fbf339" || req.Action != ActionLockForApproval || req.Status != "created" || req.CreatedDateTime == nil {
		t.Errorf("request %+v", req)
	}
	listed, err := g.ListDelegatedAdminRelationshipRequests(t.Context(), gdapRelationshipID)
	if err != nil || len(listed) != 1 || !reflect.DeepEqual(listed[0], *req) {
		t.Errorf("listed %+v, %v", listed, err)
	}
	ops, err := g.ListDelegatedAdminRelationshipOperations(t.Context(), gdapRelationshipID)
	if err != nil || len(ops) != 1 || ops[0].ID != "op1" || ops[0].ETag != `W/"o"` || ops[0].Status != "running" ||
		ops[0].Data != "{}" || ops[0].CreatedDateTime == nil || ops[0].LastModifiedDateTime != nil {
		t.Errorf("operations %+v, %v", ops, err)
	}
	reqs := rec.all()
	var body map[string]string
	if err := json.Unmarshal(reqs[0].body, &body); err != nil || len(body) != 1 || body["action"] != "lockForApproval" {
		t.Errorf("body %s", reqs[0].body)
	}
	base := gdapRelationshipsPath + "/" + gdapRelationshipID
	if reqs[0].path != base+"/requests" || reqs[1].path != base+"/requests" || reqs[2].path != base+"/operations" {
		t.Errorf("paths %s %s %s", reqs[0].path, reqs[1].path, reqs[2].path)
	}
}

// The list page's example holds a resellerDelegatedAdminRelationship next
// to the partner's own relationships.
func TestListDelegatedAdminRelationshipsReseller(t *testing.T) {
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `{"value":[
			{"@odata.type":"#microsoft.graph.delegatedAdminRelationship","id":"5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836","status":"active"},
			{"@odata.type":"#microsoft.graph.resellerDelegatedAdminRelationship",
			 "@odata.etag":"W/\"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw==\"",
			 "id":"4b227261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836",
			 "displayName":"Fabrikam admin relationship","duration":"P180D",
			 "customer":{"tenantId":"52eaad04-13a2-4a2f-9ce8-93a294fadf36","displayName":"Fabrikam Inc."},
			 "accessDetails":{"unifiedRoles":[{"roleDefinitionId":"7be44c8a-adaf-4e2a-84d6-ab2649e08a13"}]},
			 "status":"approvalPending","autoExtendDuration":"PT0S",
			 "createdDateTime":"2022-02-10T11:24:42.3148266Z","lastModifiedDateTime":"2022-02-10T11:26:44.9941884Z",
			 "activatedDateTime":null,"endDateTime":null,
			 "isPartnerConsentPending":true,"indirectProviderTenantId":"60ea59db-a506-485e-94c5-d115f369e239"}]}`)
	}))
	got, err := g.ListDelegatedAdminRelationships(t.Context(), DelegatedAdminRelationshipFilter{})
	if err != nil || len(got) != 2 {
		t.Fatalf("got %+v, %v", got, err)
	}
	if got[0].Reseller || !got[1].Reseller {
		t.Errorf("reseller flags %v, %v; want false, true", got[0].Reseller, got[1].Reseller)
	}
	if r := got[1]; r.DisplayName != "Fabrikam admin relationship" || r.Status != RelationshipStatusApprovalPending ||
		r.ActivatedDateTime != nil || len(r.Roles) != 1 {
		t.Errorf("reseller relationship %+v", r)
	}
}
