package resolve

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/net/dns/dnsmessage"
	"golang.org/x/sys/unix"
)

// ErrNoData means the name exists but has no address of the family asked.
// Errors are spelled as glibc's gai_strerror, which ping prints.
var ErrNoData = errors.New("No address associated with hostname")

// ErrTemporary means no name server answered.
var ErrTemporary = errors.New("Temporary failure in name resolution")

// queryDNS looks name up on the configured servers, trying the search list
// as glibc does. Every socket is opened inside t's namespace.
func queryDNS(ctx context.Context, t nsexec.Target, c conf, name string, fam int) (string, []netip.Addr, error) {
	types := []dnsmessage.Type{dnsmessage.TypeA, dnsmessage.TypeAAAA}
	switch fam {
	case IPv4:
		types = types[:1]
	case IPv6:
		types = types[1:]
	}
	sawNoData, answered := false, false
	var lastErr error
	for _, fq := range c.names(name) {
		qname, err := dnsmessage.NewName(fq)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", name, ErrNotFound)
		}
		canon, addrs, rcode, err := exchangeAny(ctx, t, c, qname, types)
		if err != nil {
			lastErr = err
			if ctx.Err() != nil {
				break
			}
			continue
		}
		answered = true
		if len(addrs) > 0 {
			return canon, addrs, nil
		}
		if rcode == dnsmessage.RCodeSuccess {
			sawNoData = true
		}
	}
	switch {
	case sawNoData:
		return "", nil, fmt.Errorf("%s: %w", name, ErrNoData)
	case answered:
		return "", nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	case ctx.Err() != nil:
		return "", nil, fmt.Errorf("%s: %w", name, ctx.Err())
	}
	return "", nil, fmt.Errorf("%s: %w (%v)", name, ErrTemporary, lastErr)
}

// exchangeAny asks each server in turn, attempts times round, until one
// answers every query type.
func exchangeAny(ctx context.Context, t nsexec.Target, c conf, q dnsmessage.Name, types []dnsmessage.Type) (string, []netip.Addr, dnsmessage.RCode, error) {
	var lastErr error
	for range c.attempts {
		for _, srv := range c.servers {
			var canon string
			var addrs []netip.Addr
			rcode := dnsmessage.RCodeSuccess
			var err error
			for _, typ := range types {
				var msg *dnsmessage.Message
				msg, err = exchange(ctx, t, srv, q, typ, c.timeout)
				if err != nil {
					break
				}
				if msg.RCode != dnsmessage.RCodeSuccess && msg.RCode != dnsmessage.RCodeNameError {
					err = fmt.Errorf("server %s answered %v", srv.Addr(), msg.RCode)
					break
				}
				cn, as := answers(msg, q)
				if canon == "" {
					canon = cn
				}
				addrs = append(addrs, as...)
				if msg.RCode == dnsmessage.RCodeNameError {
					rcode = msg.RCode
					break
				}
			}
			if err == nil {
				return canon, addrs, rcode, nil
			}
			lastErr = err
			if ctx.Err() != nil {
				return "", nil, 0, ctx.Err()
			}
		}
	}
	return "", nil, 0, lastErr
}

// exchange sends one query over UDP from a socket opened in t's namespace,
// and again over TCP when the answer comes back truncated.
func exchange(ctx context.Context, t nsexec.Target, srv netip.AddrPort, q dnsmessage.Name, typ dnsmessage.Type, timeout time.Duration) (*dnsmessage.Message, error) {
	id := uint16(time.Now().UnixNano())
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: id, RecursionDesired: true})
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(dnsmessage.Question{Name: q, Type: typ, Class: dnsmessage.ClassINET}); err != nil {
		return nil, err
	}
	query, err := b.Finish()
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	msg, err := roundTrip(ctx, t, "udp", srv, query, id, deadline)
	if err == nil && msg.Truncated {
		msg, err = roundTrip(ctx, t, "tcp", srv, query, id, deadline)
	}
	return msg, err
}

func roundTrip(ctx context.Context, t nsexec.Target, network string, srv netip.AddrPort, query []byte, id uint16, deadline time.Time) (*dnsmessage.Message, error) {
	var conn net.Conn
	err := nsexec.Do(t, func() error {
		var err error
		// Dialing an address literal makes the socket on this thread,
		// inside the namespace; no goroutine is started.
		d := net.Dialer{Deadline: deadline, Control: recvErr}
		conn, err = d.Dial(network, srv.String())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("connect to name server %s in %s: %w", srv.Addr(), t.Label(), err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	conn.SetDeadline(deadline)
	if network == "tcp" {
		// DNS over TCP prefixes each message with its length.
		query = append(binary.BigEndian.AppendUint16(nil, uint16(len(query))), query...)
	}
	return readAnswer(conn, network, query, id)
}

// recvErr has a UDP socket report every ICMP error (IP_RECVERR), as
// glibc's resolver asks: without it Linux passes on only port
// unreachable, and a name server behind a router that answers "network
// unreachable" would cost the whole timeout instead of failing at once.
func recvErr(network, _ string, c syscall.RawConn) error {
	if !strings.HasPrefix(network, "udp") {
		return nil
	}
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_RECVERR, 1)
		if network == "udp6" {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_RECVERR, 1)
		}
	})
	if err != nil {
		return err
	}
	return serr
}

func readAnswer(conn net.Conn, network string, query []byte, id uint16) (*dnsmessage.Message, error) {
	buf := make([]byte, 65536)
	if network == "tcp" {
		if _, err := conn.Write(query); err != nil {
			return nil, err
		}
		if _, err := io.ReadFull(conn, buf[:2]); err != nil {
			return nil, err
		}
		n := int(binary.BigEndian.Uint16(buf))
		if _, err := io.ReadFull(conn, buf[:n]); err != nil {
			return nil, err
		}
		return parseAnswer(buf[:n], id)
	}
	if _, err := conn.Write(query); err != nil {
		return nil, err
	}
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return nil, err
		}
		// A stray or spoofed datagram is skipped, as glibc does.
		if msg, err := parseAnswer(buf[:n], id); err == nil {
			return msg, nil
		}
	}
}

func parseAnswer(b []byte, id uint16) (*dnsmessage.Message, error) {
	var m dnsmessage.Message
	if err := m.Unpack(b); err != nil {
		return nil, err
	}
	if m.ID != id || !m.Response {
		return nil, errors.New("answer does not match query")
	}
	return &m, nil
}

// answers follows the CNAME chain from q and returns the canonical name and
// the addresses held by it.
func answers(m *dnsmessage.Message, q dnsmessage.Name) (string, []netip.Addr) {
	cur := q.String()
	for range 16 {
		next := ""
		for _, rr := range m.Answers {
			if c, ok := rr.Body.(*dnsmessage.CNAMEResource); ok && strings.EqualFold(rr.Header.Name.String(), cur) {
				next = c.CNAME.String()
			}
		}
		if next == "" {
			break
		}
		cur = next
	}
	var out []netip.Addr
	for _, rr := range m.Answers {
		if !strings.EqualFold(rr.Header.Name.String(), cur) {
			continue
		}
		switch b := rr.Body.(type) {
		case *dnsmessage.AResource:
			out = append(out, netip.AddrFrom4(b.A))
		case *dnsmessage.AAAAResource:
			out = append(out, netip.AddrFrom16(b.AAAA).Unmap())
		}
	}
	return strings.TrimSuffix(cur, "."), out
}
