#!/usr/bin/env python3
"""Moves LINUX_SLL2 ifindexes (other than lo's 1) of a pcap to 1000+index.

The indexes in a recorded file are the capturing namespace's; tcpdump -r
resolves them on the reading host, where 2 may be any interface. Past
1000 they resolve nowhere and print as "?", so golden files hold on
every host. Usage: remap_ifindex.py FILE.pcap...
"""
import struct
import sys

for name in sys.argv[1:]:
    d = bytearray(open(name, 'rb').read())
    assert struct.unpack('<I', d[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d), name
    assert struct.unpack('<I', d[20:24])[0] == 276, name + ": not LINUX_SLL2"
    off = 24
    while off + 16 <= len(d):
        caplen = struct.unpack('<I', d[off + 8:off + 12])[0]
        p = off + 16
        if caplen >= 8:
            i = struct.unpack('>I', d[p + 4:p + 8])[0]
            if 1 < i < 1000:
                d[p + 4:p + 8] = struct.pack('>I', 1000 + i)
        off = p + caplen
    open(name, 'wb').write(d)
