package mockpartnercenter

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

type testLink struct {
	URI     string `json:"uri"`
	Method  string `json:"method"`
	Headers []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"headers"`
}

type testPage struct {
	TotalCount int              `json:"totalCount"`
	Items      []map[string]any `json:"items"`
	Links      struct {
		Self testLink  `json:"self"`
		Next *testLink `json:"next"`
	} `json:"links"`
	Attributes struct {
		ObjectType string `json:"objectType"`
	} `json:"attributes"`
}

// listAll follows next links from firstPath, returning every page. Links
// must have the live service's form, "/v1/customers?...".
func listAll(t *testing.T, base, tok, firstPath string) []testPage {
	t.Helper()
	return listAllWith(t, base, tok, firstPath, "")
}

// listAllWith is listAll for links that need prefix before them.
func listAllWith(t *testing.T, base, tok, firstPath, prefix string) []testPage {
	t.Helper()
	var pages []testPage
	path, headers := firstPath, map[string]string(nil)
	for range 100 {
		resp, body := apiGet(t, base, tok, path, headers)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		var p testPage
		decodeJSON(t, body, &p)
		if p.Attributes.ObjectType != "Collection" || p.TotalCount != len(p.Items) {
			t.Fatalf("bad page: %s", body)
		}
		pages = append(pages, p)
		if p.Links.Next == nil {
			return pages
		}
		if p.Links.Next.Method != "GET" || !strings.HasPrefix(prefix+p.Links.Next.URI, "/v1/customers?") {
			t.Fatalf("next link %+v, want it below %q", p.Links.Next, prefix)
		}
		path = prefix + p.Links.Next.URI
		headers = map[string]string{}
		for _, h := range p.Links.Next.Headers {
			headers[h.Key] = h.Value
		}
	}
	t.Fatal("too many pages")
	return nil
}

func TestListPaging(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 10})
	tok := accessToken(t, ts.URL)
	pages := listAll(t, ts.URL, tok, "/v1/customers?size=4")
	if len(pages) != 3 || pages[0].TotalCount != 4 || pages[2].TotalCount != 3 {
		t.Fatalf("pages: %d", len(pages))
	}
	var ids []string
	for _, p := range pages {
		for _, it := range p.Items {
			id, _ := it["id"].(string)
			ids = append(ids, id)
			if _, ok := it["billingProfile"]; ok {
				t.Fatal("list item carries a billing profile")
			}
			cp, _ := it["companyProfile"].(map[string]any)
			if _, ok := cp["address"]; ok || cp["domain"] == nil || cp["tenantId"] != it["id"] {
				t.Fatalf("company profile projection: %v", cp)
			}
		}
	}
	if strings.Join(ids, ",") != strings.Join(s.CustomerIDs(), ",") {
		t.Fatalf("ids %v\nwant %v", ids, s.CustomerIDs())
	}
	if s.Requests(RouteListCustomers) != 3 {
		t.Fatalf("list requests = %d", s.Requests(RouteListCustomers))
	}
	// The exact final size boundary: 11 customers in pages of 11 -> one page.
	if p := listAll(t, ts.URL, tok, "/v1/customers?size=11"); len(p) != 1 {
		t.Fatalf("size=11 gave %d pages", len(p))
	}
}

func TestListDefaultAndMaxSize(t *testing.T) {
	_, ts := newTestServer(t, Options{GeneratedCustomers: 120, MaxPageSize: 50})
	tok := accessToken(t, ts.URL)
	pages := listAll(t, ts.URL, tok, "/v1/customers")
	if len(pages) != 3 || pages[0].TotalCount != 50 {
		t.Fatalf("default size: %d pages, first %d", len(pages), pages[0].TotalCount)
	}
	for _, size := range []string{"51", "0", "-1", "abc"} {
		resp, body := apiGet(t, ts.URL, tok, "/v1/customers?size="+size, nil)
		if resp.StatusCode != 400 || pcErrorOf(t, body).Code != float64(pcCodeInvalidInput) {
			t.Fatalf("size=%s: %d %s", size, resp.StatusCode, body)
		}
	}
}

func filterPath(field, value, op string, size int) string {
	f := `{"Field":"` + field + `","Value":"` + value + `","Operator":"` + op + `"}`
	return "/v1/customers?size=" + strconv.Itoa(size) + "&filter=" + url.QueryEscape(f)
}

func TestListFilters(t *testing.T) {
	const n = 60
	_, ts := newTestServer(t, Options{GeneratedCustomers: n})
	tok := accessToken(t, ts.URL)
	count := func(pred func(i int) bool) int {
		c := 0
		for i := range n {
			if pred(i) {
				c++
			}
		}
		return c
	}
	tests := []struct {
		name, field, value string
		want               int
	}{
		{"domain prefix", "Domain", "CUSTOMER0001", count(func(i int) bool { return i >= 10 && i < 20 })},
		{"documented domain", "domain", "abcdefgh", 1},
		{"company name", "CompanyName", "contoso", count(func(i int) bool { return strings.HasPrefix(GeneratedCustomerCompanyName(i), "Contoso") })},
		{"documented company", "CompanyName", "1KL AS", 1},
		{"indirect reseller", "IndirectReseller", resellerIDs[0][:8], count(func(i int) bool { return generatedCustomerAssociatedPartnerID(i) == resellerIDs[0] })},
		{"indirect csp", "IndirectCloudSolutionProvider", resellerIDs[1], count(func(i int) bool { return generatedCustomerAssociatedPartnerID(i) == resellerIDs[1] })},
		{"no match", "Domain", "zzz", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == 0 && tc.value != "zzz" {
				t.Fatal("test data has no match")
			}
			total := 0
			for _, p := range listAll(t, ts.URL, tok, filterPath(tc.field, tc.value, "starts_with", 3)) {
				total += p.TotalCount
			}
			if total != tc.want {
				t.Fatalf("matched %d, want %d", total, tc.want)
			}
		})
	}
}

func TestListBadRequests(t *testing.T) {
	_, ts := newTestServer(t, Options{GeneratedCustomers: 5})
	tok := accessToken(t, ts.URL)
	resp, body := apiGet(t, ts.URL, tok, "/v1/customers?size=2", nil)
	var p testPage
	decodeJSON(t, body, &p)
	good := p.Links.Next.Headers[0].Value
	tampered := []byte(good)
	tampered[3] ^= 1
	tests := []struct {
		name    string
		path    string
		headers map[string]string
	}{
		{"unknown field", filterPath("Country", "US", "starts_with", 5), nil},
		{"unknown operator", filterPath("Domain", "c", "equals", 5), nil},
		{"empty value", filterPath("Domain", "", "starts_with", 5), nil},
		{"not JSON", "/v1/customers?filter=" + url.QueryEscape("Domain eq 'x'"), nil},
		{"tampered continuation", "/v1/customers?size=2&seekOperation=Next", map[string]string{"MS-ContinuationToken": string(tampered)}},
		{"garbage continuation", "/v1/customers?size=2&seekOperation=Next", map[string]string{"MS-ContinuationToken": "xyz"}},
		{"url-encoded continuation", "/v1/customers?size=2&seekOperation=Next", map[string]string{"MS-ContinuationToken": url.QueryEscape(good)}},
		{"missing continuation", "/v1/customers?size=2&seekOperation=Next", nil},
		{"unknown seek", "/v1/customers?size=2&seekOperation=Previous", nil},
	}
	if resp.StatusCode != 200 || url.QueryEscape(good) == good {
		t.Fatalf("continuation token %q should need escaping", good)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := apiGet(t, ts.URL, tok, tc.path, tc.headers)
			if resp.StatusCode != 400 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			pcErrorOf(t, body)
		})
	}
	// The untampered token still works, and carries the filter-less offset.
	resp, body = apiGet(t, ts.URL, tok, "/v1/customers?size=2&seekOperation=Next", map[string]string{"MS-ContinuationToken": good})
	decodeJSON(t, body, &p)
	if resp.StatusCode != 200 || p.Items[0]["id"] != GeneratedCustomerID(1) {
		t.Fatalf("good token: %d %s", resp.StatusCode, body)
	}
}

// The live service's links carry /v1; the documentation's samples do not.
// Both forms lead through the same pages.
func TestListLinkForms(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     Options
		prefix   string
		selfLink string
	}{
		{"live form", Options{GeneratedCustomers: 9}, "", "/v1/customers?size=4"},
		{"documented form", Options{GeneratedCustomers: 9, UnversionedLinks: true}, "/v1", "/customers?size=4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ts := newTestServer(t, tc.opts)
			tok := accessToken(t, ts.URL)
			pages := listAllWith(t, ts.URL, tok, "/v1/customers?size=4", tc.prefix)
			if len(pages) != 3 || pages[0].Links.Self.URI != tc.selfLink {
				t.Fatalf("%d pages, first self link %q; want 3 pages and %q", len(pages), pages[0].Links.Self.URI, tc.selfLink)
			}
		})
	}
}
