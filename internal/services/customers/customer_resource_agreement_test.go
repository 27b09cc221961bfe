package customers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// A purchase refused with 13605, as an HTTP refusal or as an order error in
// a checkout's answer, points at the customer agreement step: the
// documented call and the guide, one explanation for both paths.
func TestOperationErrorDiagnostic_customerAgreementMissing(t *testing.T) {
	for name, err := range map[string]error{
		"HTTP refusal": &partnercenter.APIError{StatusCode: 400, Code: partnercenter.CodeCustomerAgreementMissing,
			Description: "Customer has not accepted the Microsoft Customer Agreement", RequestID: "req-13605"},
		"order error": &partnercenter.CheckoutError{CustomerID: acctest.DocumentedID, CartID: "cart-1",
			Errors: []partnercenter.OrderError{{Code: partnercenter.CodeCustomerAgreementMissing, Description: "MCA not accepted"}}},
	} {
		summary, detail := shared.OperationErrorDiagnostic(context.Background(), shared.OperationCreate, "Buying for customer "+acctest.DocumentedID, err, time.Minute)
		if summary != shared.CustomerAgreementSummary {
			t.Errorf("%s: summary %q", name, summary)
		}
		for _, want := range []string{"Buying for customer " + acctest.DocumentedID, "13605", "Microsoft Customer Agreement", "then apply again",
			"POST /v1/customers/{customer-tenant-id}/agreements", `guide "Onboarding customers"`} {
			if !strings.Contains(detail, want) {
				t.Errorf("%s: detail lacks %q:\n%s", name, want, detail)
			}
		}
	}
}
