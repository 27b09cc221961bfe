package customers

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// Resource identity needs Terraform 1.12 (OpenTofu 1.12 has it too).
var identityVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// A created customer's identity is its tenant ID; an import by identity
// (an import block's identity) brings it back with nothing to change and
// no write.
func TestAccCustomerResource_identity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	config := acctest.OnboardingConfig(mock, "onboarded.onmicrosoft.com", "Contoso Retail", "")
	writes := 0
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(acctest.CustomerAddress, map[string]knownvalue.Check{
						"customer_id": knownvalue.StringRegexp(shared.GUIDPattern),
					}),
					statecheck.ExpectIdentityValueMatchesStateAtPath(acctest.CustomerAddress, tfjsonpath.New("customer_id"), tfjsonpath.New("id")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(tenantsCreated(mock, 1), acctest.CheckMock(func() error {
					writes = writeRequests(mock)
					return nil
				})),
			},
			{
				ResourceName:    acctest.CustomerAddress,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesStateAtPath(acctest.CustomerAddress, tfjsonpath.New("customer_id"), tfjsonpath.New("id")),
				},
				Check: acctest.CheckMock(func() error {
					if n := writeRequests(mock); n != writes {
						return fmt.Errorf("%d write requests after the import, want the creation's %d", n, writes)
					}
					return nil
				}),
			},
		},
	})
}

// An existing customer imported by identity alone (its tenant ID in
// capitals): the plan shows the import and nothing else, and nothing is
// written.
func TestAccCustomerResource_importByIdentity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const id = "4b1a2c3d-0000-4000-8000-00000000beef"
	addNorthwind(t, mock, id)
	config := acctest.OnboardingConfig(mock, "northwind-traders.onmicrosoft.com", "Northwind Traders", "") + fmt.Sprintf(`
import {
  to       = partnercenter_customer.test
  identity = { customer_id = %q }
}
`, strings.ToUpper(id))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.CustomerAddress, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(acctest.CustomerAddress, map[string]knownvalue.Check{
						"customer_id": knownvalue.StringFunc(func(v string) error {
							if !strings.EqualFold(v, id) {
								return fmt.Errorf("identity customer_id %s, want %s", v, id)
							}
							return nil
						}),
					}),
					statecheck.ExpectIdentityValueMatchesStateAtPath(acctest.CustomerAddress, tfjsonpath.New("customer_id"), tfjsonpath.New("id")),
					acctest.StateAttr(acctest.CustomerAddress, "on_destroy", knownvalue.StringExact("abandon")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(noWriteRequests(mock), tenantsCreated(mock, 0)),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// An identity whose customer_id is no GUID fails the import as an import
// ID would, in the same words, before any request.
func TestAccCustomerResource_invalidImportIdentity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{{
			Config: acctest.OnboardingConfig(mock, "onboarded.onmicrosoft.com", "Contoso Retail", "") + `
import {
  to       = partnercenter_customer.test
  identity = { customer_id = "onboarded.onmicrosoft.com" }
}
`,
			ExpectError: acctest.ErrorPattern(`Invalid import identity.*A customer is imported by its tenant ID, a GUID such as ` +
				`eebd1b55-5360-4438-a11d-5c06918c3014, not "onboarded.onmicrosoft.com"`),
		}},
	})
	if n := writeRequests(mock); n != 0 {
		t.Errorf("%d write requests, want none", n)
	}
}

// A state saved before partnercenter_customer had an identity gets one at
// its next refresh, with no change planned: the CLI, on a state file whose
// identity was taken out.
func TestAccCustomerResource_identityAddedToEarlierState(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	k := acctest.NewKillableTerraform(t)
	k.SkipBelow("1.12.0")
	k.Write(acctest.OnboardingConfig(mock, "onboarded.onmicrosoft.com", "Contoso Retail", ""))
	if out, ok := k.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("apply failed:\n%s", out)
	}
	k.WriteFile("terraform.tfstate", string(stateWithoutIdentity(t, k.ReadFile("terraform.tfstate"))))
	if identity := k.IdentityValues(acctest.CustomerAddress); identity != nil {
		t.Fatalf("the state still has the identity %v", identity)
	}
	writes := writeRequests(mock)
	if out, ok := k.Run("plan", "-detailed-exitcode"); !ok {
		t.Fatalf("the plan of the state without identity shows changes or failed:\n%s", out)
	}
	if out, ok := k.Run("apply", "-refresh-only", "-auto-approve"); !ok {
		t.Fatalf("refresh failed:\n%s", out)
	}
	id := k.StateValues(acctest.CustomerAddress)["id"]
	identity := k.IdentityValues(acctest.CustomerAddress)
	if id == nil || identity["customer_id"] != id {
		t.Errorf("after the refresh the identity is %v, want customer_id %v", identity, id)
	}
	if n := writeRequests(mock); n != writes {
		t.Errorf("%d write requests after the refresh, want %d", n, writes)
	}
}

// A customer gone from Partner Center leaves a state without identity
// with no error: the provider answers an identity from the prior state,
// as the framework requires of every read.
func TestProviderServer_customerGoneWithoutIdentity(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	resp, identity := acctest.ReadWithoutIdentity(t, mock, "partnercenter_customer", map[string]tftypes.Value{
		"id": str("00000000-0000-4000-8000-00000000dead"), "on_destroy": str("abandon"),
	})
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("error %q: %s", d.Summary, d.Detail)
		}
	}
	if resp.NewState == nil {
		t.Fatal("no new state")
	}
	if identity["customer_id"].String() != str("00000000-0000-4000-8000-00000000dead").String() {
		t.Errorf("identity %v, want the prior state's customer_id", identity)
	}
}

// stateWithoutIdentity is the state file state as Terraform wrote it
// before resources had identities: without them, under the next serial.
// It fails unless exactly one instance had an identity.
func stateWithoutIdentity(t *testing.T, state string) []byte {
	t.Helper()
	var file map[string]json.RawMessage
	var resources []map[string]json.RawMessage
	var serial int
	if err := json.Unmarshal([]byte(state), &file); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(json.Unmarshal(file["resources"], &resources), json.Unmarshal(file["serial"], &serial)); err != nil {
		t.Fatal(err)
	}
	stripped := 0
	for _, r := range resources {
		var instances []map[string]json.RawMessage
		if err := json.Unmarshal(r["instances"], &instances); err != nil {
			t.Fatal(err)
		}
		for _, i := range instances {
			if _, ok := i["identity"]; ok {
				stripped++
			}
			delete(i, "identity")
			delete(i, "identity_schema_version")
		}
		r["instances"] = mustJSON(t, instances)
	}
	if stripped != 1 {
		t.Fatalf("%d instances with an identity in the state, want the customer's", stripped)
	}
	file["resources"], file["serial"] = mustJSON(t, resources), mustJSON(t, serial+1)
	return mustJSON(t, file)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
