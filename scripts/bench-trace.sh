#!/usr/bin/env bash
# nsdiag trace against traceroute -n on the 5-hop bench chain
# (testdata/labs/bench-chain.yaml: h1 - r1..r4 - h2), in the same run:
#   1. a full trace h1 -> h2 (UDP, the default method, and ICMP -I)
#   2. the same with r2 silent (an nftables rule drops its Time Exceeded),
#      both tools with the same -w (the default 5,3,10).
# traceroute runs inside h1 (one ip netns exec around the whole loop, so
# its setup is not counted); nsdiag runs from the host with -n, so its
# setns is. Each figure is the mean wall time of RUNS runs (default 20).
# ICMP rate limits are off in the lab so runs do not starve each other.
# Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
BIN=${BIN:-bin/nsdiag}
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 1; }
command -v traceroute >/dev/null || { echo "needs traceroute (apt-get install traceroute)" >&2; exit 1; }
BIN=$(realpath "$BIN")
LAB=testdata/labs/bench-chain.yaml
P="nsbt$$-"
H1="${P}bench-h1"
DEST=10.0.5.2

cleanup() { "$BIN" lab down --prefix "$P" "$LAB" >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$BIN" lab up --prefix "$P" "$LAB" >/dev/null
for n in h1 r1 r2 r3 r4 h2; do
	ip netns exec "${P}bench-$n" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
done

# mean_ms CMD...: mean wall time of RUNS runs of CMD, in milliseconds,
# after one warm-up run (ARP/ND entries, page cache).
mean_ms() {
	"$@" >/dev/null 2>&1
	local t0 t1
	t0=$(date +%s%N)
	for _ in $(seq "$RUNS"); do "$@" >/dev/null 2>&1; done
	t1=$(date +%s%N)
	echo "scale=3; ($t1 - $t0) / $RUNS / 1000000" | bc
}

# peer_ms ARGS...: the same for traceroute -n ARGS inside h1.
peer_ms() {
	ip netns exec "$H1" bash -c '
		runs=$1; shift
		traceroute -n "$@" >/dev/null
		t0=$(date +%s%N)
		for _ in $(seq "$runs"); do traceroute -n "$@" >/dev/null; done
		t1=$(date +%s%N)
		echo "scale=3; ($t1 - $t0) / $runs / 1000000" | bc' _ "$RUNS" "$@"
}

check_same_hops() {
	local a b
	a=$(ip netns exec "$H1" traceroute -n "$@" | awk 'NR>1{print $1, $2}')
	b=$("$BIN" trace -n "$H1" "$@" | awk 'NR>1{print $1, $2}')
	if [ "$a" != "$b" ]; then
		echo "hops differ for $*:"; echo "traceroute:"; echo "$a"; echo "nsdiag:"; echo "$b"
		exit 1
	fi
}

report() {
	local name=$1 peer=$2 ours=$3
	printf '%-34s traceroute %8.2f ms   nsdiag %8.2f ms   ratio %.2f (goal <= 1.0)\n' \
		"$name" "$peer" "$ours" "$(echo "scale=4; $ours / $peer" | bc)"
}

echo "trace h1 -> h2 over 5 hops, mean of $RUNS runs each"
# What a bare start of each program costs, for reading the ratios: on a
# lab whose round trips are microseconds, start-up is most of a trace.
printf '%-34s traceroute %8.2f ms   nsdiag %8.2f ms\n' "process start (--version)" \
	"$(mean_ms traceroute --version)" "$(mean_ms "$BIN" --version)"
for m in "" "-I"; do
	check_same_hops $m "$DEST"
	peer=$(peer_ms $m "$DEST")
	ours=$(mean_ms "$BIN" trace -n "$H1" $m "$DEST")
	report "full trace ${m:-(UDP)}" "$peer" "$ours"
done

ip netns exec "${P}bench-r2" nft -f - <<'NFT'
table inet silent {
	chain out {
		type filter hook output priority 0;
		icmp type time-exceeded drop
		icmpv6 type time-exceeded drop
	}
}
NFT
for m in "" "-I"; do
	check_same_hops $m "$DEST"
	peer=$(peer_ms -w 5,3,10 $m "$DEST")
	ours=$(mean_ms "$BIN" trace -n "$H1" -w 5,3,10 $m "$DEST")
	report "silent r2, -w 5,3,10 ${m:-(UDP)}" "$peer" "$ours"
done
