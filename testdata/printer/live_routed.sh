#!/bin/bash
# Records live_routed.pcap (Ethernet, the router's side facing a) and
# live_routed_any.pcap (the router's "any"): traffic through a router
# namespace that answers with ICMP errors: time exceeded, unreachable
# routes, prohibited routes, path MTU, for IPv4 and IPv6, plus fragments.
# Run as root; it removes its namespaces on exit.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
a=nsdqa$$ r=nsdqr$$ b=nsdqb$$
cleanup() { for n in "$a" "$r" "$b"; do ip netns del "$n" 2>/dev/null || true; done; }
trap cleanup EXIT
for n in "$a" "$r" "$b"; do ip netns add "$n"; ip -n "$n" link set lo up; done
ip link add xa$$ netns "$a" type veth peer name ra$$ netns "$r"
ip link add xb$$ netns "$b" type veth peer name rb$$ netns "$r"
ip -n "$a" addr add 10.81.0.1/24 dev xa$$; ip -n "$a" addr add fd81::1/64 dev xa$$ nodad
ip -n "$r" addr add 10.81.0.254/24 dev ra$$; ip -n "$r" addr add fd81::fe/64 dev ra$$ nodad
ip -n "$r" addr add 10.82.0.254/24 dev rb$$; ip -n "$r" addr add fd82::fe/64 dev rb$$ nodad
ip -n "$b" addr add 10.82.0.2/24 dev xb$$; ip -n "$b" addr add fd82::2/64 dev xb$$ nodad
for l in "$a xa$$" "$r ra$$" "$r rb$$" "$b xb$$"; do set -- $l; ip -n "$1" link set "$2" up; done
ip -n "$r" link set rb$$ mtu 1280; ip -n "$b" link set xb$$ mtu 1280
ip -n "$a" route add default via 10.81.0.254; ip -n "$a" -6 route add default via fd81::fe
ip -n "$b" route add default via 10.82.0.254; ip -n "$b" -6 route add default via fd82::fe
ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip -n "$r" route add unreachable 10.99.0.0/24; ip -n "$r" route add prohibit 10.98.0.0/24
ip -n "$r" -6 route add unreachable fd99::/64; ip -n "$r" -6 route add prohibit fd98::/64
sleep 2
ip netns exec "$r" tcpdump -q -i ra$$ -w "$dir/live_routed.pcap" -U 2>/dev/null & t1=$!
ip netns exec "$r" tcpdump -q -i any -w "$dir/live_routed_any.pcap" -U 2>/dev/null & t2=$!
sleep 1
p() { ip netns exec "$a" "$@" >/dev/null 2>&1 || true; }
p ping -c 1 -W 1 10.82.0.2
p ping -c 1 -W 1 -t 1 10.82.0.2
p ping -6 -c 1 -W 1 -t 1 fd82::2
p ping -c 1 -W 1 10.99.0.1
p ping -c 1 -W 1 10.98.0.1
p ping -6 -c 1 -W 1 fd99::1
p ping -6 -c 1 -W 1 fd98::1
p ping -c 1 -W 1 -M do -s 1400 10.82.0.2
p ping -6 -c 1 -W 1 -s 1400 fd82::2
p ping -6 -c 1 -W 1 -s 1400 fd82::2
p python3 -c '
import socket
for ttl in (1, 2):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    s.sendto(b"traceroute probe", ("10.82.0.2", 33434 + ttl))
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
    s6.sendto(b"traceroute probe", ("fd82::2", 33434 + ttl))
t = socket.socket(); t.settimeout(1)
try:
    t.connect(("10.82.0.2", 80))
except OSError:
    pass
'
sleep 1
kill "$t1" "$t2"; wait "$t1" "$t2" 2>/dev/null || true
"$dir/remap_ifindex.py" "$dir/live_routed_any.pcap"
