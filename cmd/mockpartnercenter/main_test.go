package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer lets the test read what run prints while run is still going.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunServesUntilCancelled(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(t.Context())
	var out syncBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-customers", "3", "-ready-file", ready, "-latency", "1ms", "-rate-limit", "50/5s"}, &out, io.Discard)
	}()

	var url string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(ready); err == nil {
			url = strings.TrimSpace(string(b))
			break
		}
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("ready file URL %q", url)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"/_mock/stats", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var stats struct {
		RateLimit string `json:"rate_limit"`
	}
	err = json.NewDecoder(resp.Body).Decode(&stats)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("stats: %d %v", resp.StatusCode, err)
	}
	if stats.RateLimit != "50/5s" {
		t.Errorf("rate limit in force %q, want the flag's 50/5s", stats.RateLimit)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("run: %v", err)
	}
	if want := "mock Partner Center listening on " + url + "\n"; out.String() != want {
		t.Fatalf("stdout %q, want %q", out.String(), want)
	}
}

func TestRunRefusesBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-addr", ":8080"},
		{"-no-such-flag"},
		{"extra"},
		{"-rate-limit", "50"},
		{"-rate-limit", "0/5s"},
		{"-rate-limit", "50/soon"},
	} {
		var out, errOut bytes.Buffer
		if err := run(t.Context(), args, &out, &errOut); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
		// An unknown flag is answered with the usage, so the user sees the flags there are.
		if args[0] == "-no-such-flag" && !strings.Contains(errOut.String(), "-customers") {
			t.Errorf("run(%q) wrote no usage to stderr: %q", args, errOut.String())
		}
	}
}
