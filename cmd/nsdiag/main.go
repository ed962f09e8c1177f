// Command nsdiag is a namespace-aware network diagnostics toolkit: ping,
// traceroute and packet capture that run inside any network namespace, and
// the setup commands to build namespace labs.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

// commands holds every subcommand; each file registers its own from init.
var commands []*cli.Command

func register(c *cli.Command) { commands = append(commands, c) }

func newApp(stdout, stderr io.Writer) *cli.App {
	var notFound error
	sort.Slice(commands, func(i, j int) bool { return commands[i].Name < commands[j].Name })
	app := &cli.App{
		Name:                 "nsdiag",
		Usage:                "namespace-aware ping, traceroute and packet capture",
		UsageText:            "nsdiag COMMAND [-n NETNS] [options] [args]\n\nExamples:\n   nsdiag ping -n ns1 10.0.0.2\n   nsdiag lab demo",
		Version:              version,
		Commands:             commands,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: false,
		HideHelpCommand:      false,
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return usageError(c, err)
		},
		// urfave/cli would print its own message and exit 3 from inside
		// Run; nsdiag reports every error itself, one line, usage errors 2.
		ExitErrHandler: func(*cli.Context, error) {},
		CommandNotFound: func(c *cli.Context, name string) {
			notFound = exitWith(2, fmt.Errorf("unknown command %q; see %s help", name, c.App.Name))
		},
		After: func(*cli.Context) error { return notFound },
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return exitWith(2, fmt.Errorf("unknown command %q; see nsdiag help", c.Args().First()))
			}
			return cli.ShowAppHelp(c)
		},
	}
	setUsageErrors(app.Commands)
	return app
}

func main() {
	args := permuteArgs(os.Args, commands)
	err := newApp(os.Stdout, os.Stderr).Run(args)
	os.Exit(report(os.Stderr, err))
}

// exitError carries the exit status a peer tool would use with the one line
// to print.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitWith wraps err so that nsdiag exits with code; nil stays nil.
func exitWith(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

// exitCode ends the process with a status and no message (ping's 1 when no
// reply came, for example).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// report prints err as one line and returns the exit status for it.
func report(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	var code exitCode
	if errors.As(err, &code) {
		return int(code)
	}
	status := 1
	var ee *exitError
	if errors.As(err, &ee) {
		status = ee.code
	}
	fmt.Fprintf(w, "nsdiag: %v\n", err)
	return status
}

// setUsageErrors gives every command, nested ones too, nsdiag's one-line
// usage error instead of urfave/cli's full help page.
func setUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = func(c *cli.Context, err error, _ bool) error { return usageError(c, err) }
		}
		setUsageErrors(c.Subcommands)
	}
}

func usageError(c *cli.Context, err error) error {
	return exitWith(2, fmt.Errorf("%v; see %s --help", err, commandPath(c)))
}

// commandPath names the command a context runs, as typed: "nsdiag ns add".
func commandPath(c *cli.Context) string {
	path := []string{}
	if c != nil {
		for _, x := range c.Lineage() {
			if x.Command != nil && x.Command.Name != "" && (len(path) == 0 || path[0] != x.Command.Name) {
				path = append([]string{x.Command.Name}, path...)
			}
		}
	}
	if len(path) == 0 || path[0] != "nsdiag" {
		path = append([]string{"nsdiag"}, path...)
	}
	return strings.Join(path, " ")
}
