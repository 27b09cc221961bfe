package partnercenter

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
)

// The transition as Microsoft's sample writes it: "Events" capitalised and
// a status with a trailing space.
const transitionSample = `{"fromCatalogItemId":"CFQ7TTC0LH18:0001:CFQ7TTC0K971","fromSubscriptionId":"s1",
"toCatalogItemId":"CFQ7TTC0LF8S:0001:CFQ7TTC0LF8R","toSubscriptionId":"s2","quantity":3,"termDuration":"P1Y",
"billingCycle":"monthly","transitionType":"transition_with_license_transfer",
"Events":[{"name":"Conversion","status":"Started ","timestamp":"2026-01-01T00:00:00Z"}],"attributes":{"objectType":"Transition"}}`

// The POST sends the body once and the answer decodes case-insensitively.
func TestCreateTransition_sendsBodyAndDecodes(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, http.StatusOK, transitionSample)
	}))
	got, err := env.client.CreateTransition(t.Context(), "c1", "s1", TransitionRequest{ToCatalogItemID: "CFQ7TTC0LF8S:0001:CFQ7TTC0LF8R",
		Quantity: 3, TermDuration: "P1Y", BillingCycle: "monthly", TransitionType: TransitionTypeLicenseTransfer})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status() != TransitionStarted || *got.ToSubscriptionID != "s2" || *got.Quantity != 3 {
		t.Errorf("transition %+v, status %q", got, got.Status())
	}
	reqs := rec.all()
	if len(reqs) != 1 || reqs[0].method != http.MethodPost || reqs[0].path != "/v1/customers/c1/subscriptions/s1/transitions" {
		t.Fatalf("requests %+v", reqs)
	}
	var body map[string]any
	if err := json.Unmarshal(reqs[0].body, &body); err != nil {
		t.Fatal(err)
	}
	if body["toCatalogItemId"] != "CFQ7TTC0LF8S:0001:CFQ7TTC0LF8R" || body["quantity"] != 3.0 || body["transitionType"] != TransitionTypeLicenseTransfer ||
		body["termDuration"] != "P1Y" || body["billingCycle"] != "monthly" || body["toSubscriptionId"] != nil {
		t.Errorf("body %s", reqs[0].body)
	}
}

// A 5xx or a dropped connection after the POST is returned, never
// retried: the transition may have been made. A 429 is retried.
func TestCreateTransition_notRetriedAfterUnknownOutcome(t *testing.T) {
	for name, answer := range map[string]func(http.ResponseWriter){
		"server error": func(w http.ResponseWriter) {
			writeJSON(w, http.StatusInternalServerError, `{"code":500,"description":"internal"}`)
		},
		"dropped connection": func(w http.ResponseWriter) {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			var rec recorder
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.record(r)
				answer(w)
			}))
			_, err := env.client.CreateTransition(t.Context(), "c1", "s1", TransitionRequest{ToCatalogItemID: "p:s:a", Quantity: 1,
				TransitionType: TransitionTypeOnly})
			if err == nil || len(rec.all()) != 1 {
				t.Fatalf("err %v after %d requests, want an error after 1", err, len(rec.all()))
			}
			var apiErr *APIError
			if name == "server error" && (!errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError) {
				t.Errorf("error %v is not the 500", err)
			}
			if name == "dropped connection" && errors.As(err, &apiErr) {
				t.Errorf("error %v is an API error", err)
			}
		})
	}
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec.record(r) == 0 {
			writeJSON(w, http.StatusTooManyRequests, `{"code":429,"description":"throttled"}`)
			return
		}
		writeJSON(w, http.StatusOK, transitionSample)
	}))
	if _, err := env.client.CreateTransition(t.Context(), "c1", "s1", TransitionRequest{ToCatalogItemID: "p:s:a", Quantity: 1,
		TransitionType: TransitionTypeOnly}); err != nil || len(rec.all()) != 2 {
		t.Errorf("after a 429: err %v, %d requests, want the retry's success", err, len(rec.all()))
	}
}

// The history decodes each transition with its events; the last event
// decides the status.
func TestListTransitions_history(t *testing.T) {
	completed := `{"toCatalogItemId":"p:s:a","Events":[{"name":"Conversion","status":"Started","timestamp":"t1"},` +
		`{"name":"Conversion","status":"Completed","timestamp":"t2"}]}`
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"transition":[`+transitionSample+`,`+completed+`],"attributes":{"objectType":"Collection"}}`)
	}))
	history, err := env.client.ListTransitions(t.Context(), "c1", "s1")
	if err != nil {
		t.Fatal(err)
	}
	if history.RequestID != "resp-request-id" || history.CorrelationID != "resp-correlation-id" {
		t.Errorf("ids %q, %q", history.RequestID, history.CorrelationID)
	}
	got := history.Transitions
	if len(got) != 2 || got[0].Status() != TransitionStarted || got[1].Status() != TransitionCompleted {
		t.Fatalf("history %+v", got)
	}
	if text := got[1].EventsText(); text != "Conversion Started at t1, Conversion Completed at t2" {
		t.Errorf("events text %q", text)
	}
}

// Where the seats are is the Conversion event's word, whatever follows it;
// InProgress reads as started; the first event's timestamp orders
// transitions.
func TestTransition_statusOfItsEvents(t *testing.T) {
	for name, c := range map[string]struct {
		events       string
		status, seat string
	}{
		"in progress":          {`[{"name":"Conversion","status":"InProgress","timestamp":"2026-01-01T00:00:00.1234567Z"}]`, TransitionStarted, ""},
		"reassignment failed":  {`[{"name":"Conversion","status":"Completed"},{"name":"SeatReassignment","status":"Failed"}]`, TransitionCompleted, TransitionFailed},
		"reassignment ongoing": {`[{"name":"Conversion","status":"Completed"},{"name":"SeatReassignment","status":"InProgress"}]`, TransitionCompleted, TransitionStarted},
		"unnamed events":       {`[{"status":"Started "},{"status":"Failed"}]`, TransitionFailed, ""},
		"no events":            {`[]`, "", ""},
	} {
		var tr Transition
		if err := json.Unmarshal([]byte(`{"events":`+c.events+`}`), &tr); err != nil {
			t.Fatal(err)
		}
		if got, seat := tr.Status(), tr.EventStatus(TransitionEventSeatReassignment); got != c.status || seat != c.seat {
			t.Errorf("%s: status %q, seat reassignment %q; want %q, %q", name, got, seat, c.status, c.seat)
		}
	}
	var tr Transition
	_ = json.Unmarshal([]byte(`{"events":[{"timestamp":"2026-01-01T00:00:00.1234567Z"},{"timestamp":"2027-01-01T00:00:00Z"}]}`), &tr)
	if got := tr.StartedAt(); got.Year() != 2026 || got.Nanosecond() != 123456700 {
		t.Errorf("started at %v", got)
	}
}
