package partnercenter

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeCustomer feeds arbitrary bodies to the success-path decoder,
// as a customer and as a list page. Seeds live in
// testdata/fuzz/FuzzDecodeCustomer.
func FuzzDecodeCustomer(f *testing.F) {
	f.Add([]byte(`{"id":"c1","companyProfile":{"domain":"a.com"},"customDomains":["A.com","b.com"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var c Customer
		if decodeJSON(bytes.NewReader(body), 1<<16, &c) == nil {
			seen := map[string]bool{}
			for _, d := range c.Domains() {
				key := strings.ToLower(d)
				if strings.TrimSpace(d) == "" || seen[key] {
					t.Fatalf("Domains() = %q: blank or repeated entry %q", c.Domains(), d)
				}
				seen[key] = true
			}
		}
		page := collectionPage[Customer]{asked: 10}
		if decodeJSON(bytes.NewReader(body), 1<<16, &page) == nil {
			if len(page.Items) > pageItemLimit(page.asked) {
				t.Fatalf("a page of %d items was accepted", len(page.Items))
			}
			if page.Next == nil {
				return
			}
			client := &Client{baseURL: "https://api.example.com"}
			if u, _, err := client.nextPage(page.Next, "https://api.example.com/v1/customers?size=10"); err == nil && !strings.HasPrefix(u, "https://api.example.com/v1/customers?") &&
				u != "https://api.example.com/v1/customers" {
				t.Fatalf("next link %q leaves the collection: %q", page.Next.URI, u)
			}
			_ = page.Next.fingerprint()
		}
	})
}

// FuzzDecodeErrorBody checks that any error body, and any WWW-Authenticate
// challenge (the second input serves as both Content-Type and challenge),
// yields a one-line, valid UTF-8 message of bounded size. Seeds live in
// testdata/fuzz/FuzzDecodeErrorBody.
func FuzzDecodeErrorBody(f *testing.F) {
	f.Add([]byte(`{"code":3000,"description":"can&#39;t","data":["x"],"source":"PartnerFD"}`), "application/json")
	f.Add([]byte(`{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds."}`), "application/json")
	f.Add([]byte(`{"code":"900420","description":"x"}`), `Bearer realm="x", error_description="a \"b\" c"`)
	f.Add([]byte(`{"code":600061,"message":"m","description":"d","errorName":"PartnerConfirmedAgreementAlreadyExists","isRetryable":false}`), "application/json")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		d := parseErrorBody(body, contentType, nil)
		if n := utf8.RuneCountInString(d.Description); n > maxServerTextRunes+1 {
			t.Fatalf("description of %d runes", n)
		}
		challenge := challengeDescription([]string{contentType}, nil)
		if n := utf8.RuneCountInString(challenge); n > maxServerTextRunes+1 {
			t.Fatalf("challenge of %d runes", n)
		}
		e := &APIError{
			Operation: "get customer", StatusCode: 500, Code: d.Code, Description: d.Description, Challenge: challenge,
			Data: d.Data, Source: d.Source, RequestID: "r", CorrelationID: "c", Attempts: 2,
		}
		msg := e.Error()
		if !utf8.ValidString(msg) || strings.ContainsFunc(msg, isControl) {
			t.Fatalf("message is not one clean line: %q", msg)
		}
	})
}
