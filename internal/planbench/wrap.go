package planbench

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

// Environment variables that switch the planbench binary into wrapper mode.
const (
	// EnvWrapTarget names the real provider binary to run.
	EnvWrapTarget = "PLANBENCH_WRAP_TARGET"
	// EnvRSSFile names the file a ProcRecord line is appended to.
	EnvRSSFile = "PLANBENCH_RSS_FILE"
)

// Wrap runs target with args, this process's environment and stdio, and
// returns its exit code. The handshake go-plugin reads from the provider's
// stdout passes straight through, since the child inherits our descriptors.
// SIGINT and SIGTERM are forwarded so Terraform can still stop the provider.
// When the child exits its ProcRecord is appended to rssFile (if not empty).
func Wrap(target string, args []string, rssFile string) int {
	cmd := exec.Command(target, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "planbench wrapper: starting %s: %v\n", target, err)
		return 1
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	waitErr := cmd.Wait()
	end := time.Now()
	close(done)

	if rssFile != "" {
		rec := ProcRecord{Start: start, End: end}
		rec.MaxRSSKiB, rec.CPU = childUsage(cmd.ProcessState)
		if err := AppendProcRecord(rssFile, rec); err != nil {
			fmt.Fprintf(os.Stderr, "planbench wrapper: recording RSS: %v\n", err)
		}
	}
	if cmd.ProcessState == nil {
		fmt.Fprintf(os.Stderr, "planbench wrapper: waiting for %s: %v\n", target, waitErr)
		return 1
	}
	if code := cmd.ProcessState.ExitCode(); code >= 0 {
		return code
	}
	return 1 // killed by a signal: no exit code of its own
}
