//go:build !unix

package planbench

import (
	"os"
	"time"
)

// childUsage reports no RSS where getrusage does not exist; CPU time is
// still known.
func childUsage(ps *os.ProcessState) (int64, time.Duration) {
	if ps == nil {
		return 0, 0
	}
	return 0, ps.UserTime() + ps.SystemTime()
}
