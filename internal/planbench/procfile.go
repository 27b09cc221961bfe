package planbench

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"
)

// ProcRecord describes one finished provider process, as the wrapper saw it.
type ProcRecord struct {
	// MaxRSSKiB is the child's peak resident set size in KiB.
	MaxRSSKiB int64
	// CPU is the child's user plus system CPU time.
	CPU time.Duration
	// Start and End bound the child's life, wall clock.
	Start, End time.Time
}

// Lifetime is how long the process ran.
func (r ProcRecord) Lifetime() time.Duration { return r.End.Sub(r.Start) }

// String is the record's line in the file, without the newline.
func (r ProcRecord) String() string {
	return fmt.Sprintf("maxrss_kib=%d cpu_ns=%d start_ns=%d end_ns=%d",
		r.MaxRSSKiB, r.CPU.Nanoseconds(), r.Start.UnixNano(), r.End.UnixNano())
}

// AppendProcRecord appends r as one line to the file at path. One write with
// O_APPEND keeps lines whole when several providers finish at once.
func AppendProcRecord(path string, r ProcRecord) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(r.String() + "\n"); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// ReadProcRecords reads every record in the file at path; a missing file
// means no provider process finished.
func ReadProcRecords(path string) ([]ProcRecord, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []ProcRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		r, err := parseProcRecord(line)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

func parseProcRecord(line string) (ProcRecord, error) {
	var rss, cpu, start, end int64
	_, err := fmt.Sscanf(line, "maxrss_kib=%d cpu_ns=%d start_ns=%d end_ns=%d", &rss, &cpu, &start, &end)
	if err != nil {
		return ProcRecord{}, fmt.Errorf("malformed record %q: %w", line, err)
	}
	return ProcRecord{
		MaxRSSKiB: rss,
		CPU:       time.Duration(cpu),
		Start:     time.Unix(0, start),
		End:       time.Unix(0, end),
	}, nil
}
