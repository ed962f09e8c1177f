package printer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gopacket/gopacket/pcapgo"
)

const corpusDir = "../../testdata/printer"

// variants are the tcpdump flag sets compared on every file ("" is plain -n);
// extra adds flag sets compared on some files only.
var (
	variants = []string{"", "-e", "-v", "-q", "-e -q"}
	extra    = map[string][]string{
		"ipv4":            {"-t", "-tt", "-ttt", "-tttt", "-ttttt", "-x", "-X", "-e -v", "-vv", "-A", "-AA", "-K -v", "-K -vv"},
		"ipv6":            {"-x", "-e -v", "-vv", "-K -vv"},
		"arp":             {"-xx", "-XX", "-x -v"},
		"dns":             {"-X", "-vv", "-vvv", "-A"},
		"apps":            {"-vv", "-e -v", "-A", "-AA"},
		"sll2":            {"-XX", "-e -v", "-A", "-AA"},
		"live_eth":        {"-e -v", "-X", "-ttt", "-vv", "-vvv"},
		"live_routed":     {"-vv", "-e -v", "-X"},
		"live_routed_any": {"-e -v", "-vv"},
		"vlan":            {"-xx", "-e -v"},
		"sctp":            {"-vv", "-X"},
		"mpls":            {"-e -v", "-x", "-A -v"},
		"stp":             {"-e -v", "-x"},
		"udpapps":         {"-vv"},
		"other":           {"-A", "-x -v"},
		"tcpseq":          {"-S", "-S -v", "-vv", "-S -e", "-K -v"},
		"trunc":           {"-#", "-# -v", "-x", "-A -v"},
		"pim":             {"-vv", "-e -vvv"},
		"vrrp":            {"-x", "-X -v"},
		"ah":              {"-x -v"},
		"dhcp":            {"-vv", "-vvv"},
		"lldp":            {"-vv", "-e -v", "-x"},
		"dccp":            {"-vv", "-e -v", "-K -v"},
		"nano":            {"--nano", "--nano -tt", "--nano -ttt", "--nano -tttt", "--nano -ttttt", "-tt", "-ttt", "-ttttt"},
		"live_any":        {"-e -v", "-tttt", "-A"},
	}
	// recorded are pcaps of real traffic made by testdata/printer/live*.sh.
	recorded = []string{"live_eth", "live_any", "live_routed", "live_routed_any"}
)

// goldenFiles lists every pcap the golden test replays.
func goldenFiles() []string {
	var names []string
	for _, c := range corpus {
		names = append(names, c.name)
	}
	return append(names, recorded...)
}

func variantsOf(name string) []string {
	return append(append([]string(nil), variants...), extra[name]...)
}

// goldenName maps a file and a flag set to its golden file: ipv4.e-v.txt.
func goldenName(name, flags string) string {
	v := strings.ReplaceAll(strings.ReplaceAll(flags, "-", ""), " ", "-")
	if v == "" {
		v = "n"
	}
	return filepath.Join(corpusDir, name+"."+v+".txt")
}

func optionsFor(t testing.TB, flags string) Options {
	var o Options
	for _, f := range strings.Fields(flags) {
		switch f {
		case "-e":
			o.LinkHeader = true
		case "-v":
			o.Verbose++
		case "-vv":
			o.Verbose += 2
		case "-vvv":
			o.Verbose += 3
		case "-q":
			o.Quiet = true
		case "-t":
			o.Timestamp = TimestampNone
		case "-tt":
			o.Timestamp = TimestampEpoch
		case "-ttt":
			o.Timestamp = TimestampDelta
		case "-tttt":
			o.Timestamp = TimestampDate
		case "-ttttt":
			o.Timestamp = TimestampSinceFirst
		case "-x":
			o.Hex = HexPayload
		case "-xx":
			o.Hex = HexFrame
		case "-X":
			o.Hex = HexASCIIPayload
		case "-XX":
			o.Hex = HexASCIIFrame
		case "-K":
			o.NoChecksums = true
		case "--nano":
			o.Nanoseconds = true
		case "-#":
			o.Number = true
		case "-S":
			o.AbsoluteSeq = true
		case "-A":
			o.Hex = ASCIIPayload
		case "-AA":
			o.Hex = ASCIIFrame
		default:
			t.Fatalf("unknown flag %q", f)
		}
	}
	o.InterfaceName = hostInterfaceName
	return o
}

func tcpdump(t testing.TB, file, flags string) ([]byte, error) {
	path, err := exec.LookPath("tcpdump")
	if err != nil {
		return nil, err
	}
	args := append([]string{"-n", "-r", file}, strings.Fields(flags)...)
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, errors.New(err.Error() + ": " + stderr.String())
	}
	return out, nil
}

func ours(t testing.TB, file, flags string) []byte {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	p := New(optionsFor(t, flags))
	var out []byte
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = p.Append(out, &Packet{Time: ci.Timestamp, LinkType: r.LinkType(), Data: data, Length: ci.Length})
	}
	return out
}

func writeGoldens(t *testing.T) {
	for _, name := range goldenFiles() {
		for _, v := range variantsOf(name) {
			out, err := tcpdump(t, filepath.Join(corpusDir, name+".pcap"), v)
			if err != nil {
				t.Fatalf("tcpdump %s %s: %v", name, v, err)
			}
			if err := os.WriteFile(goldenName(name, v), out, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestGolden compares our lines with tcpdump's over the corpus: with the
// installed tcpdump when there is one, else with the committed golden files.
// peerOutputs runs tcpdump on every (file, flags) pair a few at a time:
// one after another, the ~200 runs were most of this package's test time
// on a busy machine.
func peerOutputs(t testing.TB, files []string) map[[2]string]peerOutput {
	type job struct{ name, flags string }
	var jobs []job
	for _, name := range files {
		for _, v := range variantsOf(name) {
			jobs = append(jobs, job{name, v})
		}
	}
	out := make(map[[2]string]peerOutput, len(jobs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	limit := make(chan struct{}, 2*runtime.NumCPU())
	for _, j := range jobs {
		wg.Add(1)
		limit <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-limit }()
			b, err := tcpdump(t, filepath.Join(corpusDir, j.name+".pcap"), j.flags)
			mu.Lock()
			out[[2]string{j.name, j.flags}] = peerOutput{b, err}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

type peerOutput struct {
	out []byte
	err error
}

func TestGolden(t *testing.T) {
	total, same := 0, 0
	peer := peerOutputs(t, goldenFiles())
	for _, name := range goldenFiles() {
		for _, v := range variantsOf(name) {
			file := filepath.Join(corpusDir, name+".pcap")
			p := peer[[2]string{name, v}]
			want, err := p.out, p.err
			src := "tcpdump"
			if err != nil {
				if want, err = os.ReadFile(goldenName(name, v)); err != nil {
					t.Fatal(err)
				}
				src = "golden"
			}
			got := ours(t, file, v)
			wl := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
			gl := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
			ok, missing, extra := diffLines(wl, gl)
			n := max(len(wl), len(gl))
			for _, m := range missing {
				t.Errorf("%s %q line %d only in %s:\n  %s", name, v, m+1, src, wl[m])
			}
			for _, m := range extra {
				t.Errorf("%s %q line %d only in nsdiag:\n  %s", name, v, m+1, gl[m])
			}
			total += n
			same += ok
			t.Logf("%-9s %-8q %3d/%3d identical lines (%s)", name, v, ok, n, src)
		}
	}
	t.Logf("overall: %d/%d identical lines (%.1f%%)", same, total, 100*float64(same)/float64(max(total, 1)))
}

// diffLines aligns two outputs by their longest common subsequence, so one
// extra or missing line counts once instead of shifting every line after
// it. It returns the common count and the indexes found on one side only.
func diffLines(a, b []string) (common int, onlyA, onlyB []int) {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			onlyA = append(onlyA, i)
			i++
		default:
			onlyB = append(onlyB, j)
			j++
		}
	}
	for ; i < len(a); i++ {
		onlyA = append(onlyA, i)
	}
	for ; j < len(b); j++ {
		onlyB = append(onlyB, j)
	}
	return lcs[0][0], onlyA, onlyB
}
