package gdap_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

const (
	assignmentAddress = "partnercenter_gdap_access_assignment.test"
	securityGroup     = "0a8e4c3b-6f0d-4a71-9d5c-2b7e1f3a9c10"
	userAdmin         = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	helpdeskAdmin     = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
	globalReader      = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
	securityAdmin     = "194ae4cb-b126-40b2-bd5b-6091b380977d"
)

// seedRelationship stores a relationship with roles in the mock, approved
// by the customer unless pending.
func seedRelationship(t *testing.T, mock *mockpartnercenter.Server, name string, pending bool, roleIDs ...string) string {
	t.Helper()
	unified := []any{}
	for _, id := range roleIDs {
		unified = append(unified, map[string]any{"roleDefinitionId": id})
	}
	id, err := mock.AddGDAPRelationship(map[string]any{"displayName": name, "duration": "P730D", "status": "approvalPending",
		"accessDetails": map[string]any{"unifiedRoles": unified}})
	if err != nil {
		t.Fatal(err)
	}
	if !pending {
		if err := mock.ApproveGDAPRelationship(id); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func assignmentConfig(mock *mockpartnercenter.Server, relID string, roleIDs ...string) string {
	return acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
resource "partnercenter_gdap_access_assignment" "test" {
  relationship_id   = %q
  security_group_id = %q
  roles             = %s
}
`, relID, securityGroup, hclList(roleIDs))
}

func hclList(items []string) string {
	b, _ := json.Marshal(items)
	return string(b)
}

// assignmentWrites are the mock's recorded writes to access assignments
// with method.
func assignmentWrites(mock *mockpartnercenter.Server, method string) []mockpartnercenter.RecordedRequest {
	var out []mockpartnercenter.RecordedRequest
	for _, r := range mock.RecordedRequests() {
		if r.Method == method && strings.Contains(r.Path, "/accessAssignments") {
			out = append(out, r)
		}
	}
	return out
}

// activeAssignment checks that the mock holds one assignment of the
// group, active with roles.
func activeAssignment(mock *mockpartnercenter.Server, relID string, roleIDs ...string) resource.TestCheckFunc {
	return acctest.CheckMock(func() error {
		var mine []map[string]any
		for _, a := range mock.GDAPAccessAssignments(relID) {
			if c, _ := a["accessContainer"].(map[string]any); c["accessContainerId"] == securityGroup {
				mine = append(mine, a)
			}
		}
		if len(mine) != 1 {
			return fmt.Errorf("the mock holds %d assignments of the group, want 1: %v", len(mine), mine)
		}
		last := mine[0]
		var got []string
		details, _ := last["accessDetails"].(map[string]any)
		unified, _ := details["unifiedRoles"].([]any)
		for _, u := range unified {
			m, _ := u.(map[string]any)
			got = append(got, fmt.Sprint(m["roleDefinitionId"]))
		}
		slices.Sort(got)
		want := slices.Clone(roleIDs)
		slices.Sort(want)
		if last["status"] != "active" || !slices.Equal(got, want) {
			return fmt.Errorf("stored assignment is %v with roles %v, want active with %v", last["status"], got, want)
		}
		return nil
	})
}

func writesCount(mock *mockpartnercenter.Server, method string, n int) resource.TestCheckFunc {
	return acctest.CheckMock(func() error {
		if got := len(assignmentWrites(mock, method)); got != n {
			return fmt.Errorf("%d %s requests to access assignments, want %d", got, method, n)
		}
		return nil
	})
}

// stateMatchesMock checks that the state's id is the stored assignment's.
func stateMatchesMock(mock *mockpartnercenter.Server, relID string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		stored := mock.GDAPAccessAssignments(relID)
		if len(stored) == 0 {
			return fmt.Errorf("the mock holds no assignment")
		}
		return resource.TestCheckResourceAttr(assignmentAddress, "id", fmt.Sprint(stored[len(stored)-1]["id"]))(s)
	}
}

// Create waits until the assignment is active; a change of roles is one
// PATCH under the etag of a fresh read, also waited for; an etag changed
// between that read and the PATCH is read again and sent once more;
// destroy sends DELETE with If-Match and waits until it is gone.
func TestAccGDAPAccessAssignment_lifecycle(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relID := seedRelationship(t, mock, "Lifecycle", false, userAdmin, helpdeskAdmin, globalReader)
	var etagBeforePatch string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		CheckDestroy: acctest.CheckMock(func() error {
			deletes := assignmentWrites(mock, http.MethodDelete)
			if len(deletes) != 1 || deletes[0].Header.Get("If-Match") == "" {
				return fmt.Errorf("want one DELETE with If-Match, got %d", len(deletes))
			}
			for _, a := range mock.GDAPAccessAssignments(relID) {
				if a["status"] != "deleted" {
					return fmt.Errorf("the mock still serves %v", a)
				}
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { mock.SetGDAPAssignmentsPending(2) },
				Config:    assignmentConfig(mock, relID, userAdmin),
				Check: resource.ComposeAggregateTestCheckFunc(
					activeAssignment(mock, relID, userAdmin), writesCount(mock, http.MethodPost, 1),
					resource.TestCheckResourceAttr(assignmentAddress, "status", "active"), stateMatchesMock(mock, relID),
					resource.TestCheckResourceAttr(assignmentAddress, "security_group_id", securityGroup),
					acctest.CheckMock(func() error {
						etagBeforePatch = fmt.Sprint(mock.GDAPAccessAssignments(relID)[0]["@odata.etag"])
						return nil
					})),
			},
			{
				Config: assignmentConfig(mock, relID, userAdmin, helpdeskAdmin),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(assignmentAddress, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					activeAssignment(mock, relID, userAdmin, helpdeskAdmin), writesCount(mock, http.MethodPost, 1),
					writesCount(mock, http.MethodPatch, 1),
					acctest.CheckMock(func() error {
						patch := assignmentWrites(mock, http.MethodPatch)[0]
						if got := patch.Header.Get("If-Match"); got != etagBeforePatch {
							return fmt.Errorf("PATCH If-Match %q, want the etag read before it, %q", got, etagBeforePatch)
						}
						if !strings.Contains(string(patch.Body), helpdeskAdmin) {
							return fmt.Errorf("PATCH body %s lacks the new role", patch.Body)
						}
						return nil
					}),
					resource.TestCheckResourceAttr(assignmentAddress, "roles.#", "2")),
			},
			{
				PreConfig: func() { mock.SetGDAPStalePatches(1) },
				Config:    assignmentConfig(mock, relID, globalReader),
				Check: resource.ComposeAggregateTestCheckFunc(
					activeAssignment(mock, relID, globalReader), writesCount(mock, http.MethodPatch, 3),
					acctest.CheckMock(func() error {
						patches := assignmentWrites(mock, http.MethodPatch)
						if patches[1].Header.Get("If-Match") == patches[2].Header.Get("If-Match") {
							return fmt.Errorf("the PATCH after the 412 carried the stale etag again")
						}
						return nil
					})),
			},
			{
				Config:       assignmentConfig(mock, relID, globalReader),
				ResourceName: assignmentAddress, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts"},
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return relID + "/" + s.RootModule().Resources[assignmentAddress].Primary.ID, nil
				},
			},
		},
	})
}

// The plan refuses, with zero writes, a relationship awaiting approval
// (naming its approval link), an expiring one (past its end date), and
// roles the relationship does not hold (naming them).
func TestAccGDAPAccessAssignment_planRefusals(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	pending := seedRelationship(t, mock, "Pending", true, userAdmin)
	active := seedRelationship(t, mock, "Active", false, userAdmin)
	expiring := seedRelationship(t, mock, "Expiring", false, userAdmin)
	if err := mock.SetGDAPRelationshipStatus(expiring, "expiring"); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: assignmentConfig(mock, pending, userAdmin), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)approvalPending.*customer must approve it first.*` +
					regexp.QuoteMeta("granularAdminRelationships/"+pending)),
			},
			{
				Config: assignmentConfig(mock, expiring, userAdmin), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)is expiring; access\s+assignments need an active relationship`),
			},
			{
				Config: assignmentConfig(mock, active, userAdmin, securityAdmin), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)does not hold.*` + securityAdmin + `.*Security Administrator`),
			},
			{
				Config: assignmentConfig(mock, active, userAdmin), PlanOnly: true, ExpectNonEmptyPlan: true,
				Check: acctest.CheckMock(func() error {
					if n := mock.WriteRequests(); n != 0 {
						return fmt.Errorf("%d writes during plans", n)
					}
					return nil
				}),
			},
		},
	})
	if n := mock.WriteRequests(); n != 0 {
		t.Errorf("%d writes during the refused plans, want 0", n)
	}
}

// An answer lost after the creation committed: the apply finds the
// assignment by its group and keeps it; one assignment. A 500 after the
// commit likewise. An assignment deleted outside Terraform is planned
// again.
func TestAccGDAPAccessAssignment_interruptions(t *testing.T) {
	for name, kind := range map[string]mockpartnercenter.FaultKind{
		"dropped": mockpartnercenter.FaultDropConnection, "500": mockpartnercenter.FaultServerError,
	} {
		t.Run(name, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{})
			relID := seedRelationship(t, mock, "Interrupted", false, userAdmin)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							mock.SetFault("", mockpartnercenter.Fault{Kind: kind, Times: 1, AfterCommit: true,
								Route: mockpartnercenter.RouteGDAPAccessAssignments})
						},
						Config: assignmentConfig(mock, relID, userAdmin),
						Check: resource.ComposeAggregateTestCheckFunc(activeAssignment(mock, relID, userAdmin),
							stateMatchesMock(mock, relID), writesCount(mock, http.MethodPost, 1)),
					},
					{
						PreConfig: func() {
							a := mock.GDAPAccessAssignments(relID)[0]
							deleteOutside(t, mock, relID, fmt.Sprint(a["id"]), fmt.Sprint(a["@odata.etag"]))
						},
						Config: assignmentConfig(mock, relID, userAdmin),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(assignmentAddress, plancheck.ResourceActionCreate)}},
						Check: resource.ComposeAggregateTestCheckFunc(activeAssignment(mock, relID, userAdmin),
							stateMatchesMock(mock, relID), writesCount(mock, http.MethodPost, 2)),
					},
				},
			})
		})
	}
}

// A provider killed after Graph made the assignment, before the state was
// saved: the next plan warns that it adopts it, and the apply does; one
// assignment, one POST.
func TestAccGDAPAccessAssignment_killedAfterCommit(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relID := seedRelationship(t, mock, "Killed", false, userAdmin)
	mock.SetGDAPAssignmentsPending(1000) // the apply waits while it is killed
	tf := acctest.NewKillableTerraform(t)
	tf.Write(assignmentConfig(mock, relID, userAdmin))
	tf.ApplyKilledWhen(func() bool { return len(mock.GDAPAccessAssignments(relID)) == 1 })
	if got := tf.StateValues(assignmentAddress); got != nil {
		t.Fatalf("state saved despite the kill: %v", got)
	}
	mock.SetGDAPAssignmentsPending(0)
	out, ok := tf.Run("plan")
	if !ok || !strings.Contains(out, "Existing access assignment will be adopted") {
		t.Fatalf("plan did not announce the adoption:\n%s", out)
	}
	if _, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatal("apply failed")
	}
	if n := len(assignmentWrites(mock, http.MethodPost)); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
	stored := mock.GDAPAccessAssignments(relID)
	if len(stored) != 1 {
		t.Fatalf("%d assignments, want 1", len(stored))
	}
	if got := tf.StateValues(assignmentAddress); got["id"] != stored[0]["id"] || got["status"] != "active" {
		t.Errorf("state %v, want the stored assignment %v, active", got, stored[0]["id"])
	}
}

// deleteOutside deletes an assignment through the mock's Graph API, as
// someone in Partner Center would.
func deleteOutside(t *testing.T, mock *mockpartnercenter.Server, relID, id, etag string) {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {acctest.MockClientID},
		"client_secret": {acctest.MockClientSecret}, "refresh_token": {acctest.MockRefreshToken},
		"scope": {mockpartnercenter.DefaultGraphAudience + "/.default offline_access"}}
	resp, err := http.PostForm(mock.URL()+"/"+acctest.MockTenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	_ = resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("no Graph token from the mock (status %d): %v", resp.StatusCode, err)
	}
	req, err := http.NewRequest(http.MethodDelete, mock.GraphURL()+
		"/v1.0/tenantRelationships/delegatedAdminRelationships/"+relID+"/accessAssignments/"+id, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("If-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE outside Terraform: %d", resp.StatusCode)
	}
}

// With relationship_id unknown at plan, the apply makes the plan's checks
// before it writes: a relationship awaiting approval fails it with no
// write to Graph.
func TestAccGDAPAccessAssignment_checkedAtApplyWhenUnknownAtPlan(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	pending := seedRelationship(t, mock, "Pending", true, userAdmin)
	config := acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
resource "terraform_data" "rel" {
  input = %q
}

resource "partnercenter_gdap_access_assignment" "test" {
  relationship_id   = terraform_data.rel.output
  security_group_id = %q
  roles             = [%q]
}
`, pending, securityGroup, userAdmin)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)approvalPending.*customer must approve it first`),
		}},
	})
	if n := len(assignmentWrites(mock, http.MethodPost)); n != 0 {
		t.Errorf("%d POSTs of an assignment, want 0", n)
	}
	if n := mock.WriteRequests(); n != 0 {
		t.Errorf("%d writes, want 0", n)
	}
}

// A group that already has an assignment with other roles is a plan
// error naming it and saying how to import it; with the same roles, the
// plan warns and the apply adopts it without a POST.
func TestAccGDAPAccessAssignment_existingAssignment(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relID := seedRelationship(t, mock, "Existing", false, userAdmin, helpdeskAdmin)
	tf := acctest.NewKillableTerraform(t)
	tf.Write(assignmentConfig(mock, relID, userAdmin))
	if _, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatal("first apply failed")
	}
	existing := fmt.Sprint(mock.GDAPAccessAssignments(relID)[0]["id"])
	if _, ok := tf.Run("state", "rm", assignmentAddress); !ok {
		t.Fatal("state rm failed")
	}
	tf.Write(assignmentConfig(mock, relID, helpdeskAdmin))
	out, ok := tf.Run("plan")
	if ok || !strings.Contains(out, existing) || !strings.Contains(out, "terraform import") {
		t.Errorf("plan with other roles did not fail naming %s and import:\n%s", existing, out)
	}
	tf.Write(assignmentConfig(mock, relID, userAdmin))
	if out, ok := tf.Run("apply", "-auto-approve"); !ok || !strings.Contains(out, "adopted") {
		t.Fatalf("apply with the same roles did not adopt:\n%s", out)
	}
	if n := len(assignmentWrites(mock, http.MethodPost)); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
	if got := tf.StateValues(assignmentAddress)["id"]; got != existing {
		t.Errorf("state id %v, want the existing %s", got, existing)
	}
}

// A relationship past its end date (expiring) or ended takes its
// assignments' access with it, and Graph refuses to delete them: removing
// the assignment from the configuration sends one DELETE, refused, and the
// assignment leaves the state instead of failing every apply.
func TestAccGDAPAccessAssignment_leftWithItsEndedRelationship(t *testing.T) {
	for _, status := range []string{"expiring", "expired"} {
		t.Run(status, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{})
			relID := seedRelationship(t, mock, "ending "+status, false, userAdmin)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{
					{Config: assignmentConfig(mock, relID, userAdmin), Check: activeAssignment(mock, relID, userAdmin)},
					{
						PreConfig: func() {
							if err := mock.SetGDAPRelationshipStatus(relID, status); err != nil {
								t.Fatal(err)
							}
						},
						Config: acctest.ProviderBlock(mock, ""),
						Check: resource.ComposeTestCheckFunc(
							writesCount(mock, "DELETE", 1),
							acctest.CheckMock(func() error {
								if got := mock.GDAPAccessAssignments(relID); len(got) != 1 || got[0]["status"] != "active" {
									return fmt.Errorf("the mock holds %v, want the refused assignment still active", got)
								}
								return nil
							}),
						),
					},
				},
			})
		})
	}
}
