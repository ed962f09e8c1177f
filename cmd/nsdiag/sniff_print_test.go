package main

import (
	"bytes"
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
