package partnercenter

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeCart feeds arbitrary bodies to the cart decoder: refused lines
// must give a one-line message.
func FuzzDecodeCart(f *testing.F) {
	f.Add([]byte(`{"id":"c","lineItems":[{"id":0,"quantity":1,"error":{"errorCode":10001,"errorDescription":"bad"}}]}`))
	f.Add([]byte(`{"id":"c","lineItems":[{"error":{"errorCode":{"x":1},"errorDescription":"a\nb"}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var cart Cart
		if decodeJSON(bytes.NewReader(body), 1<<16, &cart) != nil {
			return
		}
		e := &CartLineItemError{CustomerID: "c", CartID: "k"}
		for _, li := range cart.LineItems {
			if li.Error != nil {
				e.Items = append(e.Items, *li.Error)
			}
		}
		checkOneLine(t, e.Error())
	})
}

// FuzzDecodeCheckoutResult feeds arbitrary bodies to the checkout result
// decoder.
func FuzzDecodeCheckoutResult(f *testing.F) {
	f.Add([]byte(`{"orders":[{"id":"o","status":"pending","lineItems":[{"lineItemNumber":0}]}],"orderErrors":[{"code":"13605","description":"x"}]}`))
	f.Add([]byte(`{"orders":null,"orderErrors":[{"orderGroupId":7,"code":13605.5,"description":null}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var r CartCheckoutResult
		if decodeJSON(bytes.NewReader(body), 1<<16, &r) != nil {
			return
		}
		e := &CheckoutError{CustomerID: "c", CartID: "k", Errors: r.OrderErrors}
		checkOneLine(t, e.Error())
		_ = e.Is(ErrCustomerAgreementMissing)
	})
}

// FuzzDecodeOrder feeds arbitrary bodies to the order decoder.
func FuzzDecodeOrder(f *testing.F) {
	f.Add([]byte(`{"id":"o","status":"pending","lineItems":[{"lineItemNumber":0,"offerId":"a:b:c","quantity":1}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var o Order
		_ = decodeJSON(bytes.NewReader(body), 1<<16, &o)
	})
}

// FuzzDecodeSubscriptionRecord checks that a subscription kept whole and
// written back with one member changed keeps every other member.
func FuzzDecodeSubscriptionRecord(f *testing.F) {
	f.Add([]byte(newCommerceSubscriptionJSON))
	f.Add([]byte(`{"id":"s","quantity":1,"attributes":{"etag":12},"x":[1e400]}`))
	f.Add([]byte(`{"id":"s","attributes":"x","quantity":"2"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var s Subscription
		rec, err := decodeObjectRecord(body, &s)
		if err != nil {
			return
		}
		if !utf8.ValidString(rec.etag) || strings.ContainsFunc(rec.etag, isControl) {
			t.Fatalf("etag %q", rec.etag)
		}
		out, err := rec.with("quantity", 3)
		if err != nil {
			t.Fatalf("with: %v", err)
		}
		var before, after map[string]json.RawMessage
		if json.Unmarshal(rec.raw(), &before) != nil || json.Unmarshal(out, &after) != nil {
			t.Fatalf("not objects: %s / %s", rec.raw(), out)
		}
		if string(after["quantity"]) != "3" {
			t.Fatalf("quantity %s", after["quantity"])
		}
		delete(before, "quantity")
		delete(after, "quantity")
		if len(before) != len(after) {
			t.Fatalf("members lost: %d then %d", len(before), len(after))
		}
		for k, v := range before {
			if !bytes.Equal(v, after[k]) {
				t.Fatalf("member %q changed: %s -> %s", k, v, after[k])
			}
		}
	})
}

// FuzzDecodeAvailabilityPage feeds arbitrary bodies to the decoder of an
// availability list page.
func FuzzDecodeAvailabilityPage(f *testing.F) {
	f.Add([]byte(availabilitiesJSON))
	f.Add([]byte(`{"items":[{"id":"a","terms":[{"cancellationPolicies":[{"refundOptions":[{"sequenceId":"0"}]}]}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		page := collectionPage[Availability]{asked: 10}
		if decodeJSON(bytes.NewReader(body), 1<<16, &page) == nil && len(page.Items) > pageItemLimit(page.asked) {
			t.Fatalf("a page of %d items was accepted", len(page.Items))
		}
	})
}

func checkOneLine(t *testing.T, msg string) {
	t.Helper()
	if !utf8.ValidString(msg) || strings.ContainsFunc(msg, isControl) {
		t.Fatalf("message is not one clean line: %q", msg)
	}
}
