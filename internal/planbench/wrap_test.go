package planbench

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// helperEnv makes the test binary, started by Wrap as its child, act as a
// tiny fake provider instead of running tests.
const helperEnv = "PLANBENCH_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "exit3" {
		// Touch some memory so the recorded peak RSS is clearly non-zero.
		buf := make([]byte, 8<<20)
		for i := range buf {
			buf[i] = byte(i)
		}
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestWrapRecordsChildAndPassesExitCode(t *testing.T) {
	t.Setenv(helperEnv, "exit3") // inherited by the child: Wrap passes our environment
	rssFile := filepath.Join(t.TempDir(), "procs.txt")
	before := time.Now()

	code := Wrap(os.Args[0], []string{"-test.run=^$"}, rssFile)
	if code != 3 {
		t.Errorf("exit code %d, want the child's 3", code)
	}
	recs, err := ReadProcRecords(rssFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	r := recs[0]
	if r.Start.Before(before.Add(-time.Second)) || r.End.Before(r.Start) {
		t.Errorf("implausible lifetime %v .. %v", r.Start, r.End)
	}
	if runtime.GOOS == "linux" && r.MaxRSSKiB < 8*1024 {
		t.Errorf("peak RSS %d KiB, want at least the 8 MiB the child touched", r.MaxRSSKiB)
	}

	// A second process appends rather than overwrites.
	if code := Wrap(os.Args[0], []string{"-test.run=^$"}, rssFile); code != 3 {
		t.Errorf("second exit code %d", code)
	}
	if recs, _ := ReadProcRecords(rssFile); len(recs) != 2 {
		t.Errorf("got %d records after two runs, want 2", len(recs))
	}
}

func TestWrapMissingTarget(t *testing.T) {
	rssFile := filepath.Join(t.TempDir(), "procs.txt")
	if code := Wrap(filepath.Join(t.TempDir(), "nope"), nil, rssFile); code == 0 {
		t.Error("a missing target exited 0")
	}
	if recs, _ := ReadProcRecords(rssFile); len(recs) != 0 {
		t.Errorf("a process that never started was recorded: %+v", recs)
	}
}
