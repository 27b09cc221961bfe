package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

func listedCustomers(n int) []partnercenter.Customer {
	str := func(s string) *string { return &s }
	out := make([]partnercenter.Customer, n)
	for i := range out {
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		out[i] = partnercenter.Customer{
			ID:                    str(id),
			RelationshipToPartner: str("reseller"),
			CompanyProfile: &partnercenter.CompanyProfile{
				TenantID:    str(id),
				Domain:      str(fmt.Sprintf("customer%05d.onmicrosoft.com", i)),
				CompanyName: str(fmt.Sprintf("Customer %05d Ltd", i)),
			},
		}
	}
	return out
}

// BenchmarkCustomersState measures turning a 1,000-customer list into
// Terraform state: the provider's own work in a partnercenter_customers read
// once the pages have been decoded.
func BenchmarkCustomersState(b *testing.B) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	newCustomersDataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	config := tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
		"domain_prefix":       tftypes.NewValue(tftypes.String, nil),
		"company_name_prefix": tftypes.NewValue(tftypes.String, nil),
		"customers":           tftypes.NewValue(schemaResp.Schema.Attributes["customers"].GetType().TerraformType(ctx), tftypes.UnknownValue),
		"timeouts":            tftypes.NewValue(schemaResp.Schema.Blocks["timeouts"].Type().TerraformType(ctx), nil),
	})
	customers := listedCustomers(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := customersState(ctx, schemaResp.Schema, config, customers); err != nil {
			b.Fatal(err)
		}
	}
}
