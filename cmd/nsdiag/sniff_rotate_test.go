package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// bigPcap writes n Ethernet frames of size bytes: enough for -C 1 to
// rotate a few times.
func bigPcap(t *testing.T, path string, n, size int) {
	t.Helper()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	frame := make([]byte, size)
	copy(frame, []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xb5})
	t0 := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	for i := 0; i < n; i++ {
		frame[14], frame[15] = byte(i>>8), byte(i)
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Millisecond), CaptureLength: size, Length: size}
		if err := w.WritePacket(ci, frame); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// files maps each file in dir to its contents.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = b
	}
	return m
}

func names(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestSniffRotateBesideTcpdump rewrites a 2.6 MB file with -C 1 (and -W)
// as tcpdump does: the same file names with the same bytes.
func TestSniffRotateBesideTcpdump(t *testing.T) {
	requireTcpdump(t)
	bin := sniffBin(t)
	in := filepath.Join(t.TempDir(), "big.pcap")
	bigPcap(t, in, 2600, 1000)
	for _, extra := range [][]string{{"-C", "1"}, {"-C", "1", "-W", "2"}, {"-C", "1", "-W", "12"}, {"-C", "2", "-W", "1"}, {"-C", "1", "-c", "1500"}} {
		t.Run(strings.Join(extra, " "), func(t *testing.T) {
			ours, theirs := t.TempDir(), t.TempDir()
			args := append([]string{"-r", in}, extra...)
			if out, err := exec.Command(bin, append([]string{"sniff", "-w", filepath.Join(ours, "out")}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("nsdiag: %v: %s", err, out)
			}
			// -Z root: with -C tcpdump drops to its own user before
			// the first file, which could not write into the test's
			// directory.
			if out, err := exec.Command("tcpdump", append([]string{"-Z", "root", "-w", filepath.Join(theirs, "out")}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("tcpdump: %v: %s", err, out)
			}
			o, w := files(t, ours), files(t, theirs)
			if strings.Join(names(o), " ") != strings.Join(names(w), " ") {
				t.Fatalf("nsdiag wrote %v, tcpdump %v", names(o), names(w))
			}
			for name, b := range w {
				if !bytes.Equal(o[name], b) {
					t.Errorf("%s: nsdiag wrote %d bytes, tcpdump %d, not the same", name, len(o[name]), len(b))
				}
			}
		})
	}
	// Bad sizes and counts are exit status 1, as tcpdump's.
	for _, extra := range [][]string{{"-C", "0"}, {"-C", "1k"}, {"-C", "1", "-W", "0"}} {
		ours, theirs := runBoth(t, append([]string{"-r", in, "-w", filepath.Join(t.TempDir(), "x")}, extra...)...)
		if ours.code != 1 || theirs.code != 1 || strings.Count(ours.stderr, "\n") != 1 {
			t.Errorf("%v: nsdiag exit %d, stderr %q; tcpdump exit %d", extra, ours.code, ours.stderr, theirs.code)
		}
	}
}
