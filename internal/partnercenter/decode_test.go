package partnercenter

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		limit   int64
		wantErr string
	}{
		{"exactly at the cap", `{"id":"abc"}`, 12, ""},
		{"one byte over the cap", `{"id":"abcd"}`, 12, "too large"},
		{"white space after the value", "{\"id\":\"a\"}\n\n", 100, ""},
		{"white space past the cap", `{"id":"a"}` + strings.Repeat(" ", 200), 100, "too large"},
		{"trailing value", `{"id":"a"}{"id":"b"}`, 100, "unexpected data after the JSON value"},
		{"trailing garbage", `{"id":"a"} x`, 100, "unexpected data after the JSON value"},
		{"empty", "", 100, "empty body"},
		{"truncated", `{"id":`, 100, "unexpected EOF"},
		{"wrong type", `{"id":5}`, 100, "cannot unmarshal number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Customer
			// OneByteReader makes the cap meet every read boundary.
			err := decodeJSON(iotest.OneByteReader(strings.NewReader(tt.body)), tt.limit, &c)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if tt.wantErr == "too large" && !errors.Is(err, errBodyTooLarge) {
				t.Errorf("err = %v, want errBodyTooLarge", err)
			}
		})
	}
}

func TestIsJSONMediaType(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json":                true,
		"application/json; charset=utf-8": true,
		"application/problem+json":        true,
		"text/html":                       false,
		"":                                false,
		"application/jsonx":               false,
	} {
		if got := isJSONMediaType(ct); got != want {
			t.Errorf("isJSONMediaType(%q) = %t", ct, got)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{16 << 20: "16 MiB", 1024: "1 KiB", 1500: "1500 bytes", 3 << 19: "1536 KiB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
