package mockpartnercenter

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// continuation is what an MS-ContinuationToken stands for.
type continuation struct {
	Offset int         `json:"o"`
	Filter *listFilter `json:"f,omitempty"`
	Nonce  []byte      `json:"n"`
}

// encodeContinuation returns an opaque token: payload and an HMAC of it, in
// standard base64 so it carries '+', '/' and '=' like real tokens carry odd
// characters: a client must pass it back verbatim, not URL-encoded. The
// random nonce keeps two tokens for the same page different.
func (s *Server) encodeContinuation(c continuation) string {
	c.Nonce = make([]byte, 8)
	_, _ = rand.Read(c.Nonce)
	payload, err := json.Marshal(c)
	if err != nil {
		return ""
	}
	p := base64.StdEncoding.EncodeToString(payload)
	return p + "." + base64.StdEncoding.EncodeToString(s.mac(p))
}

// decodeContinuation verifies and decodes a token; any change to it fails.
func (s *Server) decodeContinuation(tok string) (continuation, error) {
	var c continuation
	p, m, ok := strings.Cut(tok, ".")
	if !ok {
		return c, errors.New("malformed token")
	}
	mac, err := base64.StdEncoding.DecodeString(m)
	if err != nil || !hmac.Equal(mac, s.mac(p)) {
		return c, errors.New("bad token signature")
	}
	payload, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		return c, errors.New("malformed token payload")
	}
	if err := json.Unmarshal(payload, &c); err != nil || c.Offset < 0 {
		return c, errors.New("malformed token payload")
	}
	return c, nil
}

func (s *Server) mac(payload string) []byte {
	h := hmac.New(sha256.New, s.hmacKey)
	_, _ = h.Write([]byte(payload))
	return h.Sum(nil)[:16] // 16 bytes: the base64 always ends in "==", which must survive verbatim
}
