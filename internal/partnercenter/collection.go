package partnercenter

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// collectionItem is an item of a Partner Center collection: every item the
// provider reads is identified by an id (an end date by its date).
type collectionItem interface {
	Customer | Subscription | AzureEntitlement | Availability | Order | CustomTermEndDate
}

// itemID returns an item's id, "" when it has none.
func itemID[T collectionItem](item *T) string {
	var id *string
	switch v := any(item).(type) {
	case *Customer:
		id = v.ID
	case *Subscription:
		id = v.ID
	case *AzureEntitlement:
		id = v.ID
	case *Availability:
		id = v.ID
	case *Order:
		id = v.ID
	case *CustomTermEndDate:
		id = v.EndDate // an end date has no id of its own: the date names it
	}
	if id == nil {
		return ""
	}
	return strings.TrimSpace(*id)
}

// listAll reads the collection at target and every page its next links lead
// to, and returns their items in the order the service sent them.
func listAll[T collectionItem](ctx context.Context, c *Client, what, target string, asked int) ([]T, error) {
	var items []T
	err := eachPage(ctx, c, what, target, asked, func(page []T) error {
		items = append(items, page...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

// eachPage reads the collection at target and every page its next links
// lead to, handing each page's items to each as soon as the page is decoded
// and checked; an error from each stops the listing and is returned. what
// names the collection in errors, e.g. "list customers". asked is the page
// size the request asked for, which bounds the items a page may hold; zero,
// for collections the service does not page on request, leaves only the
// body size cap.
func eachPage[T collectionItem](ctx context.Context, c *Client, what, target string, asked int, each func([]T) error) error {
	var header http.Header
	seen := make(map[string]bool)
	for page := 1; ; page++ {
		operation := fmt.Sprintf("%s (page %d)", what, page)
		p := collectionPage[T]{asked: asked}
		info, err := c.getJSON(ctx, operation, target, header, &p)
		if err != nil {
			return err
		}
		invalid := func(reason string) error {
			return &InvalidResponseError{
				Operation: operation, Reason: reason, StatusCode: info.StatusCode,
				RequestID: info.RequestID, CorrelationID: info.CorrelationID,
			}
		}
		for i := range p.Items {
			if itemID(&p.Items[i]) == "" {
				return invalid(fmt.Sprintf("item %d of the page has no id", i+1))
			}
		}
		if err := each(p.Items); err != nil {
			return err
		}
		next := p.Next
		if next == nil {
			return nil
		}
		if page >= c.pageLimit {
			return invalid(fmt.Sprintf("the service still offers a next page after %d pages", page))
		}
		if target, header, err = c.nextPage(next, target); err != nil {
			return invalid(err.Error())
		}
		// A repeated continuation would make the loop endless.
		key := next.fingerprint()
		if seen[key] {
			return invalid("the service returned the same continuation twice")
		}
		seen[key] = true
	}
}
