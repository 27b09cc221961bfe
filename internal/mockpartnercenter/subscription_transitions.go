package mockpartnercenter

import (
	"net/http"
	"strings"
	"time"
)

const RouteTransitionEligibilities Route = "transition_eligibilities" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteTransitionEligibilities, "GET " + subscriptionPattern + "/transitionEligibilities",
	exampleSubscription + "/transitionEligibilities", (*Server).serveTransitionEligibilities})

// upgrades maps a product:sku of the catalog to the one it can move up to.
var upgrades = map[string]string{"CFQ7TTC0LH18:0001": "CFQ7TTC0LF8S:0001"}

// serveTransitionEligibilities lists the offered availabilities of the
// subscription's upgrade with the documented transition errors (2: the
// source is not active; into a subscription, 1 to 4: not active, still
// cancellable, shorter term, earlier end). Only an immediate transition from
// a paid subscription can go into an existing one.
func (s *Server) serveTransitionEligibilities(w http.ResponseWriter, r *http.Request) {
	kind := strings.ToLower(r.URL.Query().Get("eligibilityType"))
	if kind != "" && kind != "immediate" && kind != "scheduled" {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The eligibility type '"+sanitize(kind)+"' is not supported.")
		return
	}
	customerID := r.PathValue("customerID")
	s.serveSubscriptionRead(w, r, false, func(src *subscription) answer {
		offer := stringAt(src.doc, "offerId")
		col := newCollection("/customers/"+customerID+"/subscriptions/"+src.id()+"/transitionEligibilities", 0)
		inactive := transitionCheck{2, "The source subscription is not active.", stringAt(src.doc, "status") != "active"}
		for _, item := range catalog {
			if upgrades[productSKU(offer)] != item.productID+":"+item.skuID || !s.offeredLocked(item) {
				continue
			}
			into := []any{}
			for _, sub := range s.subscriptions[customerKey(customerID)] {
				if kind != "scheduled" && src.doc["isTrial"] != true && strings.HasPrefix(stringAt(sub.doc, "offerId"), item.productID+":"+item.skuID+":") {
					into = append(into, intoEligibility(src, sub))
				}
			}
			raw, _ := marshal(map[string]any{ // strings, numbers and bools
				"operationId": "", "catalogItemId": item.id(), "title": item.title, "description": item.title + " on " + item.terms[0].duration + " terms",
				"quantity": src.doc["quantity"], "subscriptionEligibilities": into,
				"eligibilities": []any{eligibility("transitionType", "transition_only", inactive),
					eligibility("transitionType", "transition_with_license_transfer", inactive)},
				"attributes": map[string]string{"objectType": "TransitionEligibility"},
			})
			col.Items, col.TotalCount = append(col.Items, raw), col.TotalCount+1
		}
		return answer{status: http.StatusOK, body: mustMarshalCollection(col)}
	})
}

// intoEligibility says whether a transition from src can go into sub.
func intoEligibility(src, sub *subscription) map[string]any {
	at := func(s *subscription, key string) string { return stringAt(s.doc, key) }
	date := func(s *subscription, key string) time.Time { t, _ := time.Parse(time.RFC3339, at(s, key)); return t }
	e := eligibility("subscriptionId", sub.id(),
		transitionCheck{1, "The subscription is not active.", at(sub, "status") != "active"},
		transitionCheck{2, "The subscription can still be cancelled.", time.Since(date(sub, "creationDate")) < 7*24*time.Hour},
		transitionCheck{3, "The subscription's term is shorter than the source's.", termMonths(at(sub, "termDuration")) < termMonths(at(src, "termDuration"))},
		transitionCheck{4, "The subscription's term ends before the source's.", date(sub, "commitmentEndDate").Before(date(src, "commitmentEndDate"))})
	e["subscriptionFriendlyName"], e["subscriptionTermDuration"], e["subscriptionBillingCycle"] = at(sub, "friendlyName"), at(sub, "termDuration"), at(sub, "billingCycle")
	return e
}

// transitionCheck is a documented transition error and whether it applies.
type transitionCheck struct {
	code        int
	description string
	failed      bool
}

// eligibility is an eligibility object with key set to value, eligible
// unless a check failed.
func eligibility(key, value string, checks ...transitionCheck) map[string]any {
	errs := []any{}
	for _, c := range checks {
		if c.failed {
			errs = append(errs, map[string]any{"code": c.code, "description": c.description})
		}
	}
	return map[string]any{key: value, "isEligible": len(errs) == 0, "errors": errs}
}
