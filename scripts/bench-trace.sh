#!/usr/bin/env bash
# nsdiag trace against traceroute -n on the 5-hop bench chain
# (testdata/labs/bench-chain.yaml: h1 - r1..r4 - h2), in the same run:
#   1. a full trace h1 -> h2 (UDP, the default method, and ICMP -I)
#   2. the same with r2 silent (an nftables rule drops its Time Exceeded),
#      both tools with the same -w (the default 5,3,10).
# Both run from one shell inside h1, turn about, RUNS times each (default
# 21), so they share whatever load the machine has; nsdiag is still given
# -n h1 and enters the namespace itself. Figures are medians of the wall
# time of each run. ICMP rate limits are off in the lab so runs do not
# starve each other. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-21}
BIN=${BIN:-bin/nsdiag}
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 1; }
command -v traceroute >/dev/null || { echo "needs traceroute (apt-get install traceroute)" >&2; exit 1; }
LAB=testdata/labs/bench-chain.yaml
P="nsbt$$-"
H1="${P}bench-h1"
DEST=10.0.5.2

ENGINE=$(mktemp)
# A private copy: the figures are of the binary given, even if bin/nsdiag
# is rebuilt (by make, or a test) while the bench runs.
OURS=$(mktemp)
cp "$BIN" "$OURS"
chmod 755 "$OURS"
BIN=$OURS
cleanup() {
	"$BIN" lab down --prefix "$P" "$LAB" >/dev/null 2>&1 || true
	rm -f "$ENGINE" "$OURS"
}
trap cleanup EXIT
CGO_ENABLED=0 go build -o "$ENGINE" ./internal/bench/trace
"$BIN" lab up --prefix "$P" "$LAB" >/dev/null
for n in h1 r1 r2 r3 r4 h2; do
	ip netns exec "${P}bench-$n" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
done

# pair_ms ARGS...: inside h1, run "traceroute -n ARGS" and "nsdiag trace
# -n h1 ARGS" in turn RUNS times (after one warm-up each) and print the two
# medians in milliseconds.
pair_ms() {
	ip netns exec "$H1" bash -c '
		runs=$1 bin=$2 ns=$3; shift 3
		ms() { local t0=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - t0) / 1000 )); }
		median() { sort -n | awk "{a[NR]=\$1} END {printf \"%.2f\", a[int((NR+1)/2)] / 1000}"; }
		traceroute -n "$@" >/dev/null; "$bin" trace -n "$ns" "$@" >/dev/null
		: >/tmp/bt.peer.$$; : >/tmp/bt.ours.$$
		for _ in $(seq "$runs"); do
			ms traceroute -n "$@" >>/tmp/bt.peer.$$
			ms "$bin" trace -n "$ns" "$@" >>/tmp/bt.ours.$$
		done
		echo "$(median </tmp/bt.peer.$$) $(median </tmp/bt.ours.$$)"
		rm -f /tmp/bt.peer.$$ /tmp/bt.ours.$$' _ "$RUNS" "$BIN" "$H1" "$@"
}

# runbook_ms ARGS...: the two commands as a runbook has them, typed in
# the host's shell: "ip netns exec h1 traceroute -n ARGS" against
# "nsdiag trace -n h1 ARGS", which needs no wrapper. Prints both medians.
runbook_ms() {
	local peer=() ours=()
	ms() { local t0=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - t0) / 1000 )); }
	ip netns exec "$H1" traceroute -n "$@" >/dev/null; "$BIN" trace -n "$H1" "$@" >/dev/null
	for _ in $(seq "$RUNS"); do
		peer+=("$(ms ip netns exec "$H1" traceroute -n "$@")")
		ours+=("$(ms "$BIN" trace -n "$H1" "$@")")
	done
	median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)] / 1000}'; }
	echo "$(median "${peer[@]}") $(median "${ours[@]}")"
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

# row NAME ENGINE_ARGS -- ARGS: one line of figures: whole programs in
# turns, then the engine alone (internal/bench/trace: the same traces in one
# process, so without the Go runtime's start-up).
row() {
	local name=$1 eargs=() peer ours engine
	shift
	while [ "$1" != "--" ]; do eargs+=("$1"); shift; done
	shift
	read -r peer ours < <(pair_ms "$@")
	engine=$("$ENGINE" -n "$H1" -runs "$RUNS" "${eargs[@]}" "$DEST")
	printf '%-30s traceroute %7.2f ms  nsdiag %7.2f ms  ratio %.2f (goal <= 1.0);  engine alone %6.2f ms, ratio %.2f\n' \
		"$name" "$peer" "$ours" "$(echo "scale=4; $ours / $peer" | bc)" "$engine" "$(echo "scale=4; $engine / $peer" | bc)"
}

echo "trace h1 -> h2 over 5 hops, median of $RUNS runs each, taking turns"
# What a bare start costs, for reading the ratios: on a lab whose round
# trips are microseconds, start-up is most of a trace.
read -r peer ours < <(ip netns exec "$H1" bash -c '
	ms() { local t0=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - t0) / 1000 )); }
	median() { sort -n | awk "{a[NR]=\$1} END {printf \"%.2f\", a[int((NR+1)/2)] / 1000}"; }
	for _ in $(seq "$1"); do ms traceroute --version; done | median; echo -n " "
	for _ in $(seq "$1"); do ms "$2" --version; done | median; echo' _ "$RUNS" "$BIN")
printf '%-30s traceroute %7.2f ms  nsdiag %7.2f ms\n' "process start (--version)" "$peer" "$ours"

for m in "" "-I"; do
	check_same_hops $m "$DEST"
	row "full trace ${m:-(UDP)}" $m -- $m "$DEST"
done
# The same trace as a user types it from the host: traceroute needs the
# ip netns exec wrapper (a second program, a mount namespace, a fresh
# /sys), nsdiag enters h1 itself. The rows above are the like-for-like
# comparison; this one is what a runbook pays.
read -r peer ours < <(runbook_ms "$DEST")
printf '%-30s ip netns exec + traceroute %7.2f ms  nsdiag -n %7.2f ms  ratio %.2f\n' \
	"runbook, full trace (UDP)" "$peer" "$ours" "$(echo "scale=4; $ours / $peer" | bc)"

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
	row "silent r2, -w 5,3,10 ${m:-(UDP)}" -w 5s $m -- -w 5,3,10 $m "$DEST"
done
