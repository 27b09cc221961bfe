package mockpartnercenter

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// documentedSubscriptionsJSON holds the subscriptions of Microsoft's
// subscription pages ("Get a customer's subscriptions", "Get a subscription
// by ID" with its add-on, the new-commerce and savings plan samples, and a
// marketplace offer), served for the documented customer in this order. The
// last one, the Azure plan, is assembled from the documented Azure plan offer
// and the subscription id of "Get a list of Azure entitlements for a
// subscription", whose page shows no subscription body.
//
//go:embed testdata/documented-subscriptions.json
var documentedSubscriptionsJSON []byte

// documentedEntitlementsJSON maps the Azure plan's subscription id to the
// entitlements of "Get a list of Azure entitlements for a subscription".
//
//go:embed testdata/documented-azure-entitlements.json
var documentedEntitlementsJSON []byte

// azurePlanProductID is the product of Microsoft's Azure plan offer: only a
// subscription to it has Azure entitlements.
const azurePlanProductID = "DZH318Z0BPS6"

// subscription is one stored subscription: the exact bytes served and,
// for an Azure plan, its entitlements.
type subscription struct {
	id           string
	raw          []byte
	azurePlan    bool
	entitlements []json.RawMessage
}

// newSubscriptionFromJSON keeps the document's bytes (compacted) and finds
// out whether it is an Azure plan.
func newSubscriptionFromJSON(data []byte) (*subscription, error) {
	var doc struct {
		ID      string `json:"id"`
		OfferID string `json:"offerId"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode subscription: %w", err)
	}
	if doc.ID == "" {
		return nil, errors.New(`subscription has no string "id"`)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return nil, fmt.Errorf("compact subscription: %w", err)
	}
	return &subscription{
		id:        doc.ID,
		raw:       buf.Bytes(),
		azurePlan: strings.HasPrefix(doc.OfferID, azurePlanProductID+":"),
	}, nil
}

// documentedSubscriptions decodes the documented samples.
func documentedSubscriptions() ([]*subscription, error) {
	var docs []json.RawMessage
	if err := json.Unmarshal(documentedSubscriptionsJSON, &docs); err != nil {
		return nil, fmt.Errorf("documented subscriptions: %w", err)
	}
	var entitlements map[string][]json.RawMessage
	if err := json.Unmarshal(documentedEntitlementsJSON, &entitlements); err != nil {
		return nil, fmt.Errorf("documented Azure entitlements: %w", err)
	}
	subs := make([]*subscription, 0, len(docs))
	for _, d := range docs {
		sub, err := newSubscriptionFromJSON(d)
		if err != nil {
			return nil, fmt.Errorf("documented subscriptions: %w", err)
		}
		if sub.azurePlan {
			sub.entitlements = compactAll(entitlements[sub.id])
		}
		subs = append(subs, sub)
	}
	return subs, nil
}

func compactAll(docs []json.RawMessage) []json.RawMessage {
	out := make([]json.RawMessage, 0, len(docs))
	for _, d := range docs {
		var buf bytes.Buffer
		if json.Compact(&buf, d) == nil {
			out = append(out, buf.Bytes())
		}
	}
	return out
}

// SubscriptionIDs returns the ids of a customer's subscriptions in list
// order: for the documented customer Microsoft's samples, for a generated
// one those GeneratedCustomerID's index gives (see generatedSubscriptions).
func (s *Server) SubscriptionIDs(customerID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, sub := range s.subscriptions[customerKey(customerID)] {
		ids = append(ids, sub.id)
	}
	return ids
}

// lookupSubscriptions returns a copy of a customer's subscription list
// (removeCustomer may change the stored one meanwhile) and whether the
// customer exists.
func (s *Server) lookupSubscriptions(customerID string) ([]*subscription, bool) {
	key := customerKey(customerID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.customers[key]; !ok {
		return nil, false
	}
	return slices.Clone(s.subscriptions[key]), true
}
