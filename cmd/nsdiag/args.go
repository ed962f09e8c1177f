package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// permuteArgs moves options that follow positional arguments in front of
// them, as GNU getopt does for ping, traceroute and tcpdump, so that
// "nsdiag ping 10.0.0.2 -c 3" works; urfave/cli stops at the first
// positional argument. "--" ends the options and is kept, so
// "nsdiag exec -n ns1 -- ip link" passes the command through untouched.
func permuteArgs(args []string, cmds []*cli.Command) []string {
	if len(args) < 2 {
		return args
	}
	cmd, at := findCommand(args[1:], cmds)
	if cmd == nil || verbatim[cmd] {
		return args
	}
	start := 1 + at + 1
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		v := false
		if df, ok := f.(cli.DocGenerationFlag); ok {
			v = df.TakesValue()
		}
		for _, n := range f.Names() {
			takesValue[n] = v
		}
	}
	var opts, positional []string
	rest := args[start:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if name, value, ok := attachedValue(a, takesValue); ok {
			opts = append(opts, name, value)
			continue
		}
		switch {
		case a == "--":
			positional = append(positional, rest[i:]...)
			i = len(rest)
		case isOption(a, takesValue):
			opts = append(opts, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if takesValue[name] && i+1 < len(rest) {
				i++
				opts = append(opts, rest[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	out := append([]string{}, args[:start]...)
	out = append(out, opts...)
	return append(out, positional...)
}

// attachedValue splits a one-letter option and its value written as one
// word, as getopt reads them ("-c1", "-s0", "-iany"), when the word is not
// itself an option's name. A letter repeated ("-nn") is left alone: it is
// the peers' habit that the -n check answers with a hint.
func attachedValue(a string, takesValue map[string]bool) (name, value string, ok bool) {
	if len(a) < 3 || a[0] != '-' || a[1] == '-' || a[2] == '=' {
		return "", "", false
	}
	if _, known := takesValue[a[1:]]; known || !takesValue[a[1:2]] {
		return "", "", false
	}
	if strings.Trim(a[2:], a[1:2]) == "" {
		return "", "", false
	}
	return a[:2], a[2:], true
}

// verbatim marks commands whose arguments are another command line (exec):
// options after its first word belong to it and stay where they are.
var verbatim = map[*cli.Command]bool{}

// findCommand walks subcommand names ("ns add") and returns the innermost
// command and the index of its name in args.
func findCommand(args []string, cmds []*cli.Command) (*cli.Command, int) {
	var found *cli.Command
	at := -1
	for i, a := range args {
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(a) {
				next = c
			}
		}
		if next == nil {
			break
		}
		found, at, cmds = next, i, next.Subcommands
		if len(cmds) == 0 {
			break
		}
	}
	return found, at
}

// isOption tells an option from a positional argument: anything that
// starts with '-' except a negative number, unless that number is itself a
// flag's name (ping and trace have -4 and -6).
func isOption(a string, flags map[string]bool) bool {
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	if _, known := flags[strings.TrimLeft(a, "-")]; known {
		return true
	}
	return !isNegativeNumber(a)
}

func isNegativeNumber(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	for _, r := range s[1:] {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}
