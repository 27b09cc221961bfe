package planbench

import (
	"testing"
	"time"
)

func TestLowerBound(t *testing.T) {
	const l = 50 * time.Millisecond
	tests := []struct {
		way  Way
		n    int
		want time.Duration
	}{
		{WayList, 1, 2 * l},    // 1 page + token
		{WayList, 500, 2 * l},  // still 1 page
		{WayList, 501, 3 * l},  // 2 pages
		{WayList, 1000, 3 * l}, // 2 pages
		{WayByID, 1, 2 * l},    // token + 1 round
		{WayByID, 10, 2 * l},   // 10 reads fit one round
		{WayByID, 100, 11 * l}, // token + 10 rounds
		{WayByID, 1000, 101 * l},
		{WayByDomain, 1, 3 * l}, // token + list + get
		{WayByDomain, 100, 21 * l},
		{WayByDomain, 1000, 201 * l},
	}
	for _, tt := range tests {
		if got := LowerBound(tt.way, tt.n, l, 10); got != tt.want {
			t.Errorf("LowerBound(%s, %d) = %v, want %v", tt.way, tt.n, got, tt.want)
		}
	}
	if got := LowerBound(WayByID, 100, l, 0); got != 101*l {
		t.Errorf("parallelism 0 should count as 1: got %v", got)
	}
	if got := LowerBound(WayByID, 100, 0, 10); got != 0 {
		t.Errorf("no latency, no bound: got %v", got)
	}
}

func TestExpectedRequests(t *testing.T) {
	tests := []struct {
		way  Way
		n    int
		want Requests
	}{
		{WayList, 1, Requests{Token: 1, List: 1}},
		{WayList, 1000, Requests{Token: 1, List: 2}},
		{WayList, 1001, Requests{Token: 1, List: 3}},
		{WayByID, 100, Requests{Token: 1, Get: 100}},
		{WayByDomain, 100, Requests{Token: 1, List: 100, Get: 100}},
	}
	for _, tt := range tests {
		if got := ExpectedRequests(tt.way, tt.n); got != tt.want {
			t.Errorf("ExpectedRequests(%s, %d) = %+v, want %+v", tt.way, tt.n, got, tt.want)
		}
	}
	if got := (Requests{Token: 1, Get: 2, List: 3, Other: 4}).API(); got != 9 {
		t.Errorf("API() = %d, want 9", got)
	}
}
