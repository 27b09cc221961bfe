package partnercenter

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// errBodyTooLarge is returned by cappedReader once the cap is passed.
var errBodyTooLarge = errors.New("response body too large")

// cappedReader reads at most limit bytes and fails, rather than silently
// truncating, when the body has more: a cut-off JSON document could still
// decode into a plausible but incomplete value.
type cappedReader struct {
	r     io.Reader
	limit int64 // bytes still allowed
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.limit < 0 {
		return 0, errBodyTooLarge
	}
	// Ask for one byte beyond the cap so that a body of exactly limit
	// bytes is accepted and a longer one is detected.
	if int64(len(p)) > c.limit+1 {
		p = p[:c.limit+1]
	}
	n, err := c.r.Read(p)
	c.limit -= int64(n)
	if c.limit < 0 {
		return n + int(c.limit), errBodyTooLarge
	}
	return n, err
}

// streamDecoder is a value that decodes itself token by token from the
// response stream rather than from one buffered document.
type streamDecoder interface {
	decodeStream(dec *json.Decoder) error
}

// decodeJSON streams exactly one JSON value from r into out, reading at
// most limit bytes. Trailing data other than white space is an error, so
// that two concatenated documents are not mistaken for one.
func decodeJSON(r io.Reader, limit int64, out any) error {
	dec := json.NewDecoder(&cappedReader{r: r, limit: limit})
	var err error
	if s, ok := out.(streamDecoder); ok {
		err = s.decodeStream(dec)
	} else {
		err = dec.Decode(out)
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty body")
		}
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil || !errors.Is(err, errBodyTooLarge) {
			return errors.New("unexpected data after the JSON value")
		}
		return err
	}
	return nil
}

// decodeResponse decodes a 200 response into out, or explains why it
// cannot in an *InvalidResponseError.
func decodeResponse(resp *http.Response, info responseInfo, limit int64, out any) error {
	err := decodeJSON(resp.Body, limit, out)
	if err == nil {
		return nil
	}
	ire := &InvalidResponseError{
		Graph:         info.Graph,
		Operation:     info.Operation,
		StatusCode:    resp.StatusCode,
		RequestID:     info.RequestID,
		CorrelationID: info.CorrelationID,
	}
	contentType := resp.Header.Get("Content-Type")
	var unusable *contentError
	switch {
	case errors.Is(err, errBodyTooLarge):
		ire.Reason = "response body exceeds " + formatBytes(limit)
	case errors.As(err, &unusable):
		ire.Reason = unusable.reason
	case !isJSONMediaType(contentType):
		ire.Reason = fmt.Sprintf("content type %q is not JSON", contentType)
		ire.Err = err
	default:
		ire.Reason = "malformed JSON"
		ire.Err = err
	}
	return ire
}

// isJSONMediaType accepts application/json and the +json family.
func isJSONMediaType(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
