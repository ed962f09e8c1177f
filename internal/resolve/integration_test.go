package resolve

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/net/dns/dnsmessage"
)

// netnsEtc writes /etc/netns/NAME/FILE for the test's namespace and removes
// the directory afterwards.
func netnsEtc(t *testing.T, ns nsexec.Target, file, content string) {
	t.Helper()
	dir := filepath.Join(etcNetns, ns.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// serveDNS answers A and AAAA queries for the names in zone from a UDP
// socket opened inside ns, until the test ends.
func serveDNS(t *testing.T, ns nsexec.Target, addr string, zone map[string][]netip.Addr) {
	t.Helper()
	var pc net.PacketConn
	err := nsexec.Do(ns, func() (err error) {
		pc, err = net.ListenPacket("udp", net.JoinHostPort(addr, "53"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var q dnsmessage.Message
			if q.Unpack(buf[:n]) != nil || len(q.Questions) != 1 {
				continue
			}
			qq := q.Questions[0]
			resp := dnsmessage.Message{Header: dnsmessage.Header{ID: q.ID, Response: true, RCode: dnsmessage.RCodeNameError}, Questions: q.Questions}
			if addrs, ok := zone[qq.Name.String()]; ok {
				resp.RCode = dnsmessage.RCodeSuccess
				for _, a := range addrs {
					h := dnsmessage.ResourceHeader{Name: qq.Name, Class: dnsmessage.ClassINET, TTL: 60}
					switch {
					case a.Is4() && qq.Type == dnsmessage.TypeA:
						h.Type = dnsmessage.TypeA
						resp.Answers = append(resp.Answers, dnsmessage.Resource{Header: h, Body: &dnsmessage.AResource{A: a.As4()}})
					case a.Is6() && qq.Type == dnsmessage.TypeAAAA:
						h.Type = dnsmessage.TypeAAAA
						resp.Answers = append(resp.Answers, dnsmessage.Resource{Header: h, Body: &dnsmessage.AAAAResource{AAAA: a.As16()}})
					}
				}
			}
			out, err := resp.Pack()
			if err == nil {
				pc.WriteTo(out, from)
			}
		}
	}()
}

func TestIntegrationNamespaceFiles(t *testing.T) {
	p := netnstest.NewPair(t)
	netnsEtc(t, p.A, "hosts", "10.0.0.2 peer.lab peer\nfd00::2 peer.lab peer\n10.0.0.3 v4host\n")
	netnsEtc(t, p.A, "resolv.conf", "search lab.example\nnameserver 10.0.0.2\noptions timeout:1 attempts:1\n")
	// The server exists only in B: an answer proves the query left from A.
	serveDNS(t, p.B, "10.0.0.2", map[string][]netip.Addr{
		"db.lab.example.": {netip.MustParseAddr("10.0.0.77"), netip.MustParseAddr("fd00::77")},
		"v6only.":         {netip.MustParseAddr("fd00::66")},
	})
	// glibc prefers fd00::2 to 10.0.0.2 once IPv6 has a route, which a
	// new veth gets only when its carrier is up: wait for it, so that the
	// answers below do not depend on the timing.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ok := false
		nsexec.Do(p.A, func() error { ok = routable(netip.MustParseAddr("fd00::2")); return nil })
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no IPv6 route to fd00::2 in A")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cases := []struct {
		name      string
		fam       int
		want      string
		wantCanon string
		wantErr   error
	}{
		{"peer", Any, "fd00::2", "peer.lab", nil},
		{"peer", IPv4, "10.0.0.2", "peer.lab", nil},
		{"peer", IPv6, "fd00::2", "peer.lab", nil},
		{"db", Any, "fd00::77", "db.lab.example", nil},
		{"db", IPv4, "10.0.0.77", "db.lab.example", nil},
		{"db", 10, "fd00::77", "db.lab.example", nil},
		{"v6only.", IPv4, "", "", ErrNoData},
		{"nosuch", Any, "", "", ErrNotFound},
		// glibc (and so ping -6) when the hosts file has the other family only.
		{"v4host", IPv6, "", "", ErrAddrFamily},
		{"10.0.0.2", IPv6, "", "", ErrAddrFamily},
		{"10.9.9.9", Any, "10.9.9.9", "10.9.9.9", nil},
	}
	for _, c := range cases {
		r, err := Lookup(ctx, p.A, c.name, c.fam)
		if c.wantErr != nil {
			if !errors.Is(err, c.wantErr) {
				t.Errorf("Lookup(%q, %d) error = %v, want %v", c.name, c.fam, err, c.wantErr)
			}
			continue
		}
		if err != nil || r.Addr.String() != c.want || r.Canonical != c.wantCanon {
			t.Errorf("Lookup(%q, %d) = %v %q, %v; want %s %q", c.name, c.fam, r.Addr, r.Canonical, err, c.want, c.wantCanon)
		}
	}

	// The same namespace named by PID gets the same files.
	pidTarget := pidIn(t, p.A)
	if a, err := Host(ctx, pidTarget, "peer", IPv4); err != nil || a.String() != "10.0.0.2" {
		t.Errorf("Host via %s = %v, %v; want 10.0.0.2", pidTarget, a, err)
	}
	// B has no files of its own, so it does not know A's names.
	if _, err := Host(ctx, p.B, "peer.lab", IPv4); err == nil {
		t.Errorf("B resolved A's private name peer.lab")
	}
}

// pidIn starts a process inside ns and returns it as a pid: target.
func pidIn(t *testing.T, ns nsexec.Target) nsexec.Target {
	t.Helper()
	f, err := nsexec.Open(ns)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var proc *os.Process
	err = nsexec.DoFile(ns, f, func() error {
		// A child forked from a thread inherits that thread's namespace.
		var err error
		proc, err = os.StartProcess("/bin/sleep", []string{"sleep", "30"}, &os.ProcAttr{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proc.Kill(); proc.Wait() })
	return nsexec.Target{Kind: nsexec.PID, Process: proc.Pid}
}
