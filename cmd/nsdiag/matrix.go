package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/nsdiag/nsdiag/reach"
	"github.com/urfave/cli/v2"
)

func init() {
	register(&cli.Command{
		Name:      "matrix",
		Usage:     "ping every namespace from every other one and print who reaches whom",
		UsageText: "nsdiag matrix [--all] [--expect FILE] [options] [NETNS...]\n\nExamples:\n   nsdiag matrix                       # every named namespace\n   nsdiag matrix --all -4              # every other namespace on the host, IPv4 only\n   nsdiag matrix --expect policy.txt app web db",
		Description: "From every namespace given (default: every named namespace; --all: every namespace on\n" +
			"the host) send ICMP echo requests to the global IPv4 and IPv6 addresses of every other one,\n" +
			"many pairs at once, and print a matrix: rows are sources, columns destinations, each cell\n" +
			"the shortest round trip, or why nothing came back (timeout, traceroute's !H !N !X marks for\n" +
			"ICMP errors, no-route/blackhole/prohibited when the source's own routes refuse). Exits 0\n" +
			"only when every pair is as expected: every pair reaches, or what --expect FILE says.\n\n" +
			"nsdiag's own namespace and the host's initial one (PID 1's) take part only when given by\n" +
			"name or path (e.g. /proc/1/ns/net), never by default or with --all: echo requests from\n" +
			"there would leave by the host's routes, its default route included.\n\n" +
			reach.ExpectFormat,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "all", Usage: "every network namespace on the host but nsdiag's own and the initial one (see nsdiag ns list --all)"},
			&cli.StringFlag{Name: "expect", Usage: "check the matrix against the rules in `FILE` (format in the description above)"},
			&cli.BoolFlag{Name: "json", Usage: "print the matrix as JSON"},
			&cli.IntFlag{Name: "count", Aliases: []string{"c"}, Value: 3, Usage: "send `N` echo requests to each address"},
			&cli.Float64Flag{Name: "timeout", Aliases: []string{"W"}, Value: 1, Usage: "wait `SECONDS` for a reply after the last request"},
			&cli.IntFlag{Name: "concurrency", Value: 64, Usage: "probe at most `N` addresses at once"},
			&cli.BoolFlag{Name: "4", Usage: "probe IPv4 addresses only"},
			&cli.BoolFlag{Name: "6", Usage: "probe IPv6 addresses only"},
		},
		Action: runMatrix,
	})
}

func runMatrix(c *cli.Context) error {
	if c.Int("count") < 1 || c.Float64("timeout") <= 0 || c.Int("concurrency") < 1 {
		return exitWith(2, errors.New("--count and --concurrency must be at least 1 and --timeout above 0"))
	}
	var expect *reach.Expect
	if file := c.String("expect"); file != "" {
		f, err := os.Open(file)
		if err != nil {
			return exitWith(2, fmt.Errorf("cannot read expect file: %w", err))
		}
		expect, err = reach.ParseExpect(f, file)
		f.Close()
		if err != nil {
			return exitWith(2, err)
		}
	}
	eps, err := matrixEndpoints(c)
	if err != nil {
		return err
	}
	if err := expect.Unused(endpointNames(eps)); err != nil {
		return exitWith(2, err)
	}
	ctx, cancel := interruptible(c.Context)
	defer cancel()
	m := reach.NewMatrix(eps)
	st, err := reach.Run(ctx, reach.Config{
		Endpoints:   eps,
		Probes:      c.Int("count"),
		Timeout:     time.Duration(c.Float64("timeout") * float64(time.Second)),
		Concurrency: c.Int("concurrency"),
	}, m.Add)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	// A probe that could not run (no permission, a namespace gone) makes
	// the matrix meaningless: say why instead.
	if failed := failures(m); failed != nil {
		return failed
	}
	mismatches := reach.Check(m, expect)
	if c.Bool("json") {
		if err := writeMatrixJSON(c.App.Writer, m, mismatches, st); err != nil {
			return err
		}
	} else {
		writeMatrix(c.App.Writer, m, mismatches, st, expect != nil)
	}
	if ctx.Err() != nil {
		return exitCode(130)
	}
	if len(mismatches) > 0 {
		return exitCode(1)
	}
	return nil
}

// matrixEndpoints resolves the namespaces of the matrix and their
// addresses. Each is labelled as the user wrote it, so expect files use the
// same words as the command line.
func matrixEndpoints(c *cli.Context) ([]reach.Endpoint, error) {
	if c.Bool("all") && c.NArg() > 0 {
		return nil, exitWith(2, errors.New("give namespaces or --all, not both"))
	}
	list, err := matrixMembers(c.Bool("all"), c.Args().Slice())
	if err != nil {
		return nil, err
	}
	// Entering the namespaces (to read their addresses, then to probe)
	// needs CAP_SYS_ADMIN: say so once, up front.
	for _, n := range list {
		if need := enterNeed(n.t); need != nil {
			if err := needCaps(need...); err != nil {
				return nil, err
			}
			break
		}
	}
	eps := make([]reach.Endpoint, 0, len(list))
	for _, n := range list {
		addrs, err := reach.GlobalAddrs(n.t)
		if n.found && errors.Is(err, nsexec.ErrNotFound) {
			continue // deleted since it was listed
		}
		if err != nil {
			return nil, fmt.Errorf("addresses of %s: %w", n.label, err)
		}
		eps = append(eps, reach.Endpoint{Name: n.label, NS: n.t, Addrs: keepFamily(addrs, c.Bool("4"), c.Bool("6"))})
	}
	if len(eps) < 2 {
		return nil, exitWith(2, fmt.Errorf("a matrix needs at least two namespaces, found %d: name them, use --all, or create some with nsdiag ns add (nsdiag's own namespace counts only when named)", len(eps)))
	}
	return eps, nil
}

// member is a namespace of the matrix.
type member struct {
	label string
	t     nsexec.Target
	found bool // discovered, so it may vanish before it is read
}

// matrixMembers picks the namespaces: those given, else every named one,
// or with all every one on the host. Only given ones may be nsdiag's own
// or the initial namespace (see ownNamespaces).
func matrixMembers(all bool, args []string) ([]member, error) {
	if len(args) > 0 {
		var list []member
		for _, a := range args {
			t, err := nsexec.Parse(a)
			if err != nil {
				return nil, exitWith(2, err)
			}
			list = append(list, member{a, t, false})
		}
		return list, nil
	}
	var found []nsexec.Namespace
	if all {
		var err error
		if found, err = nsexec.Discover(); err != nil {
			return nil, err
		}
	} else {
		names, err := nsexec.List()
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			id, err := nsexec.Identify(nsexec.Target{Kind: nsexec.Named, Name: n})
			if errors.Is(err, nsexec.ErrNotFound) {
				continue // deleted since it was listed
			}
			if err != nil {
				return nil, err
			}
			found = append(found, nsexec.Namespace{ID: id, Inode: id.Ino, Names: []string{n}})
		}
	}
	own, err := ownNamespaces()
	if err != nil {
		return nil, err
	}
	return foundMembers(found, own, all), nil
}

// ownNamespaces are nsdiag's own network namespace and the initial one
// (PID 1's, the host's). A matrix never probes from them unless they are
// named: their echo requests would leave by the host's routes, the default
// one included, out to the real network. PID 1's may be unreadable
// without root (CAP_SYS_PTRACE); nsdiag's own is always known.
func ownNamespaces() (map[nsexec.ID]bool, error) {
	self, err := nsexec.Identify(nsexec.Target{})
	if err != nil {
		return nil, fmt.Errorf("identify nsdiag's own namespace to leave it out of the matrix: %w", err)
	}
	own := map[nsexec.ID]bool{self: true}
	if init, err := nsexec.Identify(nsexec.Target{Kind: nsexec.PID, Process: 1}); err == nil {
		own[init] = true
	}
	return own, nil
}

// foundMembers turns discovered namespaces into members, leaving out own
// ones. Without all each name is a member (found holds one per name); with
// all each namespace is one, under its listing label (made unique with its
// inode when two share it).
func foundMembers(found []nsexec.Namespace, own map[nsexec.ID]bool, all bool) []member {
	var list []member
	seen := map[string]bool{}
	for _, n := range found {
		if own[n.ID] {
			continue
		}
		label := n.Label()
		if all && seen[label] {
			label += fmt.Sprintf("#%d", n.Inode)
		}
		seen[label] = true
		list = append(list, member{label, n.Target(), true})
	}
	return list
}

func keepFamily(addrs []netip.Addr, only4, only6 bool) []netip.Addr {
	if only4 == only6 {
		return addrs
	}
	var out []netip.Addr
	for _, a := range addrs {
		if a.Is4() == only4 {
			out = append(out, a)
		}
	}
	return out
}

func endpointNames(eps []reach.Endpoint) []string {
	names := make([]string, len(eps))
	for i, e := range eps {
		names[i] = e.Name
	}
	return names
}

// failures returns the first probe that could not run at all (no
// permission, namespace gone): the matrix would be meaningless there.
func failures(m *reach.Matrix) error {
	for _, from := range m.Names {
		for _, to := range m.Names {
			cell, _ := m.Cell(from, to)
			for _, r := range cell.Results {
				if r.Outcome == reach.Failed {
					return r.Err
				}
			}
		}
	}
	return nil
}

// cellText is what a matrix cell shows: "-" on the diagonal, the shortest
// round trip, or why the destination was not reached.
func cellText(c reach.Cell) string {
	switch c.Status {
	case reach.Self:
		return "-"
	case reach.NoAddrs:
		return "no-addrs"
	case reach.Reach:
		return fmtMS(c.RTT())
	case reach.Partial:
		var v4, v6, ok4, ok6 bool
		for _, r := range c.Results {
			if r.Addr.Is4() {
				v4, ok4 = true, ok4 || r.Outcome == reach.Reached
			} else {
				v6, ok6 = true, ok6 || r.Outcome == reach.Reached
			}
		}
		switch {
		case v4 && v6 && ok4 && !ok6:
			return "ipv4-only"
		case v4 && v6 && ok6 && !ok4:
			return "ipv6-only"
		}
		return "partial"
	}
	// Unreachable: the first reason; several differing reasons join.
	var marks []string
	for _, r := range c.Results {
		if s := r.Short(); len(marks) == 0 || marks[len(marks)-1] != s {
			marks = append(marks, s)
		}
	}
	if len(marks) == 0 {
		return "?" // interrupted before any answer
	}
	return strings.Join(marks, "/")
}

func fmtMS(d time.Duration) string {
	return fmt.Sprintf("%.3fms", float64(d.Microseconds())/1000)
}

// writeMatrix prints the grid, then one line per address that did not
// answer, then the verdict.
func writeMatrix(w io.Writer, m *reach.Matrix, mismatches []reach.Mismatch, st reach.Stats, expected bool) {
	width := len("FROM\\TO")
	for _, n := range m.Names {
		width = max(width, len(n))
		for _, to := range m.Names {
			cell, _ := m.Cell(n, to)
			width = max(width, len(cellText(cell)))
		}
	}
	row := func(first string, cells []string) {
		line := fmt.Sprintf("%-*s", width, first)
		for _, s := range cells {
			line += fmt.Sprintf("  %-*s", width, s)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	row("FROM\\TO", m.Names)
	for _, from := range m.Names {
		var cells []string
		for _, to := range m.Names {
			cell, _ := m.Cell(from, to)
			cells = append(cells, cellText(cell))
		}
		row(from, cells)
	}
	var details []string
	for _, from := range m.Names {
		for _, to := range m.Names {
			cell, _ := m.Cell(from, to)
			for _, r := range cell.Results {
				if r.Outcome != reach.Reached {
					details = append(details, fmt.Sprintf("%s -> %s %s: %s", from, to, r.Addr, reasonText(r)))
				}
			}
		}
	}
	if len(details) > 0 {
		fmt.Fprintln(w)
		for _, d := range details {
			fmt.Fprintln(w, d)
		}
	}
	fmt.Fprintln(w)
	pairs := len(m.Names) * (len(m.Names) - 1)
	what := "every pair to reach"
	if expected {
		what = "the expect file"
	}
	if len(mismatches) == 0 {
		fmt.Fprintf(w, "%d pairs, %s probed in %s: all as expected (%s)\n", pairs, addresses(st.Jobs), st.Elapsed.Round(time.Millisecond), what)
		return
	}
	fmt.Fprintf(w, "%d pairs, %s probed in %s: %d not as expected (%s):\n", pairs, addresses(st.Jobs), st.Elapsed.Round(time.Millisecond), len(mismatches), what)
	for _, x := range mismatches {
		by := ""
		if x.Rule != nil {
			by = fmt.Sprintf(" (expect line %d)", x.Rule.Line)
		}
		fmt.Fprintf(w, "  %s -> %s: want %s, got %s%s\n", x.From, x.To, x.Want, cellWord(x.Cell), by)
	}
}

// addresses counts probed addresses in words.
func addresses(n int) string {
	if n == 1 {
		return "1 address"
	}
	return fmt.Sprintf("%d addresses", n)
}

// cellWord is the cell as a word for the verdict lines.
func cellWord(c reach.Cell) string {
	if c.Status == reach.Reach {
		return "reach (" + fmtMS(c.RTT()) + ")"
	}
	return cellText(c)
}

// reasonText says, as ping would, why one address did not answer.
func reasonText(r reach.Result) string {
	switch r.Outcome {
	case reach.Timeout:
		return fmt.Sprintf("timeout (%d sent, 0 received)", r.Sent)
	case reach.ICMPError:
		return fmt.Sprintf("From %s: %s", r.ErrorFrom, r.Reason)
	case reach.SendError:
		return fmt.Sprintf("%s (%s)", r.Reason, r.Short())
	}
	if r.Err != nil {
		return r.Err.Error()
	}
	return r.Reason
}

// matrixJSON is the --json shape.
type matrixJSON struct {
	Namespaces []string       `json:"namespaces"`
	Cells      []cellJSON     `json:"cells"`
	Mismatches []mismatchJSON `json:"mismatches"`
	OK         bool           `json:"ok"`
	ElapsedMS  float64        `json:"elapsed_ms"`
}

type cellJSON struct {
	From      string       `json:"from"`
	To        string       `json:"to"`
	Status    string       `json:"status"`
	Text      string       `json:"text"`
	RTTMS     float64      `json:"rtt_ms,omitempty"`
	Addresses []resultJSON `json:"addresses"`
}

type resultJSON struct {
	Addr      string  `json:"address"`
	Result    string  `json:"result"`
	Sent      int     `json:"sent"`
	Received  int     `json:"received"`
	RTTMS     float64 `json:"rtt_ms,omitempty"`
	Reason    string  `json:"reason,omitempty"`
	ErrorFrom string  `json:"error_from,omitempty"`
}

type mismatchJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Line int    `json:"expect_line,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func writeMatrixJSON(w io.Writer, m *reach.Matrix, mismatches []reach.Mismatch, st reach.Stats) error {
	out := matrixJSON{Namespaces: m.Names, Cells: []cellJSON{}, Mismatches: []mismatchJSON{}, OK: len(mismatches) == 0, ElapsedMS: ms(st.Elapsed)}
	for _, from := range m.Names {
		for _, to := range m.Names {
			c, _ := m.Cell(from, to)
			if c.Status == reach.Self {
				continue
			}
			cj := cellJSON{From: from, To: to, Status: c.Status.String(), Text: cellText(c), RTTMS: ms(c.RTT()), Addresses: []resultJSON{}}
			for _, r := range c.Results {
				rj := resultJSON{Addr: r.Addr.String(), Result: r.Short(), Sent: r.Sent, Received: r.Received}
				if r.Outcome == reach.Reached {
					rj.RTTMS = ms(r.RTT)
				} else {
					rj.Reason = reasonText(r)
				}
				if r.ErrorFrom.IsValid() {
					rj.ErrorFrom = r.ErrorFrom.String()
				}
				cj.Addresses = append(cj.Addresses, rj)
			}
			out.Cells = append(out.Cells, cj)
		}
	}
	for _, x := range mismatches {
		mj := mismatchJSON{From: x.From, To: x.To, Want: x.Want.String(), Got: x.Status.String()}
		if x.Rule != nil {
			mj.Line = x.Rule.Line
		}
		out.Mismatches = append(out.Mismatches, mj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
