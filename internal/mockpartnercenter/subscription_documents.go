package mockpartnercenter

import (
	"encoding/json"
	"slices"
)

// Subscriptions returns a customer's subscriptions as the API serves them
// now, in list order, without a request: what a benchmark needs to write a
// configuration that matches them (none for an unknown customer).
func (s *Server) Subscriptions(customerID string) []json.RawMessage {
	subs, _ := s.lookupSubscriptions(customerID)
	docs := make([]json.RawMessage, 0, len(subs))
	for _, sub := range subs {
		docs = append(docs, slices.Clone(sub.raw))
	}
	return docs
}
