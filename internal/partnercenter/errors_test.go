package partnercenter

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestAPIErrorFromResponses(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		noIDs       bool // the response lacks MS-RequestId and MS-CorrelationId
		sentinel    error
		want        APIError
	}{
		{
			name: "404 with entities", status: 404, contentType: "application/json", sentinel: ErrNotFound,
			body: `{"code":3000,"description":"Customer &#39;x&#39; could not be found","data":["a &amp; b"],"source":"PartnerFD"}`,
			want: APIError{Code: "3000", Description: "Customer 'x' could not be found", Data: []string{"a & b"}, Source: "PartnerFD"},
		},
		{
			name: "401 from the edge without a body", status: 401, sentinel: ErrUnauthorized, noIDs: true,
			want: APIError{},
		},
		{
			name: "403 with a string code", status: 403, contentType: "application/json", sentinel: ErrForbidden,
			body: `{"code":"2002","description":"The partner does not have a relationship with the customer."}`,
			want: APIError{Code: "2002", Description: "The partner does not have a relationship with the customer."},
		},
		{
			name: "429", status: 429, contentType: "application/json", sentinel: ErrThrottled,
			body: `{"code":429,"description":"Too many requests"}`,
			want: APIError{Code: "429", Description: "Too many requests"},
		},
		{
			name: "429 in the throttling gateway's shape", status: 429, contentType: "application/json", sentinel: ErrThrottled,
			body: `{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds."}`,
			want: APIError{Description: "Rate limit is exceeded. Try again in 57 seconds."},
		},
		{
			name: "404 with a numeric code", status: 404, contentType: "application/json", sentinel: ErrNotFound,
			body: `{"code":1000,"description":"Not found","data":[],"source":"PartnerFD"}`,
			want: APIError{Code: "1000", Description: "Not found", Source: "PartnerFD"},
		},
		{
			name: "404 with a string code", status: 404, contentType: "application/json", sentinel: ErrNotFound,
			body: `{"code":"60003","description":"Tenant not found","source":"PartnerFD"}`,
			want: APIError{Code: "60003", Description: "Tenant not found", Source: "PartnerFD"},
		},
		{
			name: "403 no relationship", status: 403, contentType: "application/json", sentinel: ErrForbidden,
			body: `{"code":20002,"description":"No relationship between caller and account","source":"PartnerFD"}`,
			want: APIError{Code: CodeNoRelationship, Description: "No relationship between caller and account", Source: "PartnerFD"},
		},
		{
			name: "401 wrong audience, code as a string", status: 401, contentType: "application/json", sentinel: ErrUnauthorized,
			body: `{"code":"900420","description":"The token audience is not valid."}`,
			want: APIError{Code: CodeWrongAudience, Description: "The token audience is not valid."},
		},
		{
			name: "500 with nested JSON", status: 500, contentType: "application/json",
			body: `{"code":600,"description":"{\"error\":{\"code\":\"X\",\"message\":\"Inner &#39;failure&#39;\"}}"}`,
			want: APIError{Code: "600", Description: "Inner 'failure'"},
		},
		{
			name: "502 gateway page", status: 502, contentType: "text/html", noIDs: true,
			body: "<html><body>Bad Gateway</body></html>",
			want: APIError{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !tt.noIDs {
					w.Header().Set("MS-RequestId", "resp-request-id")
					w.Header().Set("MS-CorrelationId", "resp-correlation-id")
				}
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}), func(c *Config) { c.MaxRetries = new(0) })
			_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
			var got *APIError
			if !errors.As(err, &got) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			want := tt.want
			want.Operation = `get customer "` + fixtureCustomerID + `"`
			want.StatusCode = tt.status
			want.Status = fmt.Sprintf("%d %s", tt.status, http.StatusText(tt.status))
			want.RequestID, want.CorrelationID = "resp-request-id", "resp-correlation-id"
			want.Attempts = 1
			if tt.status == 401 && want.Code != CodeWrongAudience {
				want.Attempts = 2 // the token renewal, pointless for a wrong audience
			}
			if tt.noIDs {
				// Fall back to what was sent.
				want.RequestID = got.RequestID
				want.CorrelationID = env.client.CorrelationID()
				if got.RequestID == "" {
					t.Error("no request id to report")
				}
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %+v\nwant %+v", *got, want)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(err, %v) = false", tt.sentinel)
			}
			if msg := err.Error(); !strings.Contains(msg, http.StatusText(tt.status)) || strings.ContainsAny(msg, "\r\n") {
				t.Errorf("message %q: want the status text on one line", msg)
			}
		})
	}
}

func TestAPIErrorMessage(t *testing.T) {
	e := &APIError{
		Operation: `get customer "c1"`, StatusCode: 404, Code: "3000",
		Description: "Customer not found\r\nsecond line", Data: []string{"x", "y"},
		RequestID: "r1", CorrelationID: "c9", Attempts: 3,
	}
	want := `get customer "c1": HTTP 404 Not Found, error code 3000: Customer not found  second line [x; y] (MS-RequestId r1, MS-CorrelationId c9, 3 attempts)`
	if got := e.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	bare := &APIError{Operation: "list customers (page 1)", StatusCode: 502, Attempts: 1}
	if got := bare.Error(); got != "list customers (page 1): HTTP 502 Bad Gateway" {
		t.Errorf("Error() = %q", got)
	}
	for _, s := range []error{ErrNotFound, ErrUnauthorized, ErrForbidden, ErrThrottled} {
		if errors.Is(bare, s) {
			t.Errorf("a 502 matches %v", s)
		}
	}
}

func TestInvalidResponseErrorMessage(t *testing.T) {
	inner := errors.New("unexpected EOF")
	e := &InvalidResponseError{
		Operation: "list customers (page 2)", Reason: "malformed JSON", StatusCode: 200,
		RequestID: "r1", CorrelationID: "c1", Err: inner,
	}
	want := "list customers (page 2): invalid response (HTTP 200): malformed JSON: unexpected EOF (MS-RequestId r1, MS-CorrelationId c1)"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, inner) {
		t.Error("Unwrap should expose the decoding error")
	}
}

func TestParseErrorBody(t *testing.T) {
	long := strings.Repeat("é", maxServerTextRunes+10)
	tests := []struct {
		name, contentType, body string
		want                    errorDetails
	}{
		{name: "empty", want: errorDetails{}},
		{name: "numeric code", body: `{"code": 2007, "description": "bad", "source": "PartnerFD"}`,
			want: errorDetails{Code: "2007", Description: "bad", Source: "PartnerFD"}},
		{name: "entities", body: `{"description":"can&#39;t &lt;do&gt; &quot;it&quot;"}`,
			want: errorDetails{Description: `can't <do> "it"`}},
		{name: "nested JSON description", body: `{"code":1,"description":"{\"description\":\"inner\"}"}`,
			want: errorDetails{Code: "1", Description: "inner"}},
		{name: "nested JSON behind entities", body: `{"description":"{&quot;message&quot;:&quot;inner &#39;x&#39;&quot;}"}`,
			want: errorDetails{Description: "inner 'x'"}},
		{name: "nested JSON without a message stays as text", body: `{"description":"{\"a\":1}"}`,
			want: errorDetails{Description: `{"a":1}`}},
		{name: "gateway envelope", body: `{"error":{"code":"InvalidAuthenticationToken","message":"Token expired"}}`,
			want: errorDetails{Code: "InvalidAuthenticationToken", Description: "Token expired"}},
		{name: "message instead of description", body: `{"message":"An error has occurred."}`,
			want: errorDetails{Description: "An error has occurred."}},
		{name: "odd types", body: `{"code":null,"description":{"x":1},"data":"single"}`,
			want: errorDetails{Description: `{"x":1}`, Data: []string{"single"}}},
		{name: "data of mixed types", body: `{"data":["a",2,null,{"k":"v"}]}`,
			want: errorDetails{Data: []string{"a", "2", `{"k":"v"}`}}},
		{name: "plain text", contentType: "text/plain", body: "upstream timed out\n",
			want: errorDetails{Description: "upstream timed out"}},
		{name: "HTML", contentType: "text/html", body: "<html>502</html>", want: errorDetails{}},
		{name: "HTML without a content type", body: "<!DOCTYPE html><p>x</p>", want: errorDetails{}},
		{name: "binary", body: "\xff\xfe\x00", want: errorDetails{}},
		{name: "control characters", body: "{\"description\":\"a\\u0000b\\nc\"}",
			want: errorDetails{Description: "a b c"}},
		{name: "long text is clipped", body: `{"description":"` + long + `"}`,
			want: errorDetails{Description: strings.Repeat("é", maxServerTextRunes) + "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrorBody([]byte(tt.body), tt.contentType, nil)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// A 401 without a body: the reason phrase and the challenge are all there is.
func TestAPIErrorKeepsStatusLineAndChallenge(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// net/http cannot send a reason phrase of its own: write the response by hand.
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		writeRawResponse(t, buf, "HTTP/1.1 401 MFA Required\r\n"+
			`WWW-Authenticate: Bearer realm="api.partnercenter.microsoft.com", error="invalid_token", `+
			`error_description="Multi-factor authentication is required: \"amr\" lacks mfa"`+"\r\n"+
			"Content-Length: 0\r\nConnection: close\r\n\r\n")
	}), func(c *Config) { c.MaxRetries = new(0) })
	_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
	var got *APIError
	if !errors.As(err, &got) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if got.Status != "401 MFA Required" {
		t.Errorf("Status = %q, want the reason phrase as sent", got.Status)
	}
	if want := `Multi-factor authentication is required: "amr" lacks mfa`; got.Challenge != want {
		t.Errorf("Challenge = %q, want %q", got.Challenge, want)
	}
	if !got.MFARequired() {
		t.Error("MFARequired() = false")
	}
	if msg := got.Error(); !strings.Contains(msg, "HTTP 401 MFA Required") || !strings.Contains(msg, "WWW-Authenticate: Multi-factor") {
		t.Errorf("message %q lacks the status line or the challenge", msg)
	}
}

func writeRawResponse(t *testing.T, buf *bufio.ReadWriter, response string) {
	t.Helper()
	if _, err := buf.WriteString(response); err != nil {
		t.Error(err)
	}
	if err := buf.Flush(); err != nil {
		t.Error(err)
	}
}

func TestAPIErrorMFARequired(t *testing.T) {
	tests := []struct {
		name string
		err  APIError
		want bool
	}{
		{"code 900421", APIError{StatusCode: 401, Code: CodeMFARequired}, true},
		{"reason phrase", APIError{StatusCode: 401, Status: "401 MFA is required"}, true},
		{"challenge", APIError{StatusCode: 401, Challenge: "Multifactor authentication required"}, true},
		{"description", APIError{StatusCode: 401, Description: "The token lacks an MFA claim."}, true},
		{"plain 401", APIError{StatusCode: 401, Status: "401 Unauthorized", Challenge: "The access token expired"}, false},
		{"MFA as part of a word", APIError{StatusCode: 401, Description: "mfaxyz"}, false},
		{"403 mentioning MFA", APIError{StatusCode: 403, Code: CodeMFARequired, Description: "MFA"}, false},
	}
	for _, tt := range tests {
		if got := tt.err.MFARequired(); got != tt.want {
			t.Errorf("%s: MFARequired() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestChallengeDescription(t *testing.T) {
	tests := []struct {
		headers []string
		want    string
	}{
		{nil, ""},
		{[]string{`Bearer realm="x"`}, ""},
		{[]string{`Bearer realm="x", error="invalid_token", error_description="The access token expired"`}, "The access token expired"},
		{[]string{`Bearer error_description="say \"hi\"", realm="x"`}, `say "hi"`},
		{[]string{`Bearer realm="x"`, `Bearer error_description=bare_token`}, "bare_token"},
		{[]string{"Bearer error_description=\"a\r\nb\""}, "a  b"},
		{[]string{`Bearer xerror_description="not this one"`}, ""},
	}
	for _, tt := range tests {
		if got := challengeDescription(tt.headers, nil); got != tt.want {
			t.Errorf("challengeDescription(%q) = %q, want %q", tt.headers, got, tt.want)
		}
	}
	// A challenge is server text too: the token it echoes is redacted.
	echo := []string{`Bearer error_description="token opaque-token+/= expired"`}
	if got := challengeDescription(echo, newSecretRedactor("opaque-token+/=")); strings.Contains(got, "opaque-token") {
		t.Errorf("challengeDescription kept the token: %q", got)
	}
}
