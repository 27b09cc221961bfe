package licences

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// checkoutFault is what checkoutInterceptor does to a checkout after
// Partner Center has answered it, and so after the purchase was made.
type checkoutFault int32

const (
	// passCheckouts forwards the answer.
	passCheckouts checkoutFault = iota
	// dropEveryCheckout closes the connection without an answer.
	dropEveryCheckout
	// dropFirstCheckout drops the first answer and forwards the others.
	dropFirstCheckout
	// failEveryCheckout answers 502, as a gateway that lost the answer.
	failEveryCheckout
	// holdEveryCheckout answers nothing until the client gives up.
	holdEveryCheckout
)

// checkoutInterceptor stands between the provider and the mock: every
// request goes through, and a checkout's answer, once the mock has bought,
// meets the fault set. It stages what no client can tell from a purchase
// that failed: a purchase whose answer was lost.
type checkoutInterceptor struct {
	*httptest.Server
	fault     atomic.Int32
	checkouts atomic.Int32
}

func newCheckoutInterceptor(t *testing.T, mock *mockpartnercenter.Server) *checkoutInterceptor {
	t.Helper()
	target, err := url.Parse(mock.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := &checkoutInterceptor{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/checkout") {
			proxy.ServeHTTP(w, r)
			return
		}
		n := c.checkouts.Add(1)
		recorder := httptest.NewRecorder()
		proxy.ServeHTTP(recorder, r) // the mock buys (or repeats the first result)
		switch fault := checkoutFault(c.fault.Load()); {
		case fault == dropEveryCheckout || (fault == dropFirstCheckout && n == 1):
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
		case fault == failEveryCheckout:
			w.WriteHeader(http.StatusBadGateway)
		case fault == holdEveryCheckout:
			<-r.Context().Done()
		default:
			for name, values := range recorder.Header() {
				w.Header()[name] = values
			}
			w.WriteHeader(recorder.Code)
			_, _ = io.Copy(w, recorder.Body)
		}
	}))
	t.Cleanup(c.Close)
	return c
}

// ProviderBlock sends API requests through the interceptor and token
// requests to the mock, with one retry per request to keep the test short.
func (c *checkoutInterceptor) ProviderBlock(mock *mockpartnercenter.Server) string {
	return fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %q
  authority_host = %q
  tenant_id      = %q
  client_id      = %q
  client_secret  = %q
  refresh_token  = %q
  max_retries    = 1
}
`, c.URL, mock.URL(), acctest.MockTenantID, acctest.MockClientID, acctest.MockClientSecret, acctest.MockRefreshToken)
}

// interruptedPurchase applies a purchase that interrupt stages to end
// without a known outcome, checks that the state records it as pending,
// then applies again after resume and checks that the purchase completed,
// with exactly one purchase counted by the mock. boughtWhenInterrupted is
// how many purchases the mock counted after the interrupted apply: 1 where
// Partner Center bought and the answer was lost. providerHCL is the
// provider block; "" talks to the mock directly.
func interruptedPurchase(t *testing.T, mock *mockpartnercenter.Server, providerHCL, createTimeout string, boughtWhenInterrupted int, interrupt, resume func()) {
	t.Helper()
	if providerHCL == "" {
		providerHCL = acctest.ProviderBlock(mock, "")
	}
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	var subscriptionID string
	config := providerHCL + acctest.PurchaseBlocks(fmt.Sprintf("quantity = 2\n  timeouts {\n    create = %q\n  }", createTimeout))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: interrupt,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(acctest.SubscriptionAddress, "status", knownvalue.StringExact("pending")),
					acctest.StateAttr(acctest.SubscriptionAddress, "id", knownvalue.Null()),
					acctest.StateAttr(acctest.SubscriptionAddress, "cart_id", knownvalue.NotNull()),
				},
				Check: purchasesAre(mock, boughtWhenInterrupted),
				// The plan after it completes the purchase.
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: resume,
				Config:    config,
				Check: resource.ComposeAggregateTestCheckFunc(
					boughtSubscription(mock, before, &subscriptionID),
					resource.TestCheckResourceAttrPtr(acctest.SubscriptionAddress, "id", &subscriptionID),
					purchasesAre(mock, 1),
					stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"status": "active", "quantity": 2}),
				),
			},
		},
	})
	if got := mock.Purchases(acctest.DocumentedID); got != 1 {
		t.Errorf("%d purchases in all, want 1", got)
	}
	t.Logf("purchases counted by the mock: %d", mock.Purchases(acctest.DocumentedID))
}

// The order stays pending past timeouts.create: the state keeps the order,
// and the next apply reads it until it names the subscription.
func TestAccCustomerSubscriptionResource_orderPendingPastTimeout(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: 4})
	interruptedPurchase(t, mock, "", "2s", 1, func() {}, func() {})
}

// The checkout is still refused as busy (409 800064) when timeouts.create
// runs out: whether it bought is unknown, and the next apply checks the
// same cart out again.
func TestAccCustomerSubscriptionResource_checkoutBusyPastTimeout(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	interruptedPurchase(t, mock, "", "3s", 0,
		func() { mock.SetCheckoutConflicts(acctest.DocumentedID, 1000) },
		func() { mock.SetCheckoutConflicts(acctest.DocumentedID, 0) })
}

// Partner Center bought, then every answer to the checkout was lost: the
// connection closed, or a gateway answered 502, through every retry; or no
// answer came before timeouts.create ran out, as when Terraform is
// interrupted. The next apply checks the same cart out again and gets the
// first checkout's order: one purchase.
func TestAccCustomerSubscriptionResource_checkoutAnswerLost(t *testing.T) {
	for name, tc := range map[string]struct {
		fault   checkoutFault
		timeout string
	}{
		"connection dropped": {dropEveryCheckout, "1m"},
		"502":                {failEveryCheckout, "1m"},
		"no answer":          {holdEveryCheckout, "3s"},
	} {
		t.Run(name, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
			proxy := newCheckoutInterceptor(t, mock)
			interruptedPurchase(t, mock, proxy.ProviderBlock(mock), tc.timeout, 1,
				func() { proxy.fault.Store(int32(tc.fault)) },
				func() { proxy.fault.Store(int32(passCheckouts)) })
			if n := proxy.checkouts.Load(); n < 2 {
				t.Errorf("%d checkouts went through the interceptor, want the lost ones and the completing one", n)
			}
		})
	}
}

// A checkout whose first answer is lost is retried with the same cart
// within the apply, which completes with one purchase.
func TestAccCustomerSubscriptionResource_checkoutRetriedOnTheSameCart(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	proxy := newCheckoutInterceptor(t, mock)
	proxy.fault.Store(int32(dropFirstCheckout))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: proxy.ProviderBlock(mock) + acctest.PurchaseBlocks("quantity = 2"),
			Check: resource.ComposeAggregateTestCheckFunc(
				purchasesAre(mock, 1),
				stateIsStored(t, mock, acctest.SubscriptionAddress, map[string]any{"status": "active", "quantity": 2}),
			),
		}},
	})
	if n, carts := proxy.checkouts.Load(), mock.Requests(mockpartnercenter.RouteCreateCart); n != 2 || carts != 1 {
		t.Errorf("%d checkouts of %d carts, want 2 of 1", n, carts)
	}
}

// Ctrl-C during a checkout: Terraform sends StopProvider, which cancels the
// apply under way. Partner Center bought, its answer never came: the apply
// returns a pending purchase with a warning, not an error that would taint
// the resource and buy again on replacement.
func TestProviderServer_stopDuringCheckoutLeavesAPendingPurchase(t *testing.T) {
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{OrderPendingReads: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	proxy := newCheckoutInterceptor(t, mock)
	proxy.fault.Store(int32(holdEveryCheckout))

	ctx := context.Background()
	server := acctest.UnderTest.Server("test")()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: acctest.DynamicValue(t, acctest.ObjectValue(t, schemas.Provider.ValueType(), map[string]tftypes.Value{
			"endpoint": str(proxy.URL), "authority_host": str(mock.URL()), "tenant_id": str(acctest.MockTenantID),
			"client_id": str(acctest.MockClientID), "client_secret": str(acctest.MockClientSecret), "refresh_token": str(acctest.MockRefreshToken),
		})),
	})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, configured.Diagnostics)
	}
	config, s := subscriptionPlan(t, map[string]tftypes.Value{
		"customer_id": str(acctest.DocumentedID), "catalog_item_id": str("CFQ7TTC0LH18:0001:CFQ7TTC0K971"),
		"term_duration": str("P1Y"), "billing_cycle": str("monthly"), "quantity": num(3),
	})
	stateType := s.Schema.Type().TerraformType(ctx)
	const typeName = "partnercenter_customer_subscription"
	planned, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, Config: acctest.DynamicValue(t, config), ProposedNewState: acctest.DynamicValue(t, config),
		PriorState: acctest.DynamicValue(t, tftypes.NewValue(stateType, nil)),
	})
	if err != nil || hasProtocolError(planned.Diagnostics) {
		t.Fatalf("plan: %v %v", err, planned.Diagnostics)
	}

	applied := make(chan *tfprotov6.ApplyResourceChangeResponse, 1)
	go func() {
		resp, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: typeName, Config: acctest.DynamicValue(t, config), PlannedState: planned.PlannedState,
			PriorState: acctest.DynamicValue(t, tftypes.NewValue(stateType, nil)),
		})
		if err != nil {
			t.Error(err)
		}
		applied <- resp
	}()
	for deadline := time.Now().Add(10 * time.Second); proxy.checkouts.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the apply never reached the checkout")
		}
	}
	if _, err := server.StopProvider(ctx, &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	var resp *tfprotov6.ApplyResourceChangeResponse
	select {
	case resp = <-applied:
	case <-time.After(10 * time.Second):
		t.Fatal("the apply went on after StopProvider")
	}
	if resp == nil {
		t.Fatal("no apply response")
	}
	warned := false
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("error diagnostic %q: %s", d.Summary, d.Detail)
		}
		warned = warned || (d.Summary == "Subscription purchase pending" && strings.Contains(d.Detail, "Terraform was interrupted"))
	}
	if !warned {
		t.Errorf("diagnostics %v, want the pending purchase's warning saying Terraform was interrupted", resp.Diagnostics)
	}
	state, err := resp.NewState.Unmarshal(stateType)
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string]tftypes.Value{}
	if err := state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if shared.StringOf(attrs["status"]) != statusPending || shared.StringOf(attrs["cart_id"]) == "" || !attrs["id"].IsNull() {
		t.Errorf("state status %v, cart %v, id %v; want a pending purchase with its cart and no id", attrs["status"], attrs["cart_id"], attrs["id"])
	}
	if got := mock.Purchases(acctest.DocumentedID); got != 1 {
		t.Errorf("%d purchases, want the one Partner Center made before the interruption", got)
	}
}

func hasProtocolError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}
