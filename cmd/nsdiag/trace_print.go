package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/nsdiag/nsdiag/trace"
)

// probePrinter renders the probes of a trace as they arrive.
type probePrinter interface {
	probe(p trace.Probe)
	end()
}

// traceHeader writes traceroute's first line, without its newline: each
// hop line starts with one, as traceroute prints them.
func traceHeader(w io.Writer, host string, cfg trace.Config) {
	fmt.Fprintf(w, "traceroute to %s (%s), %d hops max, %d byte packets", host, cfg.Dest, cfg.MaxTTL, cfg.PacketLen)
}

// textHops prints traceroute's lines: " 1  10.0.1.2  0.065 ms ...", the
// address again only when it differs from the last answer of the hop,
// " *" for no answer and the !X marks after the time.
type textHops struct {
	w     io.Writer
	own   *owners
	style hopStyle
	last  lastAnswer
}

// hopStyle is what traceroute's options add after an address: ICMP
// extensions (-e), the backward hop count (--back).
type hopStyle struct {
	ext, back bool
}

func newTextHops(w io.Writer, own *owners, style hopStyle) *textHops {
	return &textHops{w: w, own: own, style: style}
}

func (t *textHops) probe(p trace.Probe) {
	fmt.Fprint(t.w, traceProbeText(p, &t.last, t.own, t.style))
}

// lastAnswer is the responder (and its extensions as -e prints them, its
// TTL when --back prints it) of the hop's last answered probe.
type lastAnswer struct {
	addr netip.Addr
	ext  string
	ttl  int
}

// traceProbeText is what traceroute writes for one probe: the responder
// again only when it (or, with -e, its extensions, with --back its TTL)
// differs from the last answer of the hop; last carries that between
// calls. --back adds " '-N'" after the address when the answer seems to
// have come back in N hops, not the probe's TTL.
func traceProbeText(p trace.Probe, last *lastAnswer, own *owners, style hopStyle) string {
	s := ""
	if p.Index == 0 {
		s = fmt.Sprintf("\n%2d ", p.TTL)
		*last = lastAnswer{}
	}
	if !p.Answered() {
		if p.Note != "" {
			// Refused at home (-F, longer than the interface MTU):
			// traceroute writes no address but a time and the mark.
			*last = lastAnswer{}
			return s + fmt.Sprintf(" *  %.3f ms %s", float64(p.RTT)/float64(time.Millisecond), p.Note)
		}
		return s + " *" + mtuText(p)
	}
	cur := lastAnswer{addr: p.Responder}
	if style.ext {
		cur.ext = extensionText(p.Extensions)
	}
	if style.back {
		cur.ttl = p.ReplyTTL
	}
	if cur != *last {
		s += " " + p.Responder.String() + own.annotate(p.Responder)
		if cur.ext != "" {
			s += " <" + cur.ext + ">"
		}
		if back := p.BackHops(); style.back && back != 0 && back != p.TTL {
			s += fmt.Sprintf(" '-%d'", back)
		}
		*last = cur
	}
	s += fmt.Sprintf("  %.3f ms", float64(p.RTT)/float64(time.Millisecond))
	if p.Note != "" {
		s += " " + p.Note
	} else {
		s += mtuText(p)
	}
	return s
}

// mtuText is traceroute --mtu's " F=MTU" on the probe sent again shorter;
// a mark of its answer takes its place.
func mtuText(p trace.Probe) string {
	if p.MTU == 0 {
		return ""
	}
	return fmt.Sprintf(" F=%d", p.MTU)
}

func (t *textHops) end() { fmt.Fprintln(t.w) }

// extensionText spells ICMP extension objects as traceroute -e does: MPLS
// label stacks as MPLS:L=label,E=exp,S=bottom,T=ttl (entries joined by
// "/"), other objects as class/type: and their 32-bit words in hex;
// objects separated by ";".
func extensionText(exts []trace.Extension) string {
	var parts []string
	for _, e := range exts {
		var words []uint32
		for d := e.Data; len(d) >= 4; d = d[4:] {
			words = append(words, binary.BigEndian.Uint32(d))
		}
		var b strings.Builder
		if e.Class == 1 && e.Type == 1 && len(words) > 0 {
			b.WriteString("MPLS:")
			for i, w := range words {
				if i > 0 {
					b.WriteString("/")
				}
				fmt.Fprintf(&b, "L=%d,E=%d,S=%d,T=%d", w>>12, w>>9&7, w>>8&1, w&0xff)
			}
		} else {
			fmt.Fprintf(&b, "%d/%d:", e.Class, e.Type)
			for i, w := range words {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "%08x", w)
			}
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, ";")
}

// jsonHops prints one JSON object per hop once its probes are in.
type jsonHops struct {
	enc     *json.Encoder
	queries int
	hop     *jsonHop
}

type jsonHop struct {
	TTL    int         `json:"ttl"`
	Probes []jsonProbe `json:"probes"`
}

type jsonProbe struct {
	Responder *string  `json:"responder"`
	RTT       *float64 `json:"rtt_ms"`
	ICMPType  *int     `json:"icmp_type,omitempty"`
	ICMPCode  *int     `json:"icmp_code,omitempty"`
	TCPFlags  uint8    `json:"tcp_flags,omitempty"`
	Note      string   `json:"note,omitempty"`
	Reached   bool     `json:"reached"`
}

func newJSONHops(w io.Writer, queries int) *jsonHops {
	return &jsonHops{enc: json.NewEncoder(w), queries: queries}
}

func (j *jsonHops) probe(p trace.Probe) {
	if j.hop == nil || j.hop.TTL != p.TTL {
		j.flush()
		j.hop = &jsonHop{TTL: p.TTL, Probes: []jsonProbe{}}
	}
	jp := jsonProbe{Note: p.Note, Reached: p.Reached, TCPFlags: p.TCPFlags}
	if p.Answered() {
		addr, ms := p.Responder.String(), roundMS(p.RTT, 3)
		jp.Responder, jp.RTT = &addr, &ms
		if p.ICMPType >= 0 {
			typ, code := p.ICMPType, p.ICMPCode
			jp.ICMPType, jp.ICMPCode = &typ, &code
		}
	}
	j.hop.Probes = append(j.hop.Probes, jp)
	if len(j.hop.Probes) == j.queries {
		j.flush()
	}
}

func (j *jsonHops) flush() {
	if j.hop != nil {
		j.enc.Encode(j.hop)
		j.hop = nil
	}
}

func (j *jsonHops) end() { j.flush() }

// roundMS is d in milliseconds rounded to places decimals.
func roundMS(d time.Duration, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(float64(d)/float64(time.Millisecond)*p) / p
}
