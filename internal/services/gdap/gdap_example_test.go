package gdap_test

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

// The guide's configuration, "GDAP for every customer", in its three steps:
// the first apply offers each customer one relationship, locked once, and
// assigns nothing; two customers approve; the second apply assigns both of
// the partner's groups in those two only, with the roles the variable names;
// a plan after it changes nothing, and nothing was ever made twice.
func TestAccGDAPExample_everyCustomer(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 3})
	example, err := os.ReadFile("../../../examples/gdap/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	// The in-process provider is not the registry's, and the mock needs its
	// own settings: the example's terraform and provider blocks give way.
	body := regexp.MustCompile(`(?ms)^terraform \{.*?^\}\n`).ReplaceAllString(string(example), "")
	body = strings.Replace(body, "provider \"partnercenter\" {}\n", "", 1)
	config := acctest.ProviderBlock(mock, "") + body

	const helpdeskGroup, readersGroup = "0a8e4c3b-6f0d-4a71-9d5c-2b7e1f3a9c10", "5b1d7e2a-3c4f-4e6b-8a9d-0f1e2d3c4b5a"
	wantRoles := map[string][]string{
		helpdeskGroup: {helpdeskAdmin, "f023fd81-a637-4b56-95fd-791ac0226033", userAdmin},
		readersGroup:  {globalReader},
	}
	tf := acctest.NewKillableTerraform(t)
	customers := 4 // the documented customer and three generated ones
	var approved []string

	// writes counts the mock's GDAP writes by kind: relationship POSTs,
	// lock requests and assignment POSTs.
	writes := func() (relationships, locks, assignments int) {
		for _, r := range mock.RecordedRequests() {
			switch {
			case r.Method != "POST":
			case strings.HasSuffix(r.Path, "/delegatedAdminRelationships"):
				relationships++
			case strings.HasSuffix(r.Path, "/requests") && strings.Contains(string(r.Body), "lockForApproval"):
				locks++
			case strings.HasSuffix(r.Path, "/accessAssignments"):
				assignments++
			}
		}
		return relationships, locks, assignments
	}
	check := func(wantAssignments int) {
		t.Helper()
		rels, locks, assigned := writes()
		if rels != customers || locks != customers || assigned != wantAssignments {
			t.Fatalf("the mock got %d relationship creations, %d locks and %d assignment creations; want %d, %d and %d",
				rels, locks, assigned, customers, customers, wantAssignments)
		}
		stored := mock.GDAPRelationships()
		if len(stored) != customers {
			t.Fatalf("the mock holds %d relationships, want %d", len(stored), customers)
		}
		for _, rel := range stored {
			id, _ := rel["id"].(string)
			got := mock.GDAPAccessAssignments(id)
			if !slices.Contains(approved, id) {
				if len(got) != 0 || rel["status"] != "approvalPending" {
					t.Fatalf("relationship %s (%v) awaiting approval has %d assignments", id, rel["status"], len(got))
				}
				continue
			}
			if len(got) != len(wantRoles) {
				t.Fatalf("approved relationship %s has %d assignments, want %d", id, len(got), len(wantRoles))
			}
			for _, a := range got {
				group, roles := assignmentGroupAndRoles(a)
				if want, ok := wantRoles[group]; !ok || !slices.Equal(roles, want) {
					t.Fatalf("assignment of group %s in %s holds roles %v, want %v", group, id, roles, want)
				}
			}
		}
	}
	outputs := func() (links, active map[string]string) {
		t.Helper()
		out, ok := tf.Run("output", "-json")
		var shown struct {
			Links  struct{ Value map[string]string } `json:"approval_links"`
			Active struct{ Value map[string]string } `json:"active_customers"`
		}
		if !ok || json.Unmarshal([]byte(out), &shown) != nil {
			t.Fatalf("terraform output -json:\n%s", out)
		}
		return shown.Links.Value, shown.Active.Value
	}

	// The guide's commands, through the Terraform CLI.
	tf.Write(config)
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("first apply failed:\n%s", out)
	}
	check(0)
	// The look-ups by display name share one listing per plan and per apply,
	// whatever the number of customers; the data source of the active ones
	// lists once more in each. Filtered lists carry a query.
	lists := 0
	for _, r := range mock.RecordedRequests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/delegatedAdminRelationships") && r.RawQuery == "" {
			lists++
		}
	}
	if lists != 2 {
		t.Fatalf("the first apply listed all relationships %d times, want 2 (one for the plan, one for the apply)", lists)
	}
	links, active := outputs()
	if len(links) != customers || len(active) != 0 {
		t.Fatalf("after the first apply: %d approval links and %d active customers; want %d and 0", len(links), len(active), customers)
	}
	for tenant, link := range links {
		if !strings.HasPrefix(link, "https://admin.microsoft.com/") || !strings.Contains(link, "/granularAdminRelationships/") {
			t.Fatalf("approval link of %s: %q", tenant, link)
		}
	}

	// Two customers approve: a person's step in each tenant.
	for _, rel := range mock.GDAPRelationships()[:2] {
		id, _ := rel["id"].(string)
		if err := mock.ApproveGDAPRelationship(id); err != nil {
			t.Fatal(err)
		}
		approved = append(approved, id)
	}
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("second apply failed:\n%s", out)
	}
	check(2 * len(wantRoles))
	if links, active = outputs(); len(links) != customers-2 || len(active) != 2 {
		t.Fatalf("after the second apply: %d approval links and %d active customers; want %d and 2", len(links), len(active), customers-2)
	}

	// A plan after both applies changes nothing, and nothing was made twice.
	if out, ok := tf.Run("plan", "-detailed-exitcode"); !ok {
		t.Fatalf("the last plan wants changes:\n%s", out)
	}
	check(2 * len(wantRoles))

	// One customer's relationship expires. The plan refuses to offer a new one
	// under the same name, and the guide's advice, a new generation for that
	// customer, offers one: one more relationship and lock, nothing sent to
	// the ended relationship but its groups' removal.
	expired := mock.GDAPRelationships()[0]
	expiredID, _ := expired["id"].(string)
	customer, _ := expired["customer"].(map[string]any)
	tenant, _ := customer["tenantId"].(string)
	if err := mock.SetGDAPRelationshipStatus(expiredID, "expired"); err != nil {
		t.Fatal(err)
	}
	if out, ok := tf.Run("plan"); ok || !strings.Contains(out, "std1-"+tenant) {
		t.Fatalf("the plan after the expiry should fail naming std1-%s:\n%s", tenant, out)
	}
	writesBefore, recordedBefore := mock.WriteRequests(), len(mock.RecordedRequests())
	out, ok := tf.Run("apply", "-auto-approve", "-var", fmt.Sprintf("generations={%q=2}", tenant))
	if !ok {
		t.Fatalf("the apply offering a second generation failed:\n%s", out)
	}
	// Graph refuses to delete the ended relationship's assignments: they
	// leave the state, each with a warning.
	if got := strings.Count(out, "Access assignment left with its ended relationship"); got != len(wantRoles) {
		t.Fatalf("%d warnings of assignments left with the ended relationship, want %d:\n%s", got, len(wantRoles), out)
	}
	rels, locks, _ := writes()
	if rels != customers+1 || locks != customers+1 {
		t.Fatalf("after the new generation: %d relationship creations and %d locks, want %d and %d", rels, locks, customers+1, customers+1)
	}
	for _, r := range mock.RecordedRequests()[recordedBefore:] {
		// Deleting its groups' assignments is tried (they left the
		// configuration); the relationship itself is left as Graph ended it.
		if r.Method != "GET" && strings.Contains(r.Path, expiredID) && !strings.Contains(r.Path, "/accessAssignments/") {
			t.Fatalf("the ended relationship got a %s %s", r.Method, r.Path)
		}
	}
	if got := mock.WriteRequests() - writesBefore; got != 2+len(wantRoles) {
		t.Fatalf("the new generation took %d writes, want %d (the creation, its lock, and deleting the ended one's %d assignments)",
			got, 2+len(wantRoles), len(wantRoles))
	}
	links, _ = outputs()
	if link := links[tenant]; !strings.Contains(link, "/granularAdminRelationships/") || strings.HasSuffix(link, expiredID) {
		t.Fatalf("the approval link of %s after the new generation: %q", tenant, link)
	}
}

// assignmentGroupAndRoles reads an assignment as the mock stores it: its
// security group and its role definition ids, sorted.
func assignmentGroupAndRoles(a map[string]any) (string, []string) {
	container, _ := a["accessContainer"].(map[string]any)
	group, _ := container["accessContainerId"].(string)
	details, _ := a["accessDetails"].(map[string]any)
	unified, _ := details["unifiedRoles"].([]any)
	var roles []string
	for _, u := range unified {
		if m, ok := u.(map[string]any); ok {
			id, _ := m["roleDefinitionId"].(string)
			roles = append(roles, id)
		}
	}
	slices.Sort(roles)
	return group, roles
}
