#!/usr/bin/env bash
# nsdiag sniff against tcpdump, measured in the same run. Needs root.
#
# 1. Capture under a UDP flood: two namespaces on a veth pair; a generator
#    (internal/bench/sniff) sends 18-byte UDP datagrams from one as fast as
#    one core can for $SECS seconds while the capturer in the other writes
#    "udp" to a file (both with a 4 MiB ring, -B 4096). Reported per tool:
#    packets captured and dropped (their own end counters) and CPU seconds
#    (perf task-clock, or GNU time's user+sys) per million packets captured.
#    Runs $ROUNDS rounds, alternating which tool goes first; the ratio is of
#    the totals, and the median of the rounds' ratios is shown too.
# 2. Read and print a pcap of $PACKETS packets to /dev/null: wall time of
#    nsdiag sniff -r over tcpdump -n -r, best of 3 each.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/benchlib.sh
BIN=${BIN:-bin/nsdiag}
SECS=${SECS:-5}
ROUNDS=${ROUNDS:-3}
PACKETS=${PACKETS:-1000000}
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 1; }
command -v tcpdump >/dev/null || { echo "tcpdump is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is not installed" >&2; exit 1; }
# CPU time from perf's task-clock (microseconds) when perf is there, else
# GNU time's user+sys (hundredths of a second).
PERF=$(command -v perf || true)

tmp=$(mktemp -d)
p="nsbs$$"
cleanup() {
	bench_pair_del "$p"
	rm -rf "$tmp"
}
trap cleanup EXIT
CGO_ENABLED=0 go build -o "$tmp/gen" ./internal/bench/sniff

bench_pair "$p" 10.98.0
# No ICMP port unreachable storm back to the sender.
ip netns exec "${p}b" sysctl -q -w net.ipv4.icmp_ratelimit=1000

# capture TOOL ROUND: run one flood under TOOL; prints "captured dropped cpu sent".
capture() {
	local tool=$1 err="$tmp/$1.err" tm="$tmp/$1.time" out="$tmp/$1.pcap"
	rm -f "$err" "$tm" "$out"
	local cmd
	case $tool in
	nsdiag) cmd=("$BIN" sniff -n "${p}b" -i "${p}vb" -B 4096 -w "$out" udp) ;;
	tcpdump) cmd=(ip netns exec "${p}b" tcpdump -i "${p}vb" -B 4096 -w "$out" udp) ;;
	esac
	if [ -n "$PERF" ]; then
		"$PERF" stat -x, -e task-clock -o "$tm" "${cmd[@]}" >/dev/null 2>"$err" &
	else
		/usr/bin/time -f "%U %S" -o "$tm" "${cmd[@]}" >/dev/null 2>"$err" &
	fi
	local tpid=$!
	for _ in $(seq 100); do grep -q "listening on" "$err" 2>/dev/null && break; sleep 0.05; done
	local sent
	sent=$("$tmp/gen" flood -n "${p}a" -to 10.98.0.2:9 -d "${SECS}s" | cut -d' ' -f1) || { cat "$err" >&2; return 1; }
	sleep 0.3
	# The capturer is the only child of perf or GNU time (ip netns exec
	# execs tcpdump).
	pkill -INT -P "$tpid"
	wait "$tpid" || true
	local captured dropped cpu
	captured=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$err")
	dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$err")
	if [ -n "$PERF" ]; then
		cpu=$(awk -F, '/task-clock/ { print $1 / 1000 }' "$tm")
	else
		cpu=$(awk 'END { print $1 + $2 }' "$tm")
	fi
	echo "$captured $dropped $cpu $sent"
}

echo "-- capture under a UDP flood (${SECS}s per run, $ROUNDS rounds)"
printf "%-8s %6s %12s %12s %12s %10s %14s\n" tool round sent captured dropped cpu_s cpu_s_per_Mpkt
declare -A cap drop cpu perround
ratios=()
for tool in nsdiag tcpdump; do cap[$tool]=0; drop[$tool]=0; cpu[$tool]=0; done
for round in $(seq "$ROUNDS"); do
	order="nsdiag tcpdump"
	[ $((round % 2)) -eq 0 ] && order="tcpdump nsdiag"
	for tool in $order; do
		read -r c d u s < <(capture "$tool")
		per=$(awk -v u="$u" -v c="$c" 'BEGIN { print c ? u / c * 1e6 : 0 }')
		printf "%-8s %6d %12d %12d %12d %10.3f %14.3f\n" "$tool" "$round" "$s" "$c" "$d" "$u" "$per"
		perround[$tool]=$per
		cap[$tool]=$((cap[$tool] + c)); drop[$tool]=$((drop[$tool] + d))
		cpu[$tool]=$(awk -v a="${cpu[$tool]}" -v b="$u" 'BEGIN { print a + b }')
	done
	ratios+=("$(awk -v a="${perround[nsdiag]}" -v b="${perround[tcpdump]}" 'BEGIN { print a / b }')")
done
median=$(printf "%s\n" "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
awk -v median="$median" -v nc="${cap[nsdiag]}" -v nd="${drop[nsdiag]}" -v nu="${cpu[nsdiag]}" \
	-v tc="${cap[tcpdump]}" -v td="${drop[tcpdump]}" -v tu="${cpu[tcpdump]}" 'BEGIN {
	nr = nu / nc * 1e6; tr = tu / tc * 1e6
	printf "total    nsdiag captured %d dropped %d (%.2f%%); tcpdump captured %d dropped %d (%.2f%%)\n", nc, nd, 100 * nd / (nc + nd), tc, td, 100 * td / (tc + td)
	printf "ratio    CPU per million packets nsdiag/tcpdump = %.2f (median of rounds %.2f; goal <= 1.0); drop rate nsdiag %.2f%% vs tcpdump %.2f%% (goal: no higher)\n", nr / tr, median, 100 * nd / (nc + nd), 100 * td / (tc + td)
}'

echo "-- read and print $PACKETS packets to /dev/null"
"$tmp/gen" pcap -o "$tmp/big.pcap" -c "$PACKETS"
best() {
	local best=""
	for _ in 1 2 3; do
		/usr/bin/time -f "%e" -o "$tmp/wall" "$@" >/dev/null 2>"$tmp/read.err"
		local w; w=$(cat "$tmp/wall")
		if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$w; fi
	done
	echo "$best"
}
tn=$(best "$BIN" sniff -r "$tmp/big.pcap")
tt=$(best tcpdump -n -r "$tmp/big.pcap")
# glibc's localtime stats /etc/localtime for every packet when TZ is unset;
# with TZ set tcpdump is several times faster, so both are shown.
tnu=$(TZ=UTC best "$BIN" sniff -r "$tmp/big.pcap")
ttu=$(TZ=UTC best tcpdump -n -r "$tmp/big.pcap")
"$BIN" sniff -r "$tmp/big.pcap" >"$tmp/nsdiag.txt" 2>/dev/null
tcpdump -n -r "$tmp/big.pcap" >"$tmp/tcpdump.txt" 2>/dev/null
same=$(cmp -s "$tmp/nsdiag.txt" "$tmp/tcpdump.txt" && echo identical || echo DIFFERENT)
echo "nsdiag sniff -r: ${tn}s  tcpdump -n -r: ${tt}s  (TZ=UTC: ${tnu}s vs ${ttu}s; $(wc -l <"$tmp/nsdiag.txt") lines, output $same)"
awk -v a="$tn" -v b="$tt" -v c="$tnu" -v d="$ttu" 'BEGIN { printf "ratio    read+print wall time nsdiag/tcpdump = %.2f, with TZ=UTC %.2f (goal <= 1.0)\n", a / b, c / d }'
