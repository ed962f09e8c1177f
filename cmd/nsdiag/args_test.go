package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestPermuteArgs(t *testing.T) {
	ping := &cli.Command{Name: "ping", Flags: []cli.Flag{
		&cli.IntFlag{Name: "c"}, &cli.BoolFlag{Name: "q"}, &cli.BoolFlag{Name: "4"}, &cli.StringFlag{Name: "netns", Aliases: []string{"n"}},
	}}
	add := &cli.Command{Name: "add", Flags: []cli.Flag{&cli.StringFlag{Name: "netns", Aliases: []string{"n"}}}}
	ns := &cli.Command{Name: "ns", Subcommands: []*cli.Command{add}}
	cmds := []*cli.Command{ping, ns}
	cases := []struct{ in, want string }{
		{"nsdiag ping 10.0.0.2 -c 3", "nsdiag ping -c 3 10.0.0.2"},
		{"nsdiag ping -n ns1 10.0.0.2 -q -4", "nsdiag ping -n ns1 -q -4 10.0.0.2"},
		{"nsdiag ping host -c=2", "nsdiag ping -c=2 host"},
		{"nsdiag ping host -7", "nsdiag ping host -7"},
		{"nsdiag ping a -- -c 3", "nsdiag ping a -- -c 3"},
		{"nsdiag ns add x -n y", "nsdiag ns add -n y x"},
		{"nsdiag frob -x", "nsdiag frob -x"},
		{"nsdiag ping host -c3 -q", "nsdiag ping -c 3 -q host"},
		{"nsdiag ping -nns1 host", "nsdiag ping -n ns1 host"},
		{"nsdiag ping -nn host", "nsdiag ping -nn host"},
		{"nsdiag ping -netns ns1 host", "nsdiag ping -netns ns1 host"},
		{"nsdiag ping -q4 host", "nsdiag ping -q4 host"},
		{"nsdiag", "nsdiag"},
	}
	for _, c := range cases {
		got := strings.Join(permuteArgs(strings.Fields(c.in), cmds), " ")
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("permuteArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseTargetRefusesOptions(t *testing.T) {
	for _, v := range []string{"-n", "-i", "--all"} {
		if _, err := parseTarget(v); err == nil || !strings.Contains(err.Error(), "numeric") {
			t.Errorf("parseTarget(%q) = %v, want the numeric-habit hint", v, err)
		}
	}
	if tg, err := parseTarget("ns1"); err != nil || tg.Name != "ns1" {
		t.Errorf("parseTarget(ns1) = %+v, %v", tg, err)
	}
}
