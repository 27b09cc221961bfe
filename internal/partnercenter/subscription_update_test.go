package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

const updateSubscriptionID = "a4c1340d-6911-4758-bba3-0c4c6007d161"

// fakeSubscription serves one subscription: GET answers it with its
// current etag; PATCH, unless script says otherwise, stores the body as
// the new subscription with a new etag.
type fakeSubscription struct {
	t   *testing.T
	rec recorder

	mu      sync.Mutex
	current map[string]any
	version int
	// script answers the n-th PATCH (0-based) instead of storing it when
	// it returns true.
	script func(n int, w http.ResponseWriter, r *http.Request) bool
	// patches counts the PATCHes.
	patches int
}

func newFakeSubscription(t *testing.T) *fakeSubscription {
	var sub map[string]any
	if err := json.Unmarshal([]byte(fixture(t, "commerce-subscription-patch.json")), &sub); err != nil {
		t.Fatal(err)
	}
	// Members the client does not model must survive a change.
	sub["scheduledNextTermInstructions"] = map[string]any{"product": map[string]any{"id": "CFQ7TTC0LH18", "skuId": "0001"}, "quantity": 12}
	sub["aMemberFromTheFuture"] = []any{1.5, "x", nil}
	sub["quantity"] = 10
	return &fakeSubscription{t: t, current: sub, version: 1}
}

func (f *fakeSubscription) body() []byte {
	f.current["attributes"] = map[string]any{"objectType": "Subscription", "etag": fmt.Sprintf("etag-%d", f.version)}
	b, _ := json.Marshal(f.current)
	return b
}

func (f *fakeSubscription) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.rec.record(r)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, string(f.body()))
	case http.MethodPatch:
		reqs := f.rec.byMethod(http.MethodPatch)
		n := f.patches
		f.patches++
		if f.script != nil && f.script(n, w, r) {
			return
		}
		if r.Header.Get("If-Match") != fmt.Sprintf("etag-%d", f.version) {
			writeJSON(w, http.StatusBadRequest, `{"code":2055,"description":"Etag is no longer valid"}`)
			return
		}
		var next map[string]any
		if err := json.Unmarshal(reqs[len(reqs)-1].body, &next); err != nil {
			f.t.Errorf("PATCH body: %v", err)
		}
		f.current = next
		f.version++
		writeJSON(w, http.StatusOK, string(f.body()))
	default:
		f.t.Errorf("unexpected %s", r.Method)
	}
}

func TestUpdateSubscriptionSendsTheSubscriptionAsReadWithOneMemberChanged(t *testing.T) {
	tests := []struct {
		change SubscriptionChange
		member string
		check  func(s *Subscription) bool
	}{
		{ChangeQuantity(12), "quantity", func(s *Subscription) bool { return *s.Quantity == 12 }},
		{ChangeAutoRenew(false), "autoRenewEnabled", func(s *Subscription) bool { return !*s.AutoRenewEnabled }},
		{ChangeFriendlyName("Sales seats"), "friendlyName", func(s *Subscription) bool { return *s.FriendlyName == "Sales seats" }},
		{ChangeStatus(SubscriptionStatusSuspended), "status", func(s *Subscription) bool { return *s.Status == "suspended" }},
	}
	for _, tt := range tests {
		t.Run(tt.member, func(t *testing.T) {
			fake := newFakeSubscription(t)
			env := newAPITestClient(t, fake)
			got, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, tt.change)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(&got.Subscription) || got.ETag != "etag-2" {
				t.Errorf("result %+v, etag %q", got.Subscription, got.ETag)
			}
			gets, patches := fake.rec.byMethod(http.MethodGet), fake.rec.byMethod(http.MethodPatch)
			if len(patches) != 1 || len(gets) != 1 {
				t.Fatalf("%d GETs, %d PATCHes; want a read and one PATCH, whose 200 answers with the result", len(gets), len(patches))
			}
			p := patches[0]
			if p.path != "/v1/customers/"+commerceCustomerID+"/subscriptions/"+updateSubscriptionID ||
				p.header.Get("If-Match") != "etag-1" || p.header.Get("Content-Type") != "application/json" {
				t.Errorf("PATCH %s with headers %v", p.path, p.header)
			}
			// The body is the first read's, member for member, but for the change.
			fresh := newFakeSubscription(t)
			sameJSONExcept(t, fresh.body(), p.body, tt.member)
			if !strings.Contains(string(p.body), `"aMemberFromTheFuture":[1.5,"x",null]`) ||
				!strings.Contains(string(p.body), `"scheduledNextTermInstructions"`) {
				t.Errorf("unknown members lost: %s", p.body)
			}
			if !strings.Contains(string(got.Raw), `"aMemberFromTheFuture"`) {
				t.Errorf("Raw lacks unknown members: %s", got.Raw)
			}
		})
	}
}

func TestUpdateSubscriptionAlreadyDoneSendsNothing(t *testing.T) {
	fake := newFakeSubscription(t)
	env := newAPITestClient(t, fake)
	got, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeQuantity(10))
	if err != nil {
		t.Fatal(err)
	}
	if *got.Subscription.Quantity != 10 || len(fake.rec.byMethod(http.MethodPatch)) != 0 {
		t.Errorf("quantity %v after %d PATCHes, want 10 after none", *got.Subscription.Quantity, len(fake.rec.byMethod(http.MethodPatch)))
	}
}

func TestUpdateSubscriptionStaleETagIsReadAgainAndRetriedOnce(t *testing.T) {
	fake := newFakeSubscription(t)
	// Someone else changes the subscription between our read and our PATCH.
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		if n == 0 {
			fake.current["friendlyName"] = "renamed elsewhere"
			fake.version++
		}
		return false
	}
	env := newAPITestClient(t, fake)
	got, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeQuantity(4))
	if err != nil {
		t.Fatal(err)
	}
	patches := fake.rec.byMethod(http.MethodPatch)
	if len(patches) != 2 || patches[0].header.Get("If-Match") != "etag-1" || patches[1].header.Get("If-Match") != "etag-2" {
		t.Fatalf("%d PATCHes; want the stale one and one retry with the new etag", len(patches))
	}
	// The retry carries the other writer's change: it was read again.
	if *got.Subscription.FriendlyName != "renamed elsewhere" || *got.Subscription.Quantity != 4 {
		t.Errorf("result %+v", got.Subscription)
	}

	// Stale twice: the second refusal is returned.
	fake = newFakeSubscription(t)
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		writeJSON(w, http.StatusBadRequest, `{"code":"2055","description":"Etag is no longer valid"}`)
		return true
	}
	env = newAPITestClient(t, fake)
	_, err = env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeQuantity(4))
	if !errors.Is(err, ErrStaleETag) || fake.patches != 2 {
		t.Errorf("err = %v after %d PATCHes, want ErrStaleETag after 2", err, fake.patches)
	}
}

func TestUpdateSubscriptionWaitsWhileNotReady(t *testing.T) {
	fake := newFakeSubscription(t)
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		if n < 2 {
			writeJSON(w, http.StatusConflict, `{"code":800082,"description":"Subscription is not ready to be updated"}`)
			return true
		}
		return false
	}
	env := newAPITestClient(t, fake)
	got, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeAutoRenew(false))
	if err != nil {
		t.Fatal(err)
	}
	if *got.Subscription.AutoRenewEnabled || fake.patches != 3 || len(env.waits()) != 2 {
		t.Errorf("auto-renew %v after %d PATCHes and %d waits", *got.Subscription.AutoRenewEnabled, fake.patches, len(env.waits()))
	}
	// Every PATCH was sent as a separate operation: each gets its own request id.
	patches := fake.rec.byMethod(http.MethodPatch)
	if patches[0].header.Get("MS-RequestId") == patches[2].header.Get("MS-RequestId") {
		t.Error("a new PATCH after a wait must carry a new MS-RequestId")
	}

	// A deadline too close for the wait returns the refusal.
	fake = newFakeSubscription(t)
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		writeJSON(w, http.StatusConflict, `{"code":800082,"description":"not ready"}`)
		return true
	}
	env = newAPITestClient(t, fake, func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = time.Minute, time.Minute })
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err = env.client.UpdateSubscription(ctx, commerceCustomerID, updateSubscriptionID, ChangeAutoRenew(false))
	if !errors.Is(err, ErrSubscriptionNotReady) || fake.patches != 1 {
		t.Errorf("err = %v after %d PATCHes", err, fake.patches)
	}
}

func TestUpdateSubscriptionTypedRefusal(t *testing.T) {
	fake := newFakeSubscription(t)
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		writeJSON(w, http.StatusBadRequest, fixture(t, "commerce-error-800090.json"))
		return true
	}
	env := newAPITestClient(t, fake)
	_, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeQuantity(1))
	var apiErr *APIError
	if !errors.Is(err, ErrSeatDecreaseWindowPassed) || !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || fake.patches != 1 {
		t.Fatalf("err = %v after %d PATCHes", err, fake.patches)
	}
	for _, want := range []string{updateSubscriptionID, commerceCustomerID, "error code 800090", "cannot be decreased"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestUpdateSubscriptionFollowsAcceptedLocation(t *testing.T) {
	fake := newFakeSubscription(t)
	var polls int
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		fake.current["status"] = "deleted"
		fake.version++
		w.Header().Set("Location", "/customers/"+commerceCustomerID+"/operations/op-1")
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(http.StatusAccepted)
		return true
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/customers/"+commerceCustomerID+"/subscriptions/", fake)
	mux.HandleFunc("/v1/customers/"+commerceCustomerID+"/operations/op-1", func(w http.ResponseWriter, r *http.Request) {
		polls++
		if polls < 3 {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusAccepted)
			return
		}
		writeJSON(w, http.StatusOK, `{"status":"succeeded"}`)
	})
	env := newAPITestClient(t, mux)
	got, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeStatus(SubscriptionStatusDeleted))
	if err != nil {
		t.Fatal(err)
	}
	if *got.Subscription.Status != "deleted" || polls != 3 {
		t.Errorf("status %q after %d polls", *got.Subscription.Status, polls)
	}
	if w := env.waits(); len(w) != 3 || w[0] != 3*time.Second || w[1] != 7*time.Second || w[2] != 7*time.Second {
		t.Errorf("waits %v, want Retry-After's 3s, 7s, 7s", w)
	}
}

func TestUpdateSubscriptionRefusesLocationElsewhere(t *testing.T) {
	fake := newFakeSubscription(t)
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Location", "https://attacker.example/steal")
		w.WriteHeader(http.StatusAccepted)
		return true
	}
	env := newAPITestClient(t, fake)
	_, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeQuantity(3))
	var ire *InvalidResponseError
	if !errors.As(err, &ire) || !strings.Contains(err.Error(), "https://attacker.example") {
		t.Fatalf("err = %v, want the other origin refused", err)
	}
}

// acceptedThen answers every PATCH 202 with a Location whose first poll
// answers status (200) and leaves the subscription as it was, or, with
// apply, stores the change first.
func acceptedThen(t *testing.T, fake *fakeSubscription, status string, apply bool) http.Handler {
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		if apply {
			reqs := fake.rec.byMethod(http.MethodPatch)
			var next map[string]any
			if err := json.Unmarshal(reqs[len(reqs)-1].body, &next); err != nil {
				t.Errorf("PATCH body: %v", err)
			}
			fake.current = next
			fake.version++
		}
		w.Header().Set("Location", "/customers/"+commerceCustomerID+"/operations/op-1")
		w.WriteHeader(http.StatusAccepted)
		return true
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/customers/"+commerceCustomerID+"/subscriptions/", fake)
	mux.HandleFunc("/v1/customers/"+commerceCustomerID+"/operations/op-1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, status)
	})
	return mux
}

func TestUpdateSubscriptionFailedOperationIsNotDone(t *testing.T) {
	fake := newFakeSubscription(t)
	env := newAPITestClient(t, acceptedThen(t, fake, `{"status":"failed","error":{"code":"800002","description":"The seat change could not be completed."}}`, false))
	_, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeQuantity(5))
	var notApplied *ChangeNotAppliedError
	if !errors.Is(err, ErrChangeNotApplied) || !errors.As(err, &notApplied) {
		t.Fatalf("err = %v, want the change reported as not made", err)
	}
	if notApplied.Current == nil || *notApplied.Current.Subscription.Quantity != 10 {
		t.Errorf("Current = %+v, want the subscription read back (10 seats)", notApplied.Current)
	}
	for _, want := range []string{"ended failed", "800002", "could not be completed", "quantity 10, not 5"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestUpdateSubscriptionAcceptedButNotShownIsNotDone(t *testing.T) {
	fake := newFakeSubscription(t)
	env := newAPITestClient(t, acceptedThen(t, fake, `{"status":"succeeded"}`, false))
	_, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeStatus(SubscriptionStatusDeleted))
	var notApplied *ChangeNotAppliedError
	if !errors.As(err, &notApplied) || notApplied.Current == nil || *notApplied.Current.Subscription.Status != "active" {
		t.Fatalf("err = %v, want the change reported as not made with the active subscription", err)
	}
	if gets := len(fake.rec.byMethod(http.MethodGet)); gets != 1+maxPolls+1 {
		t.Errorf("%d GETs, want the first read and %d reads back", gets, maxPolls+1)
	}

	// Applied: done, with the subscription read back.
	fake = newFakeSubscription(t)
	env = newAPITestClient(t, acceptedThen(t, fake, `{"status":"succeeded"}`, true))
	got, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeBillingCycle("annual"))
	if err != nil || *got.Subscription.BillingCycle != "annual" {
		t.Fatalf("err = %v, result %+v", err, got)
	}
}

func TestUpdateSubscriptionPreconditionFailedIsReadAgain(t *testing.T) {
	fake := newFakeSubscription(t)
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		if n == 0 {
			writeJSON(w, http.StatusPreconditionFailed, `{"code":"1000","description":"Precondition failed"}`)
			return true
		}
		return false
	}
	env := newAPITestClient(t, fake)
	got, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeQuantity(4))
	if err != nil || *got.Subscription.Quantity != 4 || fake.patches != 2 || len(fake.rec.byMethod(http.MethodGet)) != 2 {
		t.Fatalf("err = %v after %d PATCHes and %d GETs, want a read again and one retry", err, fake.patches, len(fake.rec.byMethod(http.MethodGet)))
	}
}

// A 202 without a Location has no operation to follow: the subscription is
// read until it shows the change, however many reads that takes within the
// deadline, and a change it never shows is not said to have finished.
func TestUpdateSubscriptionAcceptedWithoutLocationIsReadUntilTheDeadline(t *testing.T) {
	// acceptedLater answers each PATCH 202 with no Location and makes the
	// change show from the showAt-th GET after it (never when 0).
	acceptedLater := func(fake *fakeSubscription, showAt int) http.Handler {
		var pending map[string]any
		getsAfter := 0
		fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
			reqs := fake.rec.byMethod(http.MethodPatch)
			if err := json.Unmarshal(reqs[len(reqs)-1].body, &pending); err != nil {
				t.Errorf("PATCH body: %v", err)
			}
			w.WriteHeader(http.StatusAccepted)
			return true
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && pending != nil {
				fake.mu.Lock()
				if getsAfter++; getsAfter == showAt {
					fake.current, pending = pending, nil
					fake.version++
				}
				fake.mu.Unlock()
			}
			fake.ServeHTTP(w, r)
		})
	}

	// Shown at the tenth read back: done.
	fake := newFakeSubscription(t)
	env := newAPITestClient(t, acceptedLater(fake, 10))
	got, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeQuantity(12))
	if err != nil || *got.Subscription.Quantity != 12 {
		t.Fatalf("err = %v, result %+v; want the change read back", err, got)
	}
	if gets := len(fake.rec.byMethod(http.MethodGet)); gets != 1+10 {
		t.Errorf("%d GETs, want the first read and 10 reads back", gets)
	}

	// Never shown: read, waiting as the backoff says, until the deadline.
	fake = newFakeSubscription(t)
	env = newAPITestClient(t, acceptedLater(fake, 0))
	env.client.sleep = sleepContext
	// The deadline leaves the first read and the PATCH room on a loaded
	// machine; the reads after them are what is measured.
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = env.client.UpdateSubscription(ctx, commerceCustomerID, updateSubscriptionID, ChangeQuantity(12))
	var notApplied *ChangeNotAppliedError
	if !errors.As(err, &notApplied) || notApplied.Current == nil || *notApplied.Current.Subscription.Quantity != 10 {
		t.Fatalf("err = %v, want the change reported as not made with the subscription's 10 seats", err)
	}
	if elapsed := time.Since(start); elapsed < 1000*time.Millisecond {
		t.Errorf("gave up after %s, want reads until near the 1.5s deadline", elapsed)
	}
	for _, want := range []string{"202 Accepted) with no Location to follow", "until the timeout did not show it", "quantity 10, not 12"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "finished") {
		t.Errorf("message %q says the change finished", err)
	}
}

// A billing cycle Partner Center answers as scheduled for the renewal, not
// made now, is not done, and the error says where it went.
func TestUpdateSubscriptionBillingCycleScheduledIsNotDone(t *testing.T) {
	fake := newFakeSubscription(t)
	fake.script = func(n int, w http.ResponseWriter, r *http.Request) bool {
		fake.current["scheduledNextTermInstructions"] = map[string]any{"product": map[string]any{"billingCycle": "annual"}, "quantity": 10}
		fake.version++
		writeJSON(w, http.StatusOK, string(fake.body()))
		return true
	}
	env := newAPITestClient(t, fake)
	_, err := env.client.UpdateSubscription(t.Context(), commerceCustomerID, updateSubscriptionID, ChangeBillingCycle("annual"))
	var notApplied *ChangeNotAppliedError
	if !errors.As(err, &notApplied) || notApplied.Current == nil {
		t.Fatalf("err = %v, want the change reported as not made", err)
	}
	for _, want := range []string{"billingCycle \"monthly\", not annual", "scheduled for the renewal (scheduledNextTermInstructions)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}
