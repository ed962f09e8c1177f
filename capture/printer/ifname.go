package printer

import "net"

// hostInterfaceName resolves an ifindex in the calling thread's network
// namespace, as tcpdump -r does with if_indextoname.
func hostInterfaceName(index int) (string, bool) {
	ifi, err := net.InterfaceByIndex(index)
	if err != nil {
		return "", false
	}
	return ifi.Name, true
}
