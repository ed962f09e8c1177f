// Package capture captures packets inside a network namespace, reads and
// writes pcap and pcapng files, and merges captures from several
// namespaces into one stream.
//
// Live capture uses an AF_PACKET socket with a TPACKET_V3 memory-mapped
// ring, the facility libpcap uses on Linux. The socket is opened inside the
// target namespace through nsexec (interface names are looked up there
// too) and then read from any goroutine: a packet socket stays in the
// namespace it was created in. A named interface is captured with its own
// link type (Ethernet for veth and loopback, raw IP for tun-like devices);
// "any" is captured cooked (SOCK_DGRAM) and each packet gets the Linux
// cooked v2 header (interface index, packet type, protocol) that tcpdump
// writes. The filter program is attached in the kernel before the socket
// is bound, so filtered-out packets never reach user space.
//
// Opening a packet socket needs CAP_NET_RAW in the namespace's owning user
// namespace; entering another namespace needs CAP_SYS_ADMIN as well.
//
// Source emits packets to a callback and returns statistics; it never
// prints. Reading files needs no privileges and no namespace.
package capture
