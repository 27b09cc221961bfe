package partnercenter

import (
	"bytes"
	"math"
	"testing"
)

// FuzzDecodeSubscriptionPage feeds arbitrary bodies to the decoder of a
// subscription list page: it must fail cleanly or yield finite quantities.
func FuzzDecodeSubscriptionPage(f *testing.F) {
	f.Add([]byte(`{"totalCount":1,"items":[` + newCommerceSubscriptionJSON + `],"attributes":{"objectType":"Collection"}}`))
	f.Add([]byte(`{"items":[{"id":"s","quantity":1e308,"productType":{"subType":null},"refundOptions":[{}]}],"links":{"next":{"uri":"/x"}}}`))
	f.Add([]byte(`{"items":[{"id":"s","quantity":"1"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var page collectionPage[Subscription]
		if decodeJSON(bytes.NewReader(body), 1<<16, &page) != nil {
			return
		}
		for _, s := range page.Items {
			if s.Quantity != nil && (math.IsInf(*s.Quantity, 0) || math.IsNaN(*s.Quantity)) {
				t.Fatalf("quantity %v decoded", *s.Quantity)
			}
		}
	})
}
