package reach

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"strings"
)

// Verdict is what an expectation wants of a pair.
type Verdict int

const (
	// WantReach: every address of the destination answers.
	WantReach Verdict = iota
	// WantBlock: no address of the destination answers.
	WantBlock
	// WantAny: the pair is not checked.
	WantAny
)

var verdictNames = map[string]Verdict{"reach": WantReach, "block": WantBlock, "any": WantAny}

func (v Verdict) String() string {
	for s, x := range verdictNames {
		if x == v {
			return s
		}
	}
	return "?"
}

// Rule is one line of an expect file.
type Rule struct {
	From, To string // namespace names or shell patterns ("*", "web-*")
	Want     Verdict
	Line     int
}

// Expect is a network policy: rules over (source, destination) pairs. The
// last rule that matches a pair decides; pairs no rule matches must reach.
type Expect struct {
	Rules []Rule
}

// ExpectFormat documents the expect file; `nsdiag matrix --help` shows it.
const ExpectFormat = `An expect file holds one rule per line: SOURCE DESTINATION VERDICT.
SOURCE and DESTINATION are namespace names as the matrix shows them, or
shell patterns such as * or web-*. VERDICT is reach (every address of the
destination answers), block (none answers) or any (not checked). The last
rule that matches a pair decides; pairs that no rule matches must reach.
Text after # is a comment. Example:
    * db    block   # nothing reaches the database...
    app db  reach   # ...except the application`

// ParseExpect reads an expect file (see ExpectFormat). name labels errors.
func ParseExpect(r io.Reader, name string) (*Expect, error) {
	e := &Expect{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want SOURCE DESTINATION reach|block|any, got %q", name, n, strings.TrimSpace(line))
		}
		v, ok := verdictNames[strings.ToLower(f[2])]
		if !ok {
			return nil, fmt.Errorf("%s:%d: unknown verdict %q: use reach, block or any", name, n, f[2])
		}
		for _, p := range f[:2] {
			if _, err := path.Match(p, ""); err != nil {
				return nil, fmt.Errorf("%s:%d: bad pattern %q: %v", name, n, p, err)
			}
		}
		e.Rules = append(e.Rules, Rule{From: f[0], To: f[1], Want: v, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return e, nil
}

// Want returns the verdict for a pair and the rule that gave it (nil for
// the default, reach).
func (e *Expect) Want(from, to string) (Verdict, *Rule) {
	if e != nil {
		for i := len(e.Rules) - 1; i >= 0; i-- {
			r := &e.Rules[i]
			if match(r.From, from) && match(r.To, to) {
				return r.Want, r
			}
		}
	}
	return WantReach, nil
}

func match(pattern, name string) bool {
	ok, _ := path.Match(pattern, name)
	return ok
}

// Unused returns an error naming the first rule that matches no pair of
// names in one of its two positions: almost always a misspelt namespace.
func (e *Expect) Unused(names []string) error {
	if e == nil {
		return nil
	}
	for _, r := range e.Rules {
		for _, p := range []string{r.From, r.To} {
			if !matchesAny(p, names) {
				return fmt.Errorf("expect rule on line %d names %q, which matches no namespace of the matrix (%s)", r.Line, p, strings.Join(names, " "))
			}
		}
	}
	return nil
}

func matchesAny(p string, names []string) bool {
	for _, n := range names {
		if match(p, n) {
			return true
		}
	}
	return false
}

// Mismatch is a pair whose status breaks its expectation.
type Mismatch struct {
	Cell
	Want Verdict
	Rule *Rule
}

// Check returns the cells of m that break e, row by row. A nil e expects
// every pair to reach.
func Check(m *Matrix, e *Expect) []Mismatch {
	var out []Mismatch
	for _, from := range m.Names {
		for _, to := range m.Names {
			c, _ := m.Cell(from, to)
			if c.Status == Self {
				continue
			}
			want, rule := e.Want(from, to)
			ok := want == WantAny ||
				want == WantReach && c.Status == Reach ||
				want == WantBlock && (c.Status == Unreachable || c.Status == NoAddrs)
			if !ok {
				out = append(out, Mismatch{Cell: c, Want: want, Rule: rule})
			}
		}
	}
	return out
}
