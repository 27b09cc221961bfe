package gdap_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Resource identity needs Terraform 1.12 (OpenTofu 1.12 has it too).
var identityVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// A relationship's identity is its id, set at creation; an import by
// identity brings it back with no change planned and nothing written.
func TestAccGDAPRelationship_identity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := relConfig(mock, "Contoso admin", []string{relReader, relHelpdesk}, "")
	identity := []statecheck.StateCheck{
		statecheck.ExpectIdentity(relAddress, map[string]knownvalue.Check{"relationship_id": knownvalue.NotNull()}),
		statecheck.ExpectIdentityValueMatchesStateAtPath(relAddress, tfjsonpath.New("relationship_id"), tfjsonpath.New("id")),
	}
	var writes int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: identity,
				Check: resource.ComposeAggregateTestCheckFunc(relExpect(mock, 1), acctest.CheckMock(func() error {
					writes = len(relWrites(mock))
					return nil
				})),
			},
			{ResourceName: relAddress, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: identity,
				Check:             relNoWrites(mock, &writes),
			},
		},
	})
}

// A relationship id with a slash fails the import by identity as it would
// as an import ID, in the same words, with nothing written.
func TestAccGDAPRelationship_invalidImportIdentity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{{
			Config: relConfig(mock, "Contoso admin", []string{relReader}, "") + `
import {
  to       = partnercenter_gdap_relationship.test
  identity = { relationship_id = "Contoso admin/2" }
}
`,
			ExpectError: acctest.ErrorPattern(`Invalid import identity.*A delegated admin relationship is imported by its id, ` +
				`such as 5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836, not "Contoso admin/2"`),
		}},
	})
	if n := len(relWrites(mock)); n != 0 {
		t.Errorf("%d writes, want none", n)
	}
}

// A relationship gone from Graph leaves a state saved without identity
// with a warning and no error, and answers the prior state's identity; one
// still there gets its identity at that read.
func TestProviderServer_relationshipReadWithoutIdentity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const gone = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"
	resp, identity := acctest.ReadWithoutIdentity(t, mock, "partnercenter_gdap_relationship", map[string]tftypes.Value{
		"id": tfString(gone), "allow_replacement": tftypes.NewValue(tftypes.Bool, false),
	})
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("error %q: %s", d.Summary, d.Detail)
		}
	}
	if !identity["relationship_id"].Equal(tfString(gone)) {
		t.Errorf("identity %v, want the prior state's", identity)
	}

	id := seedRelationship(t, mock, "Seeded", false, relReader)
	resp, identity = acctest.ReadWithoutIdentity(t, mock, "partnercenter_gdap_relationship", map[string]tftypes.Value{
		"id": tfString(id), "allow_replacement": tftypes.NewValue(tftypes.Bool, false),
	})
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("error %q: %s", d.Summary, d.Detail)
		}
	}
	if !identity["relationship_id"].Equal(tfString(id)) {
		t.Errorf("identity %v, want relationship_id %s", identity, id)
	}
}
