package licences

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

func subscriptionSchemaType(t testing.TB) tftypes.Object {
	t.Helper()
	var schemaResp datasource.SchemaResponse
	NewCustomerSubscriptionDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &schemaResp)
	typ, ok := schemaResp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	return typ
}

// Lists Partner Center leaves out are null; lists it sends empty stay
// empty; a fractional quantity keeps its value.
func TestSubscriptionValues_nullEmptyAndNumbers(t *testing.T) {
	values, err := NewSubscriptionValues(subscriptionSchemaType(t))
	if err != nil {
		t.Fatal(err)
	}
	attrs := values.Attributes(&partnercenter.Subscription{
		ID: new("s1"), Quantity: new(2.5), SuspensionReasons: []string{},
		ProductType: &partnercenter.ProductType{ID: new("Azure")},
	})
	for _, name := range []string{"refund_options", "actions", "offer_id", "is_trial", "product_type.sub_type"} {
		v := attrs[name]
		if name == "product_type.sub_type" {
			var pt map[string]tftypes.Value
			if err := attrs["product_type"].As(&pt); err != nil {
				t.Fatal(err)
			}
			v = pt["sub_type"]
		}
		if !v.IsNull() {
			t.Errorf("%s = %v, want null", name, v)
		}
	}
	var reasons []tftypes.Value
	if err := attrs["suspension_reasons"].As(&reasons); err != nil || attrs["suspension_reasons"].IsNull() || len(reasons) != 0 {
		t.Errorf("suspension_reasons = %v, want a known empty list", attrs["suspension_reasons"])
	}
	var quantity big.Float
	if err := attrs["quantity"].As(&quantity); err != nil || quantity.String() != "2.5" {
		t.Errorf("quantity = %v, want 2.5", attrs["quantity"])
	}
}

// BenchmarkSubscriptionsState measures turning 1,000 listed subscriptions
// into Terraform state, the provider's own work in a large
// partnercenter_customer_subscriptions read once the pages are decoded.
func BenchmarkSubscriptionsState(b *testing.B) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	NewCustomerSubscriptionsDataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	config := tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
		"customer_id":   tftypes.NewValue(tftypes.String, "eebd1b55-5360-4438-a11d-5c06918c3014"),
		"subscriptions": tftypes.NewValue(schemaResp.Schema.Attributes["subscriptions"].GetType().TerraformType(ctx), tftypes.UnknownValue),
		"timeouts":      tftypes.NewValue(schemaResp.Schema.Blocks["timeouts"].Type().TerraformType(ctx), nil),
	})
	subs := make([]partnercenter.Subscription, 1000)
	for i := range subs {
		subs[i] = partnercenter.Subscription{
			ID: new(fmt.Sprintf("00000000-0000-4000-8000-%012d", i)), OfferID: new("CFQ7TTC0LH18:0001:CFQ7TTC0K971"),
			OfferName: new("Microsoft 365 Business Basic"), Quantity: new(float64(i % 50)), Status: new("active"),
			ProductType:   &partnercenter.ProductType{ID: new("OnlineServicesNCE"), DisplayName: new("OnlineServicesNCE")},
			RefundOptions: []partnercenter.RefundOption{{Type: new("Full"), ExpiresAt: new("2021-01-15T00:00:00Z")}},
			TermDuration:  new("P1Y"), BillingCycle: new("monthly"), AutoRenewEnabled: new(true),
		}
	}
	stateType, ok := config.Type().(tftypes.Object)
	if !ok {
		b.Fatalf("the schema is %s", config.Type())
	}
	b.ReportAllocs()
	for b.Loop() {
		input := map[string]tftypes.Value{}
		if err := config.As(&input); err != nil {
			b.Fatal(err)
		}
		op := &shared.Operation{StateType: stateType, Input: maps.Clone(input)}
		list, err := SubscriptionsValue(op, subs)
		if err != nil {
			b.Fatal(err)
		}
		op.Input["subscriptions"] = list
		tftypes.NewValue(stateType, op.Input)
	}
}
