package customers_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// listingServer is a provider server that lists resources.
type listingServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

// listServer is the provider's protocol server, configured against mock,
// and the configuration of a partnercenter_customer list block without
// filters.
func listServer(tb testing.TB, mock *mockpartnercenter.Server) (listingServer, *tfprotov6.DynamicValue) {
	tb.Helper()
	server, schemas := acctest.ConfiguredServer(tb, mock)
	lister, ok := server.(listingServer)
	if !ok {
		tb.Fatal("the provider's server lists no resources")
	}
	listSchema, ok := schemas.ListResourceSchemas["partnercenter_customer"]
	if !ok {
		tb.Fatal("no list resource partnercenter_customer")
	}
	return lister, acctest.DynamicValue(tb, acctest.ObjectValue(tb, listSchema.ValueType(), nil))
}

// Terraform's StopProvider (Ctrl-C during terraform query) cancels the
// listing: the results of the page already read stop, no further page is
// asked for, and the last result is an error saying how far it got.
func TestCustomerListResource_stopProviderStopsThePages(t *testing.T) {
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{GeneratedCustomers: 1200})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	server, config := listServer(t, mock)
	ctx := context.Background()
	stream, err := server.ListResource(ctx, &tfprotov6.ListResourceRequest{TypeName: "partnercenter_customer", Config: config, Limit: 5000})
	if err != nil {
		t.Fatal(err)
	}
	listed := 0
	var errors []*tfprotov6.Diagnostic
	for result := range stream.Results {
		for _, d := range result.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				errors = append(errors, d)
			}
		}
		if result.Identity == nil {
			continue
		}
		if listed++; listed == 1 {
			if _, err := server.StopProvider(ctx, &tfprotov6.StopProviderRequest{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if listed != 1 {
		t.Errorf("%d customers listed after StopProvider, want 1: the listing went on", listed)
	}
	if pages := mock.Requests(mockpartnercenter.RouteListCustomers); pages != 1 {
		t.Errorf("%d pages asked for, want 1", pages)
	}
	if len(errors) != 1 || errors[0].Summary != "Listing customers interrupted" ||
		!strings.Contains(errors[0].Detail, "stopped after 1 customers were listed") {
		t.Errorf("error diagnostics %+v, want one saying the listing was interrupted after 1 customer", errors)
	}
}

// Listing 1,000 or 10,000 customers through the protocol server holds a
// page at a time: the live heap's growth while listing (peak-live-B,
// measured after a collection at each page) stays at about a page's worth,
// whatever the number of customers, and the bytes allocated per customer
// (B/customer) stay flat.
func BenchmarkCustomerList(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			mock, err := mockpartnercenter.Start(mockpartnercenter.Options{GeneratedCustomers: n - 1})
			if err != nil {
				b.Fatal(err)
			}
			defer mock.Close()
			server, config := listServer(b, mock)
			ctx := context.Background()
			var before, during runtime.MemStats
			var peak uint64
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				runtime.GC()
				runtime.ReadMemStats(&before)
				stream, err := server.ListResource(ctx, &tfprotov6.ListResourceRequest{
					TypeName: "partnercenter_customer", Config: config, Limit: int64(n),
				})
				if err != nil {
					b.Fatal(err)
				}
				listed := 0
				for result := range stream.Results {
					if len(result.Diagnostics) > 0 || result.Identity == nil {
						b.Fatalf("result %d: %+v", listed, result.Diagnostics)
					}
					// Sampled once a page, after a collection, so that only
					// what the listing holds counts.
					if listed++; listed%500 == 250 {
						runtime.GC()
						runtime.ReadMemStats(&during)
						if during.HeapAlloc > before.HeapAlloc {
							peak = max(peak, during.HeapAlloc-before.HeapAlloc)
						}
					}
				}
				if listed != n {
					b.Fatalf("%d customers listed, want %d", listed, n)
				}
			}
			b.StopTimer()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(peak), "peak-live-B")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n), "B/customer")
		})
	}
}
