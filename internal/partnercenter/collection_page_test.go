package partnercenter

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestCollectionPageDecoding(t *testing.T) {
	for body, want := range map[string]string{
		``:                              "empty body",
		`{"items":[{"id":"a"}`:          io.ErrUnexpectedEOF.Error(),
		`{"items":[{"id":"a"}]`:         io.ErrUnexpectedEOF.Error(),
		`{"items":[{"id":"a"}]} {}`:     "unexpected data after the JSON value",
		`{"items" 3}`:                   "invalid character",
		`null`:                          "not a collection",
		`{"items":"a"}`:                 "not an array",
		`{"items":[1]}`:                 "cannot unmarshal number",
		`{"items":[{},{},{},{},{},{}]}`: "", // 6 of 3 asked: within the margin
	} {
		p := collectionPage[Customer]{asked: 3}
		err := decodeJSON(strings.NewReader(body), 1<<20, &p)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%q: err = %v, want %q", body, err, want)
		}
	}
	p := collectionPage[Customer]{asked: 3}
	body := `{"ITEMS":[{"id":"a"}],"totalCount":1,"Links":{"next":{"uri":"/customers?x=1"}},"attributes":{"objectType":"Collection"}}`
	if err := decodeJSON(strings.NewReader(body), 1<<20, &p); err != nil || len(p.Items) != 1 || p.Next == nil || p.Next.URI != "/customers?x=1" {
		t.Errorf("keys in any letter case: %v, %d items, next %v", err, len(p.Items), p.Next)
	}
}

// The count stops a flood after the limit, long before the end of the body.
func TestCollectionPageStopsAtTheLimit(t *testing.T) {
	counting := &countingReader{r: strings.NewReader(`{"items":[` + strings.Repeat(`{},`, 1000000) + `{}]}`)}
	p := collectionPage[Customer]{asked: 500}
	err := decodeJSON(counting, 16<<20, &p)
	var unusable *contentError
	if !errors.As(err, &unusable) || len(p.Items) != pageItemLimit(500) {
		t.Fatalf("err = %v with %d items; want the item limit %d", err, len(p.Items), pageItemLimit(500))
	}
	if counting.n > 64<<10 {
		t.Errorf("read %d bytes of a 3 MB page to find 1,000 items too many", counting.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
