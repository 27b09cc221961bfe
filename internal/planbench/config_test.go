package planbench

import (
	"strings"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func TestCustomerKeysMatchTheMock(t *testing.T) {
	if got := GeneratedCustomers(1); got != 0 {
		t.Errorf("GeneratedCustomers(1) = %d, want 0: the documented customer is the one", got)
	}
	if got := GeneratedCustomers(1000); got != 999 {
		t.Errorf("GeneratedCustomers(1000) = %d, want 999", got)
	}
	ids, domains := CustomerIDs(3), CustomerDomains(3)
	wantIDs := []string{mockpartnercenter.DocumentedCustomerID,
		mockpartnercenter.GeneratedCustomerID(0), mockpartnercenter.GeneratedCustomerID(1)}
	wantDomains := []string{DocumentedCustomerDomain,
		mockpartnercenter.GeneratedCustomerDomain(0), mockpartnercenter.GeneratedCustomerDomain(1)}
	if strings.Join(ids, ",") != strings.Join(wantIDs, ",") {
		t.Errorf("CustomerIDs(3) = %v, want %v", ids, wantIDs)
	}
	if strings.Join(domains, ",") != strings.Join(wantDomains, ",") {
		t.Errorf("CustomerDomains(3) = %v, want %v", domains, wantDomains)
	}
	if CustomerIDs(0) != nil {
		t.Error("CustomerIDs(0) should be empty")
	}
}

func TestMainTF(t *testing.T) {
	list, err := MainTF(WayList, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`source = "cspkit/partnercenter"`, `data "partnercenter_customers" "all" {}`, `provider "partnercenter" {}`} {
		if !strings.Contains(list, want) {
			t.Errorf("list config lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "for_each") {
		t.Error("list config should not use for_each")
	}

	byID, err := MainTF(WayByID, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(byID, "  id = each.value") || !strings.Contains(byID, "for_each = toset(local.keys)") {
		t.Errorf("by_id config:\n%s", byID)
	}
	for _, id := range CustomerIDs(100) {
		if !strings.Contains(byID, `"`+id+`",`) {
			t.Fatalf("by_id config lacks id %s", id)
		}
	}

	byDomain, err := MainTF(WayByDomain, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(byDomain, "  domain = each.value") || !strings.Contains(byDomain, `"abcdefgh1234.ccsctp.net",`) ||
		!strings.Contains(byDomain, `"customer00000.onmicrosoft.com",`) {
		t.Errorf("by_domain config:\n%s", byDomain)
	}

	if _, err := MainTF("bogus", 1); err == nil {
		t.Error("MainTF accepted an unknown way")
	}
}

func TestParseWay(t *testing.T) {
	for _, w := range Ways {
		if got, err := ParseWay(string(w)); err != nil || got != w {
			t.Errorf("ParseWay(%q) = %q, %v", w, got, err)
		}
	}
	if _, err := ParseWay("by_name"); err == nil {
		t.Error("ParseWay accepted by_name")
	}
}
