// Package resolve turns host names into addresses as a process inside a
// network namespace would see them under `ip netns exec NAME`: the
// namespace's /etc/netns/NAME/hosts and /etc/netns/NAME/resolv.conf when
// they exist, /etc/hosts and /etc/resolv.conf otherwise, and DNS queries
// sent from sockets opened inside the namespace (nsexec.Do), so they leave
// through the namespace's routes and not the host's.
//
// Lookup picks one address, as ping does; All returns every address in
// getaddrinfo's order, as libpcap's "host NAME" uses them; EtcFile and
// Names give a capture filter the namespace's other /etc files.
//
// Go's own resolver cannot do this: it reads the host's files and opens its
// sockets on whatever thread its goroutines run. Hosts files are searched
// before DNS, as the usual "hosts: files dns" in nsswitch.conf orders them.
//
// Entering a named or PID namespace needs CAP_SYS_ADMIN (see nsexec);
// resolving a literal address needs no privilege and no namespace.
package resolve
