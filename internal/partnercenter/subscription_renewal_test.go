package partnercenter

import (
	"encoding/json"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Scheduling fills what the plan leaves out from the subscription as read,
// sends one PATCH, and sends nothing when Partner Center already holds the
// same renewal (billing cycle in another letter case); a nil plan deletes
// the schedule, and a schedule the mock refuses is the service's error.
func TestMockIntegration_scheduledInstructions(t *testing.T) {
	const customerID, subscriptionID = mockpartnercenter.DocumentedCustomerID, "a4c1340d-6911-4758-bba3-0c4c6007d161"
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	client := newMockClient(t, mock, mockRefreshTokens(t, mock))
	patches := func() int { return mock.Requests(mockpartnercenter.RouteUpdateSubscription) }

	rec, err := client.UpdateSubscription(t.Context(), customerID, subscriptionID, ChangeScheduledInstructions(&RenewalPlan{BillingCycle: "Annual", Quantity: 3}))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"product":{"productId":"CFQ7TTC0LH18","skuId":"0001","availabilityId":"CFQ7TTC0K971","billingCycle":"Annual",` +
		`"termDuration":"P1Y"},"quantity":3}`
	if got := ScheduledInstructions(&rec.Subscription).String(); got != want || patches() != 1 {
		t.Errorf("scheduled %s with %d PATCHes, want %s with one", got, patches(), want)
	}
	if _, err := client.UpdateSubscription(t.Context(), customerID, subscriptionID, ChangeScheduledInstructions(&RenewalPlan{BillingCycle: "annual", Quantity: 3})); err != nil || patches() != 1 {
		t.Errorf("the same renewal again: %v, %d PATCHes; want nothing sent", err, patches())
	}
	if _, err := client.UpdateSubscription(t.Context(), customerID, subscriptionID, ChangeScheduledInstructions(&RenewalPlan{CatalogItemID: "CFQ7TTC0LF8R:0001:X"})); err == nil {
		t.Error("a renewal into a product that is no transition was accepted")
	}
	rec, err = client.UpdateSubscription(t.Context(), customerID, subscriptionID, ChangeScheduledInstructions(nil))
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := json.Marshal(rec.Subscription.ScheduledNextTermInstructions); ScheduledInstructions(&rec.Subscription) != nil || patches() != 3 {
		t.Errorf("after deleting: %s with %d PATCHes, want none scheduled", raw, patches())
	}
}

// Instructions holding nothing (a product whose members are all null, as
// Partner Center may send once none are scheduled) schedule nothing, for
// ScheduledInstructions as for NoInstructions; any value in them is a
// schedule.
func TestScheduledInstructions_holdingNothing(t *testing.T) {
	for _, sent := range []string{``, `null`, `{}`, `{"product":null}`, `{"product":{"productId":null,"skuId":null,` +
		`"availabilityId":null,"billingCycle":null,"termDuration":null},"quantity":null}`, `{"product":{"productId":""},"quantity":null}`} {
		s := Subscription{OfferID: new("CFQ7TTC0LH18:0001:CFQ7TTC0K971"), ScheduledNextTermInstructions: json.RawMessage(sent)}
		if got := ScheduledInstructions(&s); got != nil || !NoInstructions(s.ScheduledNextTermInstructions) {
			t.Errorf("%s: scheduled %s, NoInstructions %v; want nothing scheduled", sent, got, NoInstructions(s.ScheduledNextTermInstructions))
		}
	}
	s := Subscription{OfferID: new("CFQ7TTC0LH18:0001:CFQ7TTC0K971"), ScheduledNextTermInstructions: json.RawMessage(`{"product":null,"quantity":2}`)}
	if got := ScheduledInstructions(&s); got == nil || got.Quantity != 2 || NoInstructions(s.ScheduledNextTermInstructions) {
		t.Errorf("quantity only: scheduled %s; want 2 seats scheduled", got)
	}
}
