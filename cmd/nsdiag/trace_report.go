package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/nsdiag/nsdiag/trace"
)

// traceReport runs report mode and prints mtr's table (or its JSON), also
// when interrupted, with the cycles done so far.
func traceReport(ctx context.Context, w io.Writer, tr *trace.Tracer, a traceArgs, own *owners) error {
	start := time.Now()
	rep, err := tr.Report(ctx, a.cycles, a.every, nil)
	if err != nil && rep.Cycles == 0 && len(rep.Hops) == 0 {
		return traceEnded(err)
	}
	host, _ := os.Hostname()
	if a.json {
		writeReportJSON(w, host, a, rep)
	} else {
		fmt.Fprintf(w, "Start: %s\n", start.Format("2006-01-02T15:04:05-0700"))
		fmt.Fprint(w, reportTable(host, rep.Hops, own))
	}
	return traceEnded(err)
}

// mtr lays its report out in a fixed buffer: the host column is 33
// characters with its prefix, and each field is printed at its nominal
// width from the end of the last, so a wider value (100.0%) loses its last
// character to the next field. reportLine reproduces that.
const mtrHostWidth = 33

type mtrField struct {
	title, format string
	width         int
}

var mtrFields = []mtrField{
	{"Loss%", " %4.1f%%", 6},
	{"Snt", " %5d", 6},
	{" ", " ", 1},
	{"Last", " %5.1f", 6},
	{"Avg", " %5.1f", 6},
	{"Best", " %5.1f", 6},
	{"Wrst", " %5.1f", 6},
	{"StDev", " %5.1f", 6},
}

// overlay writes s into buf at pos, dropping what was there from pos on.
func overlay(buf string, pos int, s string) string {
	if len(buf) < pos {
		buf += strings.Repeat(" ", pos-len(buf))
	}
	return buf[:pos] + s
}

// reportTable renders mtr --report's header and rows.
func reportTable(host string, hops []trace.HopStats, own *owners) string {
	var b strings.Builder
	line := fmt.Sprintf("HOST: %-*s", mtrHostWidth, host)
	pos := mtrHostWidth
	for _, f := range mtrFields {
		line = overlay(line, pos, fmt.Sprintf("%*s", f.width, f.title))
		pos += f.width
	}
	b.WriteString(line + "\n")
	for _, h := range hops {
		name := "???"
		if h.Host.IsValid() {
			name = h.Host.String() + own.annotate(h.Host)
		}
		line := fmt.Sprintf(" %2d.|-- %-*s", h.TTL, mtrHostWidth, name)
		pos := mtrHostWidth
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
		vals := []any{h.Loss(), h.Sent, nil, ms(h.Last), ms(h.Avg), ms(h.Best), ms(h.Worst), ms(h.StDev)}
		for i, f := range mtrFields {
			s := f.format
			if vals[i] != nil {
				s = fmt.Sprintf(f.format, vals[i])
			}
			line = overlay(line, pos, s)
			pos += f.width
		}
		b.WriteString(line + "\n")
		for i, other := range h.Hosts {
			switch {
			case i == 0 || other == h.Host:
			case i == 1:
				b.WriteString("    |  `|-- " + other.String() + "\n")
			default:
				b.WriteString("    |   |-- " + other.String() + "\n")
			}
		}
	}
	return b.String()
}

// mtr's JSON report (mtr --json), field for field.
type mtrJSON struct {
	Report struct {
		MTR  mtrJSONHead  `json:"mtr"`
		Hubs []mtrJSONHub `json:"hubs"`
	} `json:"report"`
}

type mtrJSONHead struct {
	Src        string `json:"src"`
	Dst        string `json:"dst"`
	TOS        int    `json:"tos"`
	Tests      int    `json:"tests"`
	PSize      string `json:"psize"`
	BitPattern string `json:"bitpattern"`
}

type mtrJSONHub struct {
	Count int     `json:"count"`
	Host  string  `json:"host"`
	Loss  float64 `json:"Loss%"`
	Snt   int     `json:"Snt"`
	Last  float64 `json:"Last"`
	Avg   float64 `json:"Avg"`
	Best  float64 `json:"Best"`
	Wrst  float64 `json:"Wrst"`
	StDev float64 `json:"StDev"`
}

func writeReportJSON(w io.Writer, host string, a traceArgs, rep trace.Report) {
	var out mtrJSON
	out.Report.MTR = mtrJSONHead{Src: host, Dst: a.host, Tests: rep.Cycles, PSize: fmt.Sprint(a.cfg.PacketLen), BitPattern: "0x00"}
	out.Report.Hubs = []mtrJSONHub{}
	for _, h := range rep.Hops {
		name := "???"
		if h.Host.IsValid() {
			name = h.Host.String()
		}
		out.Report.Hubs = append(out.Report.Hubs, mtrJSONHub{
			Count: h.TTL, Host: name, Loss: float64(int(h.Loss()*1000+0.5)) / 1000, Snt: h.Sent,
			Last: roundMS(h.Last, 2), Avg: roundMS(h.Avg, 2), Best: roundMS(h.Best, 2),
			Wrst: roundMS(h.Worst, 2), StDev: roundMS(h.StDev, 2),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	enc.Encode(out)
}
