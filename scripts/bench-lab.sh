#!/usr/bin/env bash
# nsdiag lab up/down against the same topology built with ip, measured in the
# same run. The lab is testdata/labs/bench-chain.yaml (h1, r1..r4, h2: six
# namespaces, five veth pairs, IPv4 and IPv6). The peer is the script of ip
# commands that `nsdiag lab show` prints, translated to ip(8) one for one and
# run as a runbook would, one process per step.
#   up:    time until the lab is built and an IPv6 ping from h1 to h2 gets
#          through (so both count the time until the lab is usable)
#   down:  nsdiag lab down versus ip netns del of every node
# Best of $ROUNDS rounds each. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/nsdiag}
ROUNDS=${ROUNDS:-3}
LAB=testdata/labs/bench-chain.yaml
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 1; }
p="nsbl$$-"
nodes=$("$BIN" lab show --prefix "$p" "$LAB" | sed -n 's/^nsdiag ns add //p')

cleanup() { for n in $nodes; do ip netns del "$n" 2>/dev/null || true; done; }
trap cleanup EXIT

# The ip(8) equivalent of each step lab show prints (the wait step has none:
# the ping after it does the waiting).
ipscript=$("$BIN" lab show --prefix "$p" "$LAB" | sed -E \
	-e '/^#/d' \
	-e 's/^nsdiag ns add (.*)/ip netns add \1/' \
	-e 's/^nsdiag link set -n ([^ ]+) (.*)/ip -n \1 link set \2/' \
	-e 's/^nsdiag exec -n ([^ ]+) -- (.*)/ip netns exec \1 \2/' \
	-e 's/^nsdiag veth add ([^ ]+) ([^ ]+) --netns ([^ ]+) --peer-netns ([^ ]+)/ip -n \3 link add \1 type veth peer name \2 netns \4/' \
	-e 's/^nsdiag addr add -n ([^ ]+) (.*)/ip -n \1 addr add \2/' \
	-e 's/^nsdiag route add -n ([^ ]+) (.*)/ip -n \1 route add \2/')
if grep -q '^nsdiag' <<<"$ipscript"; then
	echo "bench-lab: a lab step has no ip translation:" >&2
	grep '^nsdiag' <<<"$ipscript" >&2
	exit 1
fi

h1="${p}bench-h1"
now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a - b }'; }
reach() {
	# Wait up to 10 s for the first reply, as a user retrying would.
	ip netns exec "$h1" ping -6 -c1 -w10 fd00:5::2 >/dev/null
}
best() { sort -g | head -1; }

ip_up=() ns_up=() ip_down=() ns_down=()
for r in $(seq 1 "$ROUNDS"); do
	t0=$(now); bash -e <<<"$ipscript"; reach; t1=$(now)
	ip_up+=("$(sub "$t1" "$t0")")
	t0=$(now); for n in $nodes; do ip netns del "$n"; done; t1=$(now)
	ip_down+=("$(sub "$t1" "$t0")")

	t0=$(now); "$BIN" lab up --prefix "$p" "$LAB" >/dev/null; reach; t1=$(now)
	ns_up+=("$(sub "$t1" "$t0")")
	t0=$(now); "$BIN" lab down --prefix "$p" "$LAB" >/dev/null; t1=$(now)
	ns_down+=("$(sub "$t1" "$t0")")
done

report() {
	local what=$1 peer nsd
	peer=$(printf '%s\n' "${@:2:$ROUNDS}" | best)
	nsd=$(printf '%s\n' "${@:$((ROUNDS + 2))}" | best)
	awk -v w="$what" -v p="$peer" -v n="$nsd" 'BEGIN { printf "%-34s ip %7.3f s   nsdiag %7.3f s   nsdiag/ip %5.2f\n", w, p, n, n / p }'
}
steps=$(grep -c . <<<"$ipscript")
echo "lab $LAB: $steps steps; best of $ROUNDS"
report "up until h1 pings h2 (IPv6)" "${ip_up[@]}" "${ns_up[@]}"
report "down" "${ip_down[@]}" "${ns_down[@]}"
