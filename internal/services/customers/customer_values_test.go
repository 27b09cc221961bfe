package customers

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

func TestCustomerValues_absentFieldsAreNull(t *testing.T) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	NewCustomerDataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	typ, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	values, err := NewCustomerValues(typ)
	if err != nil {
		t.Fatal(err)
	}
	id := "7d9f3a52-0c1e-4b8a-9e0f-1a2b3c4d5e6f"
	empty := ""
	attrs := values.Attributes(&partnercenter.Customer{ID: &id, CommerceID: &empty})

	for _, name := range []string{
		"relationship_to_partner", "allow_delegated_access", "associated_partner_id", "custom_domains", "company_profile", "billing_profile",
		"enable_gdap_by_default", "tags",
	} {
		if !attrs[name].IsNull() {
			t.Errorf("%s = %v, want null", name, attrs[name])
		}
	}
	var commerceID string
	if err := attrs["commerce_id"].As(&commerceID); err != nil || attrs["commerce_id"].IsNull() || commerceID != "" {
		t.Errorf("an empty string from the API must stay an empty string, got %v", attrs["commerce_id"])
	}
	var domains []tftypes.Value
	if err := attrs["domains"].As(&domains); err != nil || attrs["domains"].IsNull() || len(domains) != 0 {
		t.Errorf("domains = %v, want a known empty list", attrs["domains"])
	}
}
