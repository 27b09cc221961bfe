package mockpartnercenter

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// checkThrottleBody checks a 429 in the live rate limiter's shape; a
// non-empty retryAfter must be the header and appear in the message.
func checkThrottleBody(t *testing.T, resp *http.Response, body []byte, retryAfter string) {
	t.Helper()
	var b struct {
		StatusCode int    `json:"statusCode"`
		Message    string `json:"message"`
	}
	decodeJSON(t, body, &b)
	if resp.StatusCode != http.StatusTooManyRequests || b.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, body %s: want 429 in both", resp.StatusCode, body)
	}
	want := "Rate limit is exceeded."
	if retryAfter != "" {
		want = "Rate limit is exceeded. Try again in " + retryAfter + " seconds."
		if got := resp.Header.Get("Retry-After"); got != retryAfter {
			t.Fatalf("Retry-After %q, want %q", got, retryAfter)
		}
	}
	if b.Message != want {
		t.Fatalf("message %q, want %q", b.Message, want)
	}
}

func TestParseRateLimit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want RateLimit
	}{
		{"50/5s", RateLimit{50, 5 * time.Second}},
		{" 500 / 1m ", RateLimit{500, time.Minute}},
		{"", RateLimit{}},
		{"off", RateLimit{}},
	} {
		got, err := ParseRateLimit(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseRateLimit(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if again, err := ParseRateLimit(got.String()); err != nil || again != got {
			t.Errorf("%q does not survive String: %q", tc.in, got.String())
		}
	}
	for _, bad := range []string{"50", "0/5s", "-1/5s", "x/5s", "50/0s", "50/-1s", "50/soon"} {
		if _, err := ParseRateLimit(bad); err == nil {
			t.Errorf("ParseRateLimit(%q) accepted", bad)
		}
	}
}

// The limit admits N requests per sliding window and refuses the rest like
// the live service, with the wait until a slot frees.
func TestRateLimit(t *testing.T) {
	const window = 2 * time.Second
	s, ts := newTestServer(t, Options{RateLimit: RateLimit{Requests: 3, Window: window}})
	tok := accessToken(t, ts.URL)
	path := "/v1/customers/" + DocumentedCustomerID
	start := time.Now()
	for i := range 3 {
		if resp, body := apiGet(t, ts.URL, tok, path, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	resp, body := apiGet(t, ts.URL, tok, "/v1/customers?size=1", nil) // every route counts
	checkThrottleBody(t, resp, body, resp.Header.Get("Retry-After"))
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 2 {
		t.Fatalf("Retry-After %q, want 1 or 2 seconds", resp.Header.Get("Retry-After"))
	}
	if resp.Header.Get("MS-RequestId") == "" {
		t.Error("a throttled answer lacks MS-RequestId")
	}
	if s.ThrottledRequests() != 1 || s.TotalAPIRequests() != 4 {
		t.Errorf("throttled %d of %d, want 1 of 4", s.ThrottledRequests(), s.TotalAPIRequests())
	}
	// Waiting as told is enough: the oldest request has left the window.
	time.Sleep(time.Until(start.Add(window)) + 50*time.Millisecond)
	if resp, body := apiGet(t, ts.URL, tok, path, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("after the window: %d %s", resp.StatusCode, body)
	}
	// Requests without a valid token are refused before they count.
	s.setRateLimit(RateLimit{Requests: 1, Window: time.Hour})
	for range 3 {
		if resp, _ := apiGet(t, ts.URL, "not-a-token", path, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bad token: %d", resp.StatusCode)
		}
	}
	if resp, body := apiGet(t, ts.URL, tok, path, nil); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a lower limit must count the requests already admitted: %d %s", resp.StatusCode, body)
	}
	s.setRateLimit(RateLimit{})
	if resp, _ := apiGet(t, ts.URL, tok, path, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("limit off: %d", resp.StatusCode)
	}
}

func TestAdminRateLimit(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	if resp, body := adminDo(t, http.MethodPost, ts.URL+"/_mock/rate-limit", `{"rate_limit":"1/1m"}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("set: %d %s", resp.StatusCode, body)
	}
	path := "/v1/customers/" + DocumentedCustomerID
	apiGet(t, ts.URL, tok, path, nil)
	if resp, _ := apiGet(t, ts.URL, tok, path, nil); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second request: %d, want 429", resp.StatusCode)
	}
	var st adminStats
	_, body := adminDo(t, http.MethodGet, ts.URL+"/_mock/stats", "")
	decodeJSON(t, []byte(body), &st)
	if st.RateLimit != "1/1m0s" || st.ThrottledRequests != 1 {
		t.Fatalf("stats %s", body)
	}
	if resp, body := adminDo(t, http.MethodPost, ts.URL+"/_mock/rate-limit", `{"rate_limit":"fast"}`); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad limit: %d %s", resp.StatusCode, body)
	}
	adminDo(t, http.MethodPost, ts.URL+"/_mock/rate-limit", `{"rate_limit":"off"}`)
	if resp, _ := apiGet(t, ts.URL, tok, path, nil); resp.StatusCode != http.StatusOK || s.ThrottledRequests() != 1 {
		t.Fatalf("limit off: %d", resp.StatusCode)
	}
}
