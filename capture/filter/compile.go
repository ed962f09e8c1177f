package filter

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// Options says what the program will run on.
type Options struct {
	// LinkType of the packets: LinkTypeEthernet (the default, also for 0),
	// LinkTypeLinuxSLL, LinkTypeLinuxSLL2, LinkTypeRaw, LinkTypeIPv4 or
	// LinkTypeIPv6.
	LinkType layers.LinkType
	// Cooked compiles for a live "-i any" socket (SOCK_DGRAM): the kernel
	// shows no link header, so the program is the Linux cooked one (v1, or
	// v2 when LinkType is LinkTypeLinuxSLL2) rewritten to read the network
	// header at offset 0 and the protocol, packet type and interface index
	// from ancillary data, as libpcap does.
	Cooked bool
	// Live compiles for a live Linux socket rather than a file: inbound,
	// outbound and ifindex then read the kernel's ancillary data on every
	// link type (libpcap does the same for live captures and refuses them
	// on files without a cooked header), and the first "vlan" matches the
	// tag the kernel strips on receive (ancillary data too) or one still in
	// the packet, moving later offsets only for the latter, as libpcap
	// does. Cooked implies Live.
	Live bool
	// Netmask of the capture network, for "ip broadcast"; nil means unknown
	// and makes "ip broadcast" an error, as in libpcap.
	Netmask net.IPMask
	// Snaplen is what the program returns for accepted packets; 0 means
	// 262144, tcpdump's default.
	Snaplen uint32
	// Resolver answers host, network, ether host, service and protocol
	// names, once, at compile time; nil means this process's view (its
	// /etc files and Go's resolver). A capture in another network
	// namespace passes one that sees that namespace's (internal/resolve).
	Resolver Resolver
}

// DefaultSnaplen is tcpdump's default snapshot length.
const DefaultSnaplen = 262144

// SyntaxError is a filter expression the compiler refuses: Pos is the byte
// offset of the offending token in Expr.
type SyntaxError struct {
	Expr string
	Pos  int
	Msg  string
}

// Error renders the message, the expression and a caret under the token.
func (e *SyntaxError) Error() string {
	pos := min(max(e.Pos, 0), len(e.Expr))
	// Tabs keep their width in the caret line so the caret lines up.
	pad := strings.Map(func(r rune) rune {
		if r == '\t' {
			return '\t'
		}
		return ' '
	}, e.Expr[:pos])
	return fmt.Sprintf("%s\n  %s\n  %s^", e.Msg, e.Expr, pad)
}

// Compile compiles a pcap-filter(7) expression to a classic BPF program.
// The empty expression accepts every packet. Errors are *SyntaxError for
// problems in the expression.
func Compile(expr string, opts Options) (prog []bpf.Instruction, err error) {
	raw, err := compileRaw(expr, opts)
	if err != nil {
		return nil, err
	}
	prog = make([]bpf.Instruction, len(raw))
	for i, in := range raw {
		prog[i] = bpf.RawInstruction{Op: in.op, Jt: in.jt, Jf: in.jf, K: in.k}.Disassemble()
	}
	return prog, nil
}

func compileRaw(expr string, opts Options) (out []insn, err error) {
	kind, err := linkFor(opts.LinkType)
	if err != nil {
		return nil, err
	}
	if opts.Cooked && kind != linkSLL2 {
		kind = linkSLL
	}
	snap := opts.Snaplen
	if snap == 0 {
		snap = DefaultSnaplen
	}
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	c := &compiler{opts: opts, expr: expr}
	c.setLink(kind)
	ps := &parser{c: c, toks: toks}
	var e bexpr
	func() {
		defer func() {
			if r := recover(); r != nil {
				ce, ok := r.(compileError)
				if !ok {
					panic(r)
				}
				err = ce.err
			}
		}()
		e = ps.parseProgram()
	}()
	if err != nil {
		return nil, err
	}
	if c.vlanVar {
		// The kernel refuses a program that may read a scratch word
		// before writing it.
		e = &bSeq{stmts: []insn{stmt(clsLD|modeIMM, 0), stmt(clsST, vlanReg)}, next: e}
	}
	g := &graph{}
	reject := g.newBlock(&block{ret: true, rv: 0})
	accept := g.newBlock(&block{ret: true, rv: snap})
	root := g.gen(e, accept, reject)
	sx := &symExec{}
	root = optimize(root, sx, c.protochainUsed)
	if root == reject && !c.protochainUsed {
		return nil, &SyntaxError{Expr: expr, Pos: 0, Msg: "expression rejects all packets"}
	}
	out, err = layout(root)
	if err == nil && opts.Cooked {
		err = fixCooked(out, kind)
	}
	if err != nil {
		return nil, &SyntaxError{Expr: expr, Pos: 0, Msg: err.Error()}
	}
	return out, nil
}

// ErrNotSupported is wrapped by errors for link types the compiler lacks.
var ErrNotSupported = errors.New("not supported")
