package printer

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// syntheticStream is a capture-like mix: a UDP flood of small datagrams,
// TCP bulk transfers on a few connections, pings and DNS lookups.
func syntheticStream(b testing.TB, n int) []Packet {
	var proto []rec
	for i := 0; i < 8; i++ {
		proto = append(proto, rec{data: udp4(b, uint16(40000+i), 9000, pay(18))})
	}
	for i := uint32(0); i < 4; i++ {
		proto = append(proto,
			rec{data: tcp4(b, ipA, ipB, 45000+uint16(i), 5001, 1000+i*1448, 1, "PA", 502, tsOpt(i, 7), 1448)},
			rec{data: tcp4(b, ipB, ipA, 5001, 45000+uint16(i), 1, 1000+(i+1)*1448, "A", 509, tsOpt(8, i), 0)})
	}
	proto = append(proto, rec{data: icmp4(b, 8, 0, 0x1c2a0001, pay(56))})
	proto = append(proto, dnsCorpus(b)[:2]...)
	pkts := make([]Packet, n)
	t := corpusTime
	for i := range pkts {
		r := proto[i%len(proto)]
		pkts[i] = Packet{Time: t, LinkType: layers.LinkTypeEthernet, Data: r.data}
		t = t.Add(13 * time.Microsecond)
	}
	return pkts
}

func BenchmarkAppend(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts Options
	}{{"default", Options{}}, {"e-v", Options{LinkHeader: true, Verbose: 1}}, {"X", Options{Hex: HexASCIIPayload}}} {
		b.Run(bc.name, func(b *testing.B) {
			pkts := syntheticStream(b, 1024)
			p := New(bc.opts)
			buf := make([]byte, 0, 1<<16)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				buf = p.Append(buf[:0], &pkts[i%len(pkts)])
			}
		})
	}
}

// BenchmarkVsTcpdump prints the same 200,000-packet pcap with tcpdump -n -r
// and with this package (reading with pcapgo, writing buffered), and reports
// our time over tcpdump's as "x-tcpdump".
func BenchmarkVsTcpdump(b *testing.B) {
	path, err := exec.LookPath("tcpdump")
	if err != nil {
		b.Skip("tcpdump not installed")
	}
	file := filepath.Join(b.TempDir(), "stream.pcap")
	pkts := syntheticStream(b, 200000)
	recs := make([]rec, len(pkts))
	for i, p := range pkts {
		recs[i] = rec{data: p.Data}
	}
	writePcap(b, file, layers.LinkTypeEthernet, recs)
	var ours, theirs time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		cmd := exec.Command(path, "-n", "-r", file)
		// Without TZ tcpdump re-reads /etc/localtime for every line.
		cmd.Env = append(os.Environ(), "TZ=UTC")
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		theirs += time.Since(start)
		start = time.Now()
		printFile(b, file)
		ours += time.Since(start)
	}
	b.ReportMetric(float64(ours)/float64(b.N)/float64(len(pkts)), "ns/packet")
	b.ReportMetric(float64(theirs)/float64(b.N)/float64(len(pkts)), "tcpdump-ns/packet")
	b.ReportMetric(float64(ours)/float64(theirs), "x-tcpdump")
}

func printFile(b testing.TB, file string) {
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(io.Discard, 1<<16)
	p := New(Options{Location: time.UTC})
	var pkt Packet
	buf := make([]byte, 0, 4096)
	for {
		data, ci, err := r.ZeroCopyReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		pkt = Packet{Time: ci.Timestamp, LinkType: r.LinkType(), Data: data, Length: ci.Length}
		buf = p.Append(buf[:0], &pkt)
		w.Write(buf)
	}
	w.Flush()
}
