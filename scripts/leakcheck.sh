#!/usr/bin/env bash
# Fails when the test suite left a namespace, a /run/netns mount or a host
# veth of its own behind (tests name theirs with the nsdt- prefix).
set -u
leaks=$(
	ls /run/netns 2>/dev/null | grep '^nsdt-'
	grep -o '/run/netns/nsdt-[^ ]*' /proc/self/mountinfo
	ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | grep -E '^(nsdt|v[ab][0-9a-f]{8})'
)
if [ -n "$leaks" ]; then
	echo "test suite left these behind:" >&2
	echo "$leaks" >&2
	exit 1
fi
echo "leak check: no test namespace, mount or veth left behind"
