package customers

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

func sampleListedCustomers(n int) []partnercenter.Customer {
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

// BenchmarkCustomersState measures turning a 1,000-customer list, two pages
// of 500, into the msgpack state Terraform receives: the provider's own work
// in a partnercenter_customers read once the pages have been decoded.
func BenchmarkCustomersState(b *testing.B) {
	reader := NewCustomersReader(new(atomic.Pointer[shared.ProviderData]))
	config := map[string]tftypes.Value{}
	for name, typ := range reader.stateType.AttributeTypes {
		config[name] = tftypes.NewValue(typ, nil)
	}
	customers := sampleListedCustomers(1000)
	b.ReportAllocs()
	for b.Loop() {
		l := NewListedCustomers()
		if err := l.Add(customers[:500]); err != nil {
			b.Fatal(err)
		}
		if err := l.Add(customers[500:]); err != nil {
			b.Fatal(err)
		}
		if _, err := l.State(reader.stateType, config); err != nil {
			b.Fatal(err)
		}
	}
}
