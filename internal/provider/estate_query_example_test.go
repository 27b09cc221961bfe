package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// The guide "Adopting an existing estate" with examples/adopt-estate, through
// the Terraform CLI: terraform query writes the configuration of every
// customer and every manageable subscription; the plan of that configuration
// imports each of them and does nothing else; the apply imports them; a
// second plan has nothing to do; and Partner Center gets no write at all.
func TestAccEstateQueryExample_adoptsEveryCustomerAndSubscription(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 25})
	tf := acctest.NewKillableTerraform(t)
	tf.SkipBelow("1.14.0")
	example, err := os.ReadFile("../../examples/adopt-estate/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	query, err := os.ReadFile("../../examples/adopt-estate/estate.tfquery.hcl")
	if err != nil {
		t.Fatal(err)
	}
	// The in-process provider is not the registry's, and the mock needs its
	// own settings: the example's terraform and provider blocks give way.
	body := regexp.MustCompile(`(?ms)^terraform \{.*?^\}\n`).ReplaceAllString(string(example), "")
	body = strings.Replace(body, "provider \"partnercenter\" {}\n", "", 1)
	tf.Write(acctest.ProviderBlock(mock, "") + body)
	tf.WriteFile("estate.tfquery.hcl", string(query))

	// What the estate holds: every customer, and the subscriptions the
	// subscription resource manages: new-commerce ones (an offer of three
	// parts) on a term and a recurring billing cycle, neither deleted nor
	// expired.
	wantCustomers, wantSubscriptions := map[string]bool{}, map[string]bool{}
	for _, customerID := range mock.CustomerIDs() {
		wantCustomers[customerID] = true
		for _, doc := range mock.Subscriptions(customerID) {
			var s struct{ ID, OfferID, TermDuration, BillingCycle, Status string }
			if err := json.Unmarshal(doc, &s); err != nil {
				t.Fatal(err)
			}
			if strings.Count(s.OfferID, ":") == 2 && slices.Contains([]string{"P1M", "P1Y", "P3Y"}, s.TermDuration) &&
				slices.Contains([]string{"monthly", "annual", "triennial"}, s.BillingCycle) && s.Status != "deleted" && s.Status != "expired" {
				wantSubscriptions[customerID+"/"+s.ID] = true
			}
		}
	}
	if len(wantCustomers) != 26 || len(wantSubscriptions) != 21 {
		t.Fatalf("the mock holds %d customers and %d manageable subscriptions, want 26 and 21", len(wantCustomers), len(wantSubscriptions))
	}
	estate := len(wantCustomers) + len(wantSubscriptions)
	noWrites := func(step string) {
		t.Helper()
		if w := mock.WriteRequests(); w != 0 {
			t.Fatalf("after %s Partner Center got %d writes, want none", step, w)
		}
		if carts, checkouts := mock.Requests(mockpartnercenter.RouteCreateCart), mock.Requests(mockpartnercenter.RouteCheckout); carts+checkouts != 0 {
			t.Fatalf("after %s Partner Center got %d carts and %d checkouts, want none", step, carts, checkouts)
		}
	}

	if out, ok := tf.Run("query", "-generate-config-out=estate.tf"); !ok {
		t.Fatalf("terraform query failed:\n%s", out)
	}
	noWrites("terraform query")
	// Each import block of estate.tf by the address it imports to, with the
	// identity it gives.
	generated := tf.ReadFile("estate.tf")
	identities := map[string]map[string]string{}
	for _, block := range importBlock.FindAllStringSubmatch(generated, -1) {
		identity := map[string]string{}
		for _, kv := range identityLine.FindAllStringSubmatch(block[2], -1) {
			identity[kv[1]] = kv[2]
		}
		identities[block[1]] = identity
	}
	if len(identities) != estate || strings.Count(generated, "\nimport {") != estate {
		t.Fatalf("estate.tf holds %d import blocks (%d read), want %d:\n%s", strings.Count(generated, "\nimport {"), len(identities), estate, generated)
	}

	// The plan: an import of each customer and subscription, by the identity
	// its import block gives, and nothing else.
	out, ok := tf.Run("plan", "-json")
	if !ok {
		t.Fatalf("the plan of the generated configuration failed:\n%s", out)
	}
	noWrites("the plan")
	gotCustomers, gotSubscriptions := map[string]bool{}, map[string]bool{}
	changes, summaries := 0, 0
	for line := range strings.Lines(out) {
		var m planMessage
		if json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		switch m.Type {
		case "planned_change":
			changes++
			addr, identity := m.Change.Resource.Addr, identities[m.Change.Resource.Addr]
			if m.Change.Action != "import" || identity == nil {
				t.Errorf("%s: action %q; want an import by one of estate.tf's import blocks", addr, m.Change.Action)
				continue
			}
			switch m.Change.Resource.ResourceType {
			case "partnercenter_customer":
				gotCustomers[identity["customer_id"]] = true
			case "partnercenter_customer_subscription":
				gotSubscriptions[identity["customer_id"]+"/"+identity["subscription_id"]] = true
			default:
				t.Errorf("%s: a change of a %s", addr, m.Change.Resource.ResourceType)
			}
		case "change_summary":
			summaries++
			if c := m.Changes; c.Import != estate || c.Add+c.Change+c.Remove != 0 {
				t.Errorf("the plan's summary: %+v; want %d imports and nothing else", c, estate)
			}
		}
	}
	if changes != estate || summaries != 1 {
		t.Errorf("the plan holds %d changes and %d summaries, want %d imports and one summary:\n%s", changes, summaries, estate, out)
	}
	for name, sets := range map[string][2]map[string]bool{
		"customer": {gotCustomers, wantCustomers}, "subscription": {gotSubscriptions, wantSubscriptions},
	} {
		for key := range sets[1] {
			if !sets[0][key] {
				t.Errorf("the plan imports no %s %s", name, key)
			}
		}
		for key := range sets[0] {
			if !sets[1][key] {
				t.Errorf("the plan imports %s %s, which the mock does not hold as manageable", name, key)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	if out, ok := tf.Run("apply", "-auto-approve"); !ok ||
		!strings.Contains(out, fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", estate)) {
		t.Fatalf("the apply should import %d and do nothing else:\n%s", estate, out)
	}
	noWrites("the apply")
	listed, ok := tf.Run("state", "list")
	if got := strings.Count(listed, "\n"); !ok || got != estate {
		t.Fatalf("the state holds %d resources, want %d:\n%s", got, estate, listed)
	}
	if out, ok := tf.Run("plan", "-detailed-exitcode"); !ok {
		t.Fatalf("the plan after the apply wants changes:\n%s", out)
	}
	noWrites("the second plan")
}

// importBlock is an import block terraform query generated, with the
// address it imports to and the body of its identity; identityLine is one
// attribute of that body.
var (
	importBlock  = regexp.MustCompile(`(?m)^import \{\n\s*to\s*= (\S+)\n(?:.*\n)*?\s*identity\s*=\s*\{\n((?:.*\n)*?)\s*\}\n\}`)
	identityLine = regexp.MustCompile(`(\w+)\s*=\s*"([^"]*)"`)
)

// planMessage is a line of `terraform plan -json` of the kinds the test reads.
type planMessage struct {
	Type   string `json:"type"`
	Change struct {
		Resource struct {
			Addr         string `json:"addr"`
			ResourceType string `json:"resource_type"`
		} `json:"resource"`
		Action string `json:"action"`
	} `json:"change"`
	Changes struct {
		Add, Change, Import, Remove int
	} `json:"changes"`
}
