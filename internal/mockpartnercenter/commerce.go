package mockpartnercenter

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Partner Center error codes of the commerce routes, as Microsoft's pages
// and the service's answers give them.
const (
	pcCodeInvalidCatalogItem   = 10001  // cart line item: unknown catalog item
	pcCodeTooManySeats         = 10015  // cart line item: more seats than the offer allows
	pcCodeNoCustomerAgreement  = 13605  // checkout: the customer has not accepted the Microsoft Customer Agreement
	pcCodeStaleAvailability    = 400019 // checkout: the availability is no longer offered
	pcCodeSuspendedQuantity    = 2001   // PATCH: quantity change of a suspended subscription
	pcCodeQuantityOutOfRange   = 2002   // PATCH: quantity outside the offer's minimum and maximum
	pcCodeDeletedSubscription  = 2011   // PATCH: a deleted subscription cannot be updated
	pcCodeStaleEtag            = 2055   // PATCH: If-Match no longer matches
	pcCodeCartInProcess        = 800064 // checkout: the cart is being processed by another request (409)
	pcCodeCartSubmitted        = 800065 // checkout: the cart was already checked out (409)
	pcCodeNotReadyToUpdate     = 800082 // PATCH: not ready to be updated, try later (409)
	pcCodeQuantityNotDecreased = 800090 // PATCH: seat reduction outside its window
	pcCodeNotAutoRenewable     = 800093 // PATCH: changes scheduled for the renewal of a subscription without auto-renew
	pcCodeCancellationWindow   = 900213 // PATCH: cancellation after the 168-hour window
)

// cancellationWindow is how long after a purchase (or a seat increase) a
// new-commerce subscription can be cancelled or its seats reduced.
const cancellationWindow = 168 * time.Hour

// DefaultOrderPendingReads is how many reads of a new order answer
// "pending" when Options.OrderPendingReads is zero.
const DefaultOrderPendingReads = 2

// commerceState is the mock's memory of carts, orders and the switches
// tests set on the commerce routes. It is guarded by Server.mu.
type commerceState struct {
	carts  map[string]*cart  // by lower-case customer id + "/" + cart id
	orders map[string]*order // by lower-case customer id + "/" + order id
	// purchases counts, per lower-case customer id, the checkouts that
	// created an order.
	purchases map[string]int
	// withoutAgreement holds the customers that have not accepted the
	// Microsoft Customer Agreement: those created through the mock until
	// an agreement is confirmed, and those a test names. Every other
	// customer has.
	withoutAgreement map[string]bool
	// agreements holds, per customer, the confirmations recorded through
	// POST /v1/customers/{id}/agreements.
	agreements map[string][]agreementDoc
	// checkoutConflicts is, per customer, how many checkouts still answer
	// 409 code 800064.
	checkoutConflicts map[string]int
	// submittedCartRefused holds the customers whose carts, once checked
	// out, answer a repeated checkout with 409 code 800065 instead of the
	// first checkout's result.
	submittedCartRefused map[string]bool
	// patchConflicts is, per customer, how many PATCHes still answer 409
	// code 800082.
	patchConflicts map[string]int
	// ignoredPatches is, per customer, how many PATCHes still answer 200
	// with the subscription unchanged.
	ignoredPatches map[string]int
	// unlistedSubscriptions is, per new subscription id, how many more
	// subscription list reads leave it out.
	unlistedSubscriptions map[string]int
	// purchasedTerms is, per customer, the term every new subscription
	// gets whatever its cart line says.
	purchasedTerms map[string]string
	// patchPolls is, per customer, how many polls of Location a PATCH
	// answered 202 takes before its change is applied; absent answers 200.
	patchPolls map[string]int
	// patchPreconditionFailures is, per customer, how many PATCHes still
	// answer 412 Precondition Failed without code 2055.
	patchPreconditionFailures map[string]int
	// failedOperations is, per customer, how many accepted PATCHes and
	// transitions still end failed, their change not made.
	failedOperations map[string]int
	operations       map[string]*subscriptionOperation // by operation id
	transitions      map[string][]*transition          // by source subscription (commerceKey), in order
	// retired maps a catalog item id no longer offered to its replacement.
	retired map[string]string
	seq     int // makes ids and etag versions unique within the server
}

func newCommerceState() *commerceState {
	return &commerceState{
		carts:                     map[string]*cart{},
		orders:                    map[string]*order{},
		purchases:                 map[string]int{},
		withoutAgreement:          map[string]bool{},
		agreements:                map[string][]agreementDoc{},
		patchConflicts:            map[string]int{},
		ignoredPatches:            map[string]int{},
		unlistedSubscriptions:     map[string]int{},
		purchasedTerms:            map[string]string{},
		checkoutConflicts:         map[string]int{},
		patchPolls:                map[string]int{},
		operations:                map[string]*subscriptionOperation{},
		patchPreconditionFailures: map[string]int{},
		failedOperations:          map[string]int{},
		submittedCartRefused:      map[string]bool{},
		retired:                   map[string]string{},
		transitions:               map[string][]*transition{},
	}
}

// commerceKey keys carts and orders by their customer.
func commerceKey(customerID, id string) string { return customerKey(customerID) + "/" + id }

// orderPendingReads is how many reads a new order stays pending.
func (s *Server) orderPendingReads() int {
	switch n := s.opts.OrderPendingReads; {
	case n < 0:
		return 0
	case n == 0:
		return DefaultOrderPendingReads
	default:
		return n
	}
}

// subscriptionEtag is an etag in the live service's form: base64 of
// {"id":"<subscription id>","version":N}.
func subscriptionEtag(subscriptionID string, version int) string {
	return base64.StdEncoding.EncodeToString([]byte(`{"id":"` + subscriptionID + `","version":` + strconv.Itoa(version) + `}`))
}

// Purchases returns how many checkouts of customerID created an order; a
// repeated checkout of the same cart buys nothing and is not counted.
func (s *Server) Purchases(customerID string) int {
	return withLock(s, func() int { return s.commerce.purchases[customerKey(customerID)] })
}

// SetCustomerAgreement records whether customerID has accepted the
// Microsoft Customer Agreement. The customers the mock starts with have; one
// created through POST /v1/customers has not until an agreement is
// confirmed. Checkout for one that has not answers 400 code 13605.
func (s *Server) SetCustomerAgreement(customerID string, accepted bool) {
	setCustomerValue(s, s.commerce.withoutAgreement, customerID, true, !accepted)
}

// SetPatchConflicts makes the next n subscription PATCHes for customerID
// answer 409 code 800082 ("not ready to be updated") without changing
// anything; the ones after succeed. n = 0 clears it.
func (s *Server) SetPatchConflicts(customerID string, n int) {
	setCustomerValue(s, s.commerce.patchConflicts, customerID, n, n > 0)
}

// SetIgnoredPatches makes the next n subscription PATCHes for customerID
// that pass every check answer 200 with the subscription as it was, the
// change not made, as when the service accepts a change and drops it. n =
// 0 clears it.
func (s *Server) SetIgnoredPatches(customerID string, n int) {
	setCustomerValue(s, s.commerce.ignoredPatches, customerID, n, n > 0)
}

// SetPurchasedTerm makes the subscriptions bought for customerID from now
// on have term (an ISO 8601 duration such as "P1M") whatever their cart
// line asked for; "" restores the cart's term.
func (s *Server) SetPurchasedTerm(customerID, term string) {
	setCustomerValue(s, s.commerce.purchasedTerms, customerID, term, term != "")
}

// SetCheckoutConflicts makes the next n checkouts for customerID answer
// 409 code 800064 (the cart is being processed by another request) without
// buying; the ones after answer normally. n = 0 clears it.
func (s *Server) SetCheckoutConflicts(customerID string, n int) {
	setCustomerValue(s, s.commerce.checkoutConflicts, customerID, n, n > 0)
}

// SetRepeatedCheckoutRefused makes a repeated checkout of a cart of
// customerID that was already checked out answer 409 code 800065 ("cart
// already submitted"), as the service's error list has it, instead of the
// first checkout's result, as "Checkout a cart" documents (the default).
func (s *Server) SetRepeatedCheckoutRefused(customerID string, refused bool) {
	setCustomerValue(s, s.commerce.submittedCartRefused, customerID, true, refused)
}

// SetPatchAsync makes subscription PATCHes for customerID that pass every
// check answer 202 with a Location to poll instead of 200: the change is
// applied, and the poll answers 200 with the subscription, at the polls-th
// GET of that Location; earlier polls answer 202. polls = 0 restores 200.
func (s *Server) SetPatchAsync(customerID string, polls int) {
	setCustomerValue(s, s.commerce.patchPolls, customerID, polls, polls > 0)
}

// SetPatchPreconditionFailures makes the next n subscription PATCHes for
// customerID answer 412 Precondition Failed with a code other than 2055,
// changing nothing. n = 0 clears it.
func (s *Server) SetPatchPreconditionFailures(customerID string, n int) {
	setCustomerValue(s, s.commerce.patchPreconditionFailures, customerID, n, n > 0)
}

// SetFailedOperations makes the next n PATCHes for customerID that
// SetPatchAsync answers 202, and its next transitions, end failed: the last
// poll of their Location answers 200 with status failed and an error, the
// transition's history shows it Failed, and the change is not made. n = 0
// clears it.
func (s *Server) SetFailedOperations(customerID string, n int) {
	setCustomerValue(s, s.commerce.failedOperations, customerID, n, n > 0)
}

// setCustomerValue sets customerID's entry in m, one of the per-customer
// switches, or removes it when !keep (a count below 1, a switch off).
func setCustomerValue[V any](s *Server, m map[string]V, customerID string, v V, keep bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !keep {
		delete(m, customerKey(customerID))
		return
	}
	m[customerKey(customerID)] = v
}

// RetireAvailability stops offering catalogItemID
// ("product:sku:availability"): a cart that holds it fails checkout with
// 400 code 400019, and the catalog lists a new availability of the same SKU
// and terms instead, whose catalog item id it returns ("" when the item is
// unknown).
func (s *Server) RetireAvailability(catalogItemID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	item, ok := s.catalogItemLocked(catalogItemID)
	if !ok {
		return ""
	}
	s.commerce.seq++
	replacement := fmt.Sprintf("%s:%s:CFQ7TTC0R%03X", item.productID, item.skuID, s.commerce.seq)
	s.commerce.retired[item.id()] = replacement
	return replacement
}

// answer is a write route's reply, computed apart from sending it so that
// FaultDropConnection can commit the write and send nothing.
type answer struct {
	status   int
	body     []byte
	location string // the Location header, for 202
}

func (a answer) write(w http.ResponseWriter) {
	if a.location != "" {
		w.Header().Set("Location", a.location)
	}
	if a.body == nil {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(a.status)
		return
	}
	writeRawJSON(w, a.status, a.body)
}

// jsonAnswer encodes v as the reply with status.
func jsonAnswer(status int, v any) answer {
	body, err := marshal(v)
	if err != nil {
		return pcErrorAnswer(http.StatusInternalServerError, pcCodeInternal, "The response could not be encoded.")
	}
	return answer{status: status, body: body}
}

// pcErrorAnswer is writePCError's body as an answer.
func pcErrorAnswer(status int, code any, description string) answer {
	body, _ := marshal(pcError{Code: code, Description: description, Data: []string{}, Source: "PartnerFD"})
	return answer{status: status, body: body}
}

// maxWriteBody bounds the request bodies of the write routes.
const maxWriteBody = 1 << 20

// decodeWriteBody decodes a write request's body, JSON of at most limit
// bytes, into v (numbers kept as written), answering 400 with invalid when
// it cannot.
func decodeWriteBody(w http.ResponseWriter, r *http.Request, limit int64, v any, invalid string) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, invalid)
		return false
	}
	return true
}
