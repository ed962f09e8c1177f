// Command sniff is the traffic and file generator behind
// scripts/bench-sniff.sh, which compares nsdiag sniff with tcpdump:
//
//	sniff flood -n NETNS -to 10.98.0.2:9 -d 3s   # UDP flood from inside NETNS
//	sniff pcap -o FILE -c 1000000                # a large pcap of mixed traffic
//
// The flood sends small UDP datagrams from one socket as fast as one core
// can; it needs CAP_SYS_ADMIN to enter the namespace.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/nsdiag/nsdiag/capture"
	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: sniff flood|pcap [options]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "flood":
		err = flood(os.Args[2:])
	case "pcap":
		err = writePcap(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q: flood or pcap", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sniff:", err)
		os.Exit(1)
	}
}

// flood sends 18-byte UDP datagrams to -to for -d from -p sockets at once
// and prints how many were sent and how many the kernel refused.
func flood(args []string) error {
	fs := flag.NewFlagSet("flood", flag.ExitOnError)
	ns := fs.String("n", "", "network namespace to send from")
	to := fs.String("to", "", "destination IPv4:port")
	d := fs.Duration("d", 3*time.Second, "how long to send")
	par := fs.Int("p", 2, "senders, each with its own socket and thread")
	fs.Parse(args)
	dst, err := net.ResolveUDPAddr("udp4", *to)
	if err != nil || dst.IP.To4() == nil {
		return fmt.Errorf("-to %q: want an IPv4 address and port", *to)
	}
	t, err := nsexec.Parse(*ns)
	if err != nil {
		return err
	}
	type result struct {
		sent, failed uint64
		err          error
	}
	results := make(chan result, *par)
	end := time.Now().Add(*d)
	for i := 0; i < *par; i++ {
		fd := -1
		err = nsexec.Do(t, func() error {
			var err error
			if fd, err = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0); err != nil {
				return err
			}
			// Unconnected: an ICMP error must not fail the next send.
			return nil
		})
		if err != nil {
			return fmt.Errorf("socket in %s: %w", t.Label(), err)
		}
		sa := &unix.SockaddrInet4{Port: dst.Port}
		copy(sa.Addr[:], dst.IP.To4())
		go func() {
			defer unix.Close(fd)
			payload := []byte("nsdiag-bench-flood")
			var r result
			for r.err == nil {
				// Checking the clock every 1024 sends keeps it off the
				// hot path.
				for i := 0; i < 1024; i++ {
					if err := unix.Sendto(fd, payload, 0, sa); err != nil {
						// ENOBUFS when the qdisc is full: keep going.
						if !errors.Is(err, unix.ENOBUFS) && !errors.Is(err, unix.EAGAIN) {
							r.err = err
							break
						}
						r.failed++
						continue
					}
					r.sent++
				}
				if time.Now().After(end) {
					break
				}
			}
			results <- r
		}()
	}
	var total result
	for i := 0; i < *par; i++ {
		r := <-results
		total.sent += r.sent
		total.failed += r.failed
		if total.err == nil {
			total.err = r.err
		}
	}
	if total.err != nil {
		return total.err
	}
	fmt.Printf("%d %d\n", total.sent, total.failed)
	return nil
}

// writePcap writes -c packets of mixed traffic: UDP (DNS-like), TCP data
// and ICMP echo, over Ethernet and IPv4, a microsecond apart.
func writePcap(args []string) error {
	fs := flag.NewFlagSet("pcap", flag.ExitOnError)
	out := fs.String("o", "", "output file")
	count := fs.Int("c", 1000000, "packets")
	fs.Parse(args)
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := capture.NewWriter(f, false, []capture.FileInterface{{Name: "eth0", LinkType: layers.LinkTypeEthernet}})
	if err != nil {
		return err
	}
	templates, err := packetTemplates()
	if err != nil {
		return err
	}
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < *count; i++ {
		data := templates[i%len(templates)]
		p := capture.Packet{Time: t0.Add(time.Duration(i) * time.Microsecond), Data: data, Length: len(data), LinkType: layers.LinkTypeEthernet}
		if err := w.Write(&p); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func packetTemplates() ([][]byte, error) {
	a, b := net.IP{10, 98, 0, 1}, net.IP{10, 98, 0, 2}
	eth := func() *layers.Ethernet {
		return &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	}
	ip := func(p layers.IPProtocol) *layers.IPv4 {
		return &layers.IPv4{Version: 4, TTL: 64, Id: 4242, Protocol: p, SrcIP: a, DstIP: b}
	}
	var out [][]byte
	build := func(ls ...gopacket.SerializableLayer) error {
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
			return err
		}
		out = append(out, append([]byte(nil), buf.Bytes()...))
		return nil
	}
	u := &layers.UDP{SrcPort: 40000, DstPort: 9}
	i4 := ip(layers.IPProtocolUDP)
	u.SetNetworkLayerForChecksum(i4)
	if err := build(eth(), i4, u, gopacket.Payload("nsdiag-bench-flood")); err != nil {
		return nil, err
	}
	tc := &layers.TCP{SrcPort: 40001, DstPort: 80, Seq: 1000, Ack: 2000, PSH: true, ACK: true, Window: 502}
	i4 = ip(layers.IPProtocolTCP)
	tc.SetNetworkLayerForChecksum(i4)
	if err := build(eth(), i4, tc, gopacket.Payload(make([]byte, 100))); err != nil {
		return nil, err
	}
	ic := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeEchoRequest, 0), Id: 7, Seq: 1}
	if err := build(eth(), ip(layers.IPProtocolICMPv4), ic, gopacket.Payload(make([]byte, 56))); err != nil {
		return nil, err
	}
	return out, nil
}
