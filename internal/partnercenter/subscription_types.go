package partnercenter

import "encoding/json"

// Subscription is a customer's subscription to an offer, as Partner Center's
// Subscription resource describes it. Every scalar is a pointer so that a
// field the API left out stays distinguishable from an empty one; dates are
// kept as the strings the service sends.
type Subscription struct {
	ID                           *string        `json:"id"`
	OfferID                      *string        `json:"offerId"`
	EntitlementID                *string        `json:"entitlementId"`
	OfferName                    *string        `json:"offerName"`
	FriendlyName                 *string        `json:"friendlyName"`
	ProductType                  *ProductType   `json:"productType"`
	Quantity                     *float64       `json:"quantity"`
	UnitType                     *string        `json:"unitType"`
	ParentSubscriptionID         *string        `json:"parentSubscriptionId"`
	HasPurchasableAddons         *bool          `json:"hasPurchasableAddons"`
	CreationDate                 *string        `json:"creationDate"`
	EffectiveStartDate           *string        `json:"effectiveStartDate"`
	CommitmentEndDate            *string        `json:"commitmentEndDate"`
	BillingCycleEndDate          *string        `json:"billingCycleEndDate"`
	CancellationAllowedUntilDate *string        `json:"cancellationAllowedUntilDate"`
	Status                       *string        `json:"status"`
	SuspensionReasons            []string       `json:"suspensionReasons"`
	AutoRenewEnabled             *bool          `json:"autoRenewEnabled"`
	IsTrial                      *bool          `json:"isTrial"`
	BillingType                  *string        `json:"billingType"`
	BillingCycle                 *string        `json:"billingCycle"`
	TermDuration                 *string        `json:"termDuration"`
	RenewalTermDuration          *string        `json:"renewalTermDuration"`
	RefundOptions                []RefundOption `json:"refundOptions"`
	// RefundableQuantity says how many seats may still be removed, and
	// until when (new commerce).
	RefundableQuantity *RefundableQuantity `json:"refundableQuantity"`
	IsMicrosoftProduct *bool               `json:"isMicrosoftProduct"`
	PublisherName      *string             `json:"publisherName"`
	PartnerID          *string             `json:"partnerId"`
	AttentionNeeded    *bool               `json:"attentionNeeded"`
	ActionTaken        *bool               `json:"actionTaken"`
	Actions            []string            `json:"actions"`
	ContractType       *string             `json:"contractType"`
	OrderID            *string             `json:"orderId"`
	// ScheduledNextTermInstructions are the changes scheduled for the
	// renewal, as sent; nil or JSON null when there are none. Partner Center
	// deletes them on any mid-term change of seats or billing cycle.
	ScheduledNextTermInstructions json.RawMessage `json:"scheduledNextTermInstructions"`
}

// ProductType is the kind of product a subscription is for, such as
// OnlineServicesNCE, Software or Azure, with an optional sub-type.
type ProductType struct {
	ID          *string         `json:"id"`
	DisplayName *string         `json:"displayName"`
	SubType     *ProductSubType `json:"subType"`
}

// ProductSubType refines a ProductType, e.g. Azure's SavingsPlan.
type ProductSubType struct {
	ID          *string `json:"id"`
	DisplayName *string `json:"displayName"`
}

// RefundOption is a refund still available for a subscription.
type RefundOption struct {
	// Type is "Full" or "Partial".
	Type *string `json:"type"`
	// ExpiresAt is when the option lapses.
	ExpiresAt *string `json:"expiresAt"`
}

// RefundableQuantity is the seats of a new-commerce subscription that can
// still be removed, per batch.
type RefundableQuantity struct {
	TotalQuantity *float64                   `json:"totalQuantity"`
	Details       []RefundableQuantityDetail `json:"details"`
}

// RefundableQuantityDetail is a batch of seats removable until a date.
type RefundableQuantityDetail struct {
	Quantity             *float64 `json:"quantity"`
	AllowedUntilDateTime *string  `json:"allowedUntilDateTime"`
}

// AzureEntitlement is one Azure subscription under an Azure plan.
type AzureEntitlement struct {
	// ID is the Azure subscription id.
	ID           *string `json:"id"`
	FriendlyName *string `json:"friendlyName"`
	Status       *string `json:"status"`
	// SubscriptionID is the Azure plan's Partner Center subscription id.
	SubscriptionID *string `json:"subscriptionId"`
}
