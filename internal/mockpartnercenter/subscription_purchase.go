package mockpartnercenter

import (
	"fmt"
	"strings"
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

// subscriptionDateFields are the top-level dates AgeSubscription moves.
var subscriptionDateFields = []string{"creationDate", "effectiveStartDate", "commitmentEndDate", "cancellationAllowedUntilDate"}

// AgeSubscription makes a stored subscription look older by d: its
// purchase, start, commitment end, cancellation window, refund options and
// refundable seat batches all move d into the past, as if it had been
// bought d earlier. The mock keeps real time as its clock, the time the
// provider compares the dates with, so aging a subscription by eight days
// closes its 168-hour windows on both sides. Its etag stays: time passing
// is no write.
func (s *Server) AgeSubscription(customerID, subscriptionID string, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, sub := s.storedSubscriptionLocked(customerID, subscriptionID)
	if sub == nil {
		return fmt.Errorf("mockpartnercenter: customer %s has no subscription %s", customerID, subscriptionID)
	}
	doc, err := decodeSubscriptionDoc(sub.raw)
	if err != nil {
		return fmt.Errorf("mockpartnercenter: subscription %s: %w", subscriptionID, err)
	}
	shift := func(m map[string]any, key string) {
		if v, ok := m[key].(string); ok {
			m[key] = shiftDate(v, -d)
		}
	}
	for _, key := range subscriptionDateFields {
		shift(doc, key)
	}
	for _, opt := range objectsAt(doc, "refundOptions") {
		shift(opt, "expiresAt")
	}
	if rq, ok := doc["refundableQuantity"].(map[string]any); ok {
		for _, batch := range objectsAt(rq, "details") {
			shift(batch, "allowedUntilDateTime")
		}
	}
	return s.replaceSubscriptionLocked(customerID, i, sub, doc)
}

// shiftDate moves a date by d, keeping its layout (with or without the
// service's seven fractional digits); what does not parse stays.
func shiftDate(v string, d time.Duration) string {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return v
	}
	if strings.Contains(v, ".") {
		return t.Add(d).UTC().Format(pcTimeLayout)
	}
	return t.Add(d).UTC().Format(time.RFC3339)
}

// objectsAt returns the objects of the array m[key], skipping anything else.
func objectsAt(m map[string]any, key string) []map[string]any {
	list, _ := m[key].([]any)
	var out []map[string]any
	for _, v := range list {
		if obj, ok := v.(map[string]any); ok {
			out = append(out, obj)
		}
	}
	return out
}
