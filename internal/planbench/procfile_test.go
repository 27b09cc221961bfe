package planbench

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestProcRecordsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "procs.txt")
	if recs, err := ReadProcRecords(path); err != nil || recs != nil {
		t.Fatalf("missing file: %v, %v; want no records and no error", recs, err)
	}
	start := time.Unix(1700000000, 123)
	want := []ProcRecord{
		{MaxRSSKiB: 30000, CPU: 120 * time.Millisecond, Start: start, End: start.Add(time.Second)},
		{MaxRSSKiB: 45000, CPU: 2 * time.Second, Start: start.Add(time.Second), End: start.Add(5 * time.Second)},
	}
	for _, r := range want {
		if err := AppendProcRecord(path, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadProcRecords(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].MaxRSSKiB != want[i].MaxRSSKiB || got[i].CPU != want[i].CPU ||
			!got[i].Start.Equal(want[i].Start) || !got[i].End.Equal(want[i].End) {
			t.Errorf("record %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got[1].Lifetime() != 4*time.Second {
		t.Errorf("Lifetime = %v", got[1].Lifetime())
	}
	s := RunStats{Procs: got}
	if s.PeakRSSKiB() != 45000 || s.ProviderCPU() != 2120*time.Millisecond {
		t.Errorf("peak %d, cpu %v", s.PeakRSSKiB(), s.ProviderCPU())
	}
	if p, ok := s.LongestProc(); !ok || p.MaxRSSKiB != 45000 {
		t.Errorf("LongestProc = %+v, %v", p, ok)
	}
}

func TestReadProcRecordsRejectsGarbage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "procs.txt")
	if err := os.WriteFile(path, []byte("maxrss_kib=1 cpu_ns=2 start_ns=3 end_ns=4\nhello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadProcRecords(path); err == nil {
		t.Error("a malformed line was accepted")
	}
}
