package capture

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
)

// TestNanoRoundTrip: a nanosecond pcap keeps every digit and has
// tcpdump's nanosecond magic; a microsecond one cuts the digits below the
// microsecond, as libpcap does.
func TestNanoRoundTrip(t *testing.T) {
	pkts := testPackets()[:2]
	pkts[1].Time = pkts[1].Time.Add(789 * time.Nanosecond)
	for _, tc := range []struct {
		name  string
		nano  bool
		magic uint32
		want  time.Time
	}{
		{"micro", false, 0xa1b2c3d4, pkts[1].Time.Truncate(time.Microsecond)},
		{"nano", true, 0xa1b23c4d, pkts[1].Time},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			newW := NewWriter
			if tc.nano {
				newW = NewWriterNano
			}
			w, err := newW(&buf, false, []FileInterface{{Name: "eth0", LinkType: pkts[0].LinkType}})
			if err != nil {
				t.Fatal(err)
			}
			for i := range pkts {
				if err := w.Write(&pkts[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if m := binary.LittleEndian.Uint32(buf.Bytes()); m != tc.magic {
				t.Errorf("magic %#x, want %#x", m, tc.magic)
			}
			got, err := readAll(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || !got[1].Time.Equal(tc.want) {
				t.Fatalf("read back %v, want %v", got, tc.want)
			}
		})
	}
}
