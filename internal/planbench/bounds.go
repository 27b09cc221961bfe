package planbench

import "time"

// ListPageSize is the page size the provider asks for when listing
// customers: Partner Center's maximum.
const ListPageSize = 500

// Requests counts the requests one plan sends to the mock, by route.
type Requests struct {
	Token int
	Get   int
	List  int
	// Other is API requests on no known route; always expected to be 0.
	Other int
}

// API returns the number of API (non-token) requests.
func (r Requests) API() int { return r.Get + r.List + r.Other }

// ExpectedRequests is what one plan should cost: one token, and one request
// per customer read or per page listed.
func ExpectedRequests(way Way, n int) Requests {
	switch way {
	case WayList:
		return Requests{Token: 1, List: pages(n)}
	case WayByID, WayByIDCount:
		return Requests{Token: 1, Get: n}
	case WayByDomain:
		return Requests{Token: 1, List: n, Get: n}
	}
	return Requests{}
}

// LowerBound is the least wall time the mock's latency alone forces on one
// plan. A list's pages are sequential (each needs the previous continuation
// token) after the token; per-customer reads run parallelism at a time after
// the token, and a by-domain read is two sequential requests.
func LowerBound(way Way, n int, latency time.Duration, parallelism int) time.Duration {
	if parallelism < 1 {
		parallelism = 1
	}
	rounds := ceilDiv(n, parallelism)
	switch way {
	case WayList:
		return time.Duration(pages(n)+1) * latency
	case WayByID, WayByIDCount:
		return latency + time.Duration(rounds)*latency
	case WayByDomain:
		return latency + time.Duration(2*rounds)*latency
	}
	return 0
}

// pages is the number of list pages for n customers; an empty list is still
// one (empty) page.
func pages(n int) int {
	return max(ceilDiv(n, ListPageSize), 1)
}

func ceilDiv(a, b int) int {
	if a <= 0 {
		return 0
	}
	return (a + b - 1) / b
}
