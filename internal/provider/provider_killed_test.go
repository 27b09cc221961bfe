package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// importAdvice finds the import block a refusal offers.
var importAdvice = regexp.MustCompile(`import \{\s+to = partnercenter_customer_subscription\.NAME\s+id = "([^"]+)"\s+\}`)

// The provider is killed with SIGKILL once Partner Center has bought, before
// Terraform saved anything: the next apply buys nothing and refuses, naming
// the subscription and the import block that adopts it; with that block the
// apply adopts it (one purchase in all), and a second identical purchase
// goes through once the configuration says it is in addition to the first.
func TestAccCustomerSubscriptionResource_providerKilledAfterCheckout(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	tf := acctest.NewKillableTerraform(t)
	before := mock.SubscriptionIDs(acctest.DocumentedID)
	config := acctest.ProviderBlock(mock, "") + acctest.PurchaseBlocks("quantity = 2\n  auto_renew = false")
	tf.Write(config)

	// The checkout commits, then its answer never comes.
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang, AfterCommit: true, Route: mockpartnercenter.RouteCheckout})
	tf.ApplyKilledWhen(func() bool { return mock.Purchases(acctest.DocumentedID) == 1 })
	mock.SetFault(acctest.DocumentedID, mockpartnercenter.Fault{Route: mockpartnercenter.RouteCheckout})
	if values := tf.StateValues(acctest.SubscriptionAddress); values != nil {
		t.Fatalf("the state holds the subscription although the provider was killed before answering: %v", values)
	}

	// The next apply refuses, buying nothing and writing nothing.
	writes := mock.WriteRequests()
	out, ok := tf.Run("apply", "-auto-approve")
	if ok {
		t.Fatal("the apply after the kill succeeded; want the refusal")
	}
	added := acctest.NewSubscriptionIDs(mock, before)
	if len(added) != 1 {
		t.Fatalf("the mock holds new subscriptions %v, want the one bought before the kill", added)
	}
	flat := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(flat, "Same product bought recently") || !strings.Contains(flat, added[0]) {
		t.Errorf("the refusal does not name subscription %s:\n%s", added[0], out)
	}
	advice := importAdvice.FindStringSubmatch(out)
	if advice == nil || advice[1] != acctest.DocumentedID+"/"+added[0] {
		t.Fatalf("the refusal gives no import block for %s/%s:\n%s", acctest.DocumentedID, added[0], out)
	}
	if got := mock.WriteRequests() - writes; got != 0 {
		t.Errorf("the refused apply sent %d writes, want none", got)
	}

	// The advice, followed: the import block adopts the subscription.
	tf.Write(config + strings.Replace(advice[0], "NAME", "test", 1) + "\n")
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the apply with the import block failed:\n%s", out)
	}
	if got := mock.Purchases(acctest.DocumentedID); got != 1 {
		t.Errorf("%d purchases after adopting, want 1", got)
	}
	token := acctest.IssueMockToken(t, mock, acctest.MockClientSecret, acctest.MockRefreshToken)
	stored := acctest.RawSubscription(t, mock, token, added[0])
	state := tf.StateValues(acctest.SubscriptionAddress)
	for attr, member := range map[string]string{"id": "id", "quantity": "quantity", "auto_renew": "autoRenewEnabled",
		"friendly_name": "friendlyName", "status": "status", "order_id": "orderId"} {
		if fmt.Sprint(state[attr]) != fmt.Sprint(stored[member]) {
			t.Errorf("state %s = %v, Partner Center's %s = %v", attr, state[attr], member, stored[member])
		}
	}
	// The killed apply never sent the PATCH of auto_renew; the adopting
	// apply imported the subscription and then changed it as planned.
	if stored["autoRenewEnabled"] != false {
		t.Errorf("Partner Center's autoRenewEnabled = %v, want false as configured", stored["autoRenewEnabled"])
	}

	// A deliberate second purchase of the same SKU.
	second := strings.Replace(strings.Replace(acctest.PurchaseBlocks("quantity = 1\n  additional_to = [partnercenter_customer_subscription.test.id]"),
		`resource "partnercenter_customer_subscription" "test"`, `resource "partnercenter_customer_subscription" "again"`, 1),
		`data "partnercenter_product_availabilities" "basic"`, `data "partnercenter_product_availabilities" "again"`, 1)
	second = strings.Replace(second, "data.partnercenter_product_availabilities.basic", "data.partnercenter_product_availabilities.again", 1)
	tf.Write(config + second)
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the acknowledged second purchase failed:\n%s", out)
	}
	if got := mock.Purchases(acctest.DocumentedID); got != 2 {
		t.Errorf("%d purchases, want 2: the adopted one and the acknowledged second", got)
	}
	again := tf.StateValues("partnercenter_customer_subscription.again")
	if again == nil || again["id"] == added[0] || fmt.Sprint(again["quantity"]) != "1" {
		t.Errorf("the second subscription's state is %v", again)
	}
	t.Logf("purchases counted by the mock: %d; checkouts: %d", mock.Purchases(acctest.DocumentedID), mock.Requests(mockpartnercenter.RouteCheckout))
}

// The provider is killed with SIGKILL once Partner Center has created the
// tenant, before its answer arrives: the next apply creates no second
// tenant but finds the first by its domain.
func TestAccCustomerResource_providerKilledAfterCreation(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	tf := acctest.NewKillableTerraform(t)
	tf.Write(acctest.OnboardingConfig(mock, "killed", "Killed Ltd", ""))
	mock.SetFault("", mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang, AfterCommit: true, Route: mockpartnercenter.RouteCreateCustomer})
	tf.ApplyKilledWhen(func() bool { return mock.CustomersCreated() == 1 })
	mock.SetFault("", mockpartnercenter.Fault{Route: mockpartnercenter.RouteCreateCustomer})
	if values := tf.StateValues(acctest.CustomerAddress); values != nil {
		t.Fatalf("the state holds the customer although the provider was killed before answering: %v", values)
	}

	out, ok := tf.Run("apply", "-auto-approve")
	if !ok {
		t.Fatalf("the apply after the kill failed:\n%s", out)
	}
	if got := mock.CustomersCreated(); got != 1 {
		t.Errorf("%d tenants created, want 1", got)
	}
	state := tf.StateValues(acctest.CustomerAddress)
	var created string
	for _, id := range mock.CustomerIDs() {
		if !strings.EqualFold(id, acctest.DocumentedID) {
			created = id
		}
	}
	if state == nil || !strings.EqualFold(fmt.Sprint(state["id"]), created) {
		t.Errorf("state id %v, want the tenant created before the kill, %s", state["id"], created)
	}
	if state["admin_password"] != nil {
		t.Errorf("the state has an admin password; it went with the lost answer")
	}
	flat := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(flat, "killed.onmicrosoft.com") || !strings.Contains(strings.ToLower(flat), "password") {
		t.Errorf("the adopting apply does not warn that the password is lost:\n%s", out)
	}
}
