package licences

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// benchCustomers is the estate the benchmarks list: the documented customer
// and 400 generated ones, 302 subscriptions the resource can manage.
const benchCustomers = 400

func startBenchMock(b *testing.B) *mockpartnercenter.Server {
	b.Helper()
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{GeneratedCustomers: benchCustomers})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(mock.Close)
	return mock
}

// allocsPer runs list b.N times and reports its allocations per listed
// subscription.
func allocsPer(b *testing.B, list func() int) {
	b.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	listed := 0
	for b.Loop() {
		listed += list()
	}
	runtime.ReadMemStats(&after)
	if listed == 0 {
		b.Fatal("nothing listed")
	}
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(listed), "allocs/subscription")
}

// BenchmarkSubscriptionListResults measures the provider's own work per
// subscription once a customer's subscriptions are decoded: filtering and
// building each result with its identity and the resource an import and a
// Read would save (terraform query -generate-config-out).
func BenchmarkSubscriptionListResults(b *testing.B) {
	ctx := context.Background()
	mock := startBenchMock(b)
	var schema resource.SchemaResponse
	var identity resource.IdentitySchemaResponse
	r := &customerSubscriptionResource{}
	r.Schema(ctx, resource.SchemaRequest{}, &schema)
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &identity)
	req := list.ListRequest{ResourceSchema: schema.Schema, ResourceIdentitySchema: identity.IdentitySchema, IncludeResource: true}
	types, diags := shared.NewListResultTypes(ctx, req)
	prior, d := importedSubscriptionPrior(ctx, req)
	if diags.Append(d...); diags.HasError() {
		b.Fatal(diags)
	}
	estate := map[string][]partnercenter.Subscription{}
	for _, customerID := range mock.CustomerIDs() {
		for _, raw := range mock.Subscriptions(customerID) {
			var s partnercenter.Subscription
			if err := json.Unmarshal(raw, &s); err != nil {
				b.Fatal(err)
			}
			estate[customerID] = append(estate[customerID], s)
		}
	}
	b.ReportAllocs()
	allocsPer(b, func() int {
		l := &subscriptionLister{ctx: ctx, req: req, prior: prior, types: types, push: func(result list.ListResult) bool {
			if result.Diagnostics.HasError() {
				b.Fatal(result.Diagnostics)
			}
			return true
		}}
		for customerID, subscriptions := range estate {
			l.customerSubscriptions(customerID, "Contoso Ltd", subscriptions)
		}
		return int(l.listed)
	})
}

// BenchmarkSubscriptionListServer lists every subscription of the estate
// through the provider's protocol server against the mock, in-process:
// its allocations per subscription count the mock's and HTTP's too. It
// reports the requests made per customer.
func BenchmarkSubscriptionListServer(b *testing.B) {
	mock := startBenchMock(b)
	s := newListServer(b, mock)
	mock.ResetCounters()
	b.ReportAllocs()
	allocsPer(b, func() int {
		listed := 0
		for result := range s.list(context.Background(), map[string]tftypes.Value{}, 100000, true).Results {
			if len(result.Diagnostics) > 0 && result.Identity == nil {
				continue
			}
			listed++
		}
		return listed
	})
	b.ReportMetric(float64(mock.TotalAPIRequests())/float64(b.N*(benchCustomers+1)), "requests/customer")
}
