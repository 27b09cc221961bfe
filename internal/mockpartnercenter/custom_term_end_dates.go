package mockpartnercenter

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

const RouteCustomTermEndDates Route = "custom_term_end_dates" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteCustomTermEndDates, "GET " + customerPattern + "/subscriptions/customTermEndDates",
	exampleCustomer + "/subscriptions/customTermEndDates", (*Server).serveCustomTermEndDates})

type endDate struct { // an item of "Get custom term end dates"
	Type string   `json:"allowedCustomTermEndDateType"`
	IDs  []string `json:"cotermSubscriptionIds,omitempty"`
	Date string   `json:"allowedCustomTermEndDate"`
}

// serveCustomTermEndDates answers for a purchase starting on term_start_date, or today.
func (s *Server) serveCustomTermEndDates(w http.ResponseWriter, r *http.Request) {
	q, customerID, start := r.URL.Query(), r.PathValue("customerID"), today()
	if day, ok := parseDay(q.Get("term_start_date")); ok && !day.Before(start) {
		start = day
	}
	if !slices.Contains([]string{"P1M", "P1Y", "P3Y"}, q.Get("term_duration")) || (q.Has("term_start_date") && start.Format(time.DateOnly) != q.Get("term_start_date")) {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The term duration must be P1M, P1Y or P3Y, and the term start date a day not in the past.")
		return
	}
	s.answerCustomer(w, r, customerID, false, routeFaults{}, func() answer {
		col := newCollection("/customers/"+customerID+"/subscriptions/customTermEndDates?"+r.URL.RawQuery, 0)
		for _, d := range s.customTermEndDatesLocked(customerID, q.Get("term_duration"), start, q.Get("target_coterm_subscription_id")) {
			raw, _ := marshal(d) // strings only
			col.Items, col.TotalCount = append(col.Items, raw), col.TotalCount+1
		}
		return answer{status: http.StatusOK, body: mustMarshalCollection(col)}
	})
}

// customTermEndDatesLocked are the end dates of a purchase of term starting
// on start. Calendar-month-aligned: the end of the month in which the term
// would end (the day before its anniversary), which fits the page's sample
// (P1M bought on 2023-07-01: 2023-07-31). Subscription-aligned: per distinct
// commitment end of the customer's active subscriptions (only target's,
// when given) within (start, start+term], those subscriptions.
func (s *Server) customTermEndDatesLocked(customerID, term string, start time.Time, target string) []endDate {
	const layout = "2006-01-02T15:04:05" // the page's form
	end, last, byDay := start.AddDate(0, termMonths(term), 0), start.AddDate(0, termMonths(term), -1), map[time.Time][]string{}
	dates := []endDate{{Type: "calendarMonthAligned", Date: time.Date(last.Year(), last.Month()+1, 0, 0, 0, 0, 0, time.UTC).Format(layout)}}
	for _, sub := range s.subscriptions[customerKey(customerID)] {
		day, ok := parseDay(stringAt(sub.doc, "commitmentEndDate"))
		if ok && stringAt(sub.doc, "status") == "active" && day.After(start) && !day.After(end) && (target == "" || strings.EqualFold(target, sub.id())) {
			byDay[day] = append(byDay[day], sub.id())
		}
	}
	for _, day := range slices.SortedFunc(maps.Keys(byDay), time.Time.Compare) {
		dates = append(dates, endDate{Type: "subscriptionAligned", IDs: byDay[day], Date: day.Format(layout)})
	}
	return dates
}

// parseDay reads the day of a date written with or without a time.
func parseDay(text string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, text[:min(len(text), len(time.DateOnly))])
	return t, err == nil
}

func today() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }
