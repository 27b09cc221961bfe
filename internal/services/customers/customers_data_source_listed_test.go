package customers

import (
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// The hand-written encoding must decode with the schema's own type, item
// attributes and configuration included, to exactly the values expected.
func TestListedCustomersDecodeWithTheSchema(t *testing.T) {
	reader := NewCustomersReader(new(atomic.Pointer[shared.ProviderData]))
	stateType := reader.stateType
	listType, ok := stateType.AttributeTypes["customers"].(tftypes.List)
	if !ok {
		t.Fatalf("customers is %s", stateType.AttributeTypes["customers"])
	}
	itemType, ok := listType.ElementType.(tftypes.Object)
	if !ok {
		t.Fatalf("customers holds %s", listType.ElementType)
	}
	profileType := itemType.AttributeTypes["company_profile"]
	domainsType := itemType.AttributeTypes["domains"]
	timeoutsType := stateType.AttributeTypes["timeouts"]

	str := func(s string) *string { return &s }
	config := map[string]tftypes.Value{
		"domain_prefix":       tftypes.NewValue(tftypes.String, "con"),
		"company_name_prefix": tftypes.NewValue(tftypes.String, nil),
		"customers":           tftypes.NewValue(listType, tftypes.UnknownValue),
		"timeouts": tftypes.NewValue(timeoutsType, map[string]tftypes.Value{
			"read": tftypes.NewValue(tftypes.String, "2m"),
		}),
	}
	l := NewListedCustomers()
	if err := l.Add([]partnercenter.Customer{{
		ID:                    str("a"),
		RelationshipToPartner: str("reseller"),
		CompanyProfile:        &partnercenter.CompanyProfile{TenantID: str("a"), Domain: str("contoso.example"), CompanyName: str("Contoso")},
		CustomDomains:         []string{"CONTOSO.example", "www.contoso.example"},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := l.Add([]partnercenter.Customer{{ID: str("b")}}); err != nil {
		t.Fatal(err)
	}
	encoded, err := l.State(stateType, config)
	if err != nil {
		t.Fatal(err)
	}
	got, err := (&tfprotov6.DynamicValue{MsgPack: encoded}).Unmarshal(stateType)
	if err != nil {
		t.Fatalf("the state does not decode with the schema's type: %v", err)
	}

	s := func(v string) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	null := tftypes.NewValue(tftypes.String, nil)
	config["customers"] = tftypes.NewValue(listType, []tftypes.Value{
		tftypes.NewValue(itemType, map[string]tftypes.Value{
			"id":                      s("a"),
			"relationship_to_partner": s("reseller"),
			// Custom domains count when a list carries them, once each.
			"domains": tftypes.NewValue(domainsType, []tftypes.Value{s("contoso.example"), s("www.contoso.example")}),
			"company_profile": tftypes.NewValue(profileType, map[string]tftypes.Value{
				"tenant_id": s("a"), "domain": s("contoso.example"), "company_name": s("Contoso"),
			}),
		}),
		tftypes.NewValue(itemType, map[string]tftypes.Value{
			"id":                      s("b"),
			"relationship_to_partner": null,
			"domains":                 tftypes.NewValue(domainsType, []tftypes.Value{}),
			"company_profile":         tftypes.NewValue(profileType, nil),
		}),
	})
	want := tftypes.NewValue(stateType, config)
	if !got.Equal(want) {
		diffs, _ := got.Diff(want)
		for _, d := range diffs {
			t.Errorf("at %s: got %v, want %v", d.Path, d.Value1, d.Value2)
		}
	}
}
