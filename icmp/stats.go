package icmp

import "time"

// Stats are a run's totals, kept as iputils keeps them (microsecond
// integers), so that printed figures match ping's digit for digit.
type Stats struct {
	Transmitted int
	// Received counts distinct replies.
	Received   int
	Duplicates int
	// Errors counts ICMP errors and local send errors.
	Errors int
	// Timed is true when requests carried a timestamp (16 data bytes or
	// more) and at least one reply came; only then are the RTTs set.
	Timed               bool
	Min, Avg, Max, Mdev time.Duration
	// EWMA is iputils' smoothed RTT (weight 1/8), printed after floods.
	EWMA time.Duration
	// Elapsed runs from the start to the last request sent.
	Elapsed time.Duration
	// Pipe is the most requests ever in flight at once.
	Pipe int
}

// Loss is the packet loss in percent, as a float32 like iputils computes
// it (so that %g prints 66.6667).
func (s Stats) Loss() float32 {
	if s.Transmitted == 0 {
		return 0
	}
	return float32(float64(s.Transmitted-s.Received) * 100.0 / float64(s.Transmitted))
}

// IPG is the mean gap between requests.
func (s Stats) IPG() time.Duration {
	if s.Transmitted < 2 {
		return 0
	}
	us := s.Elapsed.Microseconds() / int64(s.Transmitted-1)
	return time.Duration(us) * time.Microsecond
}

// rtts accumulates round trips in microseconds, as iputils does.
type rtts struct {
	n          int64
	sum, sum2  int64
	tmin, tmax int64
	ewma       int64 // 8 times the smoothed RTT
}

func (r *rtts) add(us int64) {
	if r.n == 0 || us < r.tmin {
		r.tmin = us
	}
	if us > r.tmax {
		r.tmax = us
	}
	r.n++
	r.sum += us
	r.sum2 += us * us
	if r.ewma == 0 {
		r.ewma = us * 8
	} else {
		r.ewma += us - r.ewma/8
	}
}

// fill sets s's RTT figures; total is received plus duplicates, the
// divisor iputils uses.
func (r *rtts) fill(s *Stats, total int64) {
	if total == 0 || r.n == 0 {
		return
	}
	avg := r.sum / total
	var variance int64
	if r.sum < 1<<31-1 {
		// iputils' order of operations, which avoids rounding errors for
		// small times.
		variance = (r.sum2 - r.sum*r.sum/total) / total
	} else {
		variance = r.sum2/total - avg*avg
	}
	us := time.Microsecond
	s.Min, s.Max = time.Duration(r.tmin)*us, time.Duration(r.tmax)*us
	s.Avg = time.Duration(avg) * us
	s.Mdev = time.Duration(isqrt(variance)) * us
	s.EWMA = time.Duration(r.ewma/8) * us
}

// isqrt is the integer square root by Newton's method, as iputils' llsqrt.
func isqrt(a int64) int64 {
	if a <= 0 {
		return 0
	}
	x, prev := a, int64(1<<63-1)
	for x < prev {
		prev = x
		x = (x + a/x) / 2
	}
	return x
}
