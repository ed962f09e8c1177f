package capture

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeRunner delivers its packets with pauses, as a slow ring would. With
// after set it starts once that channel is closed, it closes done (if
// set) once it has delivered them all, and with hold it then keeps
// running, delivering nothing, until the merge ends.
type fakeRunner struct {
	times       []time.Time
	pause       time.Duration
	err         error
	after, done chan struct{}
	hold        bool
}

func (f *fakeRunner) Run(ctx context.Context, fn func(*Packet) error) (Stats, error) {
	var st Stats
	if f.after != nil {
		<-f.after
	}
	for _, ts := range f.times {
		time.Sleep(f.pause)
		st.Captured++
		if err := fn(&Packet{Time: ts, Data: []byte{byte(ts.Nanosecond() / 1000)}}); err != nil {
			return st, nil
		}
	}
	if f.done != nil {
		close(f.done)
	}
	if f.hold {
		<-ctx.Done()
	}
	return st, f.err
}

func TestMergeOrders(t *testing.T) {
	t0 := time.Now()
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	// Source 1 hands over its packets only after source 0 has handed over
	// all of its own (a block retired late): they must still come out
	// between source 0's. Both sources keep running, so packets leave
	// when their hold ends, not when the sources do. The hold only has to
	// outlast a few goroutine switches between the two hand-overs; timed
	// pauses instead (20 ms against a 100 ms hold) failed on a busy
	// machine.
	aDone := make(chan struct{})
	a := &fakeRunner{times: []time.Time{at(1), at(3), at(5)}, done: aDone, hold: true}
	b := &fakeRunner{times: []time.Time{at(2), at(4), at(6)}, after: aDone, hold: true}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var got []time.Time
	var from []int
	stats, err := Merge(ctx, []Runner{a, b}, time.Second, func(p *Packet) error {
		got = append(got, p.Time)
		from = append(from, p.Source)
		if ctx.Err() != nil {
			t.Errorf("packet %d came out only when the sources ended", len(got))
		}
		if len(got) == 6 {
			return ErrStop
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("got %d packets, want 6", len(got))
	}
	for i := range got {
		if !got[i].Equal(at(i + 1)) {
			t.Errorf("packet %d at +%v, want +%dms", i, got[i].Sub(t0), i+1)
		}
		if from[i] != i%2 {
			t.Errorf("packet %d from source %d, want %d", i, from[i], i%2)
		}
	}
	if stats[0].Captured != 3 || stats[1].Captured != 3 {
		t.Errorf("stats %+v", stats)
	}
}

func TestMergeStopAndError(t *testing.T) {
	t0 := time.Now()
	many := func(n int) []time.Time {
		var ts []time.Time
		for i := 0; i < n; i++ {
			ts = append(ts, t0.Add(time.Duration(i)*time.Microsecond))
		}
		return ts
	}
	n := 0
	_, err := Merge(context.Background(), []Runner{&fakeRunner{times: many(50)}, &fakeRunner{times: many(50)}}, 10*time.Millisecond, func(p *Packet) error {
		n++
		if n == 7 {
			return ErrStop
		}
		return nil
	})
	if err != nil || n != 7 {
		t.Errorf("stop after 7: got %d packets, err %v", n, err)
	}
	gone := errors.New("interface x disappeared")
	n = 0
	_, err = Merge(context.Background(), []Runner{&fakeRunner{times: many(5), err: gone}, &fakeRunner{times: many(3)}}, 10*time.Millisecond, func(p *Packet) error {
		n++
		return nil
	})
	if !errors.Is(err, gone) || n < 5 {
		t.Errorf("failing source: err %v after %d packets; want its error after at least its 5 packets", err, n)
	}
}
