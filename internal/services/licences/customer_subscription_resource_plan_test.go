package licences

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// subscriptionPlan is a plan or state of the resource: every attribute
// null but those given.
func subscriptionPlan(t *testing.T, set map[string]tftypes.Value) (tftypes.Value, resource.SchemaResponse) {
	t.Helper()
	var s resource.SchemaResponse
	NewCustomerSubscriptionResource().Schema(context.Background(), resource.SchemaRequest{}, &s)
	if s.Diagnostics.HasError() {
		t.Fatal(s.Diagnostics)
	}
	objectType, ok := s.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	attrs := acctest.NullAttributes(objectType)
	for name, v := range set {
		attrs[name] = v
	}
	return tftypes.NewValue(objectType, attrs), s
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func num(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(float64(n))) }

// The plan of a purchase warns what it buys, each value or "known at apply".
func TestModifyPlan_purchaseWarning(t *testing.T) {
	plan, s := subscriptionPlan(t, map[string]tftypes.Value{
		"customer_id":     str(acctest.DocumentedID),
		"catalog_item_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"quantity":        num(25),
		"term_duration":   str("P1Y"),
		"billing_cycle":   str("monthly"),
	})
	r := &customerSubscriptionResource{}
	resp := resource.ModifyPlanResponse{Plan: tfsdk.Plan{Schema: s.Schema, Raw: plan}}
	r.ModifyPlan(context.Background(), resource.ModifyPlanRequest{
		Plan:  tfsdk.Plan{Schema: s.Schema, Raw: plan},
		State: tfsdk.State{Schema: s.Schema, Raw: tftypes.NewValue(plan.Type(), nil)},
	}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want one warning", resp.Diagnostics)
	}
	w := resp.Diagnostics.Warnings()[0]
	want := `partnercenter_customer_subscription buys, for customer "` + acctest.DocumentedID + `": catalog item (known at apply), ` +
		`quantity 25, term "P1Y", billing cycle "monthly".`
	if w.Summary() != "Applying this plan buys a subscription" || !strings.HasPrefix(w.Detail(), want) {
		t.Errorf("warning %q: %q\nwant it to start %q", w.Summary(), w.Detail(), want)
	}
	// Since the extended service term, no subscription just ends with its term.
	if tail := "at the term's end it renews (auto_renew on) or moves to a month-to-month extended service term billed at a " +
		"higher price (auto_renew off) until it is cancelled."; !strings.HasSuffix(w.Detail(), tail) {
		t.Errorf("warning %q\nwant it to end %q", w.Detail(), tail)
	}
}

// A decrease is refused beyond the seats whose window is still open, naming
// the deadlines that passed; without refundable_quantity the service decides.
func TestSeatDecreaseRefusal(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	_, s := subscriptionPlan(t, nil)
	objectType, _ := s.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	rqType, ok := objectType.AttributeTypes["refundable_quantity"].(tftypes.Object)
	if !ok {
		t.Fatal("refundable_quantity is not an object")
	}
	detailsType, ok := rqType.AttributeTypes["details"].(tftypes.List)
	if !ok {
		t.Fatal("refundable_quantity.details is not a list")
	}
	type batch struct {
		seats int64
		until string
	}
	refundable := func(batches ...batch) tftypes.Value {
		items := []tftypes.Value{}
		var total int64
		for _, b := range batches {
			items = append(items, tftypes.NewValue(detailsType.ElementType, map[string]tftypes.Value{
				"quantity": num(b.seats), "allowed_until_date_time": str(b.until),
			}))
			total += b.seats
		}
		return tftypes.NewValue(rqType, map[string]tftypes.Value{"total_quantity": num(total), "details": tftypes.NewValue(detailsType, items)})
	}
	tests := []struct {
		name       string
		decrease   int64
		refundable tftypes.Value
		refused    bool
		mentions   string
	}{
		{"within an open batch", 3, refundable(batch{5, "2026-12-05T00:00:00.1234567Z"}), false, ""},
		{"beyond the open batch", 6, refundable(batch{5, "2026-12-05T00:00:00Z"}, batch{4, "2026-11-20T08:00:00Z"}),
			true, "refundable_quantity allows 5 now; the window of 4 seats until 2026-11-20T08:00:00Z has passed"},
		{"every window passed", 1, refundable(batch{2, "2026-12-03T11:59:59Z"}), true, "allows 0 now"},
		{"no batch", 1, refundable(), true, "allows 0 now; no batch of seats is listed as removable. Keep the quantity;"},
		{"beyond the open batch, the rest bought long ago", 3, refundable(batch{1, "2026-12-05T00:00:00Z"}),
			true, "allows 1 now; the other seats are in no batch listed as removable (bought more than 7 days ago). Keep the quantity, or remove at most 1;"},
		{"no refundable quantity sent", 10, tftypes.NewValue(rqType, nil), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refundable, err := types.ObjectType{AttrTypes: refundableQuantityTypes}.ValueFromTerraform(context.Background(), tt.refundable)
			if err != nil {
				t.Fatal(err)
			}
			object, ok := refundable.(types.Object)
			if !ok {
				t.Fatalf("refundable_quantity is %T", refundable)
			}
			_, detail, refused, diags := seatDecreaseRefusal(context.Background(), "c", "s", tt.decrease, object, now)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if refused != tt.refused || !strings.Contains(detail, tt.mentions) {
				t.Errorf("refused %v, %q; want %v mentioning %q", refused, detail, tt.refused, tt.mentions)
			}
		})
	}
}

func TestParseSubscriptionImportID(t *testing.T) {
	const sub = "a4c1340d-6911-4758-bba3-0c4c6007d161"
	if c, s, err := parseSubscriptionImportID(" " + acctest.DocumentedID + "/" + sub + " "); err != nil || c != acctest.DocumentedID || s != sub {
		t.Errorf("got %q %q %v", c, s, err)
	}
	for _, bad := range []string{"", acctest.DocumentedID, acctest.DocumentedID + "/", "/" + sub, acctest.DocumentedID + "/" + sub + "/x", "a/b"} {
		if _, _, err := parseSubscriptionImportID(bad); err == nil || !strings.Contains(err.Error(), "customer_id/subscription_id") {
			t.Errorf("%q: error %v, want one explaining the form", bad, err)
		}
	}
}

// The import ID's parser accepts exactly two GUIDs joined by a slash.
func FuzzParseSubscriptionImportID(f *testing.F) {
	f.Add(acctest.DocumentedID + "/a4c1340d-6911-4758-bba3-0c4c6007d161")
	f.Add("x/y")
	f.Add("")
	f.Fuzz(func(t *testing.T, id string) {
		customerID, subscriptionID, err := parseSubscriptionImportID(id)
		if err != nil {
			return
		}
		if !shared.GUIDPattern.MatchString(customerID) || !shared.GUIDPattern.MatchString(subscriptionID) ||
			customerID+"/"+subscriptionID != strings.TrimSpace(id) {
			t.Errorf("%q parsed as %q and %q", id, customerID, subscriptionID)
		}
	})
}

// A catalog item ID splits into three non-empty parts that make it again.
func FuzzCatalogItemParts(f *testing.F) {
	f.Add("CFQ7TTC0LH18:0001:CFQ7TTC0K971")
	f.Add("a::b")
	f.Add(":::")
	f.Fuzz(func(t *testing.T, id string) {
		product, sku, availability, ok := shared.CatalogItemParts(id)
		if !ok {
			return
		}
		if product == "" || sku == "" || availability == "" || product+":"+sku+":"+availability != id {
			t.Errorf("%q split as %q %q %q", id, product, sku, availability)
		}
	})
}

// Dates as Partner Center writes them parse; others do not.
func TestParseServiceTime(t *testing.T) {
	for _, s := range []string{"2026-12-10T16:32:29.0550399Z", "2022-01-13T00:00:00Z", "2021-01-14T16:57:15.0966728", "2026-12-10T16:32:29+01:00"} {
		if _, ok := parseServiceTime(s); !ok {
			t.Errorf("%q does not parse", s)
		}
	}
	if _, ok := parseServiceTime("13/01/2022"); ok {
		t.Error("13/01/2022 parses")
	}
}

// A seat increase is a purchase too: the plan says how many seats it bills.
func TestModifyPlan_seatIncreaseWarning(t *testing.T) {
	args := map[string]tftypes.Value{
		"customer_id": str(acctest.DocumentedID), "catalog_item_id": str("CFQ7TTC0LH18:0001:CFQ7TTC0K971"),
		"term_duration": str("P1Y"), "billing_cycle": str("monthly"), "id": str("a4c1340d-6911-4758-bba3-0c4c6007d161"),
		"status": str("active"), "quantity": num(5),
	}
	state, s := subscriptionPlan(t, args)
	args["quantity"] = num(8)
	plan, _ := subscriptionPlan(t, args)
	resp := resource.ModifyPlanResponse{Plan: tfsdk.Plan{Schema: s.Schema, Raw: plan}}
	(&customerSubscriptionResource{}).ModifyPlan(context.Background(), resource.ModifyPlanRequest{
		Plan: tfsdk.Plan{Schema: s.Schema, Raw: plan}, State: tfsdk.State{Schema: s.Schema, Raw: state},
	}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want one warning", resp.Diagnostics)
	}
	if w := resp.Diagnostics.Warnings()[0]; w.Summary() != "Applying this plan buys seats" ||
		!strings.Contains(w.Detail(), "grows from 5 to 8 licences: Partner Center bills the 3 added at once") {
		t.Errorf("warning %q: %q", w.Summary(), w.Detail())
	}
}

// The advice of refusals met at apply says what is true since the extended
// service term, and how to let a subscription go without a second failure.
func TestSubscriptionChangeErrorAdvice(t *testing.T) {
	op := &shared.Operation{Ctx: context.Background(), Kind: shared.OperationUpdate, Timeout: time.Minute}
	tests := []struct {
		err      error
		summary  string
		mentions string
	}{
		{partnercenter.ErrSeatDecreaseWindowPassed, "Seats can no longer be removed",
			"Keep the quantity. Turning auto_renew off does not reduce seats: the subscription then moves to a month-to-month extended service term"},
		{partnercenter.ErrCancellationWindowPassed, "Cancellation window passed",
			`set on_destroy = "abandon" in its resource block and run terraform apply (which changes only on_destroy and sends no request), then destroy`},
		{&partnercenter.ChangeNotAppliedError{Operation: "update quantity", Reason: "its operation ended failed"},
			"Partner Center did not make the change", "accepted the request but did not make the change"},
	}
	for _, tt := range tests {
		summary, detail := subscriptionChangeErrorDiagnostic(op, "Changing", "c", "s", fmt.Errorf("refused: %w", tt.err))
		if summary != tt.summary || !strings.Contains(detail, tt.mentions) || strings.Contains(detail, "runs to the end of its term") {
			t.Errorf("%v: %q\n%q\nwant %q mentioning %q", tt.err, summary, detail, tt.summary, tt.mentions)
		}
	}
}

// The advice after a refused cancellation is for a destroy: run it again,
// and a suspended subscription is refused its cancellation, not a seat
// change.
func TestSubscriptionChangeErrorAdvice_cancellation(t *testing.T) {
	destroy := &shared.Operation{Ctx: context.Background(), Kind: shared.OperationDelete, Timeout: time.Minute}
	update := &shared.Operation{Ctx: context.Background(), Kind: shared.OperationUpdate, Timeout: time.Minute}
	notApplied := &partnercenter.ChangeNotAppliedError{Operation: "update status", Reason: "its operation ended failed"}
	tests := []struct {
		op        *shared.Operation
		err       error
		mentions  string
		mentionsN string
	}{
		{destroy, notApplied, "check the subscription in Partner Center and run terraform destroy again.", "apply again"},
		{update, notApplied, "check the subscription in Partner Center and apply again.", "destroy"},
		{destroy, partnercenter.ErrSubscriptionSuspended, "Partner Center refuses to cancel a suspended subscription. Reactivate it " +
			"in Partner Center first, then run terraform destroy again.", "seats"},
		{update, partnercenter.ErrSubscriptionSuspended, "Partner Center refuses this change of a suspended subscription", "destroy"},
		{destroy, partnercenter.ErrSubscriptionNotReady, "Later, run terraform destroy again, or raise timeouts.delete.", "apply again"},
	}
	for _, tt := range tests {
		_, detail := subscriptionChangeErrorDiagnostic(tt.op, "Cancelling", "c", "s", fmt.Errorf("refused: %w", tt.err))
		if !strings.Contains(detail, tt.mentions) || strings.Contains(detail, tt.mentionsN) {
			t.Errorf("%s, %v: %q\nwant it to mention %q, not %q", tt.op.Kind, tt.err, detail, tt.mentions, tt.mentionsN)
		}
	}
}

// Instructions that hold no value are no scheduled change: no state value,
// and so no warning of changes the plan would delete.
func TestScheduledRenewalChangesValue(t *testing.T) {
	for _, empty := range []string{``, ` `, `null`, `""`, `[]`, `{}`, `{"product":null}`, `{"product":{"skuId":null},"quantity":null}`, `[null, {}]`} {
		if v := scheduledRenewalChangesValue(json.RawMessage(empty)); !v.IsNull() {
			t.Errorf("%q: got %v, want null", empty, v)
		}
	}
	for _, scheduled := range []string{`{"quantity":10}`, `{"quantity":0}`, `{"product":{"billingCycle":"annual"}}`, `[{"quantity":2}]`, `"x"`} {
		if got := scheduledRenewalChangesValue(json.RawMessage(scheduled)).ValueString(); got != scheduled {
			t.Errorf("%q: got %q, want it kept", scheduled, got)
		}
	}
}
