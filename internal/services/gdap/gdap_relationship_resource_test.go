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

const (
	relAddress  = "partnercenter_gdap_relationship.test"
	relGA       = "62e90394-69f5-4237-9190-012177145e10"
	relReader   = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b" // Directory Readers
	relHelpdesk = "729827e3-9c14-49f7-bb1b-9608f156bbb8" // Helpdesk Administrator
	relTenant   = "4b827261-d21f-4aa9-b7db-7fa1f56fb163"
)

// relConfig is a relationship named name with the roles and extra
// arguments.
func relConfig(mock *mockpartnercenter.Server, name string, roles []string, extra string) string {
	quoted := make([]string, len(roles))
	for i, r := range roles {
		quoted[i] = fmt.Sprintf("%q", r)
	}
	if !strings.Contains(extra, "duration") {
		extra += "\n  duration = \"P730D\""
	}
	return acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
resource "partnercenter_gdap_relationship" "test" {
  display_name = %q
  customer_id  = %q
  roles        = [%s]
  %s
}
`, name, relTenant, strings.Join(quoted, ", "), extra)
}

// relWrites are the mock's recorded writes to GDAP relationships, as
// "METHOD suffix" where suffix is "" (the collection or one relationship),
// "/requests" or "/operations".
func relWrites(mock *mockpartnercenter.Server) []mockpartnercenter.RecordedRequest {
	var out []mockpartnercenter.RecordedRequest
	for _, r := range mock.RecordedRequests() {
		if r.Method != http.MethodGet && strings.Contains(r.Path, "/delegatedAdminRelationships") {
			out = append(out, r)
		}
	}
	return out
}

// relCount counts the recorded writes of method whose path ends in suffix
// ("" for the relationship itself) and whose body holds want.
func relCount(mock *mockpartnercenter.Server, method, suffix, want string) int {
	n := 0
	for _, r := range relWrites(mock) {
		onRel := !strings.HasSuffix(r.Path, "/requests") && !strings.HasSuffix(r.Path, "/operations")
		if r.Method == method && (suffix == "" && onRel || suffix != "" && strings.HasSuffix(r.Path, suffix)) &&
			strings.Contains(string(r.Body), want) {
			n++
		}
	}
	return n
}

// relStored is the mock's only relationship.
func relStored(mock *mockpartnercenter.Server) (map[string]any, error) {
	rels := mock.GDAPRelationships()
	if len(rels) != 1 {
		return nil, fmt.Errorf("the mock holds %d relationships, want 1", len(rels))
	}
	return rels[0], nil
}

func relStoredID(mock *mockpartnercenter.Server) string {
	rel, err := relStored(mock)
	if err != nil {
		return ""
	}
	id, _ := rel["id"].(string)
	return id
}

func relRoles(doc map[string]any) []string {
	ad, _ := doc["accessDetails"].(map[string]any)
	list, _ := ad["unifiedRoles"].([]any)
	var out []string
	for _, r := range list {
		m, _ := r.(map[string]any)
		s, _ := m["roleDefinitionId"].(string)
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// relExpect checks that the mock holds one relationship, awaiting
// approval, made by one creation, with locks lock requests sent.
func relExpect(mock *mockpartnercenter.Server, locks int) resource.TestCheckFunc {
	const status, creations = "approvalPending", 1
	return acctest.CheckMock(func() error {
		rel, err := relStored(mock)
		if err != nil {
			return err
		}
		if rel["status"] != status {
			return fmt.Errorf("stored status %v, want %s", rel["status"], status)
		}
		if got := relCount(mock, http.MethodPost, "/delegatedAdminRelationships", ""); got != creations {
			return fmt.Errorf("%d creations sent, want %d", got, creations)
		}
		if got := relCount(mock, http.MethodPost, "/requests", "lockForApproval"); got != locks {
			return fmt.Errorf("%d lock requests sent, want %d", got, locks)
		}
		return nil
	})
}

// relNoWrites checks that nothing was written since the count was taken.
func relNoWrites(mock *mockpartnercenter.Server, before *int) resource.TestCheckFunc {
	return acctest.CheckMock(func() error {
		if got := len(relWrites(mock)); got != *before {
			return fmt.Errorf("%d writes, want %d: %v", got, *before, relWrites(mock)[*before:])
		}
		return nil
	})
}

// Create, approval, auto-extension while active, refusals while active,
// import and termination at destroy.
func TestAccGDAPRelationship_lifecycle(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	roles := []string{relReader, relHelpdesk}
	config := relConfig(mock, "Contoso admin", roles, "")
	var writes int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		CheckDestroy: acctest.CheckMock(func() error {
			rel, err := relStored(mock)
			if err != nil {
				return err
			}
			if s := rel["status"]; s != "terminating" && s != "terminated" {
				return fmt.Errorf("status %v after destroy, want terminating or terminated", s)
			}
			if n := relCount(mock, http.MethodPost, "/requests", `"terminate"`); n != 1 {
				return fmt.Errorf("%d terminate requests, want 1", n)
			}
			if n := relCount(mock, http.MethodDelete, "", ""); n != 0 {
				return fmt.Errorf("%d DELETEs of an active relationship, want 0", n)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(relExpect(mock, 1),
					acctest.CheckMock(func() error {
						rel, _ := relStored(mock)
						if !slices.Equal(relRoles(rel), []string{relHelpdesk, relReader}) || rel["duration"] != "P730D" {
							return fmt.Errorf("stored relationship %v", rel)
						}
						return nil
					}),
					func(s *terraform.State) error {
						got := s.RootModule().Resources[relAddress].Primary.Attributes["approval_url"]
						if want := "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/" + relStoredID(mock); got != want {
							return fmt.Errorf("approval_url %q, want %q", got, want)
						}
						return nil
					}),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(relAddress, "status", knownvalue.StringExact("approvalPending")),
					acctest.StateAttr(relAddress, "auto_extend", knownvalue.StringExact("PT0S")),
				},
			},
			{
				PreConfig: func() {
					if err := mock.ApproveGDAPRelationship(relStoredID(mock)); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(relAddress, "status", knownvalue.StringExact("active")),
					acctest.StateAttr(relAddress, "activated_date_time", knownvalue.NotNull()),
				},
			},
			{
				Config: relConfig(mock, "Contoso admin", roles, `auto_extend = "P180D"`),
				Check: acctest.CheckMock(func() error {
					rel, _ := relStored(mock)
					if rel["autoExtendDuration"] != "P180D" || rel["status"] != "active" {
						return fmt.Errorf("stored relationship %v", rel)
					}
					var patches []string
					for _, r := range relWrites(mock) {
						if r.Method == http.MethodPatch {
							patches = append(patches, string(r.Body))
							if r.Header.Get("If-Match") == "" {
								return fmt.Errorf("PATCH without If-Match")
							}
						}
					}
					if len(patches) != 1 || !jsonEqual(patches[0], `{"autoExtendDuration":"P180D"}`) {
						return fmt.Errorf("PATCH bodies %v, want one with the auto-extension alone", patches)
					}
					writes = len(relWrites(mock))
					return nil
				}),
			},
			{
				Config:      relConfig(mock, "Contoso admin", []string{relReader}, `auto_extend = "P180D"`),
				ExpectError: regexp.MustCompile(`(?s)Change needs a new relationship.*status active.*roles.*allow_replacement`),
			},
			{
				Config:      relConfig(mock, "Contoso admin", roles, "auto_extend = \"P180D\"\n  duration = \"P365D\""),
				ExpectError: regexp.MustCompile(`(?s)Change needs a new relationship.*also changes\s+duration`),
			},
			{
				Config:           relConfig(mock, "Contoso admin", roles, `auto_extend = "P180D"`),
				Check:            relNoWrites(mock, &writes),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				ResourceName: relAddress, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

func jsonEqual(a, b string) bool {
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && fmt.Sprint(x) == fmt.Sprint(y)
}
