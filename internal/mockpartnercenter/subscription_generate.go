package mockpartnercenter

import (
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// genProductType, genRefundOption and genSubscription fix the field order of
// generated subscriptions to that of the documented new-commerce sample.
type genProductType struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

type genRefundOption struct {
	Type      string `json:"type"`
	ExpiresAt string `json:"expiresAt"`
}

type genSubscription struct {
	ID                   string            `json:"id"`
	OfferID              string            `json:"offerId"`
	OfferName            string            `json:"offerName"`
	FriendlyName         string            `json:"friendlyName"`
	ProductType          genProductType    `json:"productType"`
	Quantity             int               `json:"quantity"`
	UnitType             string            `json:"unitType"`
	HasPurchasableAddons bool              `json:"hasPurchasableAddons"`
	CreationDate         string            `json:"creationDate"`
	EffectiveStartDate   string            `json:"effectiveStartDate"`
	CommitmentEndDate    string            `json:"commitmentEndDate"`
	Status               string            `json:"status"`
	SuspensionReasons    []string          `json:"suspensionReasons,omitempty"`
	AutoRenewEnabled     bool              `json:"autoRenewEnabled"`
	IsTrial              bool              `json:"isTrial"`
	BillingType          string            `json:"billingType"`
	BillingCycle         string            `json:"billingCycle"`
	TermDuration         string            `json:"termDuration,omitempty"`
	RenewalTermDuration  string            `json:"renewalTermDuration"`
	RefundOptions        []genRefundOption `json:"refundOptions,omitempty"`
	IsMicrosoftProduct   bool              `json:"isMicrosoftProduct"`
	PartnerID            string            `json:"partnerId"`
	AttentionNeeded      bool              `json:"attentionNeeded"`
	ActionTaken          bool              `json:"actionTaken"`
	ContractType         string            `json:"contractType"`
	Links                genLinks          `json:"links"`
	PublisherName        string            `json:"publisherName"`
	OrderID              string            `json:"orderId"`
	Attributes           genAttributes     `json:"attributes"`
}

type genEntitlement struct {
	ID             string `json:"id"`
	FriendlyName   string `json:"friendlyName"`
	Status         string `json:"status"`
	SubscriptionID string `json:"subscriptionId"`
}

// generatedSubscriptions returns the subscriptions of generated customer i,
// by i modulo 4: 0 an Azure plan (with one to three Azure subscriptions) and
// Microsoft 365 Business Basic, 1 Business Basic alone, 2 none at all, 3
// Business Basic on a monthly term, suspended, and an Azure plan.
func generatedSubscriptions(i int) []*subscription {
	var subs []*subscription
	add := func(g genSubscription, entitlements int) {
		if g.OfferID == azurePlanOffer {
			g = azurePlanSubscription(g)
		}
		data, err := marshal(g)
		if err != nil {
			panic(err) // cannot happen: plain strings, numbers and bools
		}
		sub, err := newSubscriptionFromJSON(data)
		if err != nil {
			panic(err) // cannot happen: data was just marshalled with an id
		}
		for k := range entitlements {
			e := genEntitlement{
				ID:             uuid.NewSHA1(idNamespace, []byte(fmt.Sprintf("azure/%s/%d", g.ID, k))).String(),
				FriendlyName:   fmt.Sprintf("Azure subscription %d", k+1),
				Status:         "active",
				SubscriptionID: g.ID,
			}
			raw, err := marshal(e)
			if err != nil {
				panic(err) // cannot happen, as above
			}
			sub.entitlements = append(sub.entitlements, raw)
		}
		subs = append(subs, sub)
	}
	customerID := GeneratedCustomerID(i)
	base := func(k int) genSubscription {
		id := uuid.NewSHA1(idNamespace, []byte("subscription/"+strconv.Itoa(i)+"/"+strconv.Itoa(k))).String()
		month := 1 + (i+k)%12
		return genSubscription{
			ID:                 id,
			CreationDate:       fmt.Sprintf("2024-%02d-%02dT09:%02d:00.0000000Z", month, 1+i%28, k),
			EffectiveStartDate: fmt.Sprintf("2024-%02d-%02dT00:00:00Z", month, 1+i%28),
			Status:             "active",
			ContractType:       "subscription",
			Links:              selfLink("/customers/" + customerID + "/subscriptions/" + id),
			IsMicrosoftProduct: true,
			PublisherName:      "Microsoft Corporation",
			OrderID:            fmt.Sprintf("%012x", uuid.NewSHA1(idNamespace, []byte("order/"+id)).ID()),
			Attributes:         genAttributes{ObjectType: "Subscription"},
		}
	}
	switch i % 4 {
	case 0:
		g := base(0)
		g.OfferID = azurePlanOffer
		add(g, 1+i%3)
		add(businessBasic(base(1), 5+i%20, "P1Y", "monthly"), 0)
	case 1:
		add(businessBasic(base(0), 10+i%40, "P1Y", "annual"), 0)
	case 3:
		g := businessBasic(base(0), 1+i%5, "P1M", "monthly")
		g.Status, g.SuspensionReasons, g.AutoRenewEnabled = "suspended", []string{"CustomerCancellation"}, false
		add(g, 0)
		g = base(1)
		g.OfferID = azurePlanOffer
		add(g, 1)
	}
	return subs
}

// azurePlanOffer is the documented Azure plan offer.
const azurePlanOffer = azurePlanProductID + ":0001:DZH318Z0BML6"

func azurePlanSubscription(g genSubscription) genSubscription {
	g.OfferName, g.FriendlyName = "Azure plan", "Azure plan"
	g.ProductType = genProductType{ID: "Azure", DisplayName: "Azure"}
	g.Quantity, g.UnitType = 1, "Usage-based"
	g.CommitmentEndDate = "9999-12-31T00:00:00Z"
	g.BillingType, g.BillingCycle = "usage", "monthly"
	return g
}

// businessBasic is the documented new-commerce offer on the given term.
func businessBasic(g genSubscription, quantity int, term, cycle string) genSubscription {
	g.OfferID = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"
	g.OfferName, g.FriendlyName = "Microsoft 365 Business Basic", "Microsoft 365 Business Basic"
	g.ProductType = genProductType{ID: "OnlineServicesNCE", DisplayName: "OnlineServicesNCE"}
	g.Quantity, g.UnitType = quantity, "Licenses"
	g.AutoRenewEnabled = true
	g.BillingType, g.BillingCycle = "license", cycle
	g.TermDuration = term
	start, err := time.Parse(time.RFC3339, g.EffectiveStartDate)
	if err != nil {
		panic(err) // cannot happen: base writes RFC 3339 dates
	}
	end := start.AddDate(1, 0, -1)
	if term == "P1M" {
		end = start.AddDate(0, 1, -1)
	}
	g.CommitmentEndDate = end.Format(time.RFC3339)
	g.RefundOptions = []genRefundOption{{Type: "Full", ExpiresAt: g.EffectiveStartDate[:8] + "28T00:00:00Z"}}
	return g
}
