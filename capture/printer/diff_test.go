package printer

import (
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// TestDifferential mutates corpus packets at random (flipped header bytes,
// cut captures), prints them with tcpdump and with this package, and
// reports the packets whose lines differ. It is a tool for finding gaps,
// not part of the suite: NSDIAG_DIFF=<packets> enables it.
func TestDifferential(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("NSDIAG_DIFF"))
	if n == 0 {
		t.Skip("set NSDIAG_DIFF=<packets> to compare mutated packets with tcpdump")
	}
	seed := int64(1)
	if s, err := strconv.ParseInt(os.Getenv("NSDIAG_DIFF_SEED"), 10, 64); err == nil {
		seed = s
	}
	rng := rand.New(rand.NewSource(seed))
	type source struct {
		name string
		link layers.LinkType
		recs []rec
	}
	var sources []source
	for _, c := range corpus {
		sources = append(sources, source{c.name, c.link, c.build(t)})
	}
	for _, name := range recorded {
		link, recs := readRecs(t, filepath.Join(corpusDir, name+".pcap"))
		sources = append(sources, source{name, link, recs})
	}
	for _, c := range sources {
		base := c.recs
		var recs []rec
		for i := 0; i < n; i++ {
			p := base[rng.Intn(len(base))]
			d := append([]byte(nil), p.data...)
			wire := max(p.wire, len(d))
			switch rng.Intn(3) {
			case 0:
				d[rng.Intn(min(len(d), 80))] = byte(rng.Intn(256))
			case 1:
				d[rng.Intn(min(len(d), 80))] ^= 1 << rng.Intn(8)
			case 2:
				d = d[:rng.Intn(len(d)+1)]
			}
			recs = append(recs, rec{data: d, wire: wire})
		}
		file := filepath.Join(t.TempDir(), c.name+".pcap")
		writePcap(t, file, c.link, recs)
		for _, flags := range []string{"", "-v"} {
			want, err := tcpdump(t, file, flags)
			if err != nil {
				t.Skip(err)
			}
			got := ours(t, file, flags)
			wl := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
			gl := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
			common, onlyA, onlyB := diffLines(wl, gl)
			t.Logf("%s %q: %d/%d lines identical", c.name, flags, common, max(len(wl), len(gl)))
			for i := 0; i < len(onlyA) && i < 8; i++ {
				t.Logf("  tcpdump: %s", wl[onlyA[i]])
				if os.Getenv("NSDIAG_DIFF_HEX") != "" {
					if k := packetAt(wl[onlyA[i]]); k >= 0 && k < len(recs) {
						t.Logf("  packet %d: %x", k, recs[k].data)
					}
				}
			}
			for i := 0; i < len(onlyB) && i < 8; i++ {
				t.Logf("  nsdiag : %s", gl[onlyB[i]])
			}
		}
	}
}

// packetAt maps a line's timestamp back to the packet's index in the file.
func packetAt(line string) int {
	ts, err := time.Parse("15:04:05.000000", strings.Fields(line + " x")[0])
	if err != nil {
		return -1
	}
	first := corpusTime.Truncate(24 * time.Hour)
	d := ts.Sub(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)) - corpusTime.Sub(first)
	if d < 0 {
		d += 24 * time.Hour
	}
	return int((d + 617*time.Microsecond) / (1234567 * time.Microsecond / 1000))
}

func readRecs(t *testing.T, file string) (layers.LinkType, []rec) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var recs []rec
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			return r.LinkType(), recs
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec{data: data, wire: ci.Length})
	}
}
