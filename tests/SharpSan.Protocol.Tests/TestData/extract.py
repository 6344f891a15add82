#!/usr/bin/env python3
"""Extracts the iSCSI TCP byte streams used by the tests from /work/shared/captures (run once;
needs tshark). Writes <capture>.<stream>.<c2s|s2c>.bin, trimmed at a PDU boundary to at most
MAX bytes per direction. Digests are assumed on (per the capture) after the login PDU with T=1, NSG=3."""
import subprocess, sys, os

CAPS = "/work/shared/captures"
OUT = os.path.dirname(os.path.abspath(__file__))
# file, stream index, header digest after login, data digest after login, max bytes per direction
JOBS = [
    ("discovery.pcap", 0, False, False, None),
    ("discovery.pcap", 1, False, False, None),
    ("inquiry-chap.pcap", 0, False, False, None),
    ("chap-wrong-secret.pcap", 0, False, False, None),
    # NB: despite its name, tgt answered HeaderDigest=None in this capture: no digests on the wire.
    ("rw-headerdigest-chap.pcap", 0, False, False, None),
    # stream 0: discovery session (digests None); stream 1: normal session, CRC32C both ways.
    ("kernel-login-chap-digests.pcap", 0, False, False, None),
    ("kernel-login-chap-digests.pcap", 1, True, True, 131072),
]

def follow(path, idx):
    out = subprocess.run(["tshark", "-r", path, "-q", "-z", f"follow,tcp,raw,{idx}"],
                         capture_output=True, text=True, check=True).stdout
    c2s, s2c = bytearray(), bytearray()
    started = False
    for line in out.splitlines():
        if line.startswith("Node 1:"):
            started = True
            continue
        if not started or line.startswith("====") or not line.strip():
            continue
        if line.startswith("\t"):
            s2c += bytes.fromhex(line.strip())
        else:
            c2s += bytes.fromhex(line.strip())
    return bytes(c2s), bytes(s2c)

def pdus(stream, hd, dd):
    """Yields (offset, length, opcode, flags) with digests switched on after the final login PDU."""
    pos, digests = 0, False
    while pos + 48 <= len(stream):
        b = stream[pos:pos + 48]
        ahs = b[4] * 4
        dlen = int.from_bytes(b[5:8], "big")
        total = 48 + ahs + (4 if digests and hd else 0) + ((dlen + 3) & ~3) + (4 if digests and dd and dlen else 0)
        if pos + total > len(stream):
            return
        yield pos, total, b[0] & 0x3F, b[1]
        if (b[0] & 0x3F) in (0x03, 0x23) and (b[1] & 0x80) and (b[1] & 3) == 3:
            digests = True
        pos += total

if __name__ == "__main__":
    for name, idx, hd, dd, maxlen in JOBS:
        c2s, s2c = follow(os.path.join(CAPS, name), idx)
        base = name.replace(".pcap", "")
        for d, s in (("c2s", c2s), ("s2c", s2c)):
            end = 0
            for off, ln, op, fl in pdus(s, hd, dd):
                if maxlen and off + ln > maxlen:
                    break
                end = off + ln
            print(f"{base}.{idx}.{d}: {len(s)} bytes, framed {end}", file=sys.stderr)
            with open(os.path.join(OUT, f"{base}.{idx}.{d}.bin"), "wb") as f:
                f.write(s[:end])
