package partnercenter

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// newGDAPTestClient is a GraphClient wired to an httptest server serving
// handler, with waits recorded instead of slept.
func newGDAPTestClient(t *testing.T, handler http.Handler) (*GraphClient, *apiTestEnv) {
	t.Helper()
	var cfg Config
	env := newAPITestClient(t, handler, func(c *Config) {
		c.CorrelationID = gdapTestCorrelationID
		cfg = *c
	})
	g, err := NewGraphClient(cfg)
	if err != nil {
		t.Fatalf("NewGraphClient: %v", err)
	}
	g.c.sleep = env.client.sleep // records the waits in env
	env.client = g.c
	return g, env
}

const gdapTestCorrelationID = "0b9a5c3e-3f0e-4c55-9f3a-5c1d2e3f4a5b"

func TestNewGraphClient(t *testing.T) {
	g, _ := newGDAPTestClient(t, http.NotFoundHandler())
	if !g.c.graph || g.CorrelationID() != gdapTestCorrelationID {
		t.Errorf("graph %v, correlation id %q", g.c.graph, g.CorrelationID())
	}
	if _, err := NewGraphClient(Config{BaseURL: "https://graph.microsoft.com/v1.0", TokenSource: &apiTestTokens{}}); err == nil {
		t.Error("a base URL with the version was accepted")
	}
}

// gdapListPage renders a Graph collection page of objects with the given ids;
// next is the @odata.nextLink, "" for the last page.
func gdapListPage(next string, ids ...string) string {
	items := make([]string, 0, len(ids))
	for _, id := range ids {
		items = append(items, fmt.Sprintf(`{"@odata.etag":"W/\"e-%s\"","id":%q,"status":"active"}`, id, id))
	}
	link := ""
	if next != "" {
		link = fmt.Sprintf(`,"@odata.nextLink":%q`, next)
	}
	return fmt.Sprintf(`{"@odata.context":"ctx","value":[%s]%s}`, strings.Join(items, ","), link)
}

func TestGraphListFollowsNextLinkAcrossPages(t *testing.T) {
	var rec recorder
	var srvURL string
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch rec.record(r) {
		case 0:
			writeJSON(w, http.StatusOK, gdapListPage(srvURL+"/v1.0/tenantRelationships/delegatedAdminRelationships/x/accessAssignments?$skiptoken=p2", "a", "b"))
		default:
			writeJSON(w, http.StatusOK, gdapListPage("", "c"))
		}
	}))
	srvURL = g.c.baseURL
	got, err := g.ListDelegatedAdminAccessAssignments(t.Context(), "x")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range got {
		ids = append(ids, a.ID+"="+a.ETag)
	}
	if strings.Join(ids, " ") != `a=W/"e-a" b=W/"e-b" c=W/"e-c"` {
		t.Errorf("items %v", ids)
	}
	reqs := rec.all()
	if len(reqs) != 2 || reqs[1].query != "$skiptoken=p2" || reqs[1].header.Get("Authorization") == "" {
		t.Errorf("requests %+v", reqs)
	}
}

func TestGraphListRefusesNextLinkElsewhere(t *testing.T) {
	var elsewhere recorder
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.record(r)
		writeJSON(w, http.StatusOK, gdapListPage(""))
	}))
	t.Cleanup(other.Close)
	tests := map[string]func(base string) string{
		"another origin": func(string) string {
			return other.URL + "/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=p2"
		},
		"outside the version":    func(base string) string { return base + "/beta/tenantRelationships/delegatedAdminRelationships" },
		"relative link":          func(string) string { return "/v1.0/tenantRelationships/delegatedAdminRelationships" },
		"user info in the link":  func(base string) string { return strings.Replace(base, "://", "://u:p@", 1) + "/v1.0/x" },
		"dot segments past root": func(base string) string { return base + "/v1.0/%2e%2e/x" },
	}
	for name, link := range tests {
		t.Run(name, func(t *testing.T) {
			var rec recorder
			var base string
			g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.record(r)
				writeJSON(w, http.StatusOK, gdapListPage(link(base), "a"))
			}))
			base = g.c.baseURL
			_, err := g.ListDelegatedAdminRelationships(t.Context(), DelegatedAdminRelationshipFilter{})
			var ire *InvalidResponseError
			if !errors.As(err, &ire) || !ire.Graph || !strings.Contains(ire.Reason, "next page link") {
				t.Fatalf("err = %v, want an invalid next link", err)
			}
			if n := len(rec.all()); n != 1 {
				t.Errorf("%d requests to the API, want 1", n)
			}
		})
	}
	if n := len(elsewhere.all()); n != 0 {
		t.Errorf("%d requests reached the other origin", n)
	}
}

func TestGraphListStopsOnRepeatedLink(t *testing.T) {
	var rec recorder
	var base string
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, http.StatusOK, gdapListPage(base+"/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=same", "a"))
	}))
	base = g.c.baseURL
	_, err := g.ListDelegatedAdminRelationships(t.Context(), DelegatedAdminRelationshipFilter{})
	var ire *InvalidResponseError
	if !errors.As(err, &ire) || !ire.Graph || !strings.Contains(ire.Reason, "same next page link twice") {
		t.Fatalf("err = %v", err)
	}
	if n := len(rec.all()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestGraphListBoundsPages(t *testing.T) {
	var rec recorder
	var base string
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := rec.record(r)
		writeJSON(w, http.StatusOK, gdapListPage(fmt.Sprintf("%s/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=%d", base, n), fmt.Sprint(n)))
	}))
	base = g.c.baseURL
	g.c.pageLimit = 3
	_, err := g.ListDelegatedAdminRelationships(t.Context(), DelegatedAdminRelationshipFilter{})
	var ire *InvalidResponseError
	if !errors.As(err, &ire) || !ire.Graph || !strings.Contains(ire.Reason, "after 3 pages") {
		t.Fatalf("err = %v", err)
	}
	if n := len(rec.all()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestGraphListRefusesItemWithoutID(t *testing.T) {
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"value":[{"id":"a"},{"status":"active"}]}`)
	}))
	_, err := g.ListDelegatedAdminRelationshipRequests(t.Context(), "r")
	var ire *InvalidResponseError
	if !errors.As(err, &ire) || !ire.Graph || !strings.Contains(ire.Reason, "item 2") {
		t.Fatalf("err = %v", err)
	}
}

func TestGraphTimeDecoding(t *testing.T) {
	want := time.Date(2022, 2, 10, 11, 24, 42, 314826600, time.UTC)
	for in, wantSet := range map[string]bool{`""`: false, `null`: false, `"2022-02-10T11:24:42.3148266Z"`: true} {
		var d graphTime
		if err := d.UnmarshalJSON([]byte(in)); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if (d.t != nil) != wantSet || wantSet && !d.t.Equal(want) {
			t.Errorf("%s: got %v", in, d.t)
		}
	}
	var d graphTime
	if err := d.UnmarshalJSON([]byte(`"yesterday"`)); err == nil {
		t.Error("a malformed date was accepted")
	}
}

// An object without an id is Graph's invalid answer, named as Graph's.
func TestGraphObjectWithoutIDIsGraphsInvalidResponse(t *testing.T) {
	g, _ := newGDAPTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "5d7c1f0e-0000-4000-8000-000000000001")
		writeJSON(w, http.StatusOK, `{"displayName":"no id"}`)
	}))
	_, err := g.GetDelegatedAdminRelationship(t.Context(), "r")
	var ire *InvalidResponseError
	if !errors.As(err, &ire) || !ire.Graph || !strings.Contains(err.Error(), "request-id 5d7c1f0e-0000-4000-8000-000000000001") {
		t.Fatalf("err = %v", err)
	}
	_, err = g.GetDelegatedAdminAccessAssignment(t.Context(), "r", "a")
	if !errors.As(err, &ire) || !ire.Graph {
		t.Fatalf("err = %v", err)
	}
}
