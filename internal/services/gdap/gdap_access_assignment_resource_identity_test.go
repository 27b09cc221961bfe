package gdap_test

import (
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// An access assignment's identity is its relationship and its id, set at
// creation; an import by identity brings it back with no change planned
// and nothing written.
func TestAccGDAPAccessAssignment_identity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relID := seedRelationship(t, mock, "Contoso admin", false, userAdmin)
	config := assignmentConfig(mock, relID, userAdmin)
	identity := []statecheck.StateCheck{
		statecheck.ExpectIdentityValue(assignmentAddress, tfjsonpath.New("relationship_id"), knownvalue.StringExact(relID)),
		statecheck.ExpectIdentityValueMatchesStateAtPath(assignmentAddress, tfjsonpath.New("access_assignment_id"), tfjsonpath.New("id")),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: identity, Check: writesCount(mock, http.MethodPost, 1)},
			{ResourceName: assignmentAddress, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: identity,
				Check: resource.ComposeAggregateTestCheckFunc(writesCount(mock, http.MethodPost, 1),
					writesCount(mock, http.MethodPatch, 0), writesCount(mock, http.MethodDelete, 0)),
			},
		},
	})
}

// An identity whose relationship_id is no relationship id fails the import
// in the import ID's words, with nothing written.
func TestAccGDAPAccessAssignment_invalidImportIdentity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relID := seedRelationship(t, mock, "Contoso admin", false, userAdmin)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{{
			Config: assignmentConfig(mock, relID, userAdmin) + `
import {
  to       = partnercenter_gdap_access_assignment.test
  identity = { relationship_id = "Contoso admin", access_assignment_id = "3c4ed7a8-f8a3-4ba0-8a6b-7d5a7b1c2f01" }
}
`,
			ExpectError: acctest.ErrorPattern(`Invalid import identity.*An access assignment is imported by its relationship_id and ` +
				`access assignment id.*not "Contoso admin/3c4ed7a8-f8a3-4ba0-8a6b-7d5a7b1c2f01"`),
		}},
	})
	for _, method := range []string{http.MethodPost, http.MethodPatch, http.MethodDelete} {
		if n := len(assignmentWrites(mock, method)); n != 0 {
			t.Errorf("%d %s requests, want none", n, method)
		}
	}
}

// An assignment gone from Graph leaves a state saved without identity with
// no error, and answers the prior state's identity.
func TestProviderServer_accessAssignmentGoneWithoutIdentity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relID := seedRelationship(t, mock, "Contoso admin", false, userAdmin)
	const gone = "3c4ed7a8-f8a3-4ba0-8a6b-7d5a7b1c2f01"
	resp, identity := acctest.ReadWithoutIdentity(t, mock, "partnercenter_gdap_access_assignment", map[string]tftypes.Value{
		"id": tfString(gone), "relationship_id": tfString(relID),
	})
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("error %q: %s", d.Summary, d.Detail)
		}
	}
	if !identity["relationship_id"].Equal(tfString(relID)) || !identity["access_assignment_id"].Equal(tfString(gone)) {
		t.Errorf("identity %v, want the prior state's", identity)
	}
}
