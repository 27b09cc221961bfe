package mockpartnercenter

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cspkit/terraform-provider-partnercenter/internal/fixtures"
)

// azurePlanProductID is the product of Microsoft's Azure plan offer: only a
// subscription to it has Azure entitlements.
const azurePlanProductID = "DZH318Z0BPS6"

// subscription is one stored subscription: the JSON document the API
// serves, which the routes read and write, and, for an Azure plan, its
// entitlements. A write stores a new subscription rather than changing doc,
// as readers may hold the old one.
type subscription struct {
	doc          map[string]any
	entitlements []any
}

func (sub *subscription) id() string { return stringAt(sub.doc, "id") }

func (sub *subscription) azurePlan() bool {
	return strings.HasPrefix(stringAt(sub.doc, "offerId"), azurePlanProductID+":")
}

// body is the document as served; it holds only what JSON decoding or the
// mock gave it, so encoding cannot fail.
func (sub *subscription) body() []byte {
	body, _ := marshal(sub.doc)
	return body
}

// editableDoc is a copy of the document for a write to change.
func (sub *subscription) editableDoc() (map[string]any, error) {
	return decodeSubscriptionDoc(sub.body())
}

// documentedSubscriptions are the subscriptions of Microsoft's subscription
// pages, served for the documented customer in the fixture's order: "Get a
// customer's subscriptions", "Get a subscription by ID" with its add-on, the
// new-commerce and savings plan samples, a marketplace offer and, last, the
// Azure plan assembled from the documented Azure plan offer and the
// subscription id of "Get a list of Azure entitlements for a subscription",
// whose page shows no subscription body. The Azure plan gets that page's
// entitlements.
func documentedSubscriptions() ([]*subscription, error) {
	var docs []json.RawMessage
	var entitlements map[string][]any
	for name, v := range map[string]any{"documented-subscriptions.json": &docs, "documented-azure-entitlements.json": &entitlements} {
		data, err := fixtures.FS.ReadFile(name)
		if err == nil {
			err = json.Unmarshal(data, v)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	subs := make([]*subscription, 0, len(docs))
	for _, d := range docs {
		doc, err := decodeSubscriptionDoc(d)
		if err == nil && stringAt(doc, "id") == "" {
			err = errors.New(`a subscription has no string "id"`)
		}
		if err != nil {
			return nil, fmt.Errorf("documented subscriptions: %w", err)
		}
		sub := &subscription{doc: doc}
		if sub.azurePlan() {
			sub.entitlements = entitlements[sub.id()]
		}
		subs = append(subs, sub)
	}
	return subs, nil
}

// SubscriptionIDs returns the ids of a customer's subscriptions in list
// order: for the documented customer Microsoft's samples, for a generated
// one those GeneratedCustomerID's index gives (see generatedSubscriptions).
func (s *Server) SubscriptionIDs(customerID string) []string {
	subs, _ := s.lookupSubscriptions(customerID)
	var ids []string
	for _, sub := range subs {
		ids = append(ids, sub.id())
	}
	return ids
}

// Subscriptions returns a customer's subscriptions as the API serves them
// now, in list order, without a request: what a benchmark needs to write a
// configuration that matches them (none for an unknown customer).
func (s *Server) Subscriptions(customerID string) []json.RawMessage {
	subs, _ := s.lookupSubscriptions(customerID)
	docs := make([]json.RawMessage, 0, len(subs))
	for _, sub := range subs {
		docs = append(docs, sub.body())
	}
	return docs
}

// lookupSubscriptions returns a copy of a customer's subscription list
// (removeCustomerLocked may change the stored one meanwhile) and whether the
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
