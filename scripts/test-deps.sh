#!/usr/bin/env bash
# Installs the Debian packages the tests compare against or drive (peers and
# lab tools), where they are missing. Needs root and apt-get; otherwise it
# says what to install and leaves it to the caller.
set -euo pipefail
declare -A need=(
	[tcpdump]=tcpdump
	[ip]=iproute2
	[ping]=iputils-ping
	[traceroute]=traceroute
	[nft]=nftables
	[tshark]=tshark
	[file]=file
	[unshare]=util-linux
	[capsh]=libcap2-bin
)
missing=()
for cmd in "${!need[@]}"; do
	command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
	echo "tests need these packages: ${missing[*]} (install them as root with apt-get)" >&2
	exit 0
fi
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
