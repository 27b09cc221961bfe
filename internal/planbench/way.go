package planbench

import "fmt"

// Way is one of the ways a configuration can read N customers.
type Way string

// The three ways benchmarked, in report order.
const (
	// WayList is one partnercenter_customers data source listing everyone.
	WayList Way = "list"
	// WayByID is one partnercenter_customer instance per customer, by id.
	WayByID Way = "by_id"
	// WayByDomain is one partnercenter_customer instance per customer, by
	// domain: a filtered list plus a get for each.
	WayByDomain Way = "by_domain"
)

// WayByIDCount reads the same instances as WayByID but expands them with
// count instead of for_each. It is a diagnostic, not one of Ways: Terraform
// evaluates a resource's whole for_each expression again for every instance,
// and comparing the two shows what that costs.
const WayByIDCount Way = "by_id_count"

// Ways lists the benchmarked ways in report order.
var Ways = []Way{WayList, WayByID, WayByDomain}

// Diagnostic reports whether w is measured only to explain the others.
func (w Way) Diagnostic() bool { return w == WayByIDCount }

// ParseWay returns the Way named s.
func ParseWay(s string) (Way, error) {
	for _, w := range Ways {
		if string(w) == s {
			return w, nil
		}
	}
	if s == string(WayByIDCount) {
		return WayByIDCount, nil
	}
	return "", fmt.Errorf("unknown way %q (want list, by_id, by_domain or by_id_count)", s)
}
