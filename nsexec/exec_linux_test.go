package nsexec_test

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/sys/unix"
)

// threadNetns returns the identity of the namespace the calling thread is in.
func threadNetns(t testing.TB) nsexec.ID {
	var st unix.Stat_t
	if err := unix.Stat("/proc/thread-self/ns/net", &st); err != nil {
		t.Fatal(err)
	}
	return nsexec.ID{Dev: st.Dev, Ino: st.Ino}
}

// TestIntegrationDoConcurrent runs many Do calls across two namespaces while
// ordinary goroutines keep checking that they never find themselves moved.
func TestIntegrationDoConcurrent(t *testing.T) {
	a := netnstest.NewNS(t, "exa")
	b := netnstest.NewNS(t, "exb")
	home := threadNetns(t)
	want := map[nsexec.Target]nsexec.ID{}
	for _, ns := range []nsexec.Target{a, b} {
		id, err := nsexec.Identify(ns)
		if err != nil {
			t.Fatal(err)
		}
		if id == home {
			t.Fatalf("%s has the test's own namespace", ns.Name)
		}
		want[ns] = id
	}

	stop := make(chan struct{})
	var watchers sync.WaitGroup
	var moved sync.Once
	var movedErr error
	for i := 0; i < 8; i++ {
		watchers.Add(1)
		go func() {
			defer watchers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if got := threadNetns(t); got != home {
					moved.Do(func() { movedErr = errors.New("a watcher goroutine ran in a foreign namespace") })
				}
			}
		}()
	}

	const calls = 1200
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := 0; i < calls; i++ {
		ns := a
		if i%2 == 1 {
			ns = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- nsexec.Do(ns, func() error {
				if got := threadNetns(t); got != want[ns] {
					return errors.New("Do ran fn outside " + ns.Name)
				}
				return nil
			})
			if got := threadNetns(t); got != home {
				errs <- errors.New("caller goroutine left in a foreign namespace after Do")
			}
		}()
	}
	wg.Wait()
	close(stop)
	watchers.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if movedErr != nil {
		t.Fatal(movedErr)
	}
}

func TestIntegrationErrors(t *testing.T) {
	netnstest.RequireRoot(t)
	notNetns, err := os.CreateTemp(t.TempDir(), "plain")
	if err != nil {
		t.Fatal(err)
	}
	notNetns.Close()
	cases := []struct {
		target string
		kind   error
		msg    string
	}{
		{"nsdt-missing-" + netnstest.Suffix(6), nsexec.ErrNotFound, "not found; see nsdiag ns list"},
		{"pid:999999999", nsexec.ErrNotFound, "no process with PID 999999999"},
		{notNetns.Name(), nsexec.ErrNotNetns, "is not a network namespace"},
		{"/proc/self/ns/mnt", nsexec.ErrNotNetns, "is not a network namespace (a namespace of another kind)"},
		{"/nonexistent/ns", nsexec.ErrNotFound, "does not exist"},
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			tg, err := nsexec.Parse(c.target)
			if err != nil {
				t.Fatal(err)
			}
			err = nsexec.Do(tg, func() error { return nil })
			if !errors.Is(err, c.kind) {
				t.Fatalf("Do(%s) = %v, want %v", c.target, err, c.kind)
			}
			if !strings.Contains(err.Error(), c.msg) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("message %q lacks %q or is not one line", err, c.msg)
			}
		})
	}
}

func TestIntegrationCreateDelete(t *testing.T) {
	netnstest.RequireRoot(t)
	name := netnstest.Prefix + "cd-" + netnstest.Suffix(8)
	if err := nsexec.Create(name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nsexec.Delete(name) })
	if err := nsexec.Create(name); !errors.Is(err, nsexec.ErrExists) {
		t.Fatalf("second Create = %v, want ErrExists", err)
	}
	names, err := nsexec.List()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range names {
		found = found || n == name
	}
	if !found {
		t.Fatalf("List() = %v, lacks %s", names, name)
	}
	if err := nsexec.Delete(name); err != nil {
		t.Fatal(err)
	}
	if err := nsexec.Delete(name); !errors.Is(err, nsexec.ErrNotFound) {
		t.Fatalf("second Delete = %v, want ErrNotFound", err)
	}
}
