package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/gopacket/gopacket/layers"
	"github.com/nsdiag/nsdiag/capture"
	"github.com/nsdiag/nsdiag/capture/filter"
	"github.com/urfave/cli/v2"
	"golang.org/x/net/bpf"
)

// sniffFile reads -r's file (or stdin), applies the filter in user space
// and prints or rewrites the packets that pass, as tcpdump -r.
func sniffFile(c *cli.Context, a *sniffArgs) error {
	stdout, stderr := c.App.Writer, c.App.ErrWriter
	var in io.Reader = os.Stdin
	if a.read != "-" {
		f, err := os.Open(a.read)
		if err != nil {
			return exitWith(1, fileError(a.read, err))
		}
		defer f.Close()
		in = f
	}
	r, err := capture.NewReader(in)
	if err != nil {
		return exitWith(1, fmt.Errorf("%s: %w", a.read, err))
	}
	lt := r.LinkType()
	if a.dump > 0 {
		prog, err := filter.Compile(a.expr, filter.Options{LinkType: lt, Snaplen: uint32(a.snaplen)})
		if err != nil {
			return exitWith(1, err)
		}
		filter.Dump(prog, a.dump, stdout)
		return nil
	}
	filters := fileFilters{expr: a.expr, snaplen: a.snaplen}
	if _, err := filters.match(lt, nil, 0); err != nil {
		return exitWith(1, err)
	}
	name, desc := capture.LinkTypeName(lt)
	fmt.Fprintf(stderr, "reading from file %s, link-type %s (%s), snapshot length %d\n", a.read, name, desc, r.Snaplen())
	if lt == layers.LinkTypeLinuxSLL2 {
		// The file's interface indexes are looked up on this host, as
		// tcpdump does and warns.
		fmt.Fprintln(stderr, "Warning: interface names might be incorrect")
	}

	var out *sink
	if a.write != "" {
		ifaces := []capture.FileInterface{{LinkType: lt, Snaplen: r.Snaplen()}}
		if out, err = newFileSink(a, stdout, strings.HasSuffix(a.write, ".pcapng"), ifaces); err != nil {
			return exitWith(1, err)
		}
	} else {
		// tcpdump -r names cooked packets' interfaces as the reading host
		// knows them.
		a.print.InterfaceName = hostInterfaceName
		out = newPrintSink(a, stdout)
		// A file captured in several namespaces at once reads back as it
		// printed live, each line naming its namespace.
		out.prefixNS = len(r.Namespaces()) > 1
	}
	ctx, stop := interruptible(c.Context)
	defer stop()
	var p capture.Packet
	var readErr error
	for n := 0; ; n++ {
		if n&255 == 0 && ctx.Err() != nil {
			break
		}
		if err := r.Next(&p); err != nil {
			if err != io.EOF {
				readErr = err
			}
			break
		}
		ok, err := filters.match(p.LinkType, p.Data, p.Length)
		if err != nil {
			readErr = err
			break
		}
		if !ok {
			continue
		}
		if err := out.packet(&p); err != nil {
			if !errors.Is(err, capture.ErrStop) {
				readErr = err
			}
			break
		}
	}
	if err := out.close(); err != nil && readErr == nil {
		readErr = err
	}
	if readErr != nil {
		return exitWith(1, fmt.Errorf("%s: %w", a.read, readErr))
	}
	return nil
}

// fileFilters runs the filter in user space, compiled once for each link
// type the file holds (a pcapng file may hold several).
type fileFilters struct {
	expr    string
	snaplen int
	vms     map[layers.LinkType]*bpf.VM
	progs   map[layers.LinkType][]bpf.Instruction
	// cut holds programs for packets shorter than on the wire, whose
	// len/less/greater load the wire length (as libpcap's bpf_filter
	// does) instead of what x/net's VM knows: the captured length.
	cut map[cutKey]*bpf.VM
}

type cutKey struct {
	lt   layers.LinkType
	wire int
}

// match reports whether data, a packet of link type lt that was wire bytes
// long, passes; nil data only compiles.
func (f *fileFilters) match(lt layers.LinkType, data []byte, wire int) (bool, error) {
	if f.expr == "" {
		return true, nil
	}
	vm, ok := f.vms[lt]
	if !ok {
		prog, err := filter.Compile(f.expr, filter.Options{LinkType: lt, Snaplen: uint32(f.snaplen)})
		if err != nil {
			return false, err
		}
		if vm, err = bpf.NewVM(prog); err != nil {
			return false, fmt.Errorf("filter for link type %v: %w", lt, err)
		}
		if f.vms == nil {
			f.vms = map[layers.LinkType]*bpf.VM{}
			f.progs = map[layers.LinkType][]bpf.Instruction{}
		}
		f.vms[lt] = vm
		if loadsLen(prog) {
			f.progs[lt] = prog
		}
	}
	if data == nil {
		return true, nil
	}
	if prog := f.progs[lt]; prog != nil && wire > len(data) {
		var err error
		if vm, err = f.cutVM(lt, prog, wire); err != nil {
			return false, err
		}
	}
	n, err := vm.Run(data)
	return err == nil && n > 0, nil
}

func loadsLen(prog []bpf.Instruction) bool {
	for _, in := range prog {
		if in == (bpf.LoadExtension{Num: bpf.ExtLen}) {
			return true
		}
	}
	return false
}

// cutVM returns prog with the packet length fixed at wire.
func (f *fileFilters) cutVM(lt layers.LinkType, prog []bpf.Instruction, wire int) (*bpf.VM, error) {
	key := cutKey{lt, wire}
	if vm := f.cut[key]; vm != nil {
		return vm, nil
	}
	fixed := make([]bpf.Instruction, len(prog))
	for i, in := range prog {
		if in == (bpf.LoadExtension{Num: bpf.ExtLen}) {
			in = bpf.LoadConstant{Dst: bpf.RegA, Val: uint32(wire)}
		}
		fixed[i] = in
	}
	vm, err := bpf.NewVM(fixed)
	if err != nil {
		return nil, fmt.Errorf("filter for link type %v: %w", lt, err)
	}
	if len(f.cut) >= 1024 { // a file of many wire lengths: bound the cache
		clear(f.cut)
	}
	if f.cut == nil {
		f.cut = map[cutKey]*bpf.VM{}
	}
	f.cut[key] = vm
	return vm, nil
}

func hostInterfaceName(index int) (string, bool) {
	ifc, err := net.InterfaceByIndex(index)
	if err != nil {
		return "", false
	}
	return ifc.Name, true
}

// fileError says what is wrong with a file as tcpdump does ("x.pcap: No
// such file or directory").
func fileError(name string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		return fmt.Errorf("%s: %s", name, strings.ToUpper(msg[:1])+msg[1:])
	}
	return err
}
