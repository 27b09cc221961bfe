package gdap_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// The list reads every seeded relationship, and its filters narrow it by
// status and by customer, as the mock stores them.
func TestAccGDAPRelationshipsDataSource_filters(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	active := seedRelationship(t, mock, "Active one", false, userAdmin, globalReader)
	pending := seedRelationship(t, mock, "Pending one", true, userAdmin)
	config := acctest.ProviderBlock(mock, "") + fmt.Sprintf(`
data "partnercenter_gdap_relationships" "all" {}
data "partnercenter_gdap_relationships" "pending" {
  status = "approvalPending"
}
data "partnercenter_gdap_relationships" "customer" {
  customer_id = %q
}
`, mockpartnercenter.DocumentedCustomerID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      acctest.ProviderBlock(mock, "") + `data "partnercenter_gdap_relationships" "bad" { status = "Active" }`,
				ExpectError: regexp.MustCompile(`(?s)value must be one of.*approvalPending`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.partnercenter_gdap_relationships.all", tfjsonpath.New("relationships"),
						knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.partnercenter_gdap_relationships.pending", tfjsonpath.New("relationships"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"id": knownvalue.StringExact(pending), "status": knownvalue.StringExact("approvalPending"),
							"display_name": knownvalue.StringExact("Pending one"), "end_date_time": knownvalue.Null(),
							"approval_url": knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(pending) + `$`)),
						})})),
					statecheck.ExpectKnownValue("data.partnercenter_gdap_relationships.customer", tfjsonpath.New("relationships"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"id": knownvalue.StringExact(active), "status": knownvalue.StringExact("active"),
							"customer_id":   knownvalue.StringExact(mockpartnercenter.DocumentedCustomerID),
							"roles":         knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(userAdmin), knownvalue.StringExact(globalReader)}),
							"auto_extend":   knownvalue.StringExact("PT0S"),
							"duration":      knownvalue.StringExact("P730D"),
							"approval_url":  knownvalue.Null(),
							"end_date_time": knownvalue.NotNull(),
						})})),
				},
				Check: acctest.CheckMock(func() error {
					if n := mock.WriteRequests(); n != 0 {
						return fmt.Errorf("%d writes by data sources", n)
					}
					return nil
				}),
			},
		},
	})
}

// Graph's list may hold an indirect reseller's relationship (the list
// page's example item): the items say which.
func TestAccGDAPRelationshipsDataSource_resellerRelationship(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	own := seedRelationship(t, mock, "Own", false, userAdmin)
	reseller, err := mock.AddGDAPRelationship(map[string]any{"@odata.type": "#microsoft.graph.resellerDelegatedAdminRelationship",
		"displayName": "Fabrikam admin relationship", "duration": "P180D", "status": "approvalPending",
		"customer":                map[string]any{"tenantId": "52eaad04-13a2-4a2f-9ce8-93a294fadf36", "displayName": "Fabrikam Inc."},
		"accessDetails":           map[string]any{"unifiedRoles": []any{map[string]any{"roleDefinitionId": userAdmin}}},
		"isPartnerConsentPending": true, "indirectProviderTenantId": "60ea59db-a506-485e-94c5-d115f369e239"})
	if err != nil {
		t.Fatal(err)
	}
	item := func(id string, isReseller bool) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(id), "reseller_relationship": knownvalue.Bool(isReseller)})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(mock, "") + `data "partnercenter_gdap_relationships" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.partnercenter_gdap_relationships.all", tfjsonpath.New("relationships"),
					knownvalue.ListExact([]knownvalue.Check{item(own, false), item(reseller, true)})),
			},
		}},
	})
}

// The single read holds the relationship and its access assignments.
func TestAccGDAPRelationshipDataSource_withAssignments(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relID := seedRelationship(t, mock, "With assignment", false, userAdmin, helpdeskAdmin)
	address := "data.partnercenter_gdap_relationship.test"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: assignmentConfig(mock, relID, helpdeskAdmin) + fmt.Sprintf(`
data "partnercenter_gdap_relationship" "test" {
  id         = %q
  depends_on = [partnercenter_gdap_access_assignment.test]
}
`, relID),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateAttr(address, "display_name", knownvalue.StringExact("With assignment")),
				acctest.StateAttr(address, "status", knownvalue.StringExact("active")),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("access_assignments"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.NotNull(), "security_group_id": knownvalue.StringExact(securityGroup),
						"roles":  knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(helpdeskAdmin)}),
						"status": knownvalue.StringExact("active"),
					})})),
			},
			Check: resource.TestCheckResourceAttrPair(address, "access_assignments.0.id", assignmentAddress, "id"),
		}},
	})
}

// Role names resolve without letter case, in the order given; an unknown
// name fails the plan with the closest names.
func TestAccGDAPRolesDataSource(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	address := "data.partnercenter_gdap_roles.test"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderBlock(mock, "") + `data "partnercenter_gdap_roles" "test" {
  names = ["User Admin"]
}`,
				ExpectError: regexp.MustCompile(`(?s)No Microsoft Entra built-in role is named "User Admin".*User Administrator`),
			},
			{
				Config: acctest.ProviderBlock(mock, "") + `data "partnercenter_gdap_roles" "test" {
  names = ["helpdesk administrator", "User Administrator"]
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.StateAttr(address, "ids", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(helpdeskAdmin), knownvalue.StringExact(userAdmin)})),
					acctest.StateAttr(address, "roles.Global Administrator", knownvalue.StringExact("62e90394-69f5-4237-9190-012177145e10")),
				},
				Check: acctest.CheckMock(func() error {
					if n := mock.TotalAPIRequests(); n != 0 {
						return fmt.Errorf("%d API requests, want none", n)
					}
					return nil
				}),
			},
		},
	})
}
