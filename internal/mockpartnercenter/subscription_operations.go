package mockpartnercenter

import (
	"net/http"

	"github.com/google/uuid"
)

const RouteSubscriptionOperation Route = "subscription_operation" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteSubscriptionOperation, "GET " + subscriptionPattern + "/operations/{operationID}", exampleSubscription + "/operations/" + exampleUnknownID, (*Server).serveSubscriptionOperation})

// subscriptionOperation is a PATCH answered 202 (SetPatchAsync): its
// change waits for the polls-th GET of its Location.
type subscriptionOperation struct {
	customerID, subscriptionID string
	change                     map[string]any
	polls, needed              int
	applied                    bool
	// failed ends the operation failed, its change not made.
	failed bool
}

// operationLocation is the path of an operation's Location, below the
// subscription it changes (the mock's choice: Microsoft's pages show none).
func operationLocation(customerID, subscriptionID, operationID string) string {
	return "/v1/customers/" + customerID + "/subscriptions/" + subscriptionID + "/operations/" + operationID
}

// startOperationLocked records a change to apply once polled and answers
// 202 with its Location and no body.
func (s *Server) startOperationLocked(customerID, subscriptionID string, change map[string]any, polls int, failed bool) answer {
	id := uuid.NewString()
	s.commerce.operations[id] = &subscriptionOperation{
		customerID: customerID, subscriptionID: subscriptionID, change: change, needed: polls, failed: failed,
	}
	return answer{status: http.StatusAccepted, location: operationLocation(customerID, subscriptionID, id)}
}

// serveSubscriptionOperation answers the GET of a 202's Location: 202 with
// the same Location until the operation's last poll, which applies the
// change and answers 200 with the subscription, as do later polls; a
// failed operation's last poll answers 200 with status failed instead.
func (s *Server) serveSubscriptionOperation(w http.ResponseWriter, r *http.Request) {
	customerID, subscriptionID, operationID := r.PathValue("customerID"), r.PathValue("subscriptionID"), r.PathValue("operationID")
	if s.applyFault(w, r, customerID, routeFaults{notFound: writeNotFound}) {
		return
	}
	a, found := s.pollOperation(customerID, subscriptionID, operationID)
	if !found {
		writePCError(w, http.StatusNotFound, pcCodeNotFound, "Operation "+sanitize(operationID)+" was not found for subscription "+sanitize(subscriptionID)+".")
		return
	}
	a.write(w)
}

func (s *Server) pollOperation(customerID, subscriptionID, operationID string) (answer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.commerce.operations[operationID]
	if !ok || customerKey(op.customerID) != customerKey(customerID) || customerKey(op.subscriptionID) != customerKey(subscriptionID) {
		return answer{}, false
	}
	op.polls++
	if op.polls < op.needed {
		return answer{status: http.StatusAccepted, location: operationLocation(op.customerID, op.subscriptionID, operationID)}, true
	}
	i, sub := s.storedSubscriptionLocked(customerID, subscriptionID)
	if sub == nil {
		return answer{}, false
	}
	if op.failed {
		// The mock's choice of a failed operation's answer: Microsoft's pages
		// document none.
		body, _ := marshal(map[string]any{"id": operationID, "status": "failed", "error": pcError{
			Code: pcCodeInternal, Description: "The change to subscription " + sanitize(subscriptionID) + " could not be completed.",
			Data: []string{}, Source: "PartnerFD",
		}})
		return answer{status: http.StatusOK, body: body}, true
	}
	if !op.applied {
		op.applied = true
		s.subscriptions[customerKey(customerID)][i] = &subscription{doc: op.change, entitlements: sub.entitlements}
	}
	return answer{status: http.StatusOK, body: s.subscriptions[customerKey(customerID)][i].body()}, true
}
