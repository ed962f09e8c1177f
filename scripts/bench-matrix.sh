#!/usr/bin/env bash
# nsdiag matrix against the way a runbook checks reachability today: iputils
# ping for every ordered pair, one after another, through ip netns exec.
# Builds a lab of N namespaces (default 20, so N*(N-1) = 380 pairs) on one
# bridge, each with an IPv4 and an IPv6 address, and measures wall time:
#   peer:   ip netns exec SRC ping -c1 -W1 DST   for every pair (IPv4)
#   nsdiag: nsdiag matrix -4 -c 1   (the same work: one echo per pair)
#   nsdiag: nsdiag matrix           (default: 3 echoes to IPv4 and IPv6)
# Neighbour caches are flushed before each run. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-20}
BIN=${BIN:-bin/nsdiag}
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 1; }
p="nsbm$$-"
hub="${p}hub"
nodes=()
for i in $(seq 1 "$N"); do nodes+=("$p$i"); done

cleanup() {
	for n in "${nodes[@]}" "$hub"; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT

ip netns add "$hub"
ip -n "$hub" link add br0 type bridge
ip -n "$hub" link set br0 up
for i in $(seq 1 "$N"); do
	n="$p$i"
	ip netns add "$n"
	ip -n "$hub" link add "v$i" type veth peer name eth0 netns "$n"
	ip -n "$hub" link set "v$i" master br0 up
	ip -n "$n" link set lo up
	ip -n "$n" link set eth0 up
	ip -n "$n" addr add "10.99.0.$i/24" dev eth0
	ip -n "$n" addr add "fd99::$i/64" dev eth0 nodad
done

flush() { for n in "${nodes[@]}"; do ip -n "$n" neigh flush all; done; }
now() { date +%s.%N; }

flush
t0=$(now)
fails=0
for i in $(seq 1 "$N"); do
	for k in $(seq 1 "$N"); do
		[ "$i" = "$k" ] && continue
		ip netns exec "$p$i" ping -c1 -W1 -q "10.99.0.$k" >/dev/null || fails=$((fails + 1))
	done
done
t1=$(now)
peer=$(echo "$t1 - $t0" | bc)

flush
t0=$(now)
"$BIN" matrix -4 -c 1 "${nodes[@]}" >/tmp/bench-matrix.$$ || { cat /tmp/bench-matrix.$$; rm -f /tmp/bench-matrix.$$; exit 1; }
t1=$(now)
same=$(echo "$t1 - $t0" | bc)

flush
t0=$(now)
"$BIN" matrix "${nodes[@]}" >/tmp/bench-matrix.$$ || { cat /tmp/bench-matrix.$$; rm -f /tmp/bench-matrix.$$; exit 1; }
t1=$(now)
full=$(echo "$t1 - $t0" | bc)
tail -1 /tmp/bench-matrix.$$
rm -f /tmp/bench-matrix.$$

pairs=$((N * (N - 1)))
printf 'matrix bench: %d namespaces, %d ordered pairs (peer failures: %d)\n' "$N" "$pairs" "$fails"
printf '  iputils ping -c1 -W1 per pair via ip netns exec: %8.3f s\n' "$peer"
printf '  nsdiag matrix -4 -c 1 (same work):               %8.3f s  (%.1fx faster)\n' "$same" "$(echo "$peer / $same" | bc -l)"
printf '  nsdiag matrix (3 echoes, IPv4+IPv6, %d addrs):  %8.3f s  (%.1fx faster)\n' "$((pairs * 2))" "$full" "$(echo "$peer / $full" | bc -l)"
