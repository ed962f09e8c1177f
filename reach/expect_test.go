package reach

import (
	"strings"
	"testing"
)

func TestParseExpect(t *testing.T) {
	in := `# policy
* *      reach
*  d     block   # nobody reaches d
a  d     REACH   # but a does
bb c any
`
	e, err := ParseExpect(strings.NewReader(in), "p.txt")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		from, to string
		want     Verdict
		line     int
	}{
		{"a", "bb", WantReach, 2}, {"bb", "d", WantBlock, 3}, {"a", "d", WantReach, 4},
		{"bb", "c", WantAny, 5}, {"c", "bb", WantReach, 2},
	}
	for _, c := range cases {
		v, r := e.Want(c.from, c.to)
		if v != c.want || r == nil || r.Line != c.line {
			t.Errorf("Want(%s, %s) = %v, %+v; want %v from line %d", c.from, c.to, v, r, c.want, c.line)
		}
	}
	if v, r := (&Expect{}).Want("x", "y"); v != WantReach || r != nil {
		t.Errorf("empty expect: %v, %v; want reach by default", v, r)
	}
	if err := e.Unused([]string{"a", "bb", "c", "d"}); err != nil {
		t.Errorf("Unused: %v", err)
	}
	if err := e.Unused([]string{"a", "bb", "c"}); err == nil || !strings.Contains(err.Error(), `line 3 names "d"`) {
		t.Errorf("Unused without d = %v, want line 3 named", err)
	}
}

func TestParseExpectErrors(t *testing.T) {
	cases := map[string]string{
		"a b":           `p:1: want SOURCE DESTINATION reach|block|any, got "a b"`,
		"\na b c d":     `p:2: want SOURCE DESTINATION reach|block|any, got "a b c d"`,
		"a b maybe":     `p:1: unknown verdict "maybe": use reach, block or any`,
		"[a b reach":    `p:1: bad pattern "[a": syntax error in pattern`,
		"a b reach # x": "",
	}
	for in, want := range cases {
		_, err := ParseExpect(strings.NewReader(in), "p")
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("ParseExpect(%q) error = %q, want %q", in, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	p := &fakeProber{block: map[string]Outcome{"a>fd00::4": Timeout, "bb>10.0.0.1": ICMPError, "bb>fd00::1": Timeout}}
	m := NewMatrix(lab)
	if _, err := Run(t.Context(), Config{Endpoints: lab, Prober: p}, m.Add); err != nil {
		t.Fatal(err)
	}
	pairs := func(ms []Mismatch) string {
		var s []string
		for _, x := range ms {
			s = append(s, x.From+">"+x.To+":"+x.Status.String()+"/"+x.Want.String())
		}
		return strings.Join(s, " ")
	}
	// Default: everything must reach; c has no addresses and a->d is partial.
	if got, want := pairs(Check(m, nil)), "a>c:no-addrs/reach a>d:partial/reach bb>a:unreachable/reach bb>c:no-addrs/reach d>c:no-addrs/reach"; got != want {
		t.Errorf("Check(nil):\n got %s\nwant %s", got, want)
	}
	e, err := ParseExpect(strings.NewReader("* c block\nbb a block\na d any\nd a block\n"), "p")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pairs(Check(m, e)), "d>a:reach/block"; got != want {
		t.Errorf("Check(policy):\n got %s\nwant %s", got, want)
	}
}

func FuzzParseExpect(f *testing.F) {
	f.Add("* * reach\n* d block # x\n")
	f.Add("[ b any")
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpect(strings.NewReader(s), "fuzz")
		if err != nil {
			return
		}
		for _, r := range e.Rules {
			if r.Want > WantAny || r.From == "" || r.To == "" {
				t.Fatalf("bad rule %+v", r)
			}
			e.Want(r.From, r.To)
		}
	})
}
