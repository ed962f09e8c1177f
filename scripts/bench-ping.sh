#!/usr/bin/env bash
# nsdiag ping against iputils ping, measured in the same run on a veth pair
# between two namespaces. Needs root.
#
# The measuring is done by internal/bench/ping, which starts both tools the
# same way: as children of a thread already inside the sender's namespace,
# so iputils pays no ip netns exec wrapper; nsdiag is still given -n and
# enters the namespace itself, as a user would run it.
#
# 1. Flood: ping -q -f -c $FLOOD. Wall time from start to exit of each,
#    median of $ROUNDS rounds alternating which goes first; goal:
#    nsdiag / iputils <= 1.0.
# 2. Accuracy: ping -c $COUNT -i 0.01, both running at once (same path,
#    same load; the phase between them changes each round). Median of
#    every reported time= over $ROUNDS rounds;
#    goal: nsdiag / iputils <= 1.10.
# 3. Peak memory: maximum resident set (getrusage of the child) of each
#    over the floods.
#
# Timings on a shared machine move with its load: run it on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/benchlib.sh
BIN=${BIN:-bin/nsdiag}
FLOOD=${FLOOD:-20000}
COUNT=${COUNT:-200}
ROUNDS=${ROUNDS:-7}
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 1; }
command -v ping >/dev/null || { echo "iputils ping is not installed" >&2; exit 1; }

tmp=$(mktemp -d)
p="nsbp$$"
cleanup() {
	bench_pair_del "$p"
	rm -rf "$tmp"
}
trap cleanup EXIT

bench_pair "$p" 10.97.0

CGO_ENABLED=0 go build -o "$tmp/bench" ./internal/bench/ping
"$tmp/bench" -n "${p}a" -dest 10.97.0.2 -nsdiag "$BIN" -rounds "$ROUNDS" -flood "$FLOOD" -count "$COUNT"
