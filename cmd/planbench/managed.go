package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// managedRow manages n of the mock's active licence subscriptions with
// partnercenter_customer_subscription and for_each, brought into the state
// by import blocks in an untimed apply. With changed zero it times a plan
// refreshing them; otherwise an apply adding a seat to the first changed.
func managedRow(name string, n, changed int) row {
	r := row{
		name: name, n: n, runs: 1, // an apply changes what the next run would see
		// Half the generated customers hold an active licence subscription.
		mock: mockpartnercenter.Options{GeneratedCustomers: 2 * n},
		prepare: func(mock *mockpartnercenter.Server) (setup, config string, err error) {
			subs, err := activeLicences(mock, n)
			if err != nil {
				return "", "", err
			}
			setup = managedConfig(subs) + importBlock
			for i := range changed {
				subs[i].Quantity++
			}
			return setup, managedConfig(subs), nil
		},
		apply:             changed > 0,
		minTerraform:      terraformVersion{1, 7, 0},
		needsNewerBecause: "import blocks with for_each",
		// One read each to refresh.
		expect: map[mockpartnercenter.Route]int{mockpartnercenter.RouteGetSubscription: n},
	}
	refresh := 1 + (n+parallelism-1)/parallelism // the token, then the reads ten at a time
	r.bound = func(l time.Duration) time.Duration { return time.Duration(refresh) * l }
	if changed > 0 {
		// Each change reads the subscription and sends it back changed,
		// whose 200 answers with the result (UpdateSubscription); the
		// apply's provider process asks for a token of its own.
		r.expect[mockpartnercenter.RouteGetSubscription] += changed
		r.expect[mockpartnercenter.RouteUpdateSubscription] = changed
		r.tokens = 2
		rounds := 1 + 2*((changed+parallelism-1)/parallelism)
		r.bound = func(l time.Duration) time.Duration { return time.Duration(refresh+rounds) * l }
	}
	return r
}

// managedSubscription is what the configuration of a subscription states.
type managedSubscription struct {
	CustomerID   string
	ID           string `json:"id"`
	OfferID      string `json:"offerId"`
	TermDuration string `json:"termDuration"`
	BillingCycle string `json:"billingCycle"`
	Quantity     int    `json:"quantity"`
	AutoRenew    bool   `json:"autoRenewEnabled"`
	Status       string `json:"status"`
	BillingType  string `json:"billingType"`
}

// activeLicences returns the first n active licence subscriptions of the
// mock's customers, in list order.
func activeLicences(mock *mockpartnercenter.Server, n int) ([]managedSubscription, error) {
	var subs []managedSubscription
	for _, customerID := range mock.CustomerIDs() {
		for _, doc := range mock.Subscriptions(customerID) {
			s := managedSubscription{CustomerID: customerID}
			if err := json.Unmarshal(doc, &s); err != nil {
				return nil, fmt.Errorf("subscription of customer %s: %w", customerID, err)
			}
			if s.Status == "active" && s.BillingType == "license" && s.TermDuration != "" {
				subs = append(subs, s)
			}
			if len(subs) == n {
				return subs, nil
			}
		}
	}
	return nil, fmt.Errorf("the mock holds %d active licence subscriptions, not %d", len(subs), n)
}

// managedConfig manages subs as they are, under their ids.
func managedConfig(subs []managedSubscription) string {
	var b strings.Builder
	b.WriteString("locals {\n  subscriptions = {\n")
	for _, s := range subs {
		fmt.Fprintf(&b, "    %q = { customer = %q, item = %q, term = %q, cycle = %q, quantity = %d, auto_renew = %t }\n",
			s.ID, s.CustomerID, s.OfferID, s.TermDuration, s.BillingCycle, s.Quantity, s.AutoRenew)
	}
	b.WriteString(`  }
}

resource "partnercenter_customer_subscription" "managed" {
  for_each        = local.subscriptions
  customer_id     = each.value.customer
  catalog_item_id = each.value.item
  term_duration   = each.value.term
  billing_cycle   = each.value.cycle
  quantity        = each.value.quantity
  auto_renew      = each.value.auto_renew
}
`)
	return b.String()
}

const importBlock = `
import {
  for_each = local.subscriptions
  to       = partnercenter_customer_subscription.managed[each.key]
  id       = "${each.value.customer}/${each.key}"
}
`
