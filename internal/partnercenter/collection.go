package partnercenter

import (
	"context"
	"fmt"
	"net/http"
)

// collectionPage is one page of a Partner Center Collection.
type collectionPage[T any] struct {
	Items []T `json:"items"`
	Links struct {
		Next *pageLink `json:"next"`
	} `json:"links"`
}

// listAll reads the collection at target and every page its next links lead
// to, and returns their items in the order the service sent them. what names
// the collection in errors, e.g. "list customers".
func listAll[T any](ctx context.Context, c *Client, what, target string) ([]T, error) {
	var header http.Header
	seen := make(map[string]bool)
	var items []T
	for page := 1; ; page++ {
		operation := fmt.Sprintf("%s (page %d)", what, page)
		var p collectionPage[T]
		info, err := c.getJSON(ctx, operation, target, header, &p)
		if err != nil {
			return nil, err
		}
		items = append(items, p.Items...)
		next := p.Links.Next
		if next == nil {
			return items, nil
		}
		invalid := func(reason string) error {
			return &InvalidResponseError{
				Operation: operation, Reason: reason, StatusCode: info.StatusCode,
				RequestID: info.RequestID, CorrelationID: info.CorrelationID,
			}
		}
		if page >= c.pageLimit {
			return nil, invalid(fmt.Sprintf("the service still offers a next page after %d pages", page))
		}
		if target, header, err = c.nextPage(next); err != nil {
			return nil, invalid(err.Error())
		}
		// A repeated continuation would make the loop endless.
		key := next.fingerprint()
		if seen[key] {
			return nil, invalid("the service returned the same continuation twice")
		}
		seen[key] = true
	}
}
