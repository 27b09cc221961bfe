package customers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// A customer the page lists but whose read fails (403: GDAP does not cover
// it) or answers 404 (gone since the page) is a warning naming it: the
// query goes on, generates the other customers, and the plan imports them.
func TestAccCustomerListResource_unreadableAndGoneCustomersAreWarnings(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{GeneratedCustomers: 3})
	ids := mock.CustomerIDs()
	forbidden, gone := ids[1], ids[2]
	k := customerQuery(t, mock)
	mock.SetFault(forbidden, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultStatusSequence, Statuses: []int{403},
		Route: mockpartnercenter.RouteGetCustomer})
	mock.SetFault(gone, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultNotFound, Route: mockpartnercenter.RouteGetCustomer})
	out, ok := k.Run("query", "-generate-config-out=customers.tf")
	if !ok {
		t.Fatalf("terraform query failed:\n%s", out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Warning: Customer gone since it was listed", gone, "403", forbidden,
		"The listing goes on without customer"} {
		if !strings.Contains(flat, want) {
			t.Errorf("terraform query's output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(flat, "the plan creates it again") {
		t.Errorf("terraform query speaks of a plan creating the gone customer:\n%s", out)
	}
	generated := k.ReadFile("customers.tf")
	if n := strings.Count(generated, `resource "partnercenter_customer"`); n != 2 {
		t.Errorf("%d resource blocks generated, want 2:\n%s", n, generated)
	}
	for _, id := range []string{forbidden, gone} {
		if strings.Contains(generated, id) {
			t.Errorf("customer %s, which could not be read, is in the generated configuration:\n%s", id, generated)
		}
	}
	mock.SetFault(gone, mockpartnercenter.Fault{Route: mockpartnercenter.RouteGetCustomer})
	mock.ResetCounters()
	if out, ok := k.Run("plan", "-detailed-exitcode"); ok || strings.Contains(out, "Error") ||
		!strings.Contains(out, "2 to import, 0 to add, 0 to change, 0 to destroy") {
		t.Fatalf("terraform plan: want the 2 imports and nothing else:\n%s", out)
	}
	if writes := mock.WriteRequests(); writes != 0 {
		t.Errorf("the plan sent %d writes to Partner Center, want none", writes)
	}
}

// StopProvider while a customer is being read for include_resource ends
// the listing with its own interruption error, not the read's cancellation.
func TestCustomerListResource_stopProviderDuringARead(t *testing.T) {
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{GeneratedCustomers: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	mock.SetFault(mock.CustomerIDs()[1], mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang, Route: mockpartnercenter.RouteGetCustomer})
	server, config := listServer(t, mock)
	ctx := context.Background()
	stream, err := server.ListResource(ctx, &tfprotov6.ListResourceRequest{TypeName: "partnercenter_customer", Config: config,
		Limit: 100, IncludeResource: true})
	if err != nil {
		t.Fatal(err)
	}
	stop := time.AfterFunc(500*time.Millisecond, func() { _, _ = server.StopProvider(ctx, &tfprotov6.StopProviderRequest{}) })
	defer stop.Stop()
	listed := 0
	var errors []*tfprotov6.Diagnostic
	for result := range stream.Results {
		for _, d := range result.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				errors = append(errors, d)
			}
		}
		if result.Identity != nil {
			listed++
		}
	}
	if listed != 1 {
		t.Errorf("%d customers listed, want 1 (the one before the hanging read)", listed)
	}
	if len(errors) != 1 || errors[0].Summary != "Listing customers interrupted" ||
		!strings.Contains(errors[0].Detail, "stopped after 1 customers were listed") {
		t.Errorf("error diagnostics %+v, want only the listing's interruption after 1 customer", errors)
	}
}
