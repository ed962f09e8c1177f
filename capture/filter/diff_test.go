package filter

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/net/bpf"
)

// The differential test: every expression of testdata/filter/expressions.txt
// on every link type's corpus, tcpdump -r against our program in x/net/bpf's
// VM. The accepted packet sets must be equal, or both must refuse the
// expression. BenchmarkProgramLength measures program length against
// tcpdump -d over the same list.

func readList(t testing.TB, name string) []string {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "filter", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

type corpusPacket struct {
	data []byte
	sec  int64
}

func readPcap(t testing.TB, r io.Reader) []corpusPacket {
	pr, err := pcapgo.NewReader(r)
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusPacket
	for {
		data, ci, err := pr.ReadPacketData()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, corpusPacket{append([]byte(nil), data...), ci.Timestamp.Unix()})
	}
}

func corpusPath(file string) string { return filepath.Join("..", "..", "testdata", "filter", file) }

// diffOpts are the options tcpdump uses reading a file: netmask 0.
func diffOpts(lt layers.LinkType) Options {
	return Options{LinkType: lt, Netmask: net.IPv4Mask(0, 0, 0, 0)}
}

// accepted runs prog over the packets in the VM and returns their indices.
func accepted(t testing.TB, prog []bpf.Instruction, pkts []corpusPacket) ([]int, error) {
	vm, err := bpf.NewVM(prog)
	if err != nil {
		return nil, err
	}
	var out []int
	for i, p := range pkts {
		n, err := vm.Run(p.data)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, i)
		}
	}
	return out, nil
}

// tcpdumpAccepts returns the indices of the packets tcpdump -r accepts, or
// tcpdump's error message.
func tcpdumpAccepts(t testing.TB, file, expr string, pkts []corpusPacket) ([]int, string) {
	cmd := exec.Command("tcpdump", "-n", "-r", file, "-w", "-", "--", expr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, strings.TrimSpace(stderr.String())
	}
	index := map[int64]int{}
	for i, p := range pkts {
		index[p.sec] = i
	}
	var res []int
	for _, p := range readPcap(t, bytes.NewReader(out)) {
		res = append(res, index[p.sec])
	}
	return res, ""
}

// tcpdumpListing returns tcpdump -d's listing, "" if it refuses.
func tcpdumpListing(linkName, expr string) string {
	out, err := exec.Command("tcpdump", "-y", linkName, "-d", "--", expr).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

type diffResult struct {
	link, expr  string
	agreeAccept bool
	agreeRefuse bool
	msg         string
}

var fullDiff = flag.Bool("filter.full", false, "differential test: every expression on every link type (slow: ~3000 tcpdump runs)")

// TestDifferentialTcpdump runs each expression on Ethernet, and every other
// one on one other link type in turn (every pair with -filter.full), so the
// default run stays well under a minute while each link type still sees
// about 55 of them.
func TestDifferentialTcpdump(t *testing.T) {
	t.Parallel() // overlap the tests that spend their time waiting on tcpdump
	if _, err := exec.LookPath("tcpdump"); err != nil {
		t.Skip("tcpdump not installed: the differential test against libpcap needs it (apt-get install tcpdump)")
	}
	exprs := readList(t, "expressions.txt")
	type job struct {
		link int
		expr string
	}
	pkts := make([][]corpusPacket, len(corpusLinks))
	for i, l := range corpusLinks {
		f, err := os.Open(corpusPath(l.file))
		if err != nil {
			t.Fatal(err)
		}
		pkts[i] = readPcap(t, f)
		f.Close()
	}
	jobs := make(chan job)
	var mu sync.Mutex
	var results []diffResult
	var wg sync.WaitGroup
	for w := 0; w < 4*runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r := runDiff(t, corpusLinks[j.link].name, corpusLinks[j.link].lt, corpusLinks[j.link].file, j.expr, pkts[j.link])
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
			}
		}()
	}
	for i, e := range exprs {
		for li := range corpusLinks {
			if *fullDiff || li == 0 || (i%2 == 0 && li == 1+i/2%(len(corpusLinks)-1)) {
				jobs <- job{li, e}
			}
		}
	}
	close(jobs)
	wg.Wait()

	sort.Slice(results, func(i, j int) bool {
		if results[i].link != results[j].link {
			return results[i].link < results[j].link
		}
		return results[i].expr < results[j].expr
	})
	perLink := map[string][3]int{}
	var bad []string
	for _, r := range results {
		c := perLink[r.link]
		switch {
		case r.agreeAccept:
			c[0]++
		case r.agreeRefuse:
			c[1]++
		default:
			c[2]++
			bad = append(bad, fmt.Sprintf("%s %q: %s", r.link, r.expr, r.msg))
		}
		perLink[r.link] = c
	}
	for _, l := range corpusLinks {
		c := perLink[l.name]
		t.Logf("%-10s same accepted set %3d, both refuse %3d, differ %3d", l.name, c[0], c[1], c[2])
	}
	for _, b := range bad {
		t.Error(b)
	}
}

func runDiff(t testing.TB, linkName string, lt layers.LinkType, file, expr string, pkts []corpusPacket) diffResult {
	refused, msg := compareOne(t, file, expr, diffOpts(lt), pkts)
	return diffResult{link: linkName, expr: expr, msg: msg, agreeRefuse: msg == "" && refused, agreeAccept: msg == "" && !refused}
}

// BenchmarkProgramLength compares our program lengths with tcpdump -d's
// over the expression list on every link type, and reports the median
// ratio (ours/tcpdump) and the worst cases. Run it with
//
//	go test ./capture/filter -run '^$' -bench ProgramLength -benchtime 1x
func BenchmarkProgramLength(b *testing.B) {
	if _, err := exec.LookPath("tcpdump"); err != nil {
		b.Skip("tcpdump not installed: nothing to compare program lengths with")
	}
	exprs := readList(b, "expressions.txt")
	type res struct {
		link, expr  string
		ours, their int
		same        bool // byte-identical -d listing
	}
	for i := 0; i < b.N; i++ {
		var mu sync.Mutex
		var all []res
		var wg sync.WaitGroup
		jobs := make(chan [2]int)
		for w := 0; w < 4*runtime.NumCPU(); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					l, e := corpusLinks[j[0]], exprs[j[1]]
					prog, err := Compile(e, diffOpts(l.lt))
					if err != nil {
						continue
					}
					if listing := tcpdumpListing(l.name, e); listing != "" {
						var ours bytes.Buffer
						Dump(prog, DumpAssembly, &ours)
						mu.Lock()
						all = append(all, res{l.name, e, len(prog), strings.Count(listing, "\n"), ours.String() == listing})
						mu.Unlock()
					}
				}
			}()
		}
		for li := range corpusLinks {
			for ei := range exprs {
				jobs <- [2]int{li, ei}
			}
		}
		close(jobs)
		wg.Wait()
		ratio := func(r res) float64 { return float64(r.ours) / float64(r.their) }
		sort.Slice(all, func(i, j int) bool { return ratio(all[i]) > ratio(all[j]) })
		var overall []float64
		for _, l := range corpusLinks {
			var rs []float64
			sum := [2]int{}
			same := 0
			for _, r := range all {
				if r.link == l.name {
					rs = append(rs, ratio(r))
					sum[0] += r.ours
					sum[1] += r.their
					if r.same {
						same++
					}
				}
			}
			overall = append(overall, rs...)
			slices.Sort(rs)
			if len(rs) > 0 {
				b.Logf("%-10s %3d programs: median ratio %.3f, max %.3f, total %d vs %d instructions, %d listings byte-identical",
					l.name, len(rs), rs[len(rs)/2], rs[len(rs)-1], sum[0], sum[1], same)
			}
		}
		shown := 0
		for _, r := range all {
			// protochain is unrolled (classic BPF cannot loop): list the others.
			if shown < 10 && !strings.Contains(r.expr, "protochain") {
				b.Logf("longest vs tcpdump: %-10s %-45q %d vs %d", r.link, r.expr, r.ours, r.their)
				shown++
			}
		}
		slices.Sort(overall)
		if len(overall) > 0 {
			b.ReportMetric(overall[len(overall)/2], "median-ratio")
			b.ReportMetric(overall[len(overall)-1], "max-ratio")
		}
	}
}
