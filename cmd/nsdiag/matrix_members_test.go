package main

import (
	"slices"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
)

func memberLabels(ms []member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.label)
	}
	return out
}

// TestMatrixFoundMembers: discovered namespaces that are nsdiag's own or
// the initial one are left out, named or not; the rest keep their labels.
func TestMatrixFoundMembers(t *testing.T) {
	self, init := nsexec.ID{Dev: 4, Ino: 100}, nsexec.ID{Dev: 4, Ino: 101}
	own := map[nsexec.ID]bool{self: true, init: true}
	all := []nsexec.Namespace{
		{ID: self, Inode: 100, Current: true},
		{ID: init, Inode: 101, Names: []string{"host"}, Procs: []nsexec.Proc{{PID: 1, Comm: "systemd"}}},
		{ID: nsexec.ID{Dev: 4, Ino: 102}, Inode: 102, Names: []string{"h1"}},
		{ID: nsexec.ID{Dev: 4, Ino: 103}, Inode: 103, Procs: []nsexec.Proc{{PID: 77, Comm: "sleep"}}},
		{ID: nsexec.ID{Dev: 4, Ino: 104}, Inode: 104, Names: []string{"h1"}},
	}
	if got, want := memberLabels(foundMembers(all, own, true)), []string{"h1", "pid:77", "h1#104"}; !slices.Equal(got, want) {
		t.Errorf("--all members = %v, want %v", got, want)
	}
	named := []nsexec.Namespace{
		{ID: init, Inode: 101, Names: []string{"host"}},
		{ID: nsexec.ID{Dev: 4, Ino: 102}, Inode: 102, Names: []string{"h1"}},
		{ID: self, Inode: 100, Names: []string{"mine"}},
		{ID: nsexec.ID{Dev: 4, Ino: 102}, Inode: 102, Names: []string{"h1-alias"}},
	}
	got := foundMembers(named, own, false)
	if want := []string{"h1", "h1-alias"}; !slices.Equal(memberLabels(got), want) {
		t.Errorf("default members = %v, want %v", memberLabels(got), want)
	}
	for _, m := range got {
		if m.t.Kind != nsexec.Named || m.t.Name != m.label || !m.found {
			t.Errorf("member %q: target %v found %v; want the name itself, discovered", m.label, m.t, m.found)
		}
	}
}

// TestIntegrationMatrixMembers chooses the members as a process inside a
// test namespace would (a thread entered into it), so "nsdiag's own"
// namespace is one the test made. Nothing is sent.
func TestIntegrationMatrixMembers(t *testing.T) {
	a, b := netnstest.NewNS(t, "mself"), netnstest.NewNS(t, "mother")
	idA, _ := nsexec.Identify(a)
	hostID, _ := nsexec.Identify(nsexec.Target{Kind: nsexec.PID, Process: 1})
	pick := func(all bool, args ...string) []member {
		t.Helper()
		var ms []member
		err := nsexec.Do(a, func() (err error) {
			ms, err = matrixMembers(all, args)
			return err
		})
		if err != nil {
			t.Fatalf("matrixMembers(all=%v, %v): %v", all, args, err)
		}
		return ms
	}
	for _, all := range []bool{false, true} {
		ms := pick(all)
		if !slices.Contains(memberLabels(ms), b.Name) {
			t.Errorf("all=%v: members %v lack %s", all, memberLabels(ms), b.Name)
		}
		for _, m := range ms {
			id, err := nsexec.Identify(m.t)
			if err != nil {
				continue // another test's namespace, gone since
			}
			if id == idA || id == hostID {
				t.Errorf("all=%v: member %q is nsdiag's own or the initial namespace", all, m.label)
			}
		}
	}
	// Named, they take part.
	explicit := pick(false, a.Name, "/proc/1/ns/net", b.Name)
	if got, want := memberLabels(explicit), []string{a.Name, "/proc/1/ns/net", b.Name}; !slices.Equal(got, want) {
		t.Errorf("explicit members = %v, want %v", got, want)
	}
}
