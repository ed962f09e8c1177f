package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestHelp checks `nsdiag --help` and every `nsdiag COMMAND [SUB] --help`:
// each lists every flag with its one-line description, and shows an example.
func TestHelp(t *testing.T) {
	// Each help runs in a process of its own: urfave/cli changes the
	// commands as it runs them, so a second Run in one process reads wrong.
	top := nsdiag(t, "--help")
	if top.code != 0 {
		t.Fatalf("nsdiag --help: exit %d %s", top.code, top.stderr)
	}
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Hidden || c.Name == "help" {
				continue
			}
			p := append(append([]string{}, path...), c.Name)
			name := strings.Join(p, " ")
			if len(path) == 0 && !strings.Contains(top.stdout, "   "+c.Name+" ") {
				t.Errorf("nsdiag --help does not list %s", c.Name)
			}
			r := nsdiag(t, append(p, "--help")...)
			if r.code != 0 {
				t.Errorf("nsdiag %s --help: exit %d %s", name, r.code, r.stderr)
				continue
			}
			help := r.stdout
			if !strings.Contains(help, "Example") {
				t.Errorf("nsdiag %s --help shows no example:\n%s", name, help)
			}
			if c.Usage == "" || strings.Contains(c.Usage, "\n") {
				t.Errorf("nsdiag %s: usage %q is not one line", name, c.Usage)
			}
			for _, f := range c.Flags {
				df, ok := f.(cli.DocGenerationFlag)
				if !ok {
					continue
				}
				usage := df.GetUsage()
				if usage == "" || strings.Contains(usage, "\n") {
					t.Errorf("nsdiag %s: flag --%s has no one-line description", name, f.Names()[0])
				}
				flag := "--" + f.Names()[0]
				if len(f.Names()[0]) == 1 {
					flag = "-" + f.Names()[0]
				}
				if !strings.Contains(help, flag) {
					t.Errorf("nsdiag %s --help does not list %s", name, flag)
				}
			}
			walk(p, c.Subcommands)
		}
	}
	walk(nil, commands)
}

// TestStaticBuild builds nsdiag as `make build` does (CGO_ENABLED=0, the
// version stamped; without -trimpath, which would miss the build cache) and checks that file(1) calls it statically linked and
// that --version prints the stamp.
func TestStaticBuild(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go tool in PATH")
	}
	if _, err := exec.LookPath("file"); err != nil {
		t.Skip("needs file(1): apt-get install file")
	}
	bin := filepath.Join(t.TempDir(), "nsdiag")
	build := exec.Command(goBin, "build", "-ldflags", "-X main.version=v9.8.7-test", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command("file", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "statically linked") {
		t.Errorf("file says: %s", out)
	}
	out, err = exec.Command(bin, "--version").Output()
	if err != nil || !strings.Contains(string(out), "v9.8.7-test") {
		t.Errorf("--version: %q, %v", out, err)
	}
}
