package partnercenter

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadCredentialFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "token")
	if err := os.WriteFile(small, []byte("eyJ.token"), 0o600); err != nil {
		t.Fatal(err)
	}
	large := filepath.Join(dir, "large")
	if err := os.WriteFile(large, make([]byte, 2049), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if got, err := ReadCredentialFile(small, 2048); err != nil || string(got) != "eyJ.token" {
		t.Errorf("small file: %q, %v", got, err)
	}
	for path, want := range map[string]string{
		large:       "larger than 2 KiB",
		fifo:        "not a regular file (a named pipe)",
		"/dev/zero": "not a regular file (a device)",
		dir:         "not a regular file (a directory)",
	} {
		// Reading the FIFO would block this test forever.
		if _, err := ReadCredentialFile(path, 2048); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", path, err, want)
		}
	}
}
