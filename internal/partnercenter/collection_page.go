package partnercenter

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// collectionPage is one page of a Partner Center collection:
// {"totalCount": n, "items": [...], "links": {"next": {...}}}.
type collectionPage[T any] struct {
	Items []T
	Next  *pageLink
	// asked is the page size requested. A page holding far more items than
	// that is refused while it is decoded, item by item, before a flood of
	// small items (a few bytes of JSON each, much more once decoded) can
	// exhaust memory. Zero accepts any number.
	asked int
}

// pageItemLimit is the most items a page may hold when asked pages
// were requested: twice as many, or 100 more, whichever is larger.
func pageItemLimit(asked int) int {
	return asked + max(asked, 100)
}

// contentError is a well-formed response whose content cannot be used; its
// reason is shown as is.
type contentError struct{ reason string }

func (e *contentError) Error() string { return e.reason }

// decodeStream decodes the page from the response stream, counting items as
// they come, so that neither the page nor its items are held whole before
// the count is checked. Keys match without regard to letter case, as
// encoding/json does for struct fields.
func (p *collectionPage[T]) decodeStream(dec *json.Decoder) error {
	if err := expectDelim(dec, '{', "a collection"); err != nil {
		return err
	}
	if err := p.decodeMembers(dec); err != nil {
		// The stream ended inside the page: not an empty body.
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

func (p *collectionPage[T]) decodeMembers(dec *json.Decoder) error {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "items"):
			err = p.decodeItems(dec)
		case strings.EqualFold(key, "links"):
			var links struct {
				Next *pageLink `json:"next"`
			}
			err = dec.Decode(&links)
			p.Next = links.Next
		default:
			var skipped json.RawMessage
			err = dec.Decode(&skipped)
		}
		if err != nil {
			return err
		}
	}
	_, err := dec.Token() // the closing brace
	return err
}

func (p *collectionPage[T]) decodeItems(dec *json.Decoder) error {
	p.Items = nil
	tok, err := dec.Token()
	if err != nil || tok == nil { // null: no items
		return err
	}
	if tok != json.Delim('[') {
		return &contentError{"the collection's items are not an array"}
	}
	for dec.More() {
		if p.asked > 0 && len(p.Items) >= pageItemLimit(p.asked) {
			return &contentError{fmt.Sprintf("the page holds more than %d items, though %d were asked for", pageItemLimit(p.asked), p.asked)}
		}
		var item T
		if err := dec.Decode(&item); err != nil {
			return err
		}
		p.Items = append(p.Items, item)
	}
	_, err = dec.Token() // the closing bracket
	return err
}

func expectDelim(dec *json.Decoder, want json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return &contentError{fmt.Sprintf("the response is not %s", what)}
	}
	return nil
}
