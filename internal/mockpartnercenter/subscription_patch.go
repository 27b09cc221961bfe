package mockpartnercenter

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
)

const RouteUpdateSubscription Route = "update_subscription" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteUpdateSubscription, "PATCH " + subscriptionPattern, exampleSubscription, (*Server).serveUpdateSubscription})

// serveUpdateSubscription answers
// PATCH /v1/customers/{customerID}/subscriptions/{subscriptionID} with the
// service's semantics: the body is the whole subscription, and what it
// leaves out is not "unchanged" (see patchSubscription).
func (s *Server) serveUpdateSubscription(w http.ResponseWriter, r *http.Request) {
	customerID, subscriptionID := r.PathValue("customerID"), r.PathValue("subscriptionID")
	const invalid = "The body must be the subscription as a JSON object."
	var req map[string]any
	if !decodeWriteBody(w, r, maxWriteBody, &req, invalid) {
		return
	}
	if req == nil {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, invalid)
		return
	}
	ifMatch := strings.Trim(r.Header.Get("If-Match"), `"`)
	s.answerCustomer(w, r, customerID, true, routeFaults{notFound: writeNotFound}, func() answer {
		return s.updateSubscriptionLocked(customerID, subscriptionID, ifMatch, req)
	})
}

// updateSubscriptionLocked checks a PATCH against the switches, the etag and the
// subscription's state, then stores the change (or, with SetPatchAsync,
// leaves it to the operation's polls).
func (s *Server) updateSubscriptionLocked(customerID, subscriptionID, ifMatch string, req map[string]any) answer {
	key := customerKey(customerID)
	i, sub := s.storedSubscriptionLocked(customerID, subscriptionID)
	if sub == nil {
		return subscriptionNotFound(customerID, subscriptionID)
	}
	if n := s.commerce.patchConflicts[key]; n > 0 {
		s.commerce.patchConflicts[key] = n - 1
		return pcErrorAnswer(http.StatusConflict, pcCodeNotReadyToUpdate,
			"Subscription "+sanitize(subscriptionID)+" is not ready to be updated. Please try again later.")
	}
	if n := s.commerce.patchPreconditionFailures[key]; n > 0 {
		s.commerce.patchPreconditionFailures[key] = n - 1
		return pcErrorAnswer(http.StatusPreconditionFailed, pcCodeInvalidInput, "Precondition failed.")
	}
	cur, err := sub.editableDoc()
	if err != nil {
		return pcErrorAnswer(http.StatusInternalServerError, pcCodeInternal, "The stored subscription is unreadable.")
	}
	etag := stringAt(cur, "attributes", "etag")
	if ifMatch != "" && ifMatch != "*" && etag != "" && ifMatch != etag {
		return pcErrorAnswer(http.StatusBadRequest, pcCodeStaleEtag, "Etag is no longer valid")
	}
	item, _ := s.catalogItemLocked(stringAt(cur, "offerId"))
	next, refusal := patchSubscription(cur, req, item.maxQuantity, time.Now())
	if refusal != nil {
		return *refusal
	}
	if n := s.commerce.ignoredPatches[key]; n > 0 {
		s.commerce.ignoredPatches[key] = n - 1
		return answer{status: http.StatusOK, body: sub.body()}
	}
	setNextEtag(next, sub.id())
	if polls := s.commerce.patchPolls[key]; polls > 0 {
		failed := s.commerce.failedOperations[key] > 0
		if failed {
			s.commerce.failedOperations[key]--
		}
		return s.startOperationLocked(customerID, sub.id(), next, polls, failed)
	}
	s.subscriptions[key][i] = &subscription{doc: next, entitlements: sub.entitlements}
	return answer{status: http.StatusOK, body: s.subscriptions[key][i].body()}
}

// patchSubscription applies a PATCH body to the current subscription as
// the service does, or returns its refusal:
//   - a deleted subscription cannot change (2011);
//   - quantity cannot change while suspended (2001), must stay within the
//     offer's 1..maximum (2002), and can go down only by the seats of
//     batches whose refund window is still open (800090); an increase adds
//     a batch refundable for 168 hours;
//   - "deleted" is refused after cancellationAllowedUntilDate (900213);
//   - billingCycle changes only on an active subscription, to a cycle its
//     term offers (a P1M term bills monthly; a P1Y term monthly or
//     annually), and never mid-term on a P3Y term ("Manage term duration
//     and billing frequency": blocked since April 2025) (2000); left out,
//     it stays;
//   - autoRenewEnabled left out turns auto-renew off, and
//     scheduledNextTermInstructions left out are dropped, as they are by an
//     immediate change of quantity, billing cycle or status, and by turning
//     auto-renew off ("Schedule changes for a new commerce subscription"
//     requires auto-renew on);
//   - new scheduledNextTermInstructions are checked (scheduleRefusal) and
//     stored as sent;
//   - friendlyName left out stays; other fields are read-only and ignored.
//
// cur is changed in place and returned.
func patchSubscription(cur, req map[string]any, maxQuantity int, now time.Time) (map[string]any, *answer) {
	refuse := func(code int, description string) (map[string]any, *answer) {
		a := pcErrorAnswer(http.StatusBadRequest, code, description)
		return nil, &a
	}
	id := stringAt(cur, "id")
	curStatus := strings.ToLower(stringAt(cur, "status"))
	if curStatus == "deleted" {
		return refuse(pcCodeDeletedSubscription, "Subscription "+id+" is deleted and cannot be updated.")
	}
	status := curStatus
	if v, present := req["status"]; present {
		str, _ := v.(string)
		status = strings.ToLower(str)
		if status != "active" && status != "suspended" && status != "deleted" {
			return refuse(pcCodeInvalidInput, "The status must be active, suspended or deleted.")
		}
	}
	curQuantity, _ := intOf(cur["quantity"])
	quantity := curQuantity
	if v, present := req["quantity"]; present {
		n, ok := intOf(v)
		if !ok {
			return refuse(pcCodeInvalidInput, "The quantity must be a whole number.")
		}
		quantity = n
	}
	switch {
	case quantity != curQuantity && curStatus == "suspended":
		return refuse(pcCodeSuspendedQuantity, "The quantity of suspended subscription "+id+" cannot be changed.")
	case quantity != curQuantity && (quantity < 1 || (maxQuantity > 0 && quantity > maxQuantity)):
		return refuse(pcCodeQuantityOutOfRange, "The quantity is outside the offer's minimum and maximum.")
	case quantity < curQuantity && curQuantity-quantity > refundableSeats(cur, now):
		// The text of the documented error.
		return refuse(pcCodeQuantityNotDecreased, "Subscription quantity cannot be decreased.")
	case status == "deleted" && !windowOpen(stringAt(cur, "cancellationAllowedUntilDate"), now):
		return refuse(pcCodeCancellationWindow, "Subscription "+id+" cannot be cancelled: it has passed its 168-hour cancellation window.")
	}
	curCycle := stringAt(cur, "billingCycle")
	cycle := curCycle
	if v, ok := req["billingCycle"].(string); ok && v != "" {
		cycle = v
	}
	cycleChanged := !strings.EqualFold(cycle, curCycle)
	if cycleChanged {
		if refusal := billingCycleRefusal(id, curStatus, stringAt(cur, "termDuration"), cycle); refusal != "" {
			return refuse(pcCodeInvalidInput, refusal)
		}
		cur["billingCycle"] = strings.ToLower(cycle)
	}

	if quantity != curQuantity {
		adjustRefundableSeats(cur, quantity-curQuantity, now)
		cur["quantity"] = quantity
	}
	autoRenew, _ := req["autoRenewEnabled"].(bool)
	cur["autoRenewEnabled"] = autoRenew && status != "deleted"
	instructions, present := req["scheduledNextTermInstructions"]
	if sent, _ := json.Marshal(instructions); instructions != nil && string(sent) != marshalledAt(cur, "scheduledNextTermInstructions") {
		if code, refusal := scheduleRefusal(cur, instructions); refusal != "" {
			return refuse(code, refusal)
		}
	}
	if present && instructions != nil && quantity == curQuantity && status == curStatus && !cycleChanged && cur["autoRenewEnabled"] == true {
		cur["scheduledNextTermInstructions"] = instructions
	} else {
		delete(cur, "scheduledNextTermInstructions")
	}
	if name, ok := req["friendlyName"].(string); ok && name != "" {
		cur["friendlyName"] = name
	}
	cur["status"] = status
	return cur, nil
}

// billingCyclesOfRenewal are the billing cycles a term may renew with.
var billingCyclesOfRenewal = map[string][]string{"P1M": {"monthly"}, "P1Y": {"monthly", "annual"}, "P3Y": {"monthly", "annual", "triennial"}}

// scheduleRefusal says why changes cannot be scheduled for the renewal
// ("Schedule changes for a new commerce subscription"), "" when they can:
// auto-renew must stay on; the product and SKU must be the subscription's
// own or its upgrade; at least one seat; a billing cycle the term offers.
func scheduleRefusal(cur map[string]any, instructions any) (code int, description string) {
	id, offer := stringAt(cur, "id"), stringAt(cur, "offerId")
	own := offer[:max(strings.LastIndexByte(offer, ':'), 0)]
	in, _ := instructions.(map[string]any)
	product, _ := in["product"].(map[string]any)
	target := stringAt(product, "productId") + ":" + stringAt(product, "skuId")
	quantity, whole := intOf(in["quantity"])
	term, cycle := stringAt(product, "termDuration"), stringAt(product, "billingCycle")
	switch {
	case cur["autoRenewEnabled"] != true:
		return pcCodeNotAutoRenewable, "Subscription " + id + " is not eligible for auto renew: changes can be scheduled for its renewal only while auto-renew is on."
	case product == nil || !whole || quantity < 1:
		return pcCodeInvalidInput, "The scheduled next term instructions must name a product and at least one licence."
	case !strings.EqualFold(target, own) && !strings.EqualFold(target, upgrades[own]):
		return pcCodeInvalidInput, "Subscription " + id + " cannot renew into " + sanitize(target) + ": it is not a scheduled transition of " + own + "."
	case !slices.Contains(billingCyclesOfRenewal[strings.ToUpper(term)], strings.ToLower(cycle)):
		return pcCodeInvalidInput, "The billing cycle " + sanitize(cycle) + " is not offered for the term " + sanitize(term) + "."
	}
	return 0, ""
}

// marshalledAt is the JSON of doc's member, "null" when absent.
func marshalledAt(doc map[string]any, member string) string {
	b, _ := json.Marshal(doc[member])
	return string(b)
}

// billingCycleRefusal says why the billing cycle of a subscription cannot
// become cycle, "" when it can.
func billingCycleRefusal(id, status, term, cycle string) string {
	allowed := map[string][]string{"P1M": {"monthly"}, "P1Y": {"monthly", "annual"}}[strings.ToUpper(term)]
	switch {
	case status != "active":
		return "The billing cycle of subscription " + id + " cannot change while it is " + status + "."
	case strings.EqualFold(term, "P3Y"):
		return "The billing frequency of subscription " + id + ", a triennial term, cannot change mid-term."
	case !slices.Contains(allowed, strings.ToLower(cycle)):
		return "The billing cycle " + cycle + " is not offered for the term " + term + " of subscription " + id + "."
	}
	return ""
}

// refundableSeats adds up the seat batches whose refund window is open.
func refundableSeats(doc map[string]any, now time.Time) int {
	rq, _ := doc["refundableQuantity"].(map[string]any)
	total := 0
	for _, batch := range objectsAt(rq, "details") {
		if n, ok := intOf(batch["quantity"]); ok && windowOpen(stringAt(batch, "allowedUntilDateTime"), now) {
			total += n
		}
	}
	return total
}

// adjustRefundableSeats records a quantity change in refundableQuantity:
// an increase is a new batch refundable for 168 hours, a decrease uses up
// the open batches, newest first.
func adjustRefundableSeats(doc map[string]any, delta int, now time.Time) {
	rq, _ := doc["refundableQuantity"].(map[string]any)
	if rq == nil {
		rq = map[string]any{}
		doc["refundableQuantity"] = rq
	}
	batches := objectsAt(rq, "details")
	if delta > 0 {
		batches = append(batches, map[string]any{"quantity": delta, "allowedUntilDateTime": now.Add(cancellationWindow).UTC().Format(pcTimeLayout)})
	}
	for i := len(batches) - 1; i >= 0 && delta < 0; i-- {
		n, _ := intOf(batches[i]["quantity"])
		if !windowOpen(stringAt(batches[i], "allowedUntilDateTime"), now) {
			continue
		}
		take := min(n, -delta)
		batches[i]["quantity"] = n - take
		delta += take
	}
	details, total := []any{}, 0
	for _, batch := range batches {
		if n, _ := intOf(batch["quantity"]); n > 0 {
			details = append(details, batch)
			total += n
		}
	}
	rq["details"], rq["totalQuantity"] = details, total
}

// windowOpen reports whether the date v is still ahead of now; a missing
// or unreadable date is a closed window.
func windowOpen(v string, now time.Time) bool {
	t, err := time.Parse(time.RFC3339Nano, v)
	return err == nil && now.Before(t)
}

// intOf reads a whole JSON number.
func intOf(v any) (int, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	case int:
		return n, true
	}
	return 0, false
}

// setNextEtag gives a changed subscription the etag of its next version.
func setNextEtag(doc map[string]any, subscriptionID string) {
	attrs, _ := doc["attributes"].(map[string]any)
	if attrs == nil {
		attrs = map[string]any{"objectType": "Subscription"}
		doc["attributes"] = attrs
	}
	etag, _ := attrs["etag"].(string)
	attrs["etag"] = subscriptionEtag(subscriptionID, etagVersion(etag)+1)
}

// etagVersion reads the version out of an etag in the service's form, 0
// for any other.
func etagVersion(etag string) int {
	raw, err := base64.StdEncoding.DecodeString(etag)
	if err != nil {
		return 0
	}
	var v struct {
		Version int `json:"version"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return 0
	}
	return v.Version
}

// decodeSubscriptionDoc decodes a subscription keeping its numbers as
// written.
func decodeSubscriptionDoc(data []byte) (map[string]any, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, errors.New("not a JSON object")
	}
	return doc, nil
}

// storedSubscriptionLocked finds a subscription among the customer's and
// its index, or nil.
func (s *Server) storedSubscriptionLocked(customerID, subscriptionID string) (int, *subscription) {
	for i, sub := range s.subscriptions[customerKey(customerID)] {
		if strings.EqualFold(sub.id(), subscriptionID) {
			return i, sub
		}
	}
	return -1, nil
}
