package icmp

// tracker follows sequence numbers as iputils does: which requests were
// answered (for duplicates), the highest acknowledged one and the largest
// number in flight.
type tracker struct {
	transmitted int64
	acked       uint16
	pipe        int
	rcvd        [1 << 16 / 64]uint64
}

// sent records request seq (transmitted+1) going out.
func (t *tracker) sent(seq uint16) {
	t.rcvd[seq>>6] &^= 1 << (seq & 63)
	t.transmitted++
}

// received marks seq answered and reports whether it already was.
func (t *tracker) received(seq uint16) (dup bool) {
	bit := uint64(1) << (seq & 63)
	dup = t.rcvd[seq>>6]&bit != 0
	t.rcvd[seq>>6] |= bit
	return dup
}

func (t *tracker) answered(seq uint16) bool { return t.rcvd[seq>>6]&(1<<(seq&63)) != 0 }

// acknowledge notes that seq came back (as a reply or an error).
func (t *tracker) acknowledge(seq uint16) {
	diff := uint16(t.transmitted) - seq
	if diff > 0x7fff {
		return
	}
	if int(diff)+1 > t.pipe {
		t.pipe = int(diff) + 1
	}
	if int16(seq-t.acked) > 0 || uint16(t.transmitted)-t.acked > 0x7fff {
		t.acked = seq
	}
}

// inFlight is the number of requests after the last acknowledged one.
func (t *tracker) inFlight() int {
	diff := uint16(t.transmitted) - t.acked
	if diff > 0x7fff {
		return 0
	}
	return int(diff)
}
