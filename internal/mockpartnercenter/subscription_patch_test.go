package mockpartnercenter

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// readSubscription reads a subscription as a client would before a PATCH.
func readSubscription(t *testing.T, base, token, customerID, subscriptionID string) map[string]any {
	t.Helper()
	resp, body := apiGet(t, base, token, subscriptionsPath(customerID)+"/"+subscriptionID, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("read subscription: %d %s", resp.StatusCode, body)
	}
	var doc map[string]any
	decodeJSON(t, body, &doc)
	return doc
}

// patchSubscriptionDoc sends doc as the PATCH body with If-Match etag.
func patchSubscriptionDoc(t *testing.T, base, token, customerID, subscriptionID string, doc map[string]any, etag string) (*http.Response, []byte) {
	t.Helper()
	body, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return apiSend(t, http.MethodPatch, base, token, subscriptionsPath(customerID)+"/"+subscriptionID, string(body), map[string]string{"If-Match": etag})
}

func etagOf(doc map[string]any) string {
	attrs, _ := doc["attributes"].(map[string]any)
	etag, _ := attrs["etag"].(string)
	return etag
}

func TestSubscriptionPatch(t *testing.T) {
	const eightDays = 8 * 24 * time.Hour
	scheduled := func(productSKU, term, cycle string, quantity int) map[string]any {
		product, sku, _ := strings.Cut(productSKU, ":")
		return map[string]any{"product": map[string]any{"productId": product, "skuId": sku, "availabilityId": "CFQ7TTC0K971",
			"termDuration": term, "billingCycle": cycle}, "quantity": quantity}
	}
	instructions := scheduled("CFQ7TTC0LH18:0001", "P1M", "Monthly", 5)
	schedule := func(instructions map[string]any) func(d map[string]any) {
		return func(d map[string]any) { d["scheduledNextTermInstructions"] = instructions }
	}
	tests := []struct {
		name   string
		setup  func(t *testing.T, s *Server, sid string)
		change func(doc map[string]any) // the body: the subscription as read, changed
		etag   string                   // sent instead of the one read
		status int
		code   float64 // of a refusal
		check  func(t *testing.T, after map[string]any)
	}{
		{name: "seat increase adds a refundable batch", change: func(d map[string]any) { d["quantity"] = 7 }, status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				rq, _ := after["refundableQuantity"].(map[string]any)
				batches, _ := rq["details"].([]any)
				if after["quantity"] != 7.0 || after["autoRenewEnabled"] != true || rq["totalQuantity"] != 7.0 || len(batches) != 2 {
					t.Errorf("after the increase: quantity %v, auto-renew %v, refundable %v", after["quantity"], after["autoRenewEnabled"], rq)
				}
			}},
		{name: "body without autoRenewEnabled turns auto-renew off", change: func(d map[string]any) { delete(d, "autoRenewEnabled"); d["friendlyName"] = "Sales" }, status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				if after["autoRenewEnabled"] != false || after["friendlyName"] != "Sales" {
					t.Errorf("auto-renew %v, name %v; want off and renamed", after["autoRenewEnabled"], after["friendlyName"])
				}
			}},
		{name: "body without scheduled instructions drops them",
			setup: func(t *testing.T, s *Server, sid string) {
				t.Helper()
				if err := s.SetScheduledInstructions(DocumentedCustomerID, sid, instructions); err != nil {
					t.Fatal(err)
				}
			},
			change: func(d map[string]any) { delete(d, "scheduledNextTermInstructions") }, status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				if _, kept := after["scheduledNextTermInstructions"]; kept {
					t.Error("scheduled instructions survived a body without them")
				}
			}},
		{name: "body with scheduled instructions keeps them", change: func(d map[string]any) { d["scheduledNextTermInstructions"] = instructions }, status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				if _, kept := after["scheduledNextTermInstructions"]; !kept {
					t.Error("scheduled instructions sent were not kept")
				}
			}},
		{name: "turning auto-renew off drops scheduled instructions",
			setup: func(t *testing.T, s *Server, sid string) {
				t.Helper()
				if err := s.SetScheduledInstructions(DocumentedCustomerID, sid, instructions); err != nil {
					t.Fatal(err)
				}
			},
			change: func(d map[string]any) { d["autoRenewEnabled"] = false },
			status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				if _, kept := after["scheduledNextTermInstructions"]; kept || after["autoRenewEnabled"] != false {
					t.Errorf("auto-renew %v, instructions %v; want off and dropped", after["autoRenewEnabled"], after["scheduledNextTermInstructions"])
				}
			}},
		{name: "instructions without auto-renew", change: func(d map[string]any) {
			d["scheduledNextTermInstructions"], d["autoRenewEnabled"] = instructions, false
		}, status: http.StatusBadRequest, code: pcCodeNotAutoRenewable},
		{name: "instructions for the scheduled upgrade", change: schedule(scheduled("CFQ7TTC0LF8S:0001", "P3Y", "triennial", 2)), status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				if got, _ := json.Marshal(after["scheduledNextTermInstructions"]); !strings.Contains(string(got), `"productId":"CFQ7TTC0LF8S"`) {
					t.Errorf("scheduled %s, want the upgrade stored as sent", got)
				}
			}},
		{name: "instructions for another product", change: schedule(scheduled("CFQ7TTC0LF8R:0001", "P1Y", "annual", 2)), status: http.StatusBadRequest, code: pcCodeInvalidInput},
		{name: "instructions without seats", change: schedule(scheduled("CFQ7TTC0LH18:0001", "P1Y", "annual", 0)), status: http.StatusBadRequest, code: pcCodeInvalidInput},
		{name: "instructions billing a term as it cannot be", change: schedule(scheduled("CFQ7TTC0LH18:0001", "P1M", "annual", 2)), status: http.StatusBadRequest, code: pcCodeInvalidInput},
		{name: "stale etag", change: func(d map[string]any) { d["quantity"] = 6 }, etag: subscriptionEtag("x", 1), status: http.StatusBadRequest, code: pcCodeStaleEtag},
		{name: "seat reduction inside the window", change: func(d map[string]any) { d["quantity"] = 2 }, status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				rq, _ := after["refundableQuantity"].(map[string]any)
				if after["quantity"] != 2.0 || rq["totalQuantity"] != 2.0 {
					t.Errorf("quantity %v, refundable %v", after["quantity"], rq)
				}
			}},
		{name: "seat reduction after the window", setup: age(eightDays), change: func(d map[string]any) { d["quantity"] = 4 }, status: http.StatusBadRequest, code: pcCodeQuantityNotDecreased},
		{name: "seat increase after the window", setup: age(eightDays), change: func(d map[string]any) { d["quantity"] = 6 }, status: http.StatusOK},
		{name: "cancellation inside the window", change: func(d map[string]any) { d["status"] = "deleted" }, status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				if after["status"] != "deleted" || after["autoRenewEnabled"] != false {
					t.Errorf("status %v, auto-renew %v", after["status"], after["autoRenewEnabled"])
				}
			}},
		{name: "cancellation after the window", setup: age(eightDays), change: func(d map[string]any) { d["status"] = "deleted" }, status: http.StatusBadRequest, code: pcCodeCancellationWindow},
		{name: "quantity change while suspended", setup: suspend, change: func(d map[string]any) { d["quantity"] = 6 }, status: http.StatusBadRequest, code: pcCodeSuspendedQuantity},
		{name: "reactivation", setup: suspend, change: func(d map[string]any) { d["status"] = "active" }, status: http.StatusOK},
		{name: "more seats than the offer allows", change: func(d map[string]any) { d["quantity"] = 301 }, status: http.StatusBadRequest, code: pcCodeQuantityOutOfRange},
		{name: "deleted subscription", setup: cancel, change: func(d map[string]any) { d["status"] = "active" }, status: http.StatusBadRequest, code: pcCodeDeletedSubscription},
		{name: "billing cycle change on a yearly term", change: func(d map[string]any) { d["billingCycle"] = "Annual" }, status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				if after["billingCycle"] != "annual" || after["quantity"] != 5.0 || after["autoRenewEnabled"] != true {
					t.Errorf("billing cycle %v, quantity %v, auto-renew %v", after["billingCycle"], after["quantity"], after["autoRenewEnabled"])
				}
			}},
		{name: "billing cycle change drops scheduled instructions",
			setup: func(t *testing.T, s *Server, sid string) {
				t.Helper()
				if err := s.SetScheduledInstructions(DocumentedCustomerID, sid, instructions); err != nil {
					t.Fatal(err)
				}
			},
			change: func(d map[string]any) { d["billingCycle"] = "annual" }, status: http.StatusOK,
			check: func(t *testing.T, after map[string]any) {
				if _, kept := after["scheduledNextTermInstructions"]; kept {
					t.Error("scheduled instructions survived an immediate billing cycle change")
				}
			}},
		{name: "billing cycle the term does not offer", change: func(d map[string]any) { d["billingCycle"] = "triennial" }, status: http.StatusBadRequest, code: pcCodeInvalidInput},
		{name: "billing cycle change while suspended", setup: suspend, change: func(d map[string]any) { d["billingCycle"] = "annual" }, status: http.StatusBadRequest, code: pcCodeInvalidInput},
		{name: "not ready to be updated", setup: func(_ *testing.T, s *Server, _ string) { s.SetPatchConflicts(DocumentedCustomerID, 1) },
			change: func(d map[string]any) { d["quantity"] = 6 }, status: http.StatusConflict, code: pcCodeNotReadyToUpdate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{OrderPendingReads: -1})
			tok := accessToken(t, ts.URL)
			sid := buy(t, ts.URL, tok, DocumentedCustomerID, 5)
			if tt.setup != nil {
				tt.setup(t, s, sid)
			}
			before := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
			body := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
			tt.change(body)
			etag := etagOf(before)
			if tt.etag != "" {
				etag = tt.etag
			}
			resp, out := patchSubscriptionDoc(t, ts.URL, tok, DocumentedCustomerID, sid, body, etag)
			if resp.StatusCode != tt.status {
				t.Fatalf("PATCH: %d %s, want %d", resp.StatusCode, out, tt.status)
			}
			after := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
			if tt.status != http.StatusOK {
				if e := pcErrorOf(t, out); e.Code != tt.code {
					t.Errorf("code %v (%s), want %v", e.Code, e.Description, tt.code)
				}
				if etagOf(after) != etagOf(before) || after["quantity"] != before["quantity"] || after["status"] != before["status"] {
					t.Errorf("a refused PATCH changed the subscription: %v -> %v", before, after)
				}
				return
			}
			var answered map[string]any
			decodeJSON(t, out, &answered)
			if etagOf(after) == etagOf(before) || etagOf(answered) != etagOf(after) {
				t.Errorf("etag %q before, %q answered, %q after; want a new one, answered and stored", etagOf(before), etagOf(answered), etagOf(after))
			}
			if tt.check != nil {
				tt.check(t, after)
			}
		})
	}
}

// age makes the subscription older by d (its windows close past 168 h).
func age(d time.Duration) func(*testing.T, *Server, string) {
	return func(t *testing.T, s *Server, sid string) {
		t.Helper()
		if err := s.AgeSubscription(DocumentedCustomerID, sid, d); err != nil {
			t.Fatal(err)
		}
	}
}

// suspend and cancel change the subscription's status behind the test's back.
func suspend(t *testing.T, s *Server, sid string) { setStatus(t, s, sid, "suspended") }
func cancel(t *testing.T, s *Server, sid string)  { setStatus(t, s, sid, "deleted") }

func setStatus(t *testing.T, s *Server, sid, status string) {
	t.Helper()
	if err := s.SetSubscriptionStatus(DocumentedCustomerID, sid, status); err != nil {
		t.Fatal(err)
	}
}

func TestSubscriptionPatchConflictsThenSucceeds(t *testing.T) {
	s, ts := newTestServer(t, Options{OrderPendingReads: -1, GeneratedCustomers: 3})
	tok := accessToken(t, ts.URL)
	customer := GeneratedCustomerID(2) // one with no subscriptions before
	sid := buy(t, ts.URL, tok, customer, 5)
	s.SetPatchConflicts(customer, 2)
	s.SetPatchConflicts(DocumentedCustomerID, 5)
	s.SetPatchConflicts(DocumentedCustomerID, 0)
	doc := readSubscription(t, ts.URL, tok, customer, sid)
	doc["quantity"] = 8
	for i, want := range []int{http.StatusConflict, http.StatusConflict, http.StatusOK} {
		if resp, out := patchSubscriptionDoc(t, ts.URL, tok, customer, sid, doc, etagOf(doc)); resp.StatusCode != want {
			t.Errorf("PATCH %d: %d %s, want %d", i+1, resp.StatusCode, out, want)
		}
	}
	if s.Requests(RouteUpdateSubscription) != 3 {
		t.Errorf("%d PATCHes counted, want 3", s.Requests(RouteUpdateSubscription))
	}
	other := buy(t, ts.URL, tok, DocumentedCustomerID, 1)
	doc = readSubscription(t, ts.URL, tok, DocumentedCustomerID, other)
	if resp, out := patchSubscriptionDoc(t, ts.URL, tok, DocumentedCustomerID, other, doc, etagOf(doc)); resp.StatusCode != http.StatusOK {
		t.Errorf("another customer's PATCH (switch cleared): %d %s", resp.StatusCode, out)
	}
}

func TestSubscriptionPatchAsync(t *testing.T) {
	s, ts := newTestServer(t, Options{OrderPendingReads: -1})
	tok := accessToken(t, ts.URL)
	sid := buy(t, ts.URL, tok, DocumentedCustomerID, 5)
	s.SetPatchAsync(DocumentedCustomerID, 2)
	doc := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
	doc["quantity"] = 9
	resp, out := patchSubscriptionDoc(t, ts.URL, tok, DocumentedCustomerID, sid, doc, etagOf(doc))
	location := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusAccepted || location == "" || len(out) != 0 {
		t.Fatalf("PATCH: %d Location %q body %q; want 202 with a Location and no body", resp.StatusCode, location, out)
	}
	if got := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid); got["quantity"] != 5.0 {
		t.Errorf("quantity %v before the operation finished, want 5", got["quantity"])
	}
	if resp, _ := apiGet(t, ts.URL, tok, location, nil); resp.StatusCode != http.StatusAccepted || resp.Header.Get("Location") != location {
		t.Errorf("first poll: %d Location %q; want 202 and the same Location", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, out = apiGet(t, ts.URL, tok, location, nil)
	var done map[string]any
	decodeJSON(t, out, &done)
	if resp.StatusCode != http.StatusOK || done["quantity"] != 9.0 {
		t.Errorf("second poll: %d %s; want 200 with the changed subscription", resp.StatusCode, out)
	}
	if got := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid); got["quantity"] != 9.0 || etagOf(got) == etagOf(doc) {
		t.Errorf("after the operation: quantity %v, etag %q (was %q)", got["quantity"], etagOf(got), etagOf(doc))
	}
	if s.Requests(RouteSubscriptionOperation) != 2 {
		t.Errorf("%d polls counted, want 2", s.Requests(RouteSubscriptionOperation))
	}
	s.SetPatchAsync(DocumentedCustomerID, 0)
	doc = readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
	if resp, _ := patchSubscriptionDoc(t, ts.URL, tok, DocumentedCustomerID, sid, doc, etagOf(doc)); resp.StatusCode != http.StatusOK {
		t.Errorf("with the switch off: %d, want 200", resp.StatusCode)
	}
}

// A failed operation ends 200 with status failed and leaves the
// subscription as it was; a 412 without code 2055 changes nothing.
func TestSubscriptionPatchFailedOperationAndPreconditionFailure(t *testing.T) {
	s, ts := newTestServer(t, Options{OrderPendingReads: -1})
	tok := accessToken(t, ts.URL)
	sid := buy(t, ts.URL, tok, DocumentedCustomerID, 5)
	s.SetPatchAsync(DocumentedCustomerID, 1)
	s.SetFailedOperations(DocumentedCustomerID, 1)
	doc := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
	doc["quantity"] = 9
	resp, _ := patchSubscriptionDoc(t, ts.URL, tok, DocumentedCustomerID, sid, doc, etagOf(doc))
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("PATCH: %d, want 202", resp.StatusCode)
	}
	resp, out := apiGet(t, ts.URL, tok, resp.Header.Get("Location"), nil)
	var status map[string]any
	decodeJSON(t, out, &status)
	if resp.StatusCode != http.StatusOK || status["status"] != "failed" || status["error"] == nil {
		t.Errorf("poll: %d %s; want 200 with status failed and an error", resp.StatusCode, out)
	}
	if got := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid); got["quantity"] != 5.0 || etagOf(got) != etagOf(doc) {
		t.Errorf("after a failed operation: quantity %v, etag %q (was %q)", got["quantity"], etagOf(got), etagOf(doc))
	}

	s.SetPatchAsync(DocumentedCustomerID, 0)
	s.SetPatchPreconditionFailures(DocumentedCustomerID, 1)
	resp, out = patchSubscriptionDoc(t, ts.URL, tok, DocumentedCustomerID, sid, doc, etagOf(doc))
	if resp.StatusCode != http.StatusPreconditionFailed || pcErrorOf(t, out).Code == float64(pcCodeStaleEtag) {
		t.Errorf("PATCH: %d %s; want 412 without code 2055", resp.StatusCode, out)
	}
	if resp, _ := patchSubscriptionDoc(t, ts.URL, tok, DocumentedCustomerID, sid, doc, etagOf(doc)); resp.StatusCode != http.StatusOK {
		t.Errorf("the next PATCH: %d, want 200", resp.StatusCode)
	}
}

// TestDropConnectionAfterPatch commits the change, then loses the answer:
// the subscription has changed, and its etag with it.
func TestDropConnectionAfterPatch(t *testing.T) {
	s, ts := newTestServer(t, Options{OrderPendingReads: -1})
	tok := accessToken(t, ts.URL)
	sid := buy(t, ts.URL, tok, DocumentedCustomerID, 5)
	doc := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
	doc["quantity"] = 6
	body, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	s.SetFault(DocumentedCustomerID, Fault{Kind: FaultDropConnection, Times: 1})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPatch, ts.URL+subscriptionsPath(DocumentedCustomerID)+"/"+sid, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("If-Match", etagOf(doc))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("PATCH answered %d; want the connection dropped", resp.StatusCode)
	}
	after := readSubscription(t, ts.URL, tok, DocumentedCustomerID, sid)
	if after["quantity"] != 6.0 || etagOf(after) == etagOf(doc) {
		t.Errorf("after the dropped PATCH: quantity %v, etag unchanged %v; want the change committed", after["quantity"], etagOf(after) == etagOf(doc))
	}
	if resp, out := patchSubscriptionDoc(t, ts.URL, tok, DocumentedCustomerID, sid, doc, etagOf(doc)); resp.StatusCode != http.StatusBadRequest || pcErrorOf(t, out).Code != float64(pcCodeStaleEtag) {
		t.Errorf("retry with the old etag: %d %s, want 2055", resp.StatusCode, out)
	}
}

func TestPatchOfDocumentedSubscription(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	const newCommerceSample = "a356ac8c-e310-44f4-bf85-c7f29044af99" // the documented new-commerce subscription
	doc := readSubscription(t, ts.URL, tok, DocumentedCustomerID, newCommerceSample)
	doc["friendlyName"] = "Renamed"
	resp, out := patchSubscriptionDoc(t, ts.URL, tok, DocumentedCustomerID, newCommerceSample, doc, etagOf(doc))
	var after map[string]any
	decodeJSON(t, out, &after)
	if resp.StatusCode != http.StatusOK || after["friendlyName"] != "Renamed" || etagOf(after) != subscriptionEtag("A356AC8C-E310-44F4-BF85-C7F29044AF99", 3) {
		t.Errorf("PATCH: %d %s; want renamed, etag version 3", resp.StatusCode, out)
	}
}
