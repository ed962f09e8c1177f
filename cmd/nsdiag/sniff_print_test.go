package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runBoth runs nsdiag sniff and tcpdump -n with the same arguments and
// returns what each printed on stdout and stderr and its exit status.
func runBoth(t *testing.T, args ...string) (ours, theirs cmdResult) {
	t.Helper()
	requireTcpdump(t)
	run := func(name string, argv ...string) cmdResult {
		cmd := exec.Command(name, argv...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatalf("%s: %v", name, err)
		}
		return cmdResult{out.String(), errb.String(), cmd.ProcessState.ExitCode()}
	}
	return run(sniffBin(t), append([]string{"sniff"}, args...)...), run("tcpdump", append([]string{"-n"}, args...)...)
}

type cmdResult struct {
	stdout, stderr string
	code           int
}

// TestSniffPrintFlagsBesideTcpdump reads corpus files with tcpdump's output
// flags: stdout, stderr and the exit status must be tcpdump's.
func TestSniffPrintFlagsBesideTcpdump(t *testing.T) {
	corpus := func(name string) string { return filepath.Join("..", "..", "testdata", "printer", name+".pcap") }
	for _, args := range [][]string{
		{"-r", corpus("apps"), "-A"},
		{"-r", corpus("apps"), "-AA", "-e"},
		{"-r", corpus("apps"), "-A", "-x"},
		{"-r", corpus("apps"), "-AX"},
		{"-r", corpus("sll2"), "-A", "-v"},
		{"-r", corpus("ipv4"), "-xx", "-v"},
		{"-r", corpus("ipv4"), "-XX", "-e"},
		{"-r", corpus("tcpseq"), "-S"},
		{"-r", corpus("tcpseq"), "--absolute-tcp-sequence-numbers", "-v"},
		{"-r", corpus("tcpseq"), "-vvS"},
		{"-r", corpus("trunc"), "-#", "-v"},
		{"-r", corpus("ipv4"), "--number", "-c", "5", "-e", "-tttt"},
		{"-r", corpus("dns"), "-#S", "-x"},
		{"-r", corpus("ipv4"), "-#", "icmp"},
		{"-r", corpus("pim"), "-vv"},
		{"-r", corpus("dhcp"), "-vvv", "-e"},
		{"-r", corpus("nano"), "--time-stamp-precision=nano"},
		{"-r", corpus("nano"), "--time-stamp-precision", "micro", "-ttt"},
		{"-r", corpus("nano"), "--nano", "-tt", "-v"},
		{"-r", corpus("nano"), "--nano", "-ttttt", "-c", "4"},
		{"-r", corpus("nano"), "--micro", "-tttt"},
		{"-r", corpus("ipv4"), "--nano", "-ttt"},
		{"-r", corpus("nano"), "-tt"},
		{"-r", corpus("ipv4"), "-K", "-vv"},
		{"-r", corpus("tcpseq"), "--dont-verify-checksums", "-v"},
		{"-r", corpus("ipv6"), "-vvKN"},
		{"-r", corpus("ipv4"), "-N", "-v"},
		{"-r", corpus("lldp"), "-vv"},
		{"-r", corpus("lldp"), "-e"},
		{"-r", corpus("dccp"), "-vv"},
		{"-r", corpus("dccp"), "-q"},
		// len, less and greater see the length on the wire, not the
		// captured length (libpcap's bpf_filter gets both).
		{"-r", corpus("trunc"), "-e", "greater", "100"},
		{"-r", corpus("sctp"), "-q", "-t", "less", "60"},
		{"-r", corpus("trunc"), "len > 90 and tcp"},
	} {
		t.Run(strings.Join(args[2:], " ")+" "+filepath.Base(args[1]), func(t *testing.T) {
			ours, theirs := runBoth(t, args...)
			if ours.stdout != theirs.stdout {
				ol, tl := strings.Split(ours.stdout, "\n"), strings.Split(theirs.stdout, "\n")
				for i := 0; i < len(ol) && i < len(tl); i++ {
					if ol[i] != tl[i] {
						t.Fatalf("line %d:\n  nsdiag : %q\n  tcpdump: %q", i+1, ol[i], tl[i])
					}
				}
				t.Fatalf("nsdiag printed %d lines, tcpdump %d", len(ol), len(tl))
			}
			if ours.stderr != theirs.stderr || ours.code != theirs.code {
				t.Errorf("nsdiag: exit %d, stderr %q\ntcpdump: exit %d, stderr %q", ours.code, ours.stderr, theirs.code, theirs.stderr)
			}
		})
	}
}

// TestSniffNanoFiles rewrites files with -w as tcpdump does, with and
// without --nano, and expects the same bytes; a precision tcpdump does
// not know is exit status 1 and one line, as tcpdump's.
func TestSniffNanoFiles(t *testing.T) {
	requireTcpdump(t)
	bin := sniffBin(t)
	dir := t.TempDir()
	corpus := func(name string) string { return filepath.Join("..", "..", "testdata", "printer", name+".pcap") }
	for i, args := range [][]string{
		{"-r", corpus("nano")},
		{"-r", corpus("nano"), "--nano"},
		{"-r", corpus("ipv4"), "--time-stamp-precision=nano"},
		{"-r", corpus("nano"), "--time-stamp-precision=micro", "icmp"},
	} {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			ours, theirs := filepath.Join(dir, fmt.Sprintf("ours%d.pcap", i)), filepath.Join(dir, fmt.Sprintf("theirs%d.pcap", i))
			if out, err := exec.Command(bin, append([]string{"sniff", "-w", ours}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("nsdiag: %v: %s", err, out)
			}
			if out, err := exec.Command("tcpdump", append([]string{"-w", theirs}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("tcpdump: %v: %s", err, out)
			}
			o, err := os.ReadFile(ours)
			if err != nil {
				t.Fatal(err)
			}
			w, err := os.ReadFile(theirs)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(o, w) {
				t.Errorf("nsdiag wrote %d bytes (% x...), tcpdump %d (% x...)", len(o), o[:min(len(o), 32)], len(w), w[:min(len(w), 32)])
			}
		})
	}
	ours, theirs := runBoth(t, "-r", corpus("nano"), "--time-stamp-precision=pico")
	if ours.code != 1 || theirs.code != 1 || ours.stdout != "" || strings.Count(ours.stderr, "\n") != 1 {
		t.Errorf("pico: nsdiag exit %d, stderr %q; tcpdump exit %d, stderr %q", ours.code, ours.stderr, theirs.code, theirs.stderr)
	}
}
