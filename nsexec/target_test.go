package nsexec

import "testing"

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want Target
		path string
		bad  bool
	}{
		{in: "", want: Target{}, path: "/proc/thread-self/ns/net"},
		{in: "ns1", want: Target{Kind: Named, Name: "ns1"}, path: "/run/netns/ns1"},
		{in: "pid:42", want: Target{Kind: PID, Process: 42}, path: "/proc/42/ns/net"},
		{in: "/var/run/docker/netns/abc", want: Target{Kind: Path, File: "/var/run/docker/netns/abc"}, path: "/var/run/docker/netns/abc"},
		{in: "./x", want: Target{Kind: Path, File: "./x"}, path: "./x"},
		{in: "inode:999999999999", want: Target{Kind: Inode, Ino: 999999999999}, path: ""}, // no namespace has it
		{in: "inode:", bad: true},
		{in: "inode:0", bad: true},
		{in: "inode:-1", bad: true},
		{in: "inode:x", bad: true},
		{in: "pid:", bad: true},
		{in: "pid:-3", bad: true},
		{in: "pid:abc", bad: true},
		{in: "..", bad: true},
		{in: ".", bad: true},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("Parse(%q) = %+v, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got != c.want || got.Path() != c.path || got.String() != c.in {
			t.Errorf("Parse(%q) = %+v (path %s, string %q), %v; want %+v, %s", c.in, got, got.Path(), got.String(), err, c.want, c.path)
		}
	}
}
