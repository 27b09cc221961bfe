package partnercenter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"
)

// contractVersion is the MS-Contract-Version every request sends; the REST
// headers page marks the header required.
const contractVersion = "v1"

// responseInfo identifies the response an operation ended with.
type responseInfo struct {
	Operation                string
	StatusCode               int
	RequestID, CorrelationID string
	Attempts                 int
	// Graph is true for a Microsoft Graph call: the ids are Graph's
	// request-id and client-request-id.
	Graph bool
	// Header is the last response's header, nil when none arrived.
	Header http.Header
}

// request is one operation as the caller sees it. Every attempt of it
// carries the same MS-RequestId, which Partner Center treats as the
// operation's idempotency key: "if there's a timeout, the retry call should
// include the same value".
type request struct {
	operation string
	method    string
	url       string
	// body is the JSON sent with every attempt, nil for none.
	body []byte
	// header holds extra headers, e.g. If-Match or MS-ContinuationToken.
	header http.Header
	// repeatable must say, for a method other than GET and HEAD, why sending
	// the request again after a failure whose outcome is unknown (a 5xx, a
	// dropped connection) cannot buy or create twice. The reason lives at
	// the call site, beside the request it is about; do refuses a write
	// without one.
	repeatable string
	// sentOnce, for a write Partner Center does not document as
	// idempotent, says how the caller learns the outcome instead: such a
	// request is sent once, and a failure whose outcome is unknown is
	// returned rather than retried. Only a throttled (429) request, which
	// was not processed, is sent again.
	sentOnce string
	// accept lists the success statuses; nil means 200 only.
	accept []int
	// out receives the decoded body of a success other than 202 and 204;
	// nil discards the body.
	out any
}

// attempt is the state of one request across its attempts.
type attempt struct {
	*request
	requestID     string
	correlationID string
	attempts      int
	retries       int
	renewed       bool
	redact        *secretRedactor
	// graph selects Microsoft Graph's names of the request ids.
	graph bool
}

// errUnsafeWrite is a programming error: a write without a stated reason
// why repeating it is safe.
var errUnsafeWrite = errors.New("a write must state why repeating it is safe before it is sent")

// do performs r with retries and token renewal, and decodes an accepted
// response into r.out.
func (c *Client) do(ctx context.Context, r *request) (responseInfo, error) {
	a := &attempt{request: r, requestID: uuid.NewString(), correlationID: c.correlationID, redact: c.redact, graph: c.graph}
	if c.graph {
		// Graph's client-request-id names one request, not a session.
		a.correlationID = a.requestID
	}
	if r.method != http.MethodGet && r.method != http.MethodHead && r.repeatable == "" && r.sentOnce == "" {
		return a.info(nil), fmt.Errorf("%s: %w", r.operation, errUnsafeWrite)
	}
	for {
		a.attempts++
		token, err := c.tokens.Token(ctx)
		if err != nil {
			return a.info(nil), fmt.Errorf("%s: %w", r.operation, err)
		}
		if token == nil || token.AccessToken == "" {
			return a.info(nil), fmt.Errorf("%s: the token source returned no access token", r.operation)
		}
		// Before sending it, so that an answer quoting it is redacted.
		c.redact.remember(rotatingAccessToken, token.AccessToken)
		resp, err := c.send(ctx, a, token)
		if err != nil {
			if !isRetryableTransportError(err) || ctx.Err() != nil || r.sentOnce != "" {
				return a.info(nil), a.transportError(err)
			}
			if err := c.wait(ctx, a, 0, false, a.transportError(err), map[string]any{"error": c.redact.text(err.Error())}); err != nil {
				return a.info(nil), err
			}
			continue
		}
		info := a.info(resp)
		switch {
		case r.accepts(resp.StatusCode):
			err := c.decodeSuccess(ctx, r, resp, info)
			return info, err
		case resp.StatusCode == http.StatusUnauthorized && !a.renewed:
			// The cached token may have been revoked or have expired early:
			// renew it once. This is not a transient failure, so it does
			// not use up a retry. A token refused for lacking MFA or for its
			// audience would be refused again: no renewal then.
			if apiErr := c.apiError(resp, info); apiErr.MFARequired() || apiErr.Code == CodeWrongAudience {
				return info, apiErr
			}
			a.renewed = true
			c.tokens.Invalidate(token)
			c.log.Debug(ctx, c.service()+" rejected the access token; renewing it and retrying", map[string]any{
				"operation": r.operation, "request_id": a.requestID, "attempt": a.attempts,
			})
			continue
		}
		apiErr := c.apiError(resp, info)
		if !isRetryableStatus(resp.StatusCode) || (r.sentOnce != "" && resp.StatusCode != http.StatusTooManyRequests) {
			return info, classify(apiErr)
		}
		wait, hinted := retryAfter(resp.Header, c.now())
		if err := c.wait(ctx, a, wait, hinted, classify(apiErr), map[string]any{"status": resp.StatusCode}); err != nil {
			return info, err
		}
	}
}

func (r *request) accepts(status int) bool {
	if r.accept == nil {
		return status == http.StatusOK
	}
	return slices.Contains(r.accept, status)
}

// decodeSuccess decodes an accepted response into r.out. A 202 (the
// operation goes on; its Location says where to look) and a 204 have no
// body worth reading, and neither has the answer to HEAD.
func (c *Client) decodeSuccess(ctx context.Context, r *request, resp *http.Response, info responseInfo) error {
	defer closeBody(resp)
	if r.out == nil || r.method == http.MethodHead ||
		resp.StatusCode == http.StatusAccepted || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	err := decodeResponse(resp, info, c.maxBody, r.out)
	if err != nil && ctx.Err() != nil {
		// The body was cut off by the caller, not malformed.
		return fmt.Errorf("%s: reading the response: %w", r.operation, context.Cause(ctx))
	}
	return err
}

// getJSON performs a GET and decodes a 200 response into out.
func (c *Client) getJSON(ctx context.Context, operation, url string, header http.Header, out any) (responseInfo, error) {
	return c.do(ctx, &request{operation: operation, method: http.MethodGet, url: url, header: header, out: out})
}

// send makes one HTTP attempt and logs it at trace level. Bodies are never
// logged: a customer's creation answers with its administrator's password.
func (c *Client) send(ctx context.Context, a *attempt, token *oauth2.Token) (*http.Response, error) {
	var body io.Reader
	if a.body != nil {
		body = bytes.NewReader(a.body)
	}
	req, err := http.NewRequestWithContext(ctx, a.method, a.url, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range a.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	// Set after the extra headers so that a server-provided continuation
	// header can never replace these.
	req.Header.Set("Authorization", "Bearer "+token.AccessToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if a.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.graph {
		setGraphHeaders(req.Header, a.requestID)
	} else {
		req.Header.Set("MS-Contract-Version", contractVersion)
		req.Header.Set("MS-RequestId", a.requestID)
		req.Header.Set("MS-CorrelationId", c.correlationID)
		if c.appName != "" {
			req.Header.Set("MS-PartnerCenter-Application", c.appName)
		}
	}
	start := time.Now()
	resp, err := c.httpClient.Do(req)
	fields := map[string]any{
		// A next link is the server's text: it could quote a token.
		"method": req.Method, "url": c.redact.text(a.url), "request_id": a.requestID,
		"attempt": a.attempts, "duration": time.Since(start).String(),
	}
	if err != nil {
		fields["error"] = c.redact.text(err.Error())
	} else {
		fields["status"] = resp.StatusCode
	}
	c.log.Trace(ctx, c.service()+" request", fields)
	return resp, err
}

// wait sleeps before the next attempt of a, or returns lastErr when no
// attempt is left or the wait would outlast ctx. hinted says whether d
// came from Retry-After; otherwise the backoff decides.
func (c *Client) wait(ctx context.Context, a *attempt, d time.Duration, hinted bool, lastErr error, fields map[string]any) error {
	if a.retries >= c.maxRetries {
		return lastErr
	}
	if !hinted {
		d = c.backoff(a.retries)
	}
	fields["operation"] = a.operation
	fields["request_id"] = a.requestID
	fields["attempt"] = a.attempts
	fields["wait"] = d.String()
	if passesDeadline(ctx, d) {
		c.log.Debug(ctx, c.service()+" request not retried: the wait would pass the context deadline", fields)
		return lastErr
	}
	a.retries++
	c.log.Debug(ctx, c.service()+" request failed; retrying", fields)
	if err := c.sleep(ctx, d); err != nil {
		return fmt.Errorf("%s: cancelled while waiting %s to retry: %w; last attempt: %w", a.operation, d, err, lastErr)
	}
	return nil
}

// apiError reads the body of a failed response into an *APIError.
func (c *Client) apiError(resp *http.Response, info responseInfo) *APIError {
	defer closeBody(resp)
	body, _ := io.ReadAll(io.LimitReader(resp.Body, min(c.maxBody, maxErrorBodyBytes)))
	d := parseErrorBody(body, resp.Header.Get("Content-Type"), c.redact)
	if c.graph {
		// Graph repeats its ids in the body; a response whose headers
		// were lost (a gateway's answer) may still carry them there.
		if resp.Header.Get(graphRequestIDHeader) == "" && d.RequestID != "" {
			info.RequestID = d.RequestID
		}
		if resp.Header.Get(graphClientRequestIDHeader) == "" && d.ClientRequestID != "" {
			info.CorrelationID = d.ClientRequestID
		}
	}
	return &APIError{
		Graph:         c.graph,
		Operation:     info.Operation,
		StatusCode:    resp.StatusCode,
		Status:        c.redact.text(resp.Status),
		Challenge:     challengeDescription(resp.Header.Values("WWW-Authenticate"), c.redact),
		Code:          d.Code,
		Description:   d.Description,
		ErrorName:     d.Name,
		Retryable:     d.Retryable,
		Data:          d.Data,
		Source:        d.Source,
		RequestID:     info.RequestID,
		CorrelationID: info.CorrelationID,
		Attempts:      info.Attempts,
	}
}

// info prefers the identifiers the server echoed, which are the ones its
// logs hold, and falls back to those that were sent.
func (a *attempt) info(resp *http.Response) responseInfo {
	info := responseInfo{
		Operation: a.operation, RequestID: a.requestID,
		CorrelationID: a.correlationID, Attempts: a.attempts, Graph: a.graph,
	}
	if a.graph {
		// Graph's request-id is the server's; until it answers, the
		// client-request-id is the only id there is.
		info.RequestID = ""
	}
	if resp == nil {
		return info
	}
	info.StatusCode = resp.StatusCode
	info.Header = resp.Header
	requestIDHeader, correlationIDHeader := "MS-RequestId", "MS-CorrelationId"
	if a.graph {
		requestIDHeader, correlationIDHeader = graphRequestIDHeader, graphClientRequestIDHeader
	}
	if v := a.redact.text(resp.Header.Get(requestIDHeader)); v != "" {
		info.RequestID = v
	}
	if v := a.redact.text(resp.Header.Get(correlationIDHeader)); v != "" {
		info.CorrelationID = v
	}
	return info
}

func (a *attempt) transportError(err error) error {
	requestID := a.requestID
	if a.graph {
		requestID = "" // Graph names it, and no answer came: the client-request-id is the id
	}
	return fmt.Errorf("%s%s: %w", a.operation, idSuffixFor(a.graph, requestID, a.correlationID, a.attempts), err)
}

// closeBody drains a little of the body so that the connection can be
// reused, then closes it.
func closeBody(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}
