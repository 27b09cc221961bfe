package planbench

import (
	"fmt"
	"strings"
)

// FormatRequests renders API requests by route, e.g. "100 list + 100 get".
func FormatRequests(r Requests) string {
	var parts []string
	if r.List > 0 {
		parts = append(parts, fmt.Sprintf("%d list", r.List))
	}
	if r.Get > 0 {
		parts = append(parts, fmt.Sprintf("%d get", r.Get))
	}
	if r.Other > 0 {
		parts = append(parts, fmt.Sprintf("%d other", r.Other))
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, " + ")
}

// tableHeader names the table's columns; see RenderTable.
var tableHeader = []string{
	"way", "N", "median wall s", "lower bound s", "ratio", "wall s, 0 latency",
	"API requests", "token requests", "provider processes", "peak RSS MiB",
}

// RenderTable renders one row per result as a GitHub markdown table. The
// counters are those of the median run.
func RenderTable(results []Result) string {
	var b strings.Builder
	writeRow(&b, tableHeader)
	align := make([]string, len(tableHeader))
	for i := range align {
		align[i] = "---:"
	}
	align[0], align[6] = "---", "---"
	writeRow(&b, align)
	for _, r := range results {
		m := r.Median()
		zero := "-"
		if z, ok := r.ZeroMedian(); ok {
			zero = fmt.Sprintf("%.3f", z.Wall.Seconds())
		}
		writeRow(&b, []string{
			string(r.Way),
			fmt.Sprint(r.N),
			fmt.Sprintf("%.3f", m.Wall.Seconds()),
			fmt.Sprintf("%.3f", r.LowerBound().Seconds()),
			fmt.Sprintf("%.2f", r.Ratio()),
			zero,
			FormatRequests(m.Requests),
			fmt.Sprint(m.Requests.Token),
			fmt.Sprint(len(m.Procs)),
			fmt.Sprintf("%.1f", kibToMiB(m.PeakRSSKiB())),
		})
	}
	return b.String()
}

func writeRow(b *strings.Builder, cells []string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n")
}
