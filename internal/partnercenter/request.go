package partnercenter

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"
)

// contractVersion is the MS-Contract-Version every request sends; the REST
// headers page marks the header required.
const contractVersion = "v1"

// responseInfo identifies the response a read ended with.
type responseInfo struct {
	Operation                string
	StatusCode               int
	RequestID, CorrelationID string
	Attempts                 int
}

// logicalRead is one GET as the caller sees it: every attempt of it carries
// the same MS-RequestId so that the service can recognise the retries.
type logicalRead struct {
	operation     string
	url           string
	header        http.Header // extra headers, e.g. MS-ContinuationToken
	requestID     string
	correlationID string
	attempts      int
	retries       int
	renewed       bool
	redact        *secretRedactor
}

// getJSON performs a GET with retries and token renewal and decodes a 200
// response into out.
func (c *Client) getJSON(ctx context.Context, operation, url string, header http.Header, out any) (responseInfo, error) {
	r := &logicalRead{
		operation: operation, url: url, header: header,
		requestID: uuid.NewString(), correlationID: c.correlationID,
		redact: c.redact,
	}
	for {
		r.attempts++
		token, err := c.tokens.Token(ctx)
		if err != nil {
			return r.info(nil), fmt.Errorf("%s: %w", operation, err)
		}
		if token == nil || token.AccessToken == "" {
			return r.info(nil), fmt.Errorf("%s: the token source returned no access token", operation)
		}
		// Before sending it, so that an answer quoting it is redacted.
		c.redact.remember(rotatingAccessToken, token.AccessToken)
		resp, err := c.send(ctx, r, token)
		if err != nil {
			if !isRetryableTransportError(err) || ctx.Err() != nil {
				return r.info(nil), r.transportError(err)
			}
			if err := c.wait(ctx, r, 0, false, r.transportError(err), map[string]any{"error": c.redact.text(err.Error())}); err != nil {
				return r.info(nil), err
			}
			continue
		}
		info := r.info(resp)
		switch {
		case resp.StatusCode == http.StatusOK:
			err := decodeResponse(resp, info, c.maxBody, out)
			closeBody(resp)
			if err != nil && ctx.Err() != nil {
				// The body was cut off by the caller, not malformed.
				return info, fmt.Errorf("%s: reading the response: %w", operation, context.Cause(ctx))
			}
			return info, err
		case resp.StatusCode == http.StatusUnauthorized && !r.renewed:
			// The cached token may have been revoked or have expired early:
			// renew it once. This is not a transient failure, so it does
			// not use up a retry. A token refused for lacking MFA or for its
			// audience would be refused again: no renewal then.
			if apiErr := c.apiError(resp, info); apiErr.MFARequired() || apiErr.Code == CodeWrongAudience {
				return info, apiErr
			}
			r.renewed = true
			c.tokens.Invalidate(token)
			c.log.Debug(ctx, "Partner Center rejected the access token; renewing it and retrying", map[string]any{
				"operation": operation, "request_id": r.requestID, "attempt": r.attempts,
			})
			continue
		}
		apiErr := c.apiError(resp, info)
		if !isRetryableStatus(resp.StatusCode) {
			return info, apiErr
		}
		wait, hinted := retryAfter(resp.Header, c.now())
		if err := c.wait(ctx, r, wait, hinted, apiErr, map[string]any{"status": resp.StatusCode}); err != nil {
			return info, err
		}
	}
}

// send makes one HTTP attempt and logs it at trace level.
func (c *Client) send(ctx context.Context, r *logicalRead, token *oauth2.Token) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range r.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	// Set after the extra headers so that a server-provided continuation
	// header can never replace these.
	req.Header.Set("Authorization", "Bearer "+token.AccessToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("MS-Contract-Version", contractVersion)
	req.Header.Set("MS-RequestId", r.requestID)
	req.Header.Set("MS-CorrelationId", c.correlationID)
	req.Header.Set("User-Agent", c.userAgent)
	if c.appName != "" {
		req.Header.Set("MS-PartnerCenter-Application", c.appName)
	}
	start := time.Now()
	resp, err := c.httpClient.Do(req)
	fields := map[string]any{
		// A next link is the server's text: it could quote a token.
		"method": req.Method, "url": c.redact.text(r.url), "request_id": r.requestID,
		"attempt": r.attempts, "duration": time.Since(start).String(),
	}
	if err != nil {
		fields["error"] = c.redact.text(err.Error())
	} else {
		fields["status"] = resp.StatusCode
	}
	c.log.Trace(ctx, "Partner Center request", fields)
	return resp, err
}

// wait sleeps before the next attempt of r, or returns lastErr when no
// attempt is left or the wait would outlast ctx. hinted says whether d
// came from Retry-After; otherwise the backoff decides.
func (c *Client) wait(ctx context.Context, r *logicalRead, d time.Duration, hinted bool, lastErr error, fields map[string]any) error {
	if r.retries >= c.maxRetries {
		return lastErr
	}
	if !hinted {
		d = c.backoff(r.retries)
	}
	fields["operation"] = r.operation
	fields["request_id"] = r.requestID
	fields["attempt"] = r.attempts
	fields["wait"] = d.String()
	if passesDeadline(ctx, d) {
		c.log.Debug(ctx, "Partner Center read not retried: the wait would pass the context deadline", fields)
		return lastErr
	}
	r.retries++
	c.log.Debug(ctx, "Partner Center read failed; retrying", fields)
	if err := c.sleep(ctx, d); err != nil {
		return fmt.Errorf("%s: cancelled while waiting %s to retry: %w; last attempt: %w", r.operation, d, err, lastErr)
	}
	return nil
}

// apiError reads the body of a failed response into an *APIError.
func (c *Client) apiError(resp *http.Response, info responseInfo) *APIError {
	defer closeBody(resp)
	body, _ := io.ReadAll(io.LimitReader(resp.Body, min(c.maxBody, maxErrorBodyBytes)))
	d := parseErrorBody(body, resp.Header.Get("Content-Type"), c.redact)
	return &APIError{
		Operation:     info.Operation,
		StatusCode:    resp.StatusCode,
		Status:        c.redact.text(resp.Status),
		Challenge:     challengeDescription(resp.Header.Values("WWW-Authenticate"), c.redact),
		Code:          d.Code,
		Description:   d.Description,
		Data:          d.Data,
		Source:        d.Source,
		RequestID:     info.RequestID,
		CorrelationID: info.CorrelationID,
		Attempts:      info.Attempts,
	}
}

// info prefers the identifiers the server echoed, which are the ones its
// logs hold, and falls back to those that were sent.
func (r *logicalRead) info(resp *http.Response) responseInfo {
	info := responseInfo{
		Operation: r.operation, RequestID: r.requestID,
		CorrelationID: r.correlationID, Attempts: r.attempts,
	}
	if resp == nil {
		return info
	}
	info.StatusCode = resp.StatusCode
	if v := r.redact.text(resp.Header.Get("MS-RequestId")); v != "" {
		info.RequestID = v
	}
	if v := r.redact.text(resp.Header.Get("MS-CorrelationId")); v != "" {
		info.CorrelationID = v
	}
	return info
}

func (r *logicalRead) transportError(err error) error {
	return fmt.Errorf("%s%s: %w", r.operation, idSuffix(r.requestID, r.correlationID, r.attempts), err)
}

// closeBody drains a little of the body so that the connection can be
// reused, then closes it.
func closeBody(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}
