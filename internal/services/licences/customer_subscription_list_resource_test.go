package licences

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// subscriptionQueryTest runs steps of terraform query against mock, after
// the configuration step Terraform needs first. terraform query came with
// Terraform 1.14; OpenTofu has none.
func subscriptionQueryTest(t *testing.T, mock *mockpartnercenter.Server, steps ...resource.TestStep) {
	t.Helper()
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		t.Skip("OpenTofu has no terraform query")
	}
	for i := range steps {
		steps[i].Query = true
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps:                    append([]resource.TestStep{{Config: acctest.ProviderBlock(mock, "")}}, steps...),
	})
}

// subscriptionListQuery is a query of partnercenter_customer_subscription
// named test, with the given list block lines and config lines; the
// provider block is the first step's.
func subscriptionListQuery(block, config string) string {
	return fmt.Sprintf(`
list "partnercenter_customer_subscription" "test" {
  provider = partnercenter
  %s
  config {
    %s
  }
}
`, block, config)
}

// documentedIdentity is the identity of a subscription of the documented
// customer.
func documentedIdentity(subscriptionID string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"customer_id": knownvalue.StringExact(acctest.DocumentedID), "subscription_id": knownvalue.StringExact(subscriptionID),
	}
}

// mockRequests is a query check of the requests mock counted, after a
// PreConfig reset its counters: how many of each route, and no write.
type mockRequests struct {
	mock *mockpartnercenter.Server
	want map[mockpartnercenter.Route]int
}

func (c mockRequests) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	var problems []error
	for route, want := range c.want {
		if got := c.mock.Requests(route); got != want {
			problems = append(problems, fmt.Errorf("%s requests: %d, want %d", route, got, want))
		}
	}
	if w := c.mock.WriteRequests(); w != 0 {
		problems = append(problems, fmt.Errorf("%d write requests, want none", w))
	}
	resp.Error = errors.Join(problems...)
}

// ofCustomer keeps the results of one customer.
func ofCustomer(customerID string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
		"customer_id": knownvalue.StringExact(customerID), "subscription_id": knownvalue.NotNull(),
	})
}

const subscriptionList = "partnercenter_customer_subscription.test"

// The documented customer's subscriptions, besides those the resource
// cannot manage: two legacy ones, two Azure plans and an Azure savings plan
// billed once.
var documentedListed = []struct{ id, displayName string }{
	{"a4c1340d-6911-4758-bba3-0c4c6007d161", "Microsoft 365 Business Basic (1)"},
	{"6e7aa601-629e-461b-8933-0898c3cc3c7c", "friendly Name (1)"},
}

// One customer: each subscription the resource can manage, named by its
// friendly name and seats, read with one request.
func TestAccCustomerSubscriptionList_customer(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	checks := []querycheck.QueryResultCheck{
		querycheck.ExpectLength(subscriptionList, len(documentedListed)),
		mockRequests{mock, map[mockpartnercenter.Route]int{
			mockpartnercenter.RouteListCustomers: 0, mockpartnercenter.RouteListSubscriptions: 1,
		}},
	}
	for _, s := range documentedListed {
		identity := documentedIdentity(s.id)
		checks = append(checks, querycheck.ExpectIdentity(subscriptionList, identity),
			querycheck.ExpectResourceDisplayName(subscriptionList, queryfilter.ByResourceIdentity(identity), knownvalue.StringExact(s.displayName)))
	}
	subscriptionQueryTest(t, mock, resource.TestStep{
		PreConfig:         mock.ResetCounters,
		Config:            subscriptionListQuery("", fmt.Sprintf("customer_id = %q", acctest.DocumentedID)),
		QueryResultChecks: checks,
	})
}

// Every customer (one page of them), each customer named with its company;
// statuses and product_ids narrow the list.
func TestAccCustomerSubscriptionList_allCustomers(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 30})
	// Generated customer i has by i modulo 4: 0 an Azure plan and Business
	// Basic, 1 Business Basic, 2 nothing, 3 a suspended Business Basic and
	// an Azure plan: 23 Business Basic subscriptions, 7 of them suspended.
	first := acctest.GeneratedCustomerIDs(1)[0]
	subscriptionQueryTest(t, mock, resource.TestStep{
		PreConfig: mock.ResetCounters,
		Config:    subscriptionListQuery("limit = 1000", ""),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(subscriptionList, len(documentedListed)+23),
			querycheck.ExpectResourceDisplayName(subscriptionList,
				ofCustomer(first),
				knownvalue.StringRegexp(regexp.MustCompile(`^Microsoft 365 Business Basic \(5\) - \S`))),
			mockRequests{mock, map[mockpartnercenter.Route]int{
				mockpartnercenter.RouteListCustomers: 1, mockpartnercenter.RouteListSubscriptions: 31,
			}},
		},
	}, resource.TestStep{
		Config: subscriptionListQuery("limit = 1000", `statuses = ["Suspended"]`),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(subscriptionList, 7),
			querycheck.ExpectResourceDisplayName(subscriptionList,
				ofCustomer(acctest.GeneratedCustomerIDs(4)[3]),
				knownvalue.StringRegexp(regexp.MustCompile(`^Microsoft 365 Business Basic \(4\) - `))),
		},
	}, resource.TestStep{
		Config: subscriptionListQuery("limit = 1000", `product_ids = ["cfq7ttc0lh18"]`),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(subscriptionList, 1+23),
			querycheck.ExpectIdentity(subscriptionList, documentedIdentity(documentedListed[0].id)),
		},
	}, resource.TestStep{
		Config: subscriptionListQuery("limit = 1000", `statuses = ["active"]
    product_ids = ["DZH318Z0BXWC", "CFQ7TTC0LH18"]`),
		QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength(subscriptionList, 2+16)},
	})
}

// A limit reached within the first customer reads one page of customers
// and that customer's subscriptions, nothing more.
func TestAccCustomerSubscriptionList_limit(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 30})
	subscriptionQueryTest(t, mock, resource.TestStep{
		PreConfig: mock.ResetCounters,
		Config:    subscriptionListQuery("limit = 1", ""),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(subscriptionList, 1),
			querycheck.ExpectIdentity(subscriptionList, documentedIdentity(documentedListed[0].id)),
			mockRequests{mock, map[mockpartnercenter.Route]int{
				mockpartnercenter.RouteListCustomers: 1, mockpartnercenter.RouteListSubscriptions: 1,
			}},
		},
	}, resource.TestStep{
		PreConfig: mock.ResetCounters,
		Config:    subscriptionListQuery("limit = 5", ""),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(subscriptionList, 5),
			// The documented customer's two, then one of each generated
			// customer but the third, which has none.
			mockRequests{mock, map[mockpartnercenter.Route]int{
				mockpartnercenter.RouteListCustomers: 1, mockpartnercenter.RouteListSubscriptions: 5,
			}},
		},
	})
}

// With include_resource, each result's resource is the state an import
// and a Read save, read with no request per subscription.
func TestAccCustomerSubscriptionList_includeResource(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	identity := queryfilter.ByResourceIdentity(documentedIdentity(documentedListed[0].id))
	value := func(attr string, want knownvalue.Check) querycheck.KnownValueCheck {
		return querycheck.KnownValueCheck{Path: tfjsonpath.New(attr), KnownValue: want}
	}
	subscriptionQueryTest(t, mock, resource.TestStep{
		PreConfig: mock.ResetCounters,
		Config:    subscriptionListQuery("include_resource = true", fmt.Sprintf("customer_id = %q", acctest.DocumentedID)),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectResourceKnownValues(subscriptionList, identity, []querycheck.KnownValueCheck{
				value("id", knownvalue.StringExact(documentedListed[0].id)),
				value("customer_id", knownvalue.StringExact(acctest.DocumentedID)),
				value("catalog_item_id", knownvalue.StringExact("CFQ7TTC0LH18:0001:CFQ7TTC0K971")),
				value("term_duration", knownvalue.StringExact("P1Y")),
				value("billing_cycle", knownvalue.StringExact("monthly")),
				value("quantity", knownvalue.Int64Exact(1)),
				value("auto_renew", knownvalue.Bool(true)),
				value("friendly_name", knownvalue.StringExact("Microsoft 365 Business Basic")),
				value("on_destroy", knownvalue.StringExact("abandon")),
				value("status", knownvalue.StringExact("active")),
				value("additional_to", knownvalue.Null()),
				value("custom_term_end_date", knownvalue.Null()),
			}),
			mockRequests{mock, map[mockpartnercenter.Route]int{
				mockpartnercenter.RouteListSubscriptions: 1, mockpartnercenter.RouteGetSubscription: 0,
			}},
		},
	})
}

// Adopting an estate: terraform query writes the configuration of every
// subscription of five customers (auto-renew off, an annual term billed
// monthly, a custom friendly name, a scheduled renewal among them); the plan imports them all and
// changes nothing, with no write to Partner Center; the apply imports; the
// next plan is empty.
func TestAccCustomerSubscriptionList_generateConfig(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 4})
	generated := acctest.GeneratedCustomerIDs(4)
	if err := mock.SetAutoRenew(generated[1], mock.SubscriptionIDs(generated[1])[0], false); err != nil {
		t.Fatal(err)
	}
	// A renewal scheduled in the Partner Center portal: the generated
	// configuration leaves renewal out, which is no change.
	if err := mock.SetScheduledInstructions(generated[0], mock.SubscriptionIDs(generated[0])[1], map[string]any{"quantity": 9}); err != nil {
		t.Fatal(err)
	}
	tf := acctest.NewKillableTerraform(t)
	tf.SkipBelow("1.14.0")
	tf.Write(acctest.ProviderBlock(mock, ""))
	tf.WriteFile("estate.tfquery.hcl", `
list "partnercenter_customer_subscription" "all" {
  provider = partnercenter
  limit    = 1000
}
`)
	const subscriptions = 5 // the documented customer's two, one each of three generated customers
	if out, ok := tf.Run("init"); !ok {
		t.Fatalf("terraform init failed:\n%s", out)
	}
	mock.ResetCounters()
	if out, ok := tf.Run("query", "-generate-config-out=subs.tf"); !ok {
		t.Fatalf("terraform query failed:\n%s", out)
	}
	generatedConfig := tf.ReadFile("subs.tf")
	if n := strings.Count(generatedConfig, `resource "partnercenter_customer_subscription"`); n != subscriptions {
		t.Fatalf("subs.tf has %d resources, want %d:\n%s", n, subscriptions, generatedConfig)
	}
	if got := mock.Requests(mockpartnercenter.RouteListSubscriptions); got != 5 {
		t.Errorf("the query read %d subscription lists, want one for each of the 5 customers", got)
	}

	out, _ := tf.Run("plan", "-detailed-exitcode", "-out=adopt.plan")
	if !strings.Contains(out, fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", subscriptions)) {
		t.Fatalf("the plan does more than import %d subscriptions:\n%s", subscriptions, out)
	}
	if imports := tf.PlannedImports("adopt.plan"); imports != subscriptions {
		t.Fatalf("the plan imports %d subscriptions, want %d", imports, subscriptions)
	}
	if w, carts, checkouts := mock.WriteRequests(), mock.Requests(mockpartnercenter.RouteCreateCart), mock.Requests(mockpartnercenter.RouteCheckout); w+carts+checkouts != 0 {
		t.Fatalf("query and plan wrote %d times, with %d carts and %d checkouts", w, carts, checkouts)
	}

	if out, ok := tf.Run("apply", "adopt.plan"); !ok || !strings.Contains(out, fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", subscriptions)) {
		t.Fatalf("the apply did not import the %d subscriptions:\n%s", subscriptions, out)
	}
	if out, ok := tf.Run("plan", "-detailed-exitcode"); !ok || !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan after the import is not empty:\n%s", out)
	}
	if w := mock.WriteRequests(); w != 0 {
		t.Fatalf("adopting the subscriptions wrote %d times to Partner Center", w)
	}
}

// The configuration is checked before anything is read: a customer_id that
// is not a GUID, an empty set of statuses, an unknown status and a
// catalog item id given as a product id fail with no request.
func TestAccCustomerSubscriptionList_invalidConfig(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	invalid := func(config string, want string) resource.TestStep {
		return resource.TestStep{
			PreConfig: mock.ResetCounters, Config: subscriptionListQuery("", config), ExpectError: regexp.MustCompile(want),
		}
	}
	subscriptionQueryTest(t, mock,
		invalid(`customer_id = "contoso.onmicrosoft.com"`, `customer_id must be a GUID`),
		invalid(`statuses = []`, `statuses list must contain at least 1`),
		invalid(`statuses = ["active", "cancelled"]`, `value must be one of`),
		invalid(`product_ids = []`, `product_ids list must contain at least 1`),
		invalid(`product_ids = ["CFQ7TTC0LH18:0001:CFQ7TTC0K971"]`, `must be a product ID such as CFQ7TTC0LH18`),
		resource.TestStep{
			Config:            subscriptionListQuery("", fmt.Sprintf("customer_id = %q", acctest.DocumentedID)),
			QueryResultChecks: []querycheck.QueryResultCheck{mockRequests{mock, map[mockpartnercenter.Route]int{mockpartnercenter.RouteListSubscriptions: 1}}},
		},
	)
}

// Under Partner Center's rate limit the listing completes: the client
// waits as each 429's Retry-After says.
func TestAccCustomerSubscriptionList_rateLimited(t *testing.T) {
	limit, err := mockpartnercenter.ParseRateLimit("6/1s")
	if err != nil {
		t.Fatal(err)
	}
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 12, RateLimit: limit})
	subscriptionQueryTest(t, mock, resource.TestStep{
		PreConfig: mock.ResetCounters,
		Config:    subscriptionListQuery("limit = 1000", ""),
		QueryResultChecks: []querycheck.QueryResultCheck{
			// Generated customers 0 to 11: nine Business Basic subscriptions.
			querycheck.ExpectLength(subscriptionList, len(documentedListed)+9),
			throttled{mock},
		},
	})
}

// throttled checks that the mock's rate limit refused requests.
type throttled struct{ mock *mockpartnercenter.Server }

func (c throttled) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	if c.mock.ThrottledRequests() == 0 {
		resp.Error = errors.New("the rate limit refused no request: the test proves nothing")
	}
}

// The documentation's example lists what it says.
func TestAccCustomerSubscriptionList_example(t *testing.T) {
	example, err := os.ReadFile("../../../examples/list-resources/partnercenter_customer_subscription/list-resource.tfquery.hcl")
	if err != nil {
		t.Fatal(err)
	}
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	subscriptionQueryTest(t, mock, resource.TestStep{
		Config: string(example),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("partnercenter_customer_subscription.all", len(documentedListed)),
			querycheck.ExpectLength("partnercenter_customer_subscription.contoso_m365", 1),
			querycheck.ExpectIdentity("partnercenter_customer_subscription.contoso_m365",
				documentedIdentity(documentedListed[0].id)),
		},
	})
}
