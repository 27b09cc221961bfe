package partnercenter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// maxPages stops a server that keeps answering with a next page. At the
// default page size it allows five million customers, far beyond any
// partner.
const maxPages = 10000

// CustomerFilterField names the field a customer list is filtered on.
type CustomerFilterField string

// The filter fields ListCustomers supports.
const (
	CustomerFilterDomain      CustomerFilterField = "Domain"
	CustomerFilterCompanyName CustomerFilterField = "CompanyName"
)

// CustomerFilter keeps the customers whose Field starts with Value,
// ignoring letter case. starts_with is the only operator the API offers.
type CustomerFilter struct {
	Field CustomerFilterField
	Value string
}

// ListCustomersOptions narrows ListCustomers.
type ListCustomersOptions struct {
	// Filter, when set, is applied by the service.
	Filter *CustomerFilter
}

// pageLink is a collection's link to its next page: a URI relative to /v1
// and the headers (the continuation token) to send with it.
type pageLink struct {
	URI     string `json:"uri"`
	Headers []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"headers"`
}

// ListCustomers returns every customer matching opts, reading all pages.
// List items carry only the id, the company profile's tenant id, domain and
// company name, and the relationship; GetCustomer has the rest.
func (c *Client) ListCustomers(ctx context.Context, opts ListCustomersOptions) ([]Customer, error) {
	var customers []Customer
	err := c.ListCustomerPages(ctx, opts, func(page []Customer) error {
		customers = append(customers, page...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return customers, nil
}

// ListCustomerPages is ListCustomers handing each page to each as soon as it
// is decoded, so that a caller listing tens of thousands of customers holds
// one page at a time. An error from each stops the listing and is returned.
func (c *Client) ListCustomerPages(ctx context.Context, opts ListCustomersOptions, each func([]Customer) error) error {
	what := "list customers"
	query := "size=" + strconv.Itoa(c.pageSize)
	if f := opts.Filter; f != nil {
		what = fmt.Sprintf("list customers whose %s starts with %q", f.Field, f.Value)
		filter, err := f.encode()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		query += "&filter=" + url.QueryEscape(filter)
	}
	return eachPage(ctx, c, what, c.baseURL+"/v1/customers?"+query, c.pageSize, each)
}

// encode renders the filter as the JSON the API expects in its filter
// query parameter.
func (f *CustomerFilter) encode() (string, error) {
	if f.Field != CustomerFilterDomain && f.Field != CustomerFilterCompanyName {
		return "", fmt.Errorf("unsupported filter field %q: use %q or %q", f.Field, CustomerFilterDomain, CustomerFilterCompanyName)
	}
	if strings.TrimSpace(f.Value) == "" {
		return "", fmt.Errorf("the %s filter value is empty", f.Field)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the service need not understand \u003c
	err := enc.Encode(struct {
		Field    CustomerFilterField `json:"Field"`
		Value    string              `json:"Value"`
		Operator string              `json:"Operator"`
	}{f.Field, f.Value, "starts_with"})
	return strings.TrimSuffix(buf.String(), "\n"), err
}

// nextPage turns a next link, found in the page read from current, into the
// URL and headers of the next request. The bearer token goes with it, so the
// URI must stay on the API host and on the path of the collection being
// listed (such as /v1/customers), which is current's: only the query may
// change.
func (c *Client) nextPage(next *pageLink, current string) (string, http.Header, error) {
	collectionPath := strings.TrimPrefix(escapedPath(current), escapedPath(c.baseURL))
	uri := next.URI
	shown := c.redact.text(uri)
	if !strings.HasPrefix(uri, "/") || strings.HasPrefix(uri, "//") || strings.ContainsAny(uri, "\\\r\n") {
		return "", nil, fmt.Errorf("the next page link %q is not a path relative to the API", shown)
	}
	if !strings.HasPrefix(uri, "/v1/") {
		uri = "/v1" + uri
	}
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return "", nil, fmt.Errorf("the next page link %q is not a valid URI", shown)
	}
	if u.EscapedPath() != collectionPath {
		return "", nil, fmt.Errorf("the next page link %q leaves the collection %s", shown, collectionPath)
	}
	header := make(http.Header, len(next.Headers))
	for _, h := range next.Headers {
		if !isHeaderName(h.Key) || strings.ContainsFunc(h.Value, isControl) {
			return "", nil, fmt.Errorf("the next page link has an invalid header %q", c.redact.text(h.Key))
		}
		header.Add(h.Key, h.Value)
	}
	return c.baseURL + uri, header, nil
}

// escapedPath is the path of a URL this client built, "" if unparsable.
func escapedPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.EscapedPath()
}

// fingerprint identifies a next link, continuation token included.
func (l *pageLink) fingerprint() string {
	parts := []string{l.URI}
	for _, h := range l.Headers {
		parts = append(parts, http.CanonicalHeaderKey(h.Key)+": "+h.Value)
	}
	slices.Sort(parts[1:])
	return strings.Join(parts, "\n")
}

// isHeaderName accepts RFC 9110 token characters.
func isHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("!#$%&'*+-.^_`|~", r)
		if !ok {
			return false
		}
	}
	return true
}
