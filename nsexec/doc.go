// Package nsexec enters Linux network namespaces and runs code inside them.
//
// A network namespace is named by a Target: a name under /run/netns (the
// iproute2 convention), a path to a namespace file such as
// /proc/1234/ns/net, "pid:1234", or "inode:4026532281" for a namespace
// found by Discover, which lists every network namespace on the host. Do
// runs a function on a fresh, locked OS thread that has joined the target
// with setns(2); the thread is thrown away afterwards, so no other
// goroutine ever runs in a namespace it did not ask for. Sockets keep the
// namespace they were created in, which is how engines use this package:
// open the socket inside Do, use it anywhere.
//
// Entering a namespace needs CAP_SYS_ADMIN; creating and deleting named
// namespaces (Create, Delete) needs CAP_SYS_ADMIN as well, for the bind
// mounts under /run/netns.
package nsexec
