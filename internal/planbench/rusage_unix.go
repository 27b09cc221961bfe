//go:build unix

package planbench

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// childUsage returns a finished child's peak RSS in KiB and its CPU time.
func childUsage(ps *os.ProcessState) (int64, time.Duration) {
	if ps == nil {
		return 0, 0
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0, 0
	}
	rss := int64(ru.Maxrss) //nolint:unconvert // int32 on 32-bit Linux
	if runtime.GOOS == "darwin" {
		rss /= 1024 // bytes on macOS, KiB on Linux and the BSDs
	}
	return rss, ps.UserTime() + ps.SystemTime()
}
