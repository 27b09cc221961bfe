package partnercenter

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// listPage renders a customer collection page of the given ids (domain
// <id>.example.com); next is the continuation token, "" for the last page.
func listPage(ids []string, next string) string {
	items := make([]string, 0, len(ids))
	for _, id := range ids {
		items = append(items, fmt.Sprintf(`{"id":%q,"companyProfile":{"tenantId":%q,"domain":"%s.example.com","companyName":"Company %s"},"relationshipToPartner":"reseller"}`, id, id, id, id))
	}
	links := `{"self":{"uri":"/customers?size=3","method":"GET","headers":[]}}`
	if next != "" {
		links = fmt.Sprintf(`{"next":{"uri":"/customers?size=3&seekOperation=Next","method":"GET","headers":[{"key":"MS-ContinuationToken","value":%q}]}}`, next)
	}
	return fmt.Sprintf(`{"totalCount":%d,"items":[%s],"links":%s,"attributes":{"objectType":"Collection"}}`, len(ids), strings.Join(items, ","), links)
}

func TestListCustomersReadsAllPages(t *testing.T) {
	var (
		mu         sync.Mutex
		requestIDs = map[string]bool{}
	)
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requestIDs[r.Header.Get("MS-RequestId")] = true
		mu.Unlock()
		token := r.Header.Get("MS-ContinuationToken")
		query := r.URL.Query()
		switch {
		case token == "" && r.URL.RawQuery == "size=3":
			writeJSON(w, http.StatusOK, listPage([]string{"a", "b", "c"}, "token-page-2"))
		case token == "token-page-2" && query.Get("seekOperation") == "Next":
			writeJSON(w, http.StatusOK, listPage([]string{"d", "e", "f"}, "token-page-3"))
		case token == "token-page-3" && query.Get("seekOperation") == "Next":
			writeJSON(w, http.StatusOK, listPage([]string{"g"}, ""))
		default:
			t.Errorf("unexpected request %s with continuation %q", r.URL, token)
			writeJSON(w, http.StatusBadRequest, `{}`)
		}
	}), func(c *Config) { c.PageSize = 3 })
	customers, err := env.client.ListCustomers(t.Context(), ListCustomersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range customers {
		ids = append(ids, *c.ID)
	}
	if strings.Join(ids, "") != "abcdefg" {
		t.Errorf("ids %v", ids)
	}
	if customers[6].CompanyProfile == nil || *customers[6].CompanyProfile.Domain != "g.example.com" || customers[6].BillingProfile != nil {
		t.Errorf("last item %s", dumpCustomer(&customers[6]))
	}
	if len(requestIDs) != 3 {
		t.Errorf("%d distinct MS-RequestIds for 3 pages, want 3", len(requestIDs))
	}
}

func TestListCustomersFilterQuery(t *testing.T) {
	tests := []struct {
		filter CustomerFilter
		want   string
	}{
		{CustomerFilter{CustomerFilterDomain, "contoso"}, `{"Field":"Domain","Value":"contoso","Operator":"starts_with"}`},
		{CustomerFilter{CustomerFilterCompanyName, `A&B "<Ltd>" +é`}, `{"Field":"CompanyName","Value":"A&B \"<Ltd>\" +é","Operator":"starts_with"}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.filter.Field), func(t *testing.T) {
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				if q.Get("size") != "500" || q.Get("filter") != tt.want {
					t.Errorf("size %q, filter %q; want 500 and %s", q.Get("size"), q.Get("filter"), tt.want)
				}
				var decoded map[string]string
				if err := json.Unmarshal([]byte(q.Get("filter")), &decoded); err != nil || decoded["Value"] != tt.filter.Value {
					t.Errorf("filter decodes to %v (%v)", decoded, err)
				}
				if !strings.HasPrefix(r.URL.RawQuery, "size=500&filter=") {
					t.Errorf("raw query %q", r.URL.RawQuery)
				}
				writeJSON(w, http.StatusOK, `{"totalCount":0,"items":[],"links":{}}`)
			}))
			customers, err := env.client.ListCustomers(t.Context(), ListCustomersOptions{Filter: &tt.filter})
			if err != nil || len(customers) != 0 {
				t.Fatalf("customers %v, err %v", customers, err)
			}
		})
	}
}

func TestListCustomersRejectsBadFilters(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		t.Error("no request expected")
	}))
	for _, f := range []CustomerFilter{{"IndirectReseller", "x"}, {CustomerFilterDomain, " "}} {
		if _, err := env.client.ListCustomers(t.Context(), ListCustomersOptions{Filter: &f}); err == nil {
			t.Errorf("filter %+v accepted", f)
		}
	}
}

func TestListCustomersStopsBadPaging(t *testing.T) {
	next := func(uri, token string) string {
		return fmt.Sprintf(`{"items":[{"id":"a"}],"links":{"next":{"uri":%q,"headers":[{"key":"MS-ContinuationToken","value":%q}]}}}`, uri, token)
	}
	tests := []struct {
		name      string
		page      func(n int) string
		pageLimit int
		want      string
	}{
		{"same continuation twice", func(int) string { return next("/customers?seek=Next", "same") }, 0,
			"list customers (page 2): invalid response (HTTP 200): the service returned the same continuation twice"},
		{"endless pages", func(n int) string { return next("/customers?seek=Next", fmt.Sprint(n)) }, 4,
			"list customers (page 4): invalid response (HTTP 200): the service still offers a next page after 4 pages"},
		{"absolute next link", func(int) string { return next("https://evil.example/customers", "t") }, 0,
			"is not a path relative to the API"},
		{"scheme-relative next link", func(int) string { return next("//evil.example/customers", "t") }, 0,
			"is not a path relative to the API"},
		{"bad header name", func(int) string {
			return `{"items":[],"links":{"next":{"uri":"/customers","headers":[{"key":"Bad Key","value":"v"}]}}}`
		}, 0, `invalid header "Bad Key"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				mu sync.Mutex
				n  int
			)
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				n++
				page := tt.page(n)
				mu.Unlock()
				writeJSON(w, http.StatusOK, page)
			}))
			if tt.pageLimit > 0 {
				env.client.pageLimit = tt.pageLimit
			}
			_, err := env.client.ListCustomers(t.Context(), ListCustomersOptions{})
			var ire *InvalidResponseError
			if !errors.As(err, &ire) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want *InvalidResponseError containing %q", err, tt.want)
			}
		})
	}
}

func TestNextPageURL(t *testing.T) {
	c := &Client{baseURL: "https://api.example.com"}
	for uri, want := range map[string]string{
		"/customers?size=3&seekOperation=Next": "https://api.example.com/v1/customers?size=3&seekOperation=Next",
		"/v1/customers?seekOperation=Next":     "https://api.example.com/v1/customers?seekOperation=Next",
	} {
		got, _, err := c.nextPage(&pageLink{URI: uri}, "https://api.example.com/v1/customers?size=3")
		if err != nil || got != want {
			t.Errorf("nextPage(%q) = %q, %v; want %q", uri, got, err, want)
		}
	}
	for _, uri := range []string{
		"", "customers", "/\\evil", "/customers\r\nX: y", "/%zz",
		// Other paths of the API, which the bearer token must not be sent to.
		"/customers/eebd1b55-5360-4438-a11d-5c06918c3014/subscriptions?seekOperation=Next",
		"/v1/customers/../../oauth2/v2.0/token", "/../../oauth2/v2.0/token", "/v1/%63ustomers?x=1",
		"/v1/customers/", "/v1/users?size=3", "/v1/v1/customers",
	} {
		if _, _, err := c.nextPage(&pageLink{URI: uri}, "https://api.example.com/v1/customers?size=3"); err == nil {
			t.Errorf("nextPage(%q) accepted", uri)
		}
	}
}

// A page far larger than asked for is refused while it is decoded, before a
// flood of tiny items can grow into gigabytes of customers; items without an
// id are refused too.
func TestListCustomersBoundsPages(t *testing.T) {
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("c%d", i)
		}
		return out
	}
	flood := `{"items":[` + strings.Repeat(`{},`, 100000) + `{}]}`
	for _, tt := range []struct {
		name, page, want string
	}{
		{"100,000 empty items", flood, "the page holds more than 103 items, though 3 were asked for"},
		{"one item too many", listPage(ids(104), ""), "more than 103 items"},
		{"an item without id", `{"items":[{"id":"a"},{"companyProfile":{"domain":"b.example.com"}}]}`, "item 2 of the page has no id"},
		{"an empty id", `{"items":[{"id":" "}]}`, "item 1 of the page has no id"},
		{"items not an array", `{"items":{"id":"a"}}`, "items are not an array"},
		{"not a collection", `[{"id":"a"}]`, "not a collection"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, tt.page)
			}), func(c *Config) { c.PageSize = 3 })
			_, err := env.client.ListCustomers(t.Context(), ListCustomersOptions{})
			var ire *InvalidResponseError
			if !errors.As(err, &ire) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want an invalid response saying %q", err, tt.want)
			}
		})
	}
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, listPage(ids(103), ""))
	}), func(c *Config) { c.PageSize = 3 })
	if customers, err := env.client.ListCustomers(t.Context(), ListCustomersOptions{}); err != nil || len(customers) != 103 {
		t.Errorf("a page within the margin: %d customers, %v", len(customers), err)
	}
}

// A next link must stay on the collection: another path of the API (or one
// climbing out of it) would receive the bearer token.
func TestListCustomersStaysOnTheCollection(t *testing.T) {
	for _, next := range []string{
		"/customers/eebd1b55-5360-4438-a11d-5c06918c3014/subscriptions",
		"/../../oauth2/v2.0/token",
		"/v1/customers/../../oauth2/v2.0/token?size=3",
	} {
		var requests int
		env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests++
			writeJSON(w, http.StatusOK, fmt.Sprintf(`{"items":[{"id":"a"}],"links":{"next":{"uri":%q,"headers":[]}}}`, next))
		}))
		_, err := env.client.ListCustomers(t.Context(), ListCustomersOptions{})
		if err == nil || !strings.Contains(err.Error(), "leaves the collection /v1/customers") || requests != 1 {
			t.Errorf("next %q: %d requests, err = %v", next, requests, err)
		}
	}
}

// The collection's path is taken below the base URL, which may have its own.
func TestNextPageUnderABasePath(t *testing.T) {
	c := &Client{baseURL: "https://proxy.example.com/partnercenter"}
	current := "https://proxy.example.com/partnercenter/v1/customers?size=3"
	got, _, err := c.nextPage(&pageLink{URI: "/customers?seekOperation=Next"}, current)
	if err != nil || got != "https://proxy.example.com/partnercenter/v1/customers?seekOperation=Next" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, _, err := c.nextPage(&pageLink{URI: "/v1/customers/x/subscriptions"}, current); err == nil {
		t.Error("a link leaving the collection was accepted")
	}
}

// A next link quoting the bearer token is server text too: the trace log
// shows it redacted.
func TestListCustomersLogsNextLinksRedacted(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("echo") {
			writeJSON(w, http.StatusOK, listPage([]string{"b"}, ""))
			return
		}
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"items":[{"id":"a"}],"links":{"next":{"uri":"/customers?echo=%s"}}}`, token))
	}))
	if _, err := env.client.ListCustomers(t.Context(), ListCustomersOptions{}); err != nil {
		t.Fatal(err)
	}
	env.log.mu.Lock()
	defer env.log.mu.Unlock()
	logged := 0
	for _, e := range env.log.entries {
		if u, ok := e.fields["url"].(string); ok {
			logged++
			if strings.Contains(u, "token-1") {
				t.Errorf("the log shows the token: %q", u)
			}
		}
	}
	if logged != 2 {
		t.Errorf("%d requests logged, want 2", logged)
	}
}

// Each page reaches the caller before the next is requested, and an error
// from the caller stops the listing without another request.
func TestListCustomerPagesHandsOverEachPage(t *testing.T) {
	var requests atomic.Int32
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get("MS-ContinuationToken") == "" {
			writeJSON(w, http.StatusOK, listPage([]string{"a", "b", "c"}, "token-page-2"))
			return
		}
		writeJSON(w, http.StatusOK, listPage([]string{"d"}, ""))
	}), func(c *Config) { c.PageSize = 3 })

	var sizes []int
	err := env.client.ListCustomerPages(t.Context(), ListCustomersOptions{}, func(page []Customer) error {
		if n := int(requests.Load()); len(sizes) != n-1 {
			t.Errorf("page %d handed over after %d requests", len(sizes)+1, n)
		}
		sizes = append(sizes, len(page))
		return nil
	})
	if err != nil || fmt.Sprint(sizes) != "[3 1]" {
		t.Fatalf("pages of %v, err %v; want [3 1]", sizes, err)
	}

	requests.Store(0)
	stop := errors.New("enough")
	err = env.client.ListCustomerPages(t.Context(), ListCustomersOptions{}, func([]Customer) error { return stop })
	if !errors.Is(err, stop) || requests.Load() != 1 {
		t.Errorf("err %v after %d requests; want the caller's error after 1", err, requests.Load())
	}
}
