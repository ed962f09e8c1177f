package capture

import (
	"container/heap"
	"context"
	"errors"
	"sync"
	"time"
)

// DefaultReorderDelay is how long Merge holds a packet waiting for an
// earlier one from a slower source: longer than a ring block's timeout, so
// a block handed over late still lands in order.
const DefaultReorderDelay = 250 * time.Millisecond

// maxHeld bounds the packets Merge holds; past it the oldest goes out
// at once, so a flood costs order, not memory.
const maxHeld = 1 << 16

// Runner is a capture that Merge can run: a live Source or anything
// shaped like one (tests use fakes).
type Runner interface {
	Run(ctx context.Context, fn func(*Packet) error) (Stats, error)
}

// Merge runs every source at once and hands fn their packets as one
// stream in timestamp order, each packet's Source field set to its
// source's index. A packet is held for delay (0 means
// DefaultReorderDelay) after it arrives, so packets a slower source
// delivers within that time are put before it. Merge ends when ctx ends,
// fn returns an error (ErrStop ends cleanly) or any source fails; it
// returns each source's statistics and the first error.
func Merge(ctx context.Context, srcs []Runner, delay time.Duration, fn func(*Packet) error) ([]Stats, error) {
	if delay <= 0 {
		delay = DefaultReorderDelay
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan *held, 1024)
	stats := make([]Stats, len(srcs))
	errs := make([]error, len(srcs))
	var wg sync.WaitGroup
	pool := sync.Pool{New: func() any { return new(held) }}
	for i, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stats[i], errs[i] = src.Run(ctx, func(p *Packet) error {
				h := pool.Get().(*held)
				h.pkt = *p
				h.buf = append(h.buf[:0], p.Data...)
				h.pkt.Data = h.buf
				h.pkt.Source = i
				h.arrived = time.Now()
				select {
				case in <- h:
					return nil
				case <-ctx.Done():
					return ErrStop
				}
			})
			if errs[i] != nil {
				// One source failing ends the whole capture.
				cancel()
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	var q queue
	var seq uint64
	var ferr error
	emit := func(h *held) {
		if ferr == nil {
			if ferr = fn(&h.pkt); ferr != nil {
				cancel()
			}
		}
		pool.Put(h)
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	release := func(now time.Time) {
		for q.Len() > 0 && (q.Len() > maxHeld || now.Sub(q[0].arrived) >= delay) {
			emit(heap.Pop(&q).(*held))
		}
		if q.Len() > 0 {
			timer.Reset(q[0].arrived.Add(delay).Sub(now))
		}
	}
	for running := true; running; {
		select {
		case h := <-in:
			h.seq = seq
			seq++
			heap.Push(&q, h)
			release(time.Now())
		case <-timer.C:
			release(time.Now())
		case <-done:
			running = false
		}
	}
	// Sources have stopped: what is left in the channel and the heap is
	// all there will be, so it goes out in order now (after Ctrl-C too:
	// every packet a source handed over reaches fn unless fn said stop).
	for drained := false; !drained; {
		select {
		case h := <-in:
			h.seq = seq
			seq++
			heap.Push(&q, h)
		default:
			drained = true
		}
	}
	for q.Len() > 0 && ferr == nil {
		emit(heap.Pop(&q).(*held))
	}
	err := ferr
	for _, e := range errs {
		if err == nil && e != nil {
			err = e
		}
	}
	if errors.Is(err, ErrStop) {
		err = nil
	}
	return stats, err
}

type held struct {
	pkt     Packet
	buf     []byte
	arrived time.Time
	seq     uint64
}

// queue is a min-heap by timestamp, then by arrival order.
type queue []*held

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].pkt.Time.Equal(q[j].pkt.Time) {
		return q[i].pkt.Time.Before(q[j].pkt.Time)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*held)) }
func (q *queue) Pop() any {
	old := *q
	h := old[len(old)-1]
	*q = old[:len(old)-1]
	return h
}
