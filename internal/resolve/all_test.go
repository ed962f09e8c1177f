package resolve

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
)

// TestIntegrationResolveAll: All returns every address of a name in the
// namespace's hosts file, in the order glibc's getaddrinfo gives them
// there (getent ahosts under ip netns exec is the peer).
func TestIntegrationResolveAll(t *testing.T) {
	ns := netnstest.NewNS(t, "rall")
	netnsEtc(t, ns, "hosts", "10.77.0.1 two.lab\n10.77.0.2 two.lab\nfd00::77 two.lab\n127.0.0.5 two.lab\n::1 two.lab\n10.77.0.9 v4only.lab\n")
	ctx := context.Background()
	for _, name := range []string{"two.lab", "v4only.lab", "TWO.LAB"} {
		got, err := All(ctx, ns, name, Any)
		if err != nil {
			t.Fatalf("All(%q): %v", name, err)
		}
		out, err := exec.Command("ip", "netns", "exec", ns.Name, "getent", "ahosts", name).Output()
		if err != nil {
			t.Fatalf("getent ahosts %s in %s: %v", name, ns.Name, err)
		}
		var want []netip.Addr
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			a := netip.MustParseAddr(strings.Fields(line)[0])
			if !slices.Contains(want, a) {
				want = append(want, a)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("All(%q) = %v; getaddrinfo gives %v", name, got, want)
		}
	}
	if got, err := All(ctx, ns, "two.lab", IPv4); err != nil || len(got) != 3 || !got[0].Is4() {
		t.Errorf("All(two.lab, IPv4) = %v, %v; want its three IPv4 addresses", got, err)
	}
	// The host's own namespace does not see the file.
	if _, err := All(ctx, netnstest.NewNS(t, "rall2"), "v4only.lab", Any); err == nil {
		t.Errorf("a namespace without the file resolved v4only.lab")
	}
}

// TestResolveEtcFile: a namespace's override is read only where ip netns
// exec could bind-mount it, over an /etc file that exists.
func TestResolveEtcFile(t *testing.T) {
	ns := netnstest.NewNS(t, "retc")
	netnsEtc(t, ns, "hosts", "10.77.0.1 lab\n")
	missing := "nsdiag-missing-" + netnstest.Suffix(8)
	netnsEtc(t, ns, missing, "x\n")
	if b, err := EtcFile(ns, "hosts"); err != nil || string(b) != "10.77.0.1 lab\n" {
		t.Errorf("EtcFile(hosts) = %q, %v; want the namespace's file", b, err)
	}
	if _, err := EtcFile(ns, missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("EtcFile(%s) = %v; want not found, as /etc/%s does not exist", missing, err, missing)
	}
	host, _ := os.ReadFile("/etc/hosts")
	if b, err := EtcFile(netnstest.NewNS(t, "retc2"), "hosts"); err != nil || string(b) != string(host) {
		t.Errorf("EtcFile(hosts) without an override = %q, %v; want /etc/hosts", b, err)
	}
}
