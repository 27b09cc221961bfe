package partnercenter

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Kinds of custom term end date ("Get custom term end dates").
const (
	// EndDateCalendarMonthAligned ends the term at the end of a calendar month.
	EndDateCalendarMonthAligned = "calendarMonthAligned"
	// EndDateSubscriptionAligned ends the term with existing subscriptions.
	EndDateSubscriptionAligned = "subscriptionAligned"
)

// CustomTermEndDate is an end date a new subscription of a term may be
// bought with, instead of the term's own end.
type CustomTermEndDate struct {
	// Type is EndDateCalendarMonthAligned or EndDateSubscriptionAligned.
	Type *string `json:"allowedCustomTermEndDateType"`
	// EndDate is the date as Partner Center writes it, such as
	// "2023-07-31T00:00:00".
	EndDate *string `json:"allowedCustomTermEndDate"`
	// CotermSubscriptionIDs are the subscriptions a subscription-aligned
	// date ends with.
	CotermSubscriptionIDs []string `json:"cotermSubscriptionIds"`
}

// DayOf is the day a date of Partner Center's names (its first ten
// characters, YYYY-MM-DD), false when it names none: an end date is written
// without a zone ("2023-07-31T00:00:00"), a commitmentEndDate with one
// ("2023-07-31T00:00:00Z"), for the same day.
func DayOf(date string) (time.Time, bool) {
	day, err := time.Parse(time.DateOnly, date[:min(len(date), len(time.DateOnly))])
	return day, err == nil
}

// CustomTermEndDateOf writes a day as a cart line's customTermEndDate, the
// form of "Create a cart"'s sample ("2022-02-19T00:00:00Z").
func CustomTermEndDateOf(day time.Time) string { return day.Format(time.DateOnly) + "T00:00:00Z" }

// ListCustomTermEndDates returns the end dates a purchase of a new
// subscription of termDuration (P1M, P1Y or P3Y) for the customer may
// take. termStartDate, the intended purchase date (YYYY-MM-DD, not in the
// past), and targetCotermSubscriptionID, the one subscription to end with,
// are optional (""). Partner Center computes these dates for purchases only,
// never for renewals.
func (c *Client) ListCustomTermEndDates(ctx context.Context, customerID, termDuration, termStartDate, targetCotermSubscriptionID string) ([]CustomTermEndDate, error) {
	what := fmt.Sprintf("list the custom term end dates of a %s purchase for customer %q", termDuration, customerID)
	if strings.TrimSpace(customerID) == "" || strings.TrimSpace(termDuration) == "" {
		return nil, fmt.Errorf("%s: the customer id and the term duration must not be empty", what)
	}
	query := url.Values{"term_duration": {termDuration}}
	if termStartDate != "" {
		query.Set("term_start_date", termStartDate)
	}
	if targetCotermSubscriptionID != "" {
		query.Set("target_coterm_subscription_id", targetCotermSubscriptionID)
	}
	// The page pages by continuation token past 300 dates, as other
	// collections do.
	return listAll[CustomTermEndDate](ctx, c, what, c.subscriptionsURL(customerID)+"/customTermEndDates?"+query.Encode(), 0)
}
