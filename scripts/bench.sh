#!/usr/bin/env bash
# Runs every side-by-side benchmark (scripts/bench-*.sh): each one builds its
# own lab, measures nsdiag and the peer tool in the same run and prints
# ratios. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for b in scripts/bench-*.sh; do
	[ -e "$b" ] || continue
	echo "== $b"
	"$b" || status=1
done
exit $status
