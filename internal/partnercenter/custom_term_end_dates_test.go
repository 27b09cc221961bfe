package partnercenter

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The documented answer decodes, and the optional query strings are sent
// only when given.
func TestListCustomTermEndDates_documentedAnswer(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, http.StatusOK, fixture(t, "custom-term-end-dates.json"))
	}))
	dates, err := env.client.ListCustomTermEndDates(t.Context(), "c1", "P1M", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(dates) != 2 || *dates[0].Type != EndDateCalendarMonthAligned || *dates[0].EndDate != "2023-07-31T00:00:00" ||
		dates[0].CotermSubscriptionIDs != nil {
		t.Fatalf("dates %+v", dates)
	}
	if d := dates[1]; *d.Type != EndDateSubscriptionAligned || *d.EndDate != "2023-08-01T00:00:00" || len(d.CotermSubscriptionIDs) != 2 ||
		!strings.HasPrefix(d.CotermSubscriptionIDs[1], "d30a9ff9-") {
		t.Errorf("second date %+v", d)
	}
	if _, err := env.client.ListCustomTermEndDates(t.Context(), "c1", "P1Y", "2030-01-15", "s1"); err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if reqs[0].path != "/v1/customers/c1/subscriptions/customTermEndDates" || reqs[0].query != "term_duration=P1M" {
		t.Errorf("first request %s?%s", reqs[0].path, reqs[0].query)
	}
	if q, _ := url.ParseQuery(reqs[1].query); q.Get("term_duration") != "P1Y" || q.Get("term_start_date") != "2030-01-15" ||
		q.Get("target_coterm_subscription_id") != "s1" {
		t.Errorf("second request's query %s", reqs[1].query)
	}
}

// Past 300 dates the page hands a continuation token, which is followed;
// a date without its date cannot be told from another and is refused.
func TestListCustomTermEndDates_pagesAndRefusesDatelessItems(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("MS-ContinuationToken") {
		case "":
			writeJSON(w, http.StatusOK, `{"totalCount":1,"items":[{"allowedCustomTermEndDateType":"calendarMonthAligned",`+
				`"allowedCustomTermEndDate":"2031-01-31T00:00:00"}],"links":{"next":{"uri":"/customers/c1/subscriptions/`+
				`customTermEndDates?term_duration=P1Y&seekOperation=Next","method":"GET","headers":[{"key":"MS-ContinuationToken","value":"t1"}]}}}`)
		case "t1":
			writeJSON(w, http.StatusOK, `{"totalCount":1,"items":[{"allowedCustomTermEndDateType":"subscriptionAligned",`+
				`"allowedCustomTermEndDate":"2031-01-15T00:00:00","cotermSubscriptionIds":["s9"]}]}`)
		}
	}))
	dates, err := env.client.ListCustomTermEndDates(t.Context(), "c1", "P1Y", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(dates) != 2 || *dates[1].EndDate != "2031-01-15T00:00:00" || dates[1].CotermSubscriptionIDs[0] != "s9" {
		t.Fatalf("dates %+v", dates)
	}
	dateless := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `{"totalCount":1,"items":[{"allowedCustomTermEndDateType":"subscriptionAligned"}]}`)
	}))
	if _, err := dateless.client.ListCustomTermEndDates(t.Context(), "c1", "P1Y", "", ""); err == nil || !strings.Contains(err.Error(), "no id") {
		t.Errorf("a date without its date: %v", err)
	}
}

// An end date, a commitment end and a bare day name the same day; the
// cart's form is the sample's.
func TestCustomTermEndDateDays(t *testing.T) {
	for _, text := range []string{"2023-07-31T00:00:00", "2023-07-31T00:00:00Z", "2023-07-31"} {
		if day, ok := DayOf(text); !ok || CustomTermEndDateOf(day) != "2023-07-31T00:00:00Z" {
			t.Errorf("%q: %v %v", text, day, ok)
		}
	}
	for _, text := range []string{"", "2023-7-31", "31/07/2023"} {
		if _, ok := DayOf(text); ok {
			t.Errorf("%q names a day", text)
		}
	}
}
