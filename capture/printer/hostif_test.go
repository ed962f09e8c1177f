package printer

import "net"

func hostInterfaceName(index int) (string, bool) {
	ifi, err := net.InterfaceByIndex(index)
	if err != nil {
		return "", false
	}
	return ifi.Name, true
}
