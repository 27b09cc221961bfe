package partnercenter

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func BenchmarkDecodeCustomer(b *testing.B) {
	fixture := apiFixture(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(fixture)))
	for b.Loop() {
		var c Customer
		if err := decodeJSON(bytes.NewReader(fixture), DefaultMaxResponseBytes, &c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeCustomerList(b *testing.B) {
	ids := make([]string, DefaultPageSize)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08d-5360-4438-a11d-5c06918c3014", i)
	}
	page := []byte(listPage(ids, "continuation"))
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		p := collectionPage[Customer]{asked: DefaultPageSize}
		if err := decodeJSON(bytes.NewReader(page), DefaultMaxResponseBytes, &p); err != nil {
			b.Fatal(err)
		}
		if len(p.Items) != DefaultPageSize {
			b.Fatalf("%d items", len(p.Items))
		}
	}
}

func BenchmarkGetCustomer(b *testing.B) {
	fixture := string(apiFixture(b))
	env := newAPITestClient(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, fixture)
	}))
	b.ReportAllocs()
	for b.Loop() {
		c, err := env.client.GetCustomer(b.Context(), fixtureCustomerID)
		if err != nil || !strings.EqualFold(*c.ID, fixtureCustomerID) {
			b.Fatal(err)
		}
	}
}
