package mockpartnercenter

import (
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

const RouteCreateTransition, RouteTransitions Route = "create_transition", "transitions" // counted for the routes declared below

var _ = declareRoutes(
	apiRoute{RouteCreateTransition, "POST " + subscriptionPattern + "/transitions", exampleSubscription + "/transitions", (*Server).serveCreateTransition},
	apiRoute{RouteTransitions, "GET " + subscriptionPattern + "/transitions", exampleSubscription + "/transitions", (*Server).serveTransitions})

// transition is a recorded transition: its document, and how many reads
// of the history it is still in progress for (as a new order stays
// pending): the read that counts it down to 0 ends it, unless
// CompleteTransitions ended it first.
type transition struct {
	doc          map[string]any
	pendingReads int
	failed       bool
}

// serveCreateTransition answers POST .../subscriptions/{id}/transitions:
// it checks the request against the subscription and its upgrade, then
// records the transition, in progress. As documented, neither the answer
// nor the history names a transition by an id.
func (s *Server) serveCreateTransition(w http.ResponseWriter, r *http.Request) {
	customerID, subscriptionID := r.PathValue("customerID"), r.PathValue("subscriptionID")
	var req struct {
		ToCatalogItemID, ToSubscriptionID, TransitionType string
		Quantity                                          int
	}
	if !decodeWriteBody(w, r, maxWriteBody, &req, "The body must be a transition.") {
		return
	}
	s.answerCustomer(w, r, customerID, true, routeFaults{notFound: writeNotFound}, func() answer {
		_, src := s.storedSubscriptionLocked(customerID, subscriptionID)
		if src == nil {
			return subscriptionNotFound(customerID, subscriptionID)
		}
		offer, target := stringAt(src.doc, "offerId"), req.ToCatalogItemID
		item, known := s.catalogItemLocked(target)
		_, into := s.storedSubscriptionLocked(customerID, req.ToSubscriptionID)
		quantity, _ := intOf(src.doc["quantity"])
		refuse := func(why string) answer { return pcErrorAnswer(http.StatusBadRequest, pcCodeInvalidInput, why) }
		switch {
		case stringAt(src.doc, "status") != "active":
			return refuse("The source subscription is not active.")
		case !known || !s.offeredLocked(item) || upgrades[productSKU(offer)] != item.productID+":"+item.skuID:
			return refuse("Catalog item " + sanitize(target) + " is not an eligible transition of " + sanitize(offer) + ".")
		case req.Quantity < 1 || req.Quantity > quantity:
			return refuse("The quantity must be between 1 and the source subscription's quantity.")
		case req.TransitionType != "transition_only" && req.TransitionType != "transition_with_license_transfer":
			return refuse("The transition type must be transition_only or transition_with_license_transfer.")
		case req.ToSubscriptionID != "" && (into == nil || productSKU(stringAt(into.doc, "offerId")) != item.productID+":"+item.skuID ||
			intoEligibility(src, into)["isEligible"] != true):
			return refuse("Subscription " + sanitize(req.ToSubscriptionID) + " cannot receive this transition.")
		}
		key := commerceKey(customerID, src.id())
		t := &transition{pendingReads: max(s.orderPendingReads(), 1), failed: s.commerce.failedOperations[customerKey(customerID)] > 0}
		if t.failed {
			s.commerce.failedOperations[customerKey(customerID)]--
		}
		t.doc = map[string]any{"fromCatalogItemId": offer, "fromSubscriptionId": src.id(), "toCatalogItemId": item.id(),
			"toSubscriptionId": req.ToSubscriptionID, "quantity": req.Quantity, "termDuration": src.doc["termDuration"],
			"billingCycle": src.doc["billingCycle"], "transitionType": req.TransitionType, "events": []any{transitionEvent("Conversion", "InProgress")},
			"attributes": map[string]string{"objectType": "Transition"}}
		if req.ToSubscriptionID == "" {
			t.doc["toSubscriptionId"] = uuid.NewString()
		}
		s.commerce.transitions[key] = append(s.commerce.transitions[key], t)
		return jsonAnswer(http.StatusOK, t.doc)
	})
}

// serveTransitions answers GET .../subscriptions/{id}/transitions with the
// history. Each read counts down the transitions in progress and ends
// those it counts to 0 (endTransitionLocked).
func (s *Server) serveTransitions(w http.ResponseWriter, r *http.Request) {
	customerID := r.PathValue("customerID")
	s.serveSubscriptionRead(w, r, false, func(src *subscription) answer {
		history := []any{}
		for _, t := range s.commerce.transitions[commerceKey(customerID, src.id())] {
			if t.pendingReads--; t.pendingReads == 0 {
				s.endTransitionLocked(customerID, t)
			}
			history = append(history, t.doc)
		}
		return jsonAnswer(http.StatusOK, map[string]any{"transition": history, "attributes": map[string]string{"objectType": "Collection"}})
	})
}

// CompleteTransitions ends every transition of customerID still in
// progress, as the live service does on its own, without a read of the
// history.
func (s *Server) CompleteTransitions(customerID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, history := range s.commerce.transitions {
		for _, t := range history {
			if strings.HasPrefix(key, commerceKey(customerID, "")) && t.pendingReads > 0 {
				t.pendingReads = 0
				s.endTransitionLocked(customerID, t)
			}
		}
	}
}

// endTransitionLocked ends a transition: its conversion fails when
// SetFailedOperations said so, else it completes, the seats moved, and
// with the licence transfer a SeatReassignment event follows (the .NET
// SDK's TransitionEvent names both events).
func (s *Server) endTransitionLocked(customerID string, t *transition) {
	events, _ := t.doc["events"].([]any)
	if t.failed {
		t.doc["events"] = append(events, transitionEvent("Conversion", "Failed"))
		return
	}
	events = append(events, transitionEvent("Conversion", "Completed"))
	if t.doc["transitionType"] == "transition_with_license_transfer" {
		events = append(events, transitionEvent("SeatReassignment", "Completed"))
	}
	t.doc["events"] = events
	s.moveSeatsLocked(customerID, t.doc)
}

// moveSeatsLocked makes a completed transition: the seats leave the source,
// which ends (expired, auto-renew off) when none remain, and join the
// target subscription, or a new one. Microsoft's pages say neither what the
// source becomes nor what the new subscription's dates are: the mock keeps
// the source's term, billing cycle, end date and cancellation date (no new
// window), as distributors describe upgrades, and gives moved seats no
// refund window.
func (s *Server) moveSeatsLocked(customerID string, t map[string]any) {
	key := customerKey(customerID)
	i, src := s.storedSubscriptionLocked(customerID, stringAt(t, "fromSubscriptionId"))
	moved, _ := t["quantity"].(int)
	next, _ := src.editableDoc() // a stored document always decodes
	left, _ := intOf(next["quantity"])
	next["quantity"] = left - moved
	if left == moved {
		next["status"], next["autoRenewEnabled"] = "expired", false
	}
	setNextEtag(next, src.id())
	s.subscriptions[key][i] = &subscription{doc: next}
	if j, into := s.storedSubscriptionLocked(customerID, stringAt(t, "toSubscriptionId")); into != nil {
		doc, _ := into.editableDoc()
		n, _ := intOf(doc["quantity"])
		doc["quantity"] = n + moved
		setNextEtag(doc, into.id())
		s.subscriptions[key][j] = &subscription{doc: doc}
		return
	}
	item, _ := s.catalogItemLocked(stringAt(t, "toCatalogItemId"))
	doc, _ := src.editableDoc()
	id, now := stringAt(t, "toSubscriptionId"), time.Now().UTC().Format(pcTimeLayout)
	maps.Copy(doc, map[string]any{"id": id, "offerId": item.id(), "offerName": item.title, "quantity": moved, "creationDate": now,
		"effectiveStartDate": now, "refundableQuantity": map[string]any{"totalQuantity": 0, "details": []any{}},
		"links": selfLink("/customers/" + customerID + "/subscriptions/" + id), "attributes": map[string]any{"etag": subscriptionEtag(id, 1), "objectType": "Subscription"}})
	delete(doc, "scheduledNextTermInstructions")
	s.subscriptions[key] = append(s.subscriptions[key], &subscription{doc: doc})
}

// transitionEvent is a transition's event name of status, now.
func transitionEvent(name, status string) map[string]any {
	return map[string]any{"name": name, "status": status, "timestamp": time.Now().UTC().Format(pcTimeLayout)}
}

// productSKU is "product:sku" of a catalog item id.
func productSKU(catalogItemID string) string {
	return catalogItemID[:max(strings.LastIndexByte(catalogItemID, ':'), 0)]
}
