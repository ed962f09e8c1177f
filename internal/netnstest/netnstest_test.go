package netnstest

import (
	"net"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
)

// TestIntegrationChain checks that a chain's far ends reach each other over
// both families, by connecting with UDP sockets opened inside the hosts.
func TestIntegrationChain(t *testing.T) {
	c := NewChain(t, 2)
	for _, addr := range []string{c.Dest4(), c.Dest6()} {
		var srv net.PacketConn
		err := nsexec.Do(c.H2(), func() (err error) {
			srv, err = net.ListenPacket("udp", net.JoinHostPort(addr, "0"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		var cl net.Conn
		err = nsexec.Do(c.H1(), func() (err error) {
			cl, err = net.Dial("udp", srv.LocalAddr().String())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		if _, err := cl.Write([]byte("hi")); err != nil {
			t.Fatal(err)
		}
		srv.SetReadDeadline(time.Now().Add(3 * time.Second))
		buf := make([]byte, 16)
		n, from, err := srv.ReadFrom(buf)
		if err != nil || string(buf[:n]) != "hi" {
			t.Fatalf("datagram to %s over the chain: %q from %v, %v", addr, buf[:n], from, err)
		}
	}
}
