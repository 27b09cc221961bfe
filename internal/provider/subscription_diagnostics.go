package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// subscriptionErrorDiagnostic explains the two answers particular to
// subscription reads, a subscription that is not the customer's and Azure
// entitlements of a subscription that is not an Azure plan, in words naming
// both ids; every other error is explained as for any read.
func subscriptionErrorDiagnostic(ctx context.Context, operation, customerID, subscriptionID string, err error, timeout time.Duration) (summary, detail string) {
	var apiErr *partnercenter.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.Code {
		case partnercenter.ErrorCodeNotAzurePlan:
			return "Not an Azure plan subscription", fmt.Sprintf("Subscription %q of customer %q is not an Azure plan subscription, "+
				"so it has no Azure entitlements. Use the ID of the customer's Azure plan subscription: in partnercenter_customer_subscriptions "+
				"it is the one whose offer_name is \"Azure plan\" and billing_type \"usage\".\n%s", subscriptionID, customerID, apiErrorFacts(operation, apiErr))
		case partnercenter.ErrorCodeSubscriptionNotFound:
			return "Subscription not found", fmt.Sprintf("Subscription %q is not a subscription of customer %q. "+
				"A subscription ID belongs to exactly one customer: check that both IDs are right, for example in "+
				"partnercenter_customer_subscriptions of that customer.\n%s", subscriptionID, customerID, apiErrorFacts(operation, apiErr))
		}
	}
	return readErrorDiagnostic(ctx, operation, err, timeout)
}
