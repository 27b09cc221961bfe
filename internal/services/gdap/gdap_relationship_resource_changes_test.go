package gdap_test

import (
	"encoding/json"
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

// relSeed stores a relationship named name for relTenant with the Directory
// Readers role, in status (created when ""), with the customer's name as
// Graph would report it ("" for none).
func relSeed(t *testing.T, mock *mockpartnercenter.Server, name, status, customerName string) string {
	t.Helper()
	customer := map[string]any{"tenantId": relTenant}
	if customerName != "" {
		customer["displayName"] = customerName
	}
	id, err := mock.AddGDAPRelationship(map[string]any{"displayName": name, "duration": "P730D", "status": status,
		"customer": customer, "accessDetails": map[string]any{"unifiedRoles": []any{map[string]any{"roleDefinitionId": relReader}}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The customer's name is Microsoft Entra ID's (read-only in Graph): it
// cannot be configured, is not sent at create, and the state takes Graph's
// after the approval and at adoption, with no change planned.
func TestAccGDAPRelationship_customerNameFromEntra(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := relConfig(mock, "Entra", []string{relReader}, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      relConfig(mock, "Entra", []string{relReader}, `customer_display_name = "Contoso"`),
				ExpectError: regexp.MustCompile(`(?s)customer_display_name.*(read-only|Read-Only|cannot be set)`),
			},
			{
				Config: config,
				Check: acctest.CheckMock(func() error {
					for _, r := range relWrites(mock) {
						var body struct{ Customer map[string]any }
						if r.Method == http.MethodPost && json.Unmarshal(r.Body, &body) == nil && body.Customer != nil {
							if _, sent := body.Customer["displayName"]; sent {
								return fmt.Errorf("creation sent the customer's name: %s", r.Body)
							}
							return nil
						}
					}
					return fmt.Errorf("no creation with a customer among %v", relWrites(mock))
				}),
				ConfigStateChecks: []statecheck.StateCheck{acctest.StateAttr(relAddress, "customer_display_name", knownvalue.Null())},
			},
			{
				PreConfig:        approve(t, mock),
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(s *terraform.State) error {
					rel, err := relStored(mock)
					if err != nil {
						return err
					}
					customer, _ := rel["customer"].(map[string]any)
					name, _ := customer["displayName"].(string)
					if got := s.RootModule().Resources[relAddress].Primary.Attributes["customer_display_name"]; name == "" || got != name {
						return fmt.Errorf("customer_display_name %q, Graph's %q", got, name)
					}
					return nil
				},
			},
		},
	})

	adopted := acctest.StartMock(t, mockpartnercenter.Options{})
	relSeed(t, adopted, "Adopted", "approvalPending", "Contoso Ltd (Entra)")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: relConfig(adopted, "Adopted", []string{relReader}, ""),
			Check: acctest.CheckMock(func() error {
				if n := len(relWrites(adopted)); n != 0 {
					return fmt.Errorf("%d writes adopting a relationship awaiting approval, want 0", n)
				}
				return nil
			}),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(relAddress, "customer_display_name", knownvalue.StringExact("Contoso Ltd (Entra)"))},
		}},
	})
}

// A display name matched at plan regardless of case is adopted under the
// configured spelling: no inconsistent result, no rename planned after.
func TestAccGDAPRelationship_displayNameCaseKept(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relSeed(t, mock, "Review Rel", "approvalPending", "")
	config := relConfig(mock, "review rel", []string{relReader}, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(relAddress, "display_name", knownvalue.StringExact("review rel"))}},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: acctest.CheckMock(func() error {
					if rel, err := relStored(mock); err != nil || rel["displayName"] != "Review Rel" || len(relWrites(mock)) != 0 {
						return fmt.Errorf("stored %v (%v), writes %v", rel, err, relWrites(mock))
					}
					return nil
				}),
			},
		},
	})
}

// A relationship imported in status created is locked by the next apply,
// planned as an update; when Graph has not processed that lock within the
// update's time, the error's advice (apply again) completes it with no
// second lock.
func TestAccGDAPRelationship_importedCreatedLocked(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	id := relSeed(t, mock, "Imported", "", "")
	config := relConfig(mock, "Imported", []string{relReader}, "")
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(relAddress, plancheck.ResourceActionUpdate)}}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: config, ResourceName: relAddress, ImportState: true, ImportStateId: id, ImportStatePersist: true},
			{
				PreConfig:        func() { mock.SetGDAPLockReads(1000) },
				Config:           relConfig(mock, "Imported", []string{relReader}, "timeouts {\n    update = \"2s\"\n  }"),
				ConfigPlanChecks: update,
				ExpectError:      regexp.MustCompile(`(?s)Relationship not locked in time.*Run terraform apply\s+again`),
			},
			{
				PreConfig:         func() { mock.SetGDAPLockReads(3) },
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{acctest.StateAttr(relAddress, "status", knownvalue.StringExact("approvalPending"))},
				Check: acctest.CheckMock(func() error {
					rel, err := relStored(mock)
					if err != nil || rel["status"] != "approvalPending" {
						return fmt.Errorf("stored %v (%v), want it locked", rel, err)
					}
					if n, all := relCount(mock, http.MethodPost, "/requests", "lockForApproval"), len(relWrites(mock)); n != 1 || all != 1 {
						return fmt.Errorf("%d locks among %d writes, want 1 and 1", n, all)
					}
					return nil
				}),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// Renaming a relationship in status created to a display name another
// relationship has is refused at plan, with nothing written.
func TestAccGDAPRelationship_renameToTakenName(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	taken := relSeed(t, mock, "Taken", "approvalPending", "")
	mine := relSeed(t, mock, "Mine", "", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		// The refused plan wrote nothing: the destroy's DELETE is the only write.
		CheckDestroy: acctest.CheckMock(func() error {
			if w := relWrites(mock); len(w) != 1 || w[0].Method != http.MethodDelete {
				return fmt.Errorf("writes %v, want the destroy's DELETE alone", w)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{Config: relConfig(mock, "Mine", []string{relReader}, ""), ResourceName: relAddress, ImportState: true,
				ImportStateId: mine, ImportStatePersist: true},
			{
				Config:      relConfig(mock, "Taken", []string{relReader}, ""),
				ExpectError: regexp.MustCompile(`(?s)Display name already taken.*"Mine".*` + taken),
			},
		},
	})
}

// An expiring relationship has passed its end date, and Graph terminates
// only active ones: the destroy removes it from the state, sending nothing.
func TestAccGDAPRelationship_expiringLeftAtDestroy(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	id := relSeed(t, mock, "Expiring", "active", "")
	config := relConfig(mock, "Expiring", []string{relReader}, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		CheckDestroy: acctest.CheckMock(func() error {
			if rel, err := relStored(mock); err != nil || rel["status"] != "expiring" || len(relWrites(mock)) != 0 {
				return fmt.Errorf("stored %v (%v), writes %v: want it left expiring, nothing sent", rel, err, relWrites(mock))
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{Config: config, ResourceName: relAddress, ImportState: true, ImportStateId: id, ImportStatePersist: true},
			{
				PreConfig: func() {
					if err := mock.SetGDAPRelationshipStatus(id, "expiring"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config, PlanOnly: true,
			},
		},
	})
}
