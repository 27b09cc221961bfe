package planbench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Machine describes where a benchmark ran.
type Machine struct {
	CPU       string
	Cores     int
	MemoryMiB int64
	OS        string
	Go        string
	Terraform string
}

// DetectMachine reads the CPU model and memory from /proc and the OS from
// /etc/os-release; whatever cannot be read stays "unknown" rather than
// failing a benchmark that has already run.
func DetectMachine(terraformVersion string) Machine {
	m := Machine{
		CPU:       "unknown",
		Cores:     runtime.NumCPU(),
		OS:        runtime.GOOS + "/" + runtime.GOARCH,
		Go:        runtime.Version(),
		Terraform: terraformVersion,
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if v := fieldValue(b, "model name", ':'); v != "" {
			m.CPU = v
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		// "MemTotal:       24683748 kB"
		if kb, err := strconv.ParseInt(strings.TrimSuffix(fieldValue(b, "MemTotal", ':'), " kB"), 10, 64); err == nil {
			m.MemoryMiB = kb / 1024
		}
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		if v := strings.Trim(fieldValue(b, "PRETTY_NAME", '='), `"`); v != "" {
			m.OS = v + ", " + m.OS
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.OS += ", kernel " + strings.TrimSpace(string(b))
	}
	return m
}

// fieldValue returns the trimmed value of the first "key<sep>value" line.
func fieldValue(b []byte, key string, sep byte) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), string(sep))
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// String renders the machine as markdown list items.
func (m Machine) String() string {
	mem := "unknown"
	if m.MemoryMiB > 0 {
		mem = fmt.Sprintf("%.1f GiB", float64(m.MemoryMiB)/1024)
	}
	return fmt.Sprintf("- CPU: %s, %d cores\n- Memory: %s\n- OS: %s\n- Go: %s\n- Terraform: %s\n",
		m.CPU, m.Cores, mem, m.OS, m.Go, m.Terraform)
}

// LoadAverage returns the 1, 5 and 15 minute load averages from
// /proc/loadavg, or "unknown". Other work on the machine skews the timings;
// the report shows the load before and after so a reader can tell.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
