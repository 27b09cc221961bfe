package licences

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

const subscriptionListType = "partnercenter_customer_subscription"

// listResourceServer is a provider server that serves list resources.
type listResourceServer interface {
	tfprotov6.ProviderServer
	ListResource(context.Context, *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error)
}

// listServer is the provider, through its protocol, configured for mock.
type listServer struct {
	t      testing.TB
	server listResourceServer
	config tftypes.Type // of the list block's config
}

func newListServer(t testing.TB, mock *mockpartnercenter.Server) *listServer {
	t.Helper()
	configured, schemas := acctest.ConfiguredServer(t, mock)
	server, ok := configured.(listResourceServer)
	if !ok {
		t.Fatal("the provider's server serves no list resources")
	}
	listSchema, ok := schemas.ListResourceSchemas[subscriptionListType]
	if !ok {
		t.Fatalf("no list resource %s", subscriptionListType)
	}
	return &listServer{t: t, server: server, config: listSchema.ValueType()}
}

// list starts a listing with the config attributes set.
func (s *listServer) list(ctx context.Context, set map[string]tftypes.Value, limit int64, include bool) *tfprotov6.ListResourceServerStream {
	s.t.Helper()
	stream, err := s.server.ListResource(ctx, &tfprotov6.ListResourceRequest{
		TypeName: subscriptionListType, Config: acctest.DynamicValue(s.t, acctest.ObjectValue(s.t, s.config, set)), Limit: limit, IncludeResource: include,
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return stream
}

func diagnosticsOf(diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == severity {
			out = append(out, d)
		}
	}
	return out
}

// Ctrl-C during terraform query: Terraform sends StopProvider, which
// cancels the listing. The customer being read is finished, no further
// customer is read, and one error says how far the listing got.
func TestProviderServer_stopDuringSubscriptionList(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 30})
	s := newListServer(t, mock)
	mock.ResetCounters()
	var listed int
	var errs []*tfprotov6.Diagnostic
	for result := range s.list(context.Background(), nil, 1000, false).Results {
		if result.Identity != nil {
			if listed++; listed == 1 {
				if _, err := s.server.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
					t.Fatal(err)
				}
			}
		}
		errs = append(errs, diagnosticsOf(result.Diagnostics, tfprotov6.DiagnosticSeverityError)...)
	}
	if listed != len(documentedListed) {
		t.Errorf("%d subscriptions listed after the stop, want the %d of the customer being read", listed, len(documentedListed))
	}
	if n := mock.Requests(mockpartnercenter.RouteListSubscriptions); n != 1 {
		t.Errorf("%d customers' subscriptions read, want only the first's", n)
	}
	next := acctest.GeneratedCustomerIDs(1)[0]
	if len(errs) != 1 || errs[0].Summary != "Listing subscriptions interrupted" ||
		!strings.Contains(errs[0].Detail, "after 2 subscription(s) from 1 customer(s), before reading the subscriptions of customer \""+next) {
		for _, e := range errs {
			t.Logf("error %q: %s", e.Summary, e.Detail)
		}
		t.Fatalf("%d errors, want one saying the listing stopped after 2 subscriptions from 1 customer, before customer %s", len(errs), next)
	}
}

// A customer whose subscriptions cannot be read, as one whose relationship
// with the partner ended, is a warning naming it with Partner Center's
// answer; the other customers are listed.
func TestProviderServer_subscriptionListWarnsOfAnUnreadableCustomer(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 4})
	refused := acctest.GeneratedCustomerIDs(1)[0]
	mock.SetFault(refused, mockpartnercenter.Fault{
		Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{403}, Route: mockpartnercenter.RouteListSubscriptions,
	})
	s := newListServer(t, mock)
	var customers = map[string]bool{}
	var warnings, errs []*tfprotov6.Diagnostic
	for result := range s.list(context.Background(), nil, 1000, false).Results {
		if result.Identity != nil {
			id, err := result.Identity.IdentityData.Unmarshal(tftypes.Object{AttributeTypes: map[string]tftypes.Type{
				"customer_id": tftypes.String, "subscription_id": tftypes.String,
			}})
			if err != nil {
				t.Fatal(err)
			}
			attrs := map[string]tftypes.Value{}
			if err := id.As(&attrs); err != nil {
				t.Fatal(err)
			}
			var customer string
			if err := attrs["customer_id"].As(&customer); err != nil {
				t.Fatal(err)
			}
			customers[customer] = true
		}
		warnings = append(warnings, diagnosticsOf(result.Diagnostics, tfprotov6.DiagnosticSeverityWarning)...)
		errs = append(errs, diagnosticsOf(result.Diagnostics, tfprotov6.DiagnosticSeverityError)...)
	}
	if len(errs) > 0 {
		t.Fatalf("errors %v", errs)
	}
	if customers[refused] || len(customers) != 3 {
		t.Errorf("subscriptions of %v listed, want those of the 3 customers besides %s", customers, refused)
	}
	var named bool
	for _, w := range warnings {
		named = named || strings.Contains(w.Detail, refused) && strings.Contains(w.Detail, "403") && strings.Contains(w.Detail, "MS-RequestId: ")
	}
	if !named {
		for _, w := range warnings {
			t.Logf("warning %q: %s", w.Summary, w.Detail)
		}
		t.Errorf("%d warnings, want one naming customer %s, the status 403 and the request id", len(warnings), refused)
	}
}

// The customer customer_id names cannot be read: an error naming it.
func TestProviderServer_subscriptionListFailsForTheCustomerNamed(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	s := newListServer(t, mock)
	var errs []*tfprotov6.Diagnostic
	for result := range s.list(context.Background(), map[string]tftypes.Value{"customer_id": str(mockpartnercenter.NonCustomerTenantID)}, 100, false).Results {
		if result.Identity != nil {
			t.Errorf("a result for %s, which is not a customer", mockpartnercenter.NonCustomerTenantID)
		}
		errs = append(errs, diagnosticsOf(result.Diagnostics, tfprotov6.DiagnosticSeverityError)...)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Detail, mockpartnercenter.NonCustomerTenantID) || !strings.Contains(errs[0].Detail, "403") {
		for _, e := range errs {
			t.Logf("error %q: %s", e.Summary, e.Detail)
		}
		t.Fatalf("%d errors, want one naming %s and the status 403", len(errs), mockpartnercenter.NonCustomerTenantID)
	}
}
