package gdap_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// A creation or lock whose answer is lost after Graph made it is found in
// the same apply: one relationship, one lock, and a second apply changes
// nothing.
func TestAccGDAPRelationship_interrupted(t *testing.T) {
	for name, fault := range map[string]mockpartnercenter.Fault{
		"create dropped":      {Kind: mockpartnercenter.FaultDropConnection, AfterCommit: true, Times: 1, Route: mockpartnercenter.RouteGDAPRelationships},
		"create server error": {Kind: mockpartnercenter.FaultServerError, AfterCommit: true, Times: 1, Route: mockpartnercenter.RouteGDAPRelationships},
		"lock dropped":        {Kind: mockpartnercenter.FaultDropConnection, AfterCommit: true, Times: 1, Route: mockpartnercenter.RouteGDAPRelationshipRequests},
		"lock server error":   {Kind: mockpartnercenter.FaultServerError, AfterCommit: true, Times: 1, Route: mockpartnercenter.RouteGDAPRelationshipRequests},
	} {
		t.Run(name, func(t *testing.T) {
			mock := acctest.StartMock(t, mockpartnercenter.Options{})
			config := relConfig(mock, "Interrupted", []string{relReader}, "")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.TestAccProviders,
				Steps: []resource.TestStep{
					{
						PreConfig: func() { mock.SetFault("", fault) },
						Config:    config,
						Check:     relExpect(mock, 1),
						ConfigStateChecks: []statecheck.StateCheck{
							acctest.StateAttr(relAddress, "status", knownvalue.StringExact("approvalPending"))},
					},
					{
						Config:           config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check:            relExpect(mock, 1),
					},
				},
			})
		})
	}
}

// A lookup that fails after an unknown creation outcome saves nothing; the
// next plan adopts the relationship by its display name, with a warning,
// and the apply locks it: one relationship, one lock.
func TestAccGDAPRelationship_adoptedAfterFailedApply(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := relConfig(mock, "Adopted", []string{relReader}, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				// The lock is refused outright: the relationship stays
				// created and out of the state.
				PreConfig: func() {
					mock.SetFault("", mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence,
						Statuses: []int{http.StatusBadRequest}, Route: mockpartnercenter.RouteGDAPRelationshipRequests})
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Locking delegated admin relationship.*adopts`),
			},
			{
				PreConfig: func() {
					mock.SetFault("", mockpartnercenter.Fault{Route: mockpartnercenter.RouteGDAPRelationshipRequests})
					if rel, err := relStored(mock); err != nil || rel["status"] != "created" {
						t.Fatalf("after the failed apply: %v %v", rel, err)
					}
				},
				Config: config,
				// Two lock requests were sent: the refused one and the one
				// that locked.
				Check: relExpect(mock, 2),
			},
		},
	})
}

// The provider is killed between Graph's commit of the creation and the
// state's save (the lock, which follows, commits and hangs): the next
// apply adopts the relationship without locking it again.
func TestAccGDAPRelationship_providerKilledAfterCreation(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	tf := acctest.NewKillableTerraform(t)
	tf.Write(relConfig(mock, "Killed", []string{relReader}, ""))
	mock.SetFault("", mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang, AfterCommit: true, Route: mockpartnercenter.RouteGDAPRelationshipRequests})
	// Graph processes the lock after answering: the kill follows its
	// sending, and the lock takes effect on the relationship's next read.
	tf.ApplyKilledWhen(func() bool {
		return len(mock.GDAPRelationships()) == 1 && relCount(mock, http.MethodPost, "/requests", "lockForApproval") == 1
	})
	mock.SetFault("", mockpartnercenter.Fault{Route: mockpartnercenter.RouteGDAPRelationshipRequests})
	if values := tf.StateValues(relAddress); values != nil {
		t.Fatalf("the state holds the relationship although the provider was killed before answering: %v", values)
	}
	out, ok := tf.Run("apply", "-auto-approve")
	if !ok {
		t.Fatalf("the apply after the kill failed:\n%s", out)
	}
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "will be adopted") {
		t.Errorf("the plan did not warn of the adoption:\n%s", out)
	}
	if err := relExpect(mock, 1)(nil); err != nil {
		t.Error(err)
	}
	if state := tf.StateValues(relAddress); state == nil || !strings.EqualFold(fmt.Sprint(state["id"]), relStoredID(mock)) {
		t.Errorf("state %v, want the relationship created before the kill, %s", state, relStoredID(mock))
	}
}

// allow_replacement plans a role change on an active relationship as a
// replacement under a new display name: the old one is terminated and the
// new one awaits approval.
func TestAccGDAPRelationship_allowReplacement(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: relConfig(mock, "Old", []string{relReader}, "allow_replacement = true")},
			{
				PreConfig:   approve(t, mock),
				Config:      relConfig(mock, "Old", []string{relHelpdesk}, "allow_replacement = true"),
				ExpectError: regexp.MustCompile(`(?s)needs a new display name.*"Old 2"`),
			},
			{
				Config: relConfig(mock, "New", []string{relHelpdesk}, "allow_replacement = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(relAddress, plancheck.ResourceActionReplace)}},
				Check: acctest.CheckMock(func() error {
					rels := mock.GDAPRelationships()
					if len(rels) != 2 || rels[1]["displayName"] != "New" || rels[1]["status"] != "approvalPending" {
						return fmt.Errorf("stored relationships %v", rels)
					}
					if s := rels[0]["status"]; s != "terminating" && s != "terminated" {
						return fmt.Errorf("the replaced relationship is %v, want terminating or terminated", s)
					}
					return nil
				}),
			},
		},
	})
}

// A relationship that takes the display name between the plan and the
// apply, with other roles, is neither adopted nor duplicated: the saved
// plan's apply fails with nothing written. (Terraform plans again during
// the apply, and that plan's lookup is what refuses it.)
func TestAccGDAPRelationship_nameTakenSincePlan(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	tf := acctest.NewKillableTerraform(t)
	tf.Write(relConfig(mock, "Raced", []string{relReader}, ""))
	if out, ok := tf.Run("plan", "-out=planned"); !ok {
		t.Fatalf("plan failed:\n%s", out)
	}
	other, err := mock.AddGDAPRelationship(map[string]any{"displayName": "Raced", "duration": "P730D",
		"customer":      map[string]any{"tenantId": relTenant},
		"accessDetails": map[string]any{"unifiedRoles": []any{map[string]any{"roleDefinitionId": relHelpdesk}}}})
	if err != nil {
		t.Fatal(err)
	}
	out, ok := tf.Run("apply", "planned")
	if flat := strings.Join(strings.Fields(out), " "); ok || !strings.Contains(flat, "Display name already taken") || !strings.Contains(flat, other) {
		t.Errorf("the apply did not refuse the relationship made since the plan:\n%s", out)
	}
	if n := len(relWrites(mock)); n != 0 {
		t.Errorf("%d writes, want 0: %v", n, relWrites(mock))
	}
}

// Graph processes a lock after answering it. The apply waits until the
// relationship leaves status created; an apply that failed before the lock
// took effect is followed by one that adopts the relationship and sends no
// second lock.
func TestAccGDAPRelationship_lockProcessedLater(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	mock.SetGDAPLockReads(3)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config:            relConfig(mock, "Later", []string{relReader}, ""),
			Check:             relExpect(mock, 1),
			ConfigStateChecks: []statecheck.StateCheck{acctest.StateAttr(relAddress, "status", knownvalue.StringExact("approvalPending"))},
		}},
	})

	failed := acctest.StartMock(t, mockpartnercenter.Options{})
	failed.SetGDAPLockReads(3)
	config := relConfig(failed, "Failed", []string{relReader}, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				// The read after the lock is refused: nothing is saved, and
				// the lock is still pending.
				PreConfig: func() {
					failed.SetFault("", mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence,
						Statuses: []int{http.StatusBadRequest}, Route: mockpartnercenter.RouteGDAPRelationship})
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Reading delegated admin relationship.*adopts`),
			},
			{
				PreConfig: func() {
					if rel, err := relStored(failed); err != nil || rel["status"] != "created" {
						t.Fatalf("after the failed apply: %v %v", rel, err)
					}
				},
				Config: config,
				Check:  relExpect(failed, 1),
			},
		},
	})
}
