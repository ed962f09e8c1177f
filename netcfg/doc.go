// Package netcfg configures network namespaces through netlink: veth pairs,
// link state, addresses, routes and per-namespace sysctls, and builds whole
// lab topologies from a declarative description.
//
// Every function takes the nsexec.Target it works in and talks to that
// namespace's kernel through a netlink socket opened there, so nothing is
// run through `ip`. Changing links, addresses and routes needs
// CAP_NET_ADMIN in the namespace; reaching a named namespace needs
// CAP_SYS_ADMIN.
package netcfg
