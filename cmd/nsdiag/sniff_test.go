package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/nsdiag/nsdiag/capture"
	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
)

// The sniff tests run the real binary, built once with CGO_ENABLED=0 as
// `make build` does, so signals, exit statuses and files are the user's.
// The build directory is removed at once: the tests exec the binary
// through an open descriptor (/proc/PID/fd/N), so nothing is left behind.
var sniffBinary struct {
	once sync.Once
	file *os.File
	path string
	err  error
}

func sniffBin(t *testing.T) string {
	t.Helper()
	sniffBinary.once.Do(func() {
		dir, err := os.MkdirTemp("", "nsdiag-sniff-test")
		if err != nil {
			sniffBinary.err = err
			return
		}
		defer os.RemoveAll(dir)
		bin := filepath.Join(dir, "nsdiag")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			sniffBinary.err = fmt.Errorf("%v: %s", err, out)
			return
		}
		if sniffBinary.file, sniffBinary.err = os.Open(bin); sniffBinary.err == nil {
			sniffBinary.path = fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), sniffBinary.file.Fd())
		}
	})
	if sniffBinary.err != nil {
		t.Fatalf("build nsdiag: %v", sniffBinary.err)
	}
	return sniffBinary.path
}

// capProc is a capture running in the background.
type capProc struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr syncBuffer // read while the capture runs
	ready  chan struct{}
	done   chan error
}

// startCapture starts name (a path to nsdiag, or "tcpdump" run in ns) and
// returns once it says it is listening.
func startCapture(t *testing.T, argv []string) *capProc {
	t.Helper()
	p := &capProc{cmd: exec.Command(argv[0], argv[1:]...), ready: make(chan struct{}), done: make(chan error, 1)}
	p.cmd.Stdout = &p.stdout
	errPipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	go func() {
		sc := bufio.NewScanner(errPipe)
		once := sync.Once{}
		for sc.Scan() {
			p.stderr.Write([]byte(sc.Text() + "\n"))
			if strings.Contains(sc.Text(), "listening on") {
				once.Do(func() { close(p.ready) })
			}
		}
		once.Do(func() { close(p.ready) })
		p.done <- p.cmd.Wait()
	}()
	select {
	case <-p.ready:
	case <-time.After(10 * time.Second):
		t.Fatalf("%v did not start listening: %s", argv, p.stderr.String())
	}
	return p
}

// finished waits up to d for the capture to end and returns its exit
// status; ok is false, and the capture killed, when it did not end.
func (p *capProc) finished(d time.Duration) (code int, ok bool) {
	select {
	case err := <-p.done:
		if ee, isExit := err.(*exec.ExitError); isExit {
			return ee.ExitCode(), true
		}
		if err != nil {
			return -1, true // not started or not waited for: no status
		}
		return 0, true
	case <-time.After(d):
		p.cmd.Process.Kill()
		<-p.done
		return -1, false
	}
}

// wait waits for the capture to end and returns its exit status.
func (p *capProc) wait(t *testing.T) int {
	t.Helper()
	code, ok := p.finished(10 * time.Second)
	if !ok {
		t.Fatalf("%v did not end; stderr: %s", p.cmd.Args, p.stderr.String())
	}
	return code
}

// udpEcho sends n datagrams from a to b's addr:port, each answered by an
// echo server in b, so each exchange is one packet each way.
func udpEcho(t *testing.T, a, b nsexec.Target, addr string, port, n int) {
	t.Helper()
	var srv net.PacketConn
	if err := nsexec.Do(b, func() (err error) {
		srv, err = net.ListenPacket("udp4", ":"+strconv.Itoa(port))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	go func() {
		buf := make([]byte, 2048)
		for {
			k, from, err := srv.ReadFrom(buf)
			if err != nil {
				return
			}
			srv.WriteTo(buf[:k], from)
		}
	}()
	var c net.Conn
	if err := nsexec.Do(a, func() (err error) {
		c, err = net.Dial("udp4", net.JoinHostPort(addr, strconv.Itoa(port)))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 2048)
	for i := 0; i < n; i++ {
		if _, err := c.Write([]byte("sniff test " + strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Read(buf); err != nil {
			t.Fatalf("echo %d: %v", i, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func nsExec(ns nsexec.Target, argv ...string) []string {
	return append([]string{"ip", "netns", "exec", ns.Name}, argv...)
}

var timestampRE = regexp.MustCompile(`^(\S+: )?\d\d:\d\d:\d\d\.\d{6} `)

// withoutTimestamps strips each line's timestamp: two sockets stamp
// outgoing packets a few microseconds apart.
func withoutTimestamps(out string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if l != "" {
			lines = append(lines, timestampRE.ReplaceAllString(l, "$1"))
		}
	}
	return lines
}

func requireTcpdump(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tcpdump"); err != nil {
		t.Skip("tcpdump is not installed (scripts/test-deps.sh installs it)")
	}
}

// TestIntegrationSniffBesideTcpdump captures the same exchanges with nsdiag
// and tcpdump, on a named interface and on any, and expects the same lines
// (In/Out on any) and the same counters.
func TestIntegrationSniffBesideTcpdump(t *testing.T) {
	requireTcpdump(t)
	p := netnstest.NewPair(t)
	bin := sniffBin(t)
	for i, iface := range []string{p.DevA, "any"} {
		port := 40100 + i
		expr := []string{"udp", "port", strconv.Itoa(port)}
		ours := startCapture(t, append([]string{bin, "sniff", "-n", p.A.Name, "-i", iface, "-c", "6"}, expr...))
		theirs := startCapture(t, nsExec(p.A, append([]string{"tcpdump", "-n", "--immediate-mode", "-i", iface, "-c", "6"}, expr...)...))
		udpEcho(t, p.A, p.B, p.B4, port, 3)
		if code := ours.wait(t); code != 0 {
			t.Fatalf("-i %s: nsdiag exited %d: %s", iface, code, ours.stderr.String())
		}
		theirs.wait(t)
		got, want := withoutTimestamps(ours.stdout.String()), withoutTimestamps(theirs.stdout.String())
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("-i %s: nsdiag printed\n%s\ntcpdump printed\n%s", iface, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if len(got) != 6 {
			t.Errorf("-i %s: %d lines, want 6", iface, len(got))
		}
		if iface == "any" && (strings.Count(ours.stdout.String(), " Out IP ") != 3 || strings.Count(ours.stdout.String(), " In  IP ") != 3) {
			t.Errorf("-i any: want 3 Out and 3 In lines:\n%s", ours.stdout.String())
		}
		for _, c := range []string{"6 packets captured", "6 packets received by filter", "0 packets dropped by kernel"} {
			if !strings.Contains(ours.stderr.String(), c+"\n") {
				t.Errorf("-i %s: stderr lacks %q:\n%s", iface, c, ours.stderr.String())
			}
		}
	}
}

// tcpdumpCount reads a file with tcpdump and returns its packet count.
func tcpdumpCount(t *testing.T, file string) int {
	t.Helper()
	out, err := exec.Command("tcpdump", "-n", "-r", file).Output()
	if err != nil {
		t.Fatalf("tcpdump -r %s: %v", file, err)
	}
	return len(withoutTimestamps(string(out)))
}

var capturedRE = regexp.MustCompile(`(?m)^(\d+) packets? captured$`)

func capturedCount(t *testing.T, stderr string) int {
	t.Helper()
	m := capturedRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no \"packets captured\" line in:\n%s", stderr)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestIntegrationSniffWriteReadBack writes with -w and reads back with
// tcpdump and with nsdiag -r: same count, same lines.
func TestIntegrationSniffWriteReadBack(t *testing.T) {
	requireTcpdump(t)
	p := netnstest.NewPair(t)
	bin := sniffBin(t)
	for _, name := range []string{"out.pcap", "out.pcapng"} {
		file := filepath.Join(t.TempDir(), name)
		c := startCapture(t, []string{bin, "sniff", "-n", p.B.Name, "-i", "any", "-c", "8", "-w", file, "udp"})
		udpEcho(t, p.A, p.B, p.B4, 40200, 4)
		if code := c.wait(t); code != 0 {
			t.Fatalf("exit %d: %s", code, c.stderr.String())
		}
		if n := tcpdumpCount(t, file); n != 8 {
			t.Errorf("%s: tcpdump -r reads %d packets, want 8", name, n)
		}
		want, err := exec.Command("tcpdump", "-n", "-r", file).Output()
		if err != nil {
			t.Fatal(err)
		}
		got, err := exec.Command(bin, "sniff", "-r", file).Output()
		if err != nil {
			t.Fatal(err)
		}
		if name == "out.pcapng" {
			// tcpdump names a cooked packet's interface by its index on the
			// reading host; nsdiag by the name the file gives it.
			ifField := regexp.MustCompile(`(?m)^(\S+) \S+ +`)
			want = ifField.ReplaceAll(want, []byte("$1 IF "))
			got = ifField.ReplaceAll(got, []byte("$1 IF "))
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: nsdiag sniff -r printed\n%s\ntcpdump -r printed\n%s", name, got, want)
		}
	}
}

// TestIntegrationSniffMerged captures in both namespaces at once: one
// stream in time order, each line naming its namespace, each datagram
// leaving A before it arrives in B.
func TestIntegrationSniffMerged(t *testing.T) {
	p := netnstest.NewPair(t)
	bin := sniffBin(t)
	c := startCapture(t, []string{bin, "sniff", "-n", p.A.Name, "-n", p.B.Name, "-i", "any", "-c", "12", "-tt", "udp", "port", "40300"})
	udpEcho(t, p.A, p.B, p.B4, 40300, 3)
	if code := c.wait(t); code != 0 {
		t.Fatalf("exit %d: %s", code, c.stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(c.stdout.String()), "\n")
	if len(lines) != 12 {
		t.Fatalf("%d lines, want 12:\n%s", len(lines), c.stdout.String())
	}
	var prev float64
	var seq []string
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 4 {
			t.Fatalf("short line %q", l)
		}
		ts, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			t.Fatalf("line %q: timestamp: %v", l, err)
		}
		if ts < prev {
			t.Errorf("out of order: %q after %.6f", l, prev)
		}
		prev = ts
		ns := strings.TrimSuffix(f[0], ":")
		switch ns {
		case p.A.Name:
			seq = append(seq, "A "+f[3])
		case p.B.Name:
			seq = append(seq, "B "+f[3])
		default:
			t.Errorf("line %q does not start with a namespace name", l)
		}
	}
	want := strings.Repeat("A Out,B In,B Out,A In,", 3)
	if got := strings.Join(seq, ",") + ","; got != want {
		t.Errorf("sequence %s\nwant     %s\n%s", got, want, c.stdout.String())
	}
}

// TestIntegrationSniffSignals stops file captures with SIGINT and SIGTERM:
// exit 0, counters printed, and the file holds every counted packet.
func TestIntegrationSniffSignals(t *testing.T) {
	requireTcpdump(t)
	p := netnstest.NewPair(t)
	bin := sniffBin(t)
	for i, tc := range []struct {
		sig      syscall.Signal
		buffered bool // no -U
	}{{syscall.SIGINT, false}, {syscall.SIGTERM, false}, {syscall.SIGINT, true}} {
		file := filepath.Join(t.TempDir(), "sig.pcap")
		args := []string{bin, "sniff", "-n", p.B.Name, "-i", p.DevB, "-w", file}
		if !tc.buffered {
			args = append(args, "-U")
		}
		c := startCapture(t, append(args, "udp"))
		udpEcho(t, p.A, p.B, p.B4, 40400+i, 5)
		if !tc.buffered {
			// A signal ends the capture at once, losing (as tcpdump
			// does) what sits in a ring block the kernel has not handed
			// over yet; with -U the file shows when all ten are taken.
			waitFile(t, file, 10)
		}
		c.cmd.Process.Signal(tc.sig)
		if code := c.wait(t); code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.sig, code, c.stderr.String())
		}
		n := capturedCount(t, c.stderr.String())
		// Buffered, nothing tells when the capture has taken the packets
		// from its ring: how many it has when the signal comes depends on
		// the machine's load, but the kernel has counted all ten.
		if n != 10 && (!tc.buffered || n > 10) {
			t.Errorf("%v: %d packets captured, want 10", tc.sig, n)
		}
		if got := tcpdumpCount(t, file); got != n {
			t.Errorf("%v: file holds %d packets, counters say %d", tc.sig, got, n)
		}
		for _, w := range []string{"10 packets received by filter", "packets dropped by kernel"} {
			if !strings.Contains(c.stderr.String(), w) {
				t.Errorf("%v: no %q in %s", tc.sig, w, c.stderr.String())
			}
		}
	}
}

// waitFile waits until a capture writing with -U has put n packets in
// file, that is until it has taken them from its ring.
func waitFile(t *testing.T, file string, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); fileCount(file) < n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s holds %d packets after 10 s, want %d", file, fileCount(file), n)
		}
	}
}

// fileCount counts the whole packets in a pcap or pcapng file that may be
// in the middle of being written.
func fileCount(file string) int {
	f, err := os.Open(file)
	if err != nil {
		return 0
	}
	defer f.Close()
	r, err := capture.NewReader(f)
	if err != nil {
		return 0
	}
	n := 0
	var p capture.Packet
	for r.Next(&p) == nil {
		n++
	}
	return n
}

// TestIntegrationSniffGone deletes the interface, then the namespace,
// under a running capture: it ends with a clear message, exit 1, counters,
// and a complete file.
func TestIntegrationSniffGone(t *testing.T) {
	requireTcpdump(t)
	bin := sniffBin(t)
	for _, tc := range []struct {
		what   string
		iface  func(p *netnstest.Pair) string
		remove func(t *testing.T, p *netnstest.Pair)
		want   string
	}{
		{"interface", func(p *netnstest.Pair) string { return p.DevB }, func(t *testing.T, p *netnstest.Pair) {
			if err := netcfg.DeleteLink(p.B, p.DevB); err != nil {
				t.Fatal(err)
			}
		}, "disappeared"},
		{"namespace", func(p *netnstest.Pair) string { return "any" }, func(t *testing.T, p *netnstest.Pair) {
			if err := nsexec.Delete(p.B.Name); err != nil {
				t.Fatal(err)
			}
		}, "was deleted"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			p := netnstest.NewPair(t)
			file := filepath.Join(t.TempDir(), "gone.pcap")
			c := startCapture(t, []string{bin, "sniff", "-n", p.B.Name, "-i", tc.iface(p), "-U", "-w", file, "udp"})
			udpEcho(t, p.A, p.B, p.B4, 40500, 3)
			waitFile(t, file, 6)
			tc.remove(t, p)
			if code := c.wait(t); code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			stderr := c.stderr.String()
			if !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, p.B.Name) {
				t.Errorf("stderr does not say the %s went away (%q):\n%s", tc.what, tc.want, stderr)
			}
			n := capturedCount(t, stderr)
			if n != 6 {
				t.Errorf("%d packets captured, want 6", n)
			}
			if got := tcpdumpCount(t, file); got != n {
				t.Errorf("file holds %d packets, counters say %d", got, n)
			}
		})
	}
}

// TestSniffDamagedFile gives -r a truncated and a corrupt file: one clear
// line, exit 1, the packets before the damage printed, never a panic.
func TestSniffDamagedFile(t *testing.T) {
	bin := sniffBin(t)
	dir := t.TempDir()
	data := udpPcap(t, 2)
	for _, tc := range []struct {
		name  string
		data  []byte
		want  string
		lines int
	}{
		{"truncated", data[:len(data)-7], "truncated capture file", 1},
		{"corrupt", append(append([]byte{}, data[:24]...), bytes.Repeat([]byte{0xff}, 40)...), "damaged capture file at packet 1", 0},
		{"not a capture", []byte("GET / HTTP/1.1\r\n\r\n"), "not a pcap or pcapng file", 0},
		{"empty", nil, "empty", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.name)
			if err := os.WriteFile(file, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin, "sniff", "-r", file)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Errorf("exit: %v, want status 1", err)
			}
			msg := strings.TrimSuffix(errb.String(), "\n")
			if lines := strings.Split(msg, "\n"); !strings.Contains(lines[len(lines)-1], tc.want) || strings.Contains(msg, "panic") {
				t.Errorf("stderr %q; want a line containing %q", msg, tc.want)
			}
			if n := len(withoutTimestamps(out.String())); out.Len() > 0 && n != tc.lines || out.Len() == 0 && tc.lines != 0 {
				t.Errorf("printed %d lines before the error, want %d", n, tc.lines)
			}
		})
	}
	// stdin works like a file.
	cmd := exec.Command(bin, "sniff", "-r", "-")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil || len(withoutTimestamps(string(out))) != 2 {
		t.Errorf("-r -: %v, output %q", err, out)
	}
}

// udpPcap crafts a pcap file of n Ethernet/IPv4/UDP packets.
func udpPcap(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := capture.NewWriter(&buf, false, []capture.FileInterface{{Name: "eth0", LinkType: layers.LinkTypeEthernet}})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}, Id: uint16(i)}
		udp := &layers.UDP{SrcPort: 5000, DstPort: layers.UDPPort(6000 + i)}
		udp.SetNetworkLayerForChecksum(ip)
		sb := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(sb, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, udp, gopacket.Payload("hello")); err != nil {
			t.Fatal(err)
		}
		pk := capture.Packet{Time: t0.Add(time.Duration(i) * time.Millisecond), Data: sb.Bytes(), Length: len(sb.Bytes()), LinkType: layers.LinkTypeEthernet}
		if err := w.Write(&pk); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestIntegrationSniffMergedSurvives deletes one of two namespaces under a
// merged capture: a note, the other keeps capturing, the file is complete.
func TestIntegrationSniffMergedSurvives(t *testing.T) {
	requireTcpdump(t)
	p := netnstest.NewPair(t)
	bin := sniffBin(t)
	file := filepath.Join(t.TempDir(), "merged.pcapng")
	// -U: the file shows what the capture has taken, which the steps
	// below wait for instead of pausing for the ring and the merge.
	c := startCapture(t, []string{bin, "sniff", "-n", p.A.Name, "-n", p.B.Name, "-i", "any", "-U", "-w", file, "udp"})
	udpEcho(t, p.A, p.B, p.B4, 40700, 2)
	waitFile(t, file, 8)
	if err := nsexec.Delete(p.B.Name); err != nil {
		t.Fatal(err)
	}
	note := p.B.Name + "\" was deleted; still capturing in the others"
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(c.stderr.String(), note); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no note about the deleted namespace:\n%s", c.stderr.String())
		}
	}
	// The veth went with B; A's loopback still carries what A sends
	// itself, and A's capture must still see it.
	udpEchoNoServer(t, p.A, "127.0.0.1", 40701, 2)
	waitFile(t, file, 10)
	c.cmd.Process.Signal(syscall.SIGINT)
	if code := c.wait(t); code != 0 {
		t.Fatalf("exit %d: %s", code, c.stderr.String())
	}
	stderr := c.stderr.String()
	n := capturedCount(t, stderr)
	// 2 exchanges seen in both (8), then 2 datagrams on A's loopback.
	if n != 10 {
		t.Errorf("%d packets captured, want 10:\n%s", n, stderr)
	}
	if got := tcpdumpCount(t, file); got != n {
		t.Errorf("file holds %d packets, counters say %d", got, n)
	}
	// The pcapng interface blocks name namespace and interface.
	if _, err := exec.LookPath("tshark"); err == nil {
		out, err := exec.Command("tshark", "-r", file, "-T", "fields", "-e", "frame.interface_name").Output()
		if err != nil {
			t.Fatalf("tshark: %v", err)
		}
		for _, want := range []string{p.A.Name + "/" + p.DevA, p.B.Name + "/" + p.DevB, p.A.Name + "/lo"} {
			if !strings.Contains(string(out), want+"\n") {
				t.Errorf("tshark shows no packet from interface %s:\n%s", want, out)
			}
		}
	}
}

// udpEchoNoServer sends n datagrams from a to addr:port, no answer
// expected (an unconnected socket, so ICMP errors do not stop it).
func udpEchoNoServer(t *testing.T, a nsexec.Target, addr string, port, n int) {
	t.Helper()
	var c net.PacketConn
	if err := nsexec.Do(a, func() (err error) {
		c, err = net.ListenPacket("udp4", ":0")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dst := &net.UDPAddr{IP: net.ParseIP(addr), Port: port}
	for i := 0; i < n; i++ {
		if _, err := c.WriteTo([]byte("after"), dst); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
