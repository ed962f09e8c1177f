# Sourced by the bench scripts: shared lab set-up. Not run on its own.

# bench_pair PREFIX NET: namespaces PREFIXa and PREFIXb joined by a veth pair
# (PREFIXva, PREFIXvb) with NET.1/24 and NET.2/24, loopbacks up, checked
# with one ping. bench_pair_del removes them.
bench_pair() {
	local p=$1 net=$2 n
	ip netns add "${p}a"
	ip netns add "${p}b"
	ip link add "${p}va" netns "${p}a" type veth peer name "${p}vb" netns "${p}b"
	ip -n "${p}a" addr add "$net.1/24" dev "${p}va"
	ip -n "${p}b" addr add "$net.2/24" dev "${p}vb"
	for n in a b; do
		ip -n "$p$n" link set lo up
		ip -n "$p$n" link set "$p"v$n up
	done
	ip netns exec "${p}a" ping -q -c 1 -W 2 "$net.2" >/dev/null
}

bench_pair_del() {
	ip netns del "$1a" 2>/dev/null || true
	ip netns del "$1b" 2>/dev/null || true
}
