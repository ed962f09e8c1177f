package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/nsdiag/nsdiag/icmp"
)

// pingJSON prints one JSON object per line: a "start", one per event and a
// "summary" (schema in README.md, section "nsdiag ping").
type pingJSON struct {
	enc  *json.Encoder
	host string
	p    *icmp.Pinger
}

func newPingJSON(w io.Writer, host string, p *icmp.Pinger) *pingJSON {
	return &pingJSON{enc: json.NewEncoder(w), host: host, p: p}
}

type jsonStart struct {
	Type      string `json:"type"`
	Host      string `json:"host"`
	Addr      string `json:"addr"`
	Source    string `json:"source"`
	Device    string `json:"device,omitempty"`
	DataBytes int    `json:"data_bytes"`
	Socket    string `json:"socket"`
	ID        uint16 `json:"id"`
}

type jsonReply struct {
	Type        string   `json:"type"`
	Time        float64  `json:"time"`
	Seq         uint16   `json:"seq"`
	From        string   `json:"from"`
	Bytes       int      `json:"bytes"`
	TTL         *int     `json:"ttl,omitempty"`
	RTTms       *float64 `json:"rtt_ms,omitempty"`
	Dup         bool     `json:"dup,omitempty"`
	BadChecksum bool     `json:"bad_checksum,omitempty"`
	Truncated   bool     `json:"truncated,omitempty"`
	WrongSource bool     `json:"wrong_source,omitempty"`
	WrongByte   int      `json:"wrong_byte,omitempty"`
}

type jsonError struct {
	Type string  `json:"type"`
	Time float64 `json:"time"`
	Seq  uint16  `json:"seq"`
	From string  `json:"from,omitempty"`
	ICMP *struct {
		Type uint8  `json:"type"`
		Code uint8  `json:"code"`
		Info uint32 `json:"info,omitempty"`
	} `json:"icmp,omitempty"`
	Text string `json:"text"`
}

type jsonSummary struct {
	Type        string   `json:"type"`
	Host        string   `json:"host"`
	Addr        string   `json:"addr"`
	Transmitted int      `json:"transmitted"`
	Received    int      `json:"received"`
	Duplicates  int      `json:"duplicates"`
	Errors      int      `json:"errors"`
	LossPercent float64  `json:"loss_percent"`
	TimeMs      int64    `json:"time_ms"`
	RTTMinMs    *float64 `json:"rtt_min_ms,omitempty"`
	RTTAvgMs    *float64 `json:"rtt_avg_ms,omitempty"`
	RTTMaxMs    *float64 `json:"rtt_max_ms,omitempty"`
	RTTMdevMs   *float64 `json:"rtt_mdev_ms,omitempty"`
}

// lossPercent is the loss as ping prints it (%g of a float), so that
// 66.6667 does not come out as 66.66666412353516.
func lossPercent(s icmp.Stats) float64 {
	v, _ := strconv.ParseFloat(fmt.Sprintf("%.6g", s.Loss()), 64)
	return v
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

func msPtr(d time.Duration) *float64 {
	v := float64(d.Microseconds()) / 1000
	return &v
}

func (j *pingJSON) start() {
	j.enc.Encode(jsonStart{Type: "start", Host: j.host, Addr: j.p.Dest().String(), Source: j.p.Source().String(),
		Device: j.p.Device(), DataBytes: j.p.DataLen(), Socket: j.p.Socket().String(), ID: j.p.ID()})
}

func (j *pingJSON) event(ev icmp.Event) {
	switch e := ev.(type) {
	case *icmp.Reply:
		r := jsonReply{Type: "reply", Time: unixSeconds(e.At), Seq: e.Seq, From: e.From.String(), Bytes: e.Bytes,
			Dup: e.Dup, BadChecksum: e.BadChecksum, Truncated: e.Truncated, WrongSource: e.WrongSource, WrongByte: e.WrongByte}
		if e.TTL >= 0 {
			ttl := e.TTL
			r.TTL = &ttl
		}
		if e.Timed {
			r.RTTms = msPtr(e.RTT)
		}
		j.enc.Encode(r)
	case *icmp.ICMPError:
		r := jsonError{Type: "icmp_error", Time: unixSeconds(e.At), Seq: e.Seq, From: e.From.String(), Text: e.Text()}
		r.ICMP = &struct {
			Type uint8  `json:"type"`
			Code uint8  `json:"code"`
			Info uint32 `json:"info,omitempty"`
		}{e.Type, e.Code, e.Info}
		j.enc.Encode(r)
	case *icmp.Redirect:
		r := jsonError{Type: "redirect", Time: unixSeconds(e.At), Seq: e.Seq, From: e.From.String(), Text: redirectText(e, e.Gateway.String())}
		r.ICMP = &struct {
			Type uint8  `json:"type"`
			Code uint8  `json:"code"`
			Info uint32 `json:"info,omitempty"`
		}{Type: e.Type, Code: e.Code}
		j.enc.Encode(r)
	case *icmp.LocalError:
		j.enc.Encode(jsonError{Type: "local_error", Time: unixSeconds(e.At), Seq: e.Seq, Text: localErrorText(e, j.p.Dest().Is6())})
	case *icmp.Status:
		j.enc.Encode(j.summaryOf("status", e.Stats))
	case *icmp.Outstanding:
		j.enc.Encode(jsonError{Type: "outstanding", Time: unixSeconds(e.At), Seq: e.Seq, Text: "no answer yet"})
	}
}

func (j *pingJSON) summary(s icmp.Stats) { j.enc.Encode(j.summaryOf("summary", s)) }

// summaryOf is the summary object, also sent as "status" on Ctrl-\.
func (j *pingJSON) summaryOf(typ string, s icmp.Stats) jsonSummary {
	out := jsonSummary{Type: typ, Host: j.host, Addr: j.p.Dest().String(), Transmitted: s.Transmitted, Received: s.Received,
		Duplicates: s.Duplicates, Errors: s.Errors, LossPercent: lossPercent(s),
		TimeMs: int64((s.Elapsed + 500*time.Microsecond) / time.Millisecond)}
	if s.Received > 0 && s.Timed {
		out.RTTMinMs, out.RTTAvgMs, out.RTTMaxMs, out.RTTMdevMs = msPtr(s.Min), msPtr(s.Avg), msPtr(s.Max), msPtr(s.Mdev)
	}
	return out
}
