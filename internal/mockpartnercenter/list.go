package mockpartnercenter

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const RouteListCustomers Route = "list_customers" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteListCustomers, "GET /v1/customers", "/v1/customers", (*Server).serveListCustomers})

// link is Partner Center's link object.
type link struct {
	URI     string     `json:"uri"`
	Method  string     `json:"method"`
	Headers []keyValue `json:"headers"`
}

type keyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type collectionLinks struct {
	Self link  `json:"self"`
	Next *link `json:"next,omitempty"`
}

type objectType struct {
	ObjectType string `json:"objectType"`
}

// collection is Partner Center's paged Collection; totalCount is the number
// of items on this page, as the documentation describes.
type collection struct {
	TotalCount int               `json:"totalCount"`
	Items      []json.RawMessage `json:"items"`
	Links      collectionLinks   `json:"links"`
	Attributes objectType        `json:"attributes"`
}

// serveListCustomers answers GET /v1/customers, its filtered form and its
// continuation pages.
func (s *Server) serveListCustomers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, err := s.pageSize(q.Get("size"))
	if err != nil {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, err.Error())
		return
	}
	var (
		offset int
		flt    *listFilter
		tok    string // the continuation token this request carried
		self   = s.linkPath() + "?size=" + strconv.Itoa(size)
	)
	switch seek := q.Get("seekOperation"); {
	case strings.EqualFold(seek, "Next"):
		tok = r.Header.Get("MS-ContinuationToken")
		if tok == "" {
			writePCError(w, http.StatusBadRequest, pcCodeInvalidInput,
				"The MS-ContinuationToken header is required when seekOperation is Next.")
			return
		}
		st, err := s.decodeContinuation(tok)
		if err != nil {
			writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The continuation token is invalid.")
			return
		}
		offset, flt = st.Offset, st.Filter
		self += "&seekOperation=Next"
	case seek != "":
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput,
			"The seek operation '"+sanitize(seek)+"' is not supported.")
		return
	case q.Has("filter"):
		flt, err = parseFilter(q.Get("filter"))
		if err != nil {
			writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, err.Error())
			return
		}
		self += "&filter=" + url.QueryEscape(q.Get("filter"))
	}

	next := "" // forced next token, for FaultRepeatContinuation
	page := func() []byte { return s.listPage(size, offset, flt, self, next) }
	// get-by-id faults make no sense for a list: they pass through unused.
	if s.applyFault(w, r, "", routeFaults{body: page, repeat: func() {
		next = tok
		if next == "" {
			next = s.encodeContinuation(continuation{Offset: offset, Filter: flt})
		}
	}}) {
		return
	}
	writeRawJSON(w, http.StatusOK, page())
}

// linkPath is the path of the list's links: "/v1/customers" as the live
// service has sent since 2021, or "/customers" as the documentation's
// samples show when Options.UnversionedLinks is set.
func (s *Server) linkPath() string {
	if s.opts.UnversionedLinks {
		return "/customers"
	}
	return "/v1/customers"
}

// pageSize validates ?size=: a positive integer no larger than MaxPageSize;
// absent means DefaultPageSize (or MaxPageSize if that is smaller).
func (s *Server) pageSize(raw string) (int, error) {
	if raw == "" {
		return min(DefaultPageSize, s.opts.MaxPageSize), nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("The size parameter must be a positive integer, not '%s'.", sanitize(raw)) //nolint:staticcheck // shown to users as Partner Center text
	}
	if n > s.opts.MaxPageSize {
		return 0, fmt.Errorf("The size parameter must not exceed %d.", s.opts.MaxPageSize) //nolint:staticcheck // as above
	}
	return n, nil
}

// listPage renders one page starting at offset among the customers matching
// flt, with a next link when more follow or when forcedNext is set.
func (s *Server) listPage(size, offset int, flt *listFilter, self, forcedNext string) []byte {
	s.mu.Lock()
	var matched []*customer
	if flt == nil {
		if offset < len(s.order) {
			for _, k := range s.order[offset:min(offset+size+1, len(s.order))] {
				matched = append(matched, s.customers[k])
			}
		}
	} else {
		seen := 0
		for _, k := range s.order {
			c := s.customers[k]
			if !flt.matches(c) || s.unlistedLocked(k) {
				continue
			}
			if seen >= offset {
				matched = append(matched, c)
				if len(matched) > size {
					break
				}
			}
			seen++
		}
	}
	s.mu.Unlock()

	// One extra customer was collected to learn whether a next page exists.
	more := len(matched) > size
	if more {
		matched = matched[:size]
	}
	col := newCollection(self, len(matched))
	for _, c := range matched {
		col.Items = append(col.Items, c.item)
	}
	if more || forcedNext != "" {
		tok := forcedNext
		if tok == "" {
			tok = s.encodeContinuation(continuation{Offset: offset + size, Filter: flt})
		}
		col.Links.Next = &link{
			URI:     s.linkPath() + "?size=" + strconv.Itoa(size) + "&seekOperation=Next",
			Method:  http.MethodGet,
			Headers: []keyValue{{Key: "MS-ContinuationToken", Value: tok}},
		}
	}
	return mustMarshalCollection(col)
}
