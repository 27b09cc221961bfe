package planbench

import "time"

// sampleResult builds a Result whose runs took walls and cost reqs each, with
// one provider process of rssKiB.
func sampleResult(way Way, n int, rssKiB int64, reqs Requests, walls ...time.Duration) Result {
	r := Result{Way: way, N: n, Latency: 50 * time.Millisecond, Parallelism: 10}
	start := time.Unix(1700000000, 0)
	for _, w := range walls {
		r.Runs = append(r.Runs, RunStats{
			Wall:     w,
			Requests: reqs,
			Procs: []ProcRecord{
				{MaxRSSKiB: rssKiB / 2, Start: start, End: start.Add(w / 4)},
				{MaxRSSKiB: rssKiB, Start: start, End: start.Add(w / 2)},
			},
		})
	}
	return r
}
