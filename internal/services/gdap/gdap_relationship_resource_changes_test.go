package gdap_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// approve is a step's PreConfig: the customer approves the mock's
// relationships awaiting approval.
func approve(t *testing.T, mock *mockpartnercenter.Server) func() {
	return func() {
		for _, rel := range mock.GDAPRelationships() {
			if id, _ := rel["id"].(string); rel["status"] == "approvalPending" {
				if err := mock.ApproveGDAPRelationship(id); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// Removing the Global Administrator role from an active relationship is a
// long-running operation: the apply waits for it and a read showing the
// roles.
func TestAccGDAPRelationship_removeGlobalAdministrator(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: relConfig(mock, "With GA", []string{relGA, relReader}, ""), Check: relExpect(mock, 1)},
			{
				PreConfig: approve(t, mock),
				Config:    relConfig(mock, "With GA", []string{relReader}, ""),
				Check: acctest.CheckMock(func() error {
					rel, _ := relStored(mock)
					if got := relRoles(rel); !slices.Equal(got, []string{relReader}) || rel["status"] != "active" {
						return fmt.Errorf("stored roles %v, status %v; want [%s], active", got, rel["status"], relReader)
					}
					if n := relCount(mock, http.MethodPatch, "", relGA); n != 0 {
						return fmt.Errorf("a PATCH named the Global Administrator role")
					}
					if n := relCount(mock, http.MethodPatch, "", `"accessDetails"`); n != 1 {
						return fmt.Errorf("%d role PATCHes, want 1", n)
					}
					if mock.Requests(mockpartnercenter.RouteGDAPRelationshipOperations) < 2 {
						return fmt.Errorf("the operation was not waited for")
					}
					return nil
				}),
				ConfigStateChecks: []statecheck.StateCheck{acctest.StateAttr(relAddress, "roles",
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(relReader)}))},
			},
		},
	})
}

// Every refusal comes at plan time, with nothing written.
func TestAccGDAPRelationship_refusedAtPlan(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	other, err := mock.AddGDAPRelationship(map[string]any{"displayName": "Taken", "duration": "P30D",
		"accessDetails": map[string]any{"unifiedRoles": []any{map[string]any{"roleDefinitionId": relHelpdesk}}}})
	if err != nil {
		t.Fatal(err)
	}
	roles := []string{relReader}
	refused := func(config, pattern string) resource.TestStep {
		return resource.TestStep{Config: config, PlanOnly: true, ExpectError: regexp.MustCompile(pattern)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			refused(relConfig(mock, "GA extended", []string{relGA}, `auto_extend = "P180D"`), `(?s)No auto-extension with Global Administrator.*Global\s+Administrator`),
			refused(relConfig(mock, "Bad duration", roles, `duration = "P731D"`), `(?s)Invalid duration.*P730D`),
			refused(relConfig(mock, "Bad duration", roles, `duration = "P2Y"`), `(?s)Invalid duration.*P730D`),
			refused(relConfig(mock, strings.Repeat("n", 51), roles, ""), `(?s)display_name.*50`),
			refused(relConfig(mock, "Bad role", []string{"not-a-guid"}, ""), `(?s)roles.*GUID`),
			refused(relConfig(mock, "Taken", roles, ""), `(?s)Display name already taken.*`+other+`.*import`),
			{Config: relConfig(mock, "Pending", roles, "")},
			refused(relConfig(mock, "Pending", roles, `duration = "P90D"`), `(?s)awaiting the customer's approval`),
			{
				PreConfig:   approve(t, mock),
				Config:      relConfig(mock, "Pending", []string{relReader, relHelpdesk}, ""),
				ExpectError: regexp.MustCompile(`(?s)Change needs a new relationship.*roles`),
			},
		},
	})
	// The creation, the lock and the destroy's termination: every refusal
	// wrote nothing.
	if got, terminations := len(relWrites(mock)), relCount(mock, http.MethodPost, "/requests", `"terminate"`); got != 3 || terminations != 1 {
		t.Errorf("%d writes with %d terminations, want 3 with 1: %v", got, terminations, relWrites(mock))
	}
}

// A relationship that expired outside Terraform stays in the state; the
// plan asks for a new display name, then replaces it with a warning, and
// the destroy of the ended one sends nothing.
func TestAccGDAPRelationship_expiredOutsideTerraform(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	roles := []string{relReader}
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: relConfig(mock, "Expiring", roles, "")},
			{
				PreConfig: func() {
					approve(t, mock)()
					first = relStoredID(mock)
					if err := mock.SetGDAPRelationshipStatus(first, "expired"); err != nil {
						t.Fatal(err)
					}
				},
				Config:      relConfig(mock, "Expiring", roles, ""),
				ExpectError: regexp.MustCompile(`(?s)New relationship needs a new display name.*expired.*"Expiring 2"`),
			},
			{
				Config: relConfig(mock, "Expiring 2", roles, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(relAddress, plancheck.ResourceActionReplace)}},
				Check: acctest.CheckMock(func() error {
					rels := mock.GDAPRelationships()
					if len(rels) != 2 || rels[0]["status"] != "expired" || rels[1]["status"] != "approvalPending" {
						return fmt.Errorf("stored relationships %v", rels)
					}
					if n := relCount(mock, http.MethodPost, "/requests", `"terminate"`) + relCount(mock, http.MethodDelete, "", ""); n != 0 {
						return fmt.Errorf("%d writes to end the expired relationship, want 0", n)
					}
					return nil
				}),
			},
		},
	})
}

// A relationship imported in status created is deleted at destroy, under
// If-Match; one awaiting approval is left, with nothing sent.
func TestAccGDAPRelationship_destroyByStatus(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	created, err := mock.AddGDAPRelationship(map[string]any{"displayName": "Created", "duration": "P730D",
		"customer":      map[string]any{"tenantId": relTenant},
		"accessDetails": map[string]any{"unifiedRoles": []any{map[string]any{"roleDefinitionId": relReader}}}})
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		CheckDestroy: acctest.CheckMock(func() error {
			if n := len(mock.GDAPRelationships()); n != 0 {
				return fmt.Errorf("%d relationships after destroy, want 0", n)
			}
			for _, r := range relWrites(mock) {
				if r.Method == http.MethodDelete && r.Header.Get("If-Match") != "" {
					return nil
				}
			}
			return fmt.Errorf("no DELETE with If-Match: %v", relWrites(mock))
		}),
		Steps: []resource.TestStep{{
			Config: relConfig(mock, "Created", []string{relReader}, ""), ResourceName: relAddress,
			ImportState: true, ImportStateId: created, ImportStatePersist: true,
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if len(states) != 1 || states[0].Attributes["status"] != "created" || states[0].Attributes["display_name"] != "Created" {
					return fmt.Errorf("imported %v", states)
				}
				return nil
			},
		}},
	})

	pending := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		CheckDestroy: acctest.CheckMock(func() error {
			if _, err := relStored(pending); err != nil {
				return err
			}
			if n := len(relWrites(pending)); n != 2 {
				return fmt.Errorf("%d writes, want 2 (creation and lock, nothing at destroy)", n)
			}
			return nil
		}),
		Steps: []resource.TestStep{{Config: relConfig(pending, "Pending", []string{relReader}, ""),
			Check: relExpect(pending, 1)}},
	})
}

// A relationship imported while created changes everything in one PATCH
// under If-Match, then is locked.
func TestAccGDAPRelationship_updateWhileCreated(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	created, err := mock.AddGDAPRelationship(map[string]any{"displayName": "Draft", "duration": "P730D",
		"customer":      map[string]any{"tenantId": relTenant},
		"accessDetails": map[string]any{"unifiedRoles": []any{map[string]any{"roleDefinitionId": relReader}}}})
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: relConfig(mock, "Draft", []string{relReader}, ""), ResourceName: relAddress,
				ImportState: true, ImportStateId: created, ImportStatePersist: true,
			},
			{
				Config: relConfig(mock, "Final", []string{relReader, relHelpdesk}, `duration = "P365D"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(relAddress, plancheck.ResourceActionUpdate)}},
				Check: acctest.CheckMock(func() error {
					rel, _ := relStored(mock)
					if rel["displayName"] != "Final" || rel["duration"] != "P365D" || rel["status"] != "approvalPending" ||
						!slices.Equal(relRoles(rel), []string{relHelpdesk, relReader}) {
						return fmt.Errorf("stored relationship %v", rel)
					}
					var patches int
					for _, r := range relWrites(mock) {
						if r.Method == http.MethodPatch {
							patches++
							if r.Header.Get("If-Match") == "" || !strings.Contains(string(r.Body), `"duration":"P365D"`) {
								return fmt.Errorf("PATCH %s with If-Match %q", r.Body, r.Header.Get("If-Match"))
							}
						}
					}
					if n := relCount(mock, http.MethodPost, "/requests", "lockForApproval"); patches != 1 || n != 1 {
						return fmt.Errorf("%d PATCHes and %d locks, want 1 and 1", patches, n)
					}
					return nil
				}),
			},
		},
	})
}

// Graph's P0D is the default PT0S: an imported active relationship that
// reports it plans no change when auto_extend is unset; while expiring its
// auto-extension cannot change; its destroy terminates it.
func TestAccGDAPRelationship_importedP0D(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	id, err := mock.AddGDAPRelationship(map[string]any{"displayName": "Imported", "duration": "P730D", "status": "active",
		"autoExtendDuration": "P0D", "customer": map[string]any{"tenantId": relTenant},
		"accessDetails": map[string]any{"unifiedRoles": []any{map[string]any{"roleDefinitionId": relReader}}}})
	if err != nil {
		t.Fatal(err)
	}
	config := relConfig(mock, "Imported", []string{relReader}, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: config, ResourceName: relAddress, ImportState: true, ImportStateId: id, ImportStatePersist: true},
			{
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{acctest.StateAttr(relAddress, "auto_extend", knownvalue.StringExact("P0D"))},
			},
			{
				PreConfig: func() {
					if err := mock.SetGDAPRelationshipStatus(id, "expiring"); err != nil {
						t.Fatal(err)
					}
				},
				Config:      relConfig(mock, "Imported", []string{relReader}, `auto_extend = "P180D"`),
				ExpectError: regexp.MustCompile(`(?s)Change needs a new relationship.*only while the\s+relationship is\s+active`),
			},
			{
				PreConfig: func() {
					if err := mock.SetGDAPRelationshipStatus(id, "active"); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
		CheckDestroy: acctest.CheckMock(func() error {
			if n := relCount(mock, http.MethodPost, "/requests", `"terminate"`); n != 1 || len(relWrites(mock)) != 1 {
				return fmt.Errorf("writes %v, want one termination", relWrites(mock))
			}
			return nil
		}),
	})
}
