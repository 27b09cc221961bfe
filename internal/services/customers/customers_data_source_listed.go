package customers

import (
	"bytes"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// listedCustomers collects a list's customers, page by page, already encoded
// as the msgpack of the customers attribute's elements (about 150 bytes a
// customer), the form Terraform receives them in. Built as Terraform values
// and handed to terraform-plugin-framework, the same items cost about 60 µs
// of CPU a customer in the framework's walks over the result, against about
// 10 µs for the whole read here; see DESIGN.md.
type listedCustomers struct {
	items bytes.Buffer
	enc   *msgpack.Encoder
	count int
	err   error // the first encoding error; bytes.Buffer itself never fails
}

func NewListedCustomers() *listedCustomers {
	l := &listedCustomers{}
	l.enc = msgpack.NewEncoder(&l.items)
	return l
}

// add appends a page of customers with the attributes of
// listedCustomerAttributes (TestListedCustomersDecodeWithTheSchema keeps
// the two in step).
func (l *listedCustomers) Add(page []partnercenter.Customer) error {
	l.items.Grow(len(page) * 160) // a listed customer's usual size: one allocation per page
	for i := range page {
		c := &page[i]
		l.check(l.enc.EncodeMapLen(4))
		l.str("id", c.ID)
		l.str("relationship_to_partner", c.RelationshipToPartner)
		l.key("domains")
		domains := c.Domains()
		l.check(l.enc.EncodeArrayLen(len(domains)))
		for _, d := range domains {
			l.check(l.enc.EncodeString(d))
		}
		l.key("company_profile")
		if p := c.CompanyProfile; p == nil {
			l.check(l.enc.EncodeNil())
		} else {
			l.check(l.enc.EncodeMapLen(3))
			l.str("tenant_id", p.TenantID)
			l.str("domain", p.Domain)
			l.str("company_name", p.CompanyName)
		}
		l.count++
	}
	return l.err
}

func (l *listedCustomers) check(err error) {
	if l.err == nil {
		l.err = err
	}
}

func (l *listedCustomers) key(name string) { l.check(l.enc.EncodeString(name)) }

// str writes an attribute that is null when the API left it out.
func (l *listedCustomers) str(name string, value *string) {
	l.key(name)
	if value == nil {
		l.check(l.enc.EncodeNil())
		return
	}
	l.check(l.enc.EncodeString(*value))
}

// state is the msgpack of the data source's state: the configuration's
// attributes unchanged, and the customers.
func (l *listedCustomers) State(stateType tftypes.Object, config map[string]tftypes.Value) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(l.items.Len() + 512)
	enc := msgpack.NewEncoder(&out)
	l.check(enc.EncodeMapLen(len(stateType.AttributeTypes)))
	for _, name := range slices.Sorted(maps.Keys(stateType.AttributeTypes)) {
		l.check(enc.EncodeString(name))
		if name == "customers" {
			l.check(enc.EncodeArrayLen(l.count))
			out.Write(l.items.Bytes())
			continue
		}
		value, ok := config[name]
		if !ok {
			value = tftypes.NewValue(stateType.AttributeTypes[name], nil)
		}
		encoded, err := tfprotov6.NewDynamicValue(stateType.AttributeTypes[name], value)
		l.check(err)
		out.Write(encoded.MsgPack)
	}
	return out.Bytes(), l.err
}
