#!/bin/bash
# Records live_eth.pcap and live_any.pcap: real kernel traffic between two
# namespaces (ping, TCP, UDP, DNS, ICMP errors, neighbour discovery, MLD),
# captured by tcpdump on ns2's veth and on "any". Run as root; it removes
# its namespaces on exit. The golden test replays the files.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
a=nsdpa$$ b=nsdpb$$
cleanup() { ip netns del "$a" 2>/dev/null || true; ip netns del "$b" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$a"; ip netns add "$b"
ip link add va$$ netns "$a" type veth peer name vb$$ netns "$b"
ip -n "$a" link set lo up; ip -n "$b" link set lo up
ip -n "$a" addr add 10.77.0.1/24 dev va$$; ip -n "$b" addr add 10.77.0.2/24 dev vb$$
ip -n "$a" addr add fd77::1/64 dev va$$ nodad; ip -n "$b" addr add fd77::2/64 dev vb$$ nodad
ip netns exec "$b" tcpdump -q -i any -w "$dir/live_any.pcap" -U 2>/dev/null & t2=$!
sleep 1
# tcpdump refuses a down interface: the "any" capture sees the link come up.
ip -n "$b" link set vb$$ up
ip netns exec "$b" tcpdump -q -i vb$$ -w "$dir/live_eth.pcap" -U 2>/dev/null & t1=$!
sleep 1
ip -n "$a" link set va$$ up
sleep 2
ip netns exec "$a" ping -c 2 -i 0.2 10.77.0.2 >/dev/null
ip netns exec "$a" ping -6 -c 2 -i 0.2 fd77::2 >/dev/null
ip netns exec "$a" ping -c 1 -s 3000 10.77.0.2 >/dev/null
ip netns exec "$b" python3 - <<'PY' &
import socket, struct
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.77.0.2", 8080)); s.listen()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.77.0.2", 53))
q, addr = u.recvfrom(512)
# answer with one A record pointing at the question name
ans = q[:2] + b"\x81\x80" + q[4:6] + b"\x00\x01\x00\x00\x00\x00" + q[12:] + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x4d\x00\x02"
u.sendto(ans, addr)
c, _ = s.accept(); c.recv(1024); c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"); c.close()
PY
py=$!
sleep 0.5
ip netns exec "$a" python3 - <<'PY'
import socket, struct
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(2)
q = struct.pack(">HHHHHH", 0x4d2, 0x0100, 1, 0, 0, 0) + b"\x03www\x04test\x00\x00\x01\x00\x01"
u.sendto(q, ("10.77.0.2", 53)); u.recvfrom(512)
u.sendto(b"probe", ("10.77.0.2", 33434))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.sendto(b"probe6", ("fd77::2", 33435))
try:
    socket.create_connection(("10.77.0.2", 9), timeout=1)
except OSError:
    pass
c = socket.create_connection(("10.77.0.2", 8080)); c.sendall(b"GET /index.html HTTP/1.1\r\nHost: lab\r\n\r\n"); c.recv(1024); c.close()
c6 = socket.socket(socket.AF_INET6)
try:
    c6.settimeout(1); c6.connect(("fd77::2", 22))
except OSError:
    pass
PY
wait "$py"
sleep 1
kill "$t1" "$t2"; wait "$t1" "$t2" 2>/dev/null || true
"$dir/remap_ifindex.py" "$dir/live_any.pcap"
