// Command ping is the measuring half of scripts/bench-ping.sh: it runs
// nsdiag ping and iputils ping the same way (as children started from a
// thread inside the namespace, so neither pays for an ip netns exec
// wrapper; nsdiag is still asked to enter the namespace itself with -n)
// and reports wall time, peak memory and the reported RTTs.
//
//	ping -n NS -nsdiag BIN -dest ADDR -rounds N -flood 20000 -count 200
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
)

func main() {
	ns := flag.String("n", "", "namespace to ping from")
	bin := flag.String("nsdiag", "bin/nsdiag", "nsdiag binary")
	peer := flag.String("peer", "/usr/bin/ping", "iputils ping binary")
	dest := flag.String("dest", "", "address to ping")
	rounds := flag.Int("rounds", 5, "rounds of each measurement")
	flood := flag.Int("flood", 20000, "requests per flood")
	count := flag.Int("count", 200, "requests per accuracy run")
	flag.Parse()
	t, err := nsexec.Parse(*ns)
	if err != nil || *dest == "" {
		fmt.Fprintln(os.Stderr, "usage: ping -n NS -dest ADDR [-nsdiag BIN] [-rounds N]")
		os.Exit(2)
	}
	tools := map[string]func(args ...string) []string{
		"nsdiag":  func(args ...string) []string { return append([]string{*bin, "ping", "-n", *ns}, args...) },
		"iputils": func(args ...string) []string { return append([]string{*peer}, args...) },
	}
	order := func(r int) []string {
		if r%2 == 0 {
			return []string{"nsdiag", "iputils"}
		}
		return []string{"iputils", "nsdiag"}
	}

	wall := map[string][]float64{}
	inRun := map[string][]float64{}
	rss := map[string]int64{}
	runTimeRE := regexp.MustCompile(`, time (\d+)ms`)
	floodArgs := []string{"-q", "-f", "-c", strconv.Itoa(*flood), *dest}
	want := fmt.Sprintf("%d packets transmitted, %d received", *flood, *flood)
	for r := range *rounds {
		for _, tool := range order(r) {
			res := run(t, tools[tool](floodArgs...))
			if !bytes.Contains(res.out, []byte(want)) {
				fail("%s flood: %s", tool, res.out)
			}
			wall[tool] = append(wall[tool], float64(res.wall.Microseconds())/1000)
			rss[tool] = max(rss[tool], res.maxRSS)
			if m := runTimeRE.FindSubmatch(res.out); m != nil {
				v, _ := strconv.ParseFloat(string(m[1]), 64)
				inRun[tool] = append(inRun[tool], v)
			}
		}
	}
	// The fixed cost of a run (start, enter the namespace, open the
	// socket, drop privileges, exit), to read the flood figure by.
	start := map[string][]float64{}
	for r := range *rounds {
		for _, tool := range order(r) {
			res := run(t, tools[tool]("-q", "-c", "1", *dest))
			start[tool] = append(start[tool], float64(res.wall.Microseconds())/1000)
		}
	}
	fr := median(wall["nsdiag"]) / median(wall["iputils"])
	fmt.Printf("flood -f -c %d: wall nsdiag %.1f ms, iputils %.1f ms (median of %d); ratio %.3f (goal <= 1.0: %s)\n",
		*flood, median(wall["nsdiag"]), median(wall["iputils"]), *rounds, fr, verdict(fr, 1.0))
	fmt.Printf("  of which: one-request run (-c 1) nsdiag %.1f ms, iputils %.1f ms; flood time as printed (first to last request) nsdiag %.0f ms, iputils %.0f ms, ratio %.3f\n",
		median(start["nsdiag"]), median(start["iputils"]), median(inRun["nsdiag"]), median(inRun["iputils"]), median(inRun["nsdiag"])/median(inRun["iputils"]))

	rtts := map[string][]float64{}
	timeRE := regexp.MustCompile(`time=([0-9.]+) ms`)
	accArgs := []string{"-c", strconv.Itoa(*count), "-i", "0.01", *dest}
	// Both run at once, so that they measure the same path under the
	// same load; their raw sockets keep apart by identifier.
	for range *rounds {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, tool := range []string{"nsdiag", "iputils"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := run(t, tools[tool](accArgs...))
				mu.Lock()
				defer mu.Unlock()
				for _, m := range timeRE.FindAllSubmatch(res.out, -1) {
					v, _ := strconv.ParseFloat(string(m[1]), 64)
					rtts[tool] = append(rtts[tool], v)
				}
			}()
		}
		wg.Wait()
	}
	ar := median(rtts["nsdiag"]) / median(rtts["iputils"])
	fmt.Printf("accuracy -c %d -i 0.01: median RTT nsdiag %.3f ms (%d replies), iputils %.3f ms (%d replies); ratio %.3f (goal <= 1.10: %s)\n",
		*count, median(rtts["nsdiag"]), len(rtts["nsdiag"]), median(rtts["iputils"]), len(rtts["iputils"]), ar, verdict(ar, 1.10))
	fmt.Printf("peak memory (max RSS over the floods): nsdiag %d KiB, iputils %d KiB; ratio %.2f\n",
		rss["nsdiag"], rss["iputils"], float64(rss["nsdiag"])/float64(rss["iputils"]))
}

type result struct {
	out    []byte
	wall   time.Duration
	maxRSS int64 // KiB
}

// run starts argv from a thread inside t, so the child begins life in the
// namespace, and waits for it.
func run(t nsexec.Target, argv []string) result {
	r, w, err := os.Pipe()
	if err != nil {
		fail("pipe: %v", err)
	}
	var proc *os.Process
	var start time.Time
	err = nsexec.Do(t, func() error {
		start = time.Now()
		var err error
		proc, err = os.StartProcess(argv[0], argv, &os.ProcAttr{Files: []*os.File{nil, w, os.Stderr}})
		return err
	})
	w.Close()
	if err != nil {
		fail("start %s: %v", argv[0], err)
	}
	var out bytes.Buffer
	out.ReadFrom(r)
	r.Close()
	st, err := proc.Wait()
	wall := time.Since(start)
	if err != nil {
		fail("wait %s: %v", argv[0], err)
	}
	ru := st.SysUsage().(*syscall.Rusage)
	return result{out: out.Bytes(), wall: wall, maxRSS: ru.Maxrss}
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func verdict(r, goal float64) string {
	if r <= goal {
		return "goal met"
	}
	return "goal MISSED"
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "bench ping: "+format+"\n", a...)
	os.Exit(1)
}
