// Package resolve turns host names into addresses as a process inside a
// network namespace would see them under `ip netns exec NAME`: the
// namespace's /etc/netns/NAME/hosts and /etc/netns/NAME/resolv.conf when
// they exist, /etc/hosts and /etc/resolv.conf otherwise, and DNS queries
// sent from sockets opened inside the namespace (nsexec.Do), so they leave
// through the namespace's routes and not the host's.
//
// Go's own resolver cannot do this: it reads the host's files and opens its
// sockets on whatever thread its goroutines run. Hosts files are searched
// before DNS, as the usual "hosts: files dns" in nsswitch.conf orders them.
//
// Entering a named or PID namespace needs CAP_SYS_ADMIN (see nsexec);
// resolving a literal address needs no privilege and no namespace.
package resolve
