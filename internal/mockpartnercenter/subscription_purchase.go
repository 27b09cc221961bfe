package mockpartnercenter

import (
	"time"

	"github.com/google/uuid"
)

// ncSubscription is a new-commerce subscription as the service answers a
// read of it (the shape of "Change the quantity of a subscription"), with
// the cancellation window the service adds.
type ncSubscription struct {
	ID                           string               `json:"id"`
	OfferID                      string               `json:"offerId"`
	OfferName                    string               `json:"offerName"`
	FriendlyName                 string               `json:"friendlyName"`
	ProductType                  genProductType       `json:"productType"`
	Quantity                     int                  `json:"quantity"`
	UnitType                     string               `json:"unitType"`
	HasPurchasableAddons         bool                 `json:"hasPurchasableAddons"`
	CreationDate                 string               `json:"creationDate"`
	EffectiveStartDate           string               `json:"effectiveStartDate"`
	CommitmentEndDate            string               `json:"commitmentEndDate"`
	CancellationAllowedUntilDate string               `json:"cancellationAllowedUntilDate"`
	Status                       string               `json:"status"`
	AutoRenewEnabled             bool                 `json:"autoRenewEnabled"`
	IsTrial                      bool                 `json:"isTrial"`
	BillingType                  string               `json:"billingType"`
	BillingCycle                 string               `json:"billingCycle"`
	TermDuration                 string               `json:"termDuration"`
	RenewalTermDuration          string               `json:"renewalTermDuration"`
	RefundOptions                []genRefundOption    `json:"refundOptions"`
	IsMicrosoftProduct           bool                 `json:"isMicrosoftProduct"`
	PartnerID                    string               `json:"partnerId"`
	AttentionNeeded              bool                 `json:"attentionNeeded"`
	ActionTaken                  bool                 `json:"actionTaken"`
	ContractType                 string               `json:"contractType"`
	Links                        genLinks             `json:"links"`
	PublisherName                string               `json:"publisherName"`
	RefundableQuantity           ncRefundableQuantity `json:"refundableQuantity"`
	OrderID                      string               `json:"orderId"`
	Attributes                   genAttributes        `json:"attributes"`
}

// ncRefundableQuantity says how many seats may still be removed, per batch
// bought, and until when.
type ncRefundableQuantity struct {
	TotalQuantity int             `json:"totalQuantity"`
	Details       []ncRefundBatch `json:"details"`
}

type ncRefundBatch struct {
	Quantity             int    `json:"quantity"`
	AllowedUntilDateTime string `json:"allowedUntilDateTime"`
}

// newPurchasedSubscription is the subscription a checked-out cart line
// creates at now: cancellable, and its seats refundable, for 168 hours;
// its commitment ends the day before the term's anniversary.
func newPurchasedSubscription(customerID, orderID string, item catalogItem, line cartLineItem, name string, now time.Time) *subscription {
	id := uuid.NewString()
	window := now.Add(cancellationWindow).Format(pcTimeLayout)
	start := now.Truncate(24 * time.Hour)
	g := ncSubscription{
		ID: id, OfferID: item.id(), OfferName: item.title, FriendlyName: name,
		ProductType: genProductType{ID: "OnlineServicesNCE", DisplayName: "OnlineServicesNCE"},
		Quantity:    line.Quantity, UnitType: "Licenses",
		CreationDate:                 now.Format(pcTimeLayout),
		EffectiveStartDate:           now.Format(pcTimeLayout),
		CommitmentEndDate:            start.AddDate(0, termMonths(line.TermDuration), -1).Format(time.RFC3339),
		CancellationAllowedUntilDate: window,
		Status:                       "active",
		AutoRenewEnabled:             true,
		BillingType:                  "license",
		BillingCycle:                 line.BillingCycle,
		TermDuration:                 line.TermDuration,
		RefundOptions:                []genRefundOption{{Type: "Full", ExpiresAt: window}},
		IsMicrosoftProduct:           true,
		ContractType:                 "subscription",
		Links:                        selfLink("/customers/" + customerID + "/subscriptions/" + id),
		PublisherName:                "Microsoft Corporation",
		RefundableQuantity: ncRefundableQuantity{
			TotalQuantity: line.Quantity,
			Details:       []ncRefundBatch{{Quantity: line.Quantity, AllowedUntilDateTime: window}},
		},
		OrderID:    orderID,
		Attributes: genAttributes{Etag: subscriptionEtag(id, 1), ObjectType: "Subscription"},
	}
	data, err := marshal(g)
	if err != nil {
		panic(err) // cannot happen: plain strings, numbers and bools
	}
	sub, err := newSubscriptionFromJSON(data)
	if err != nil {
		panic(err) // cannot happen: data was just marshalled with an id
	}
	return sub
}
