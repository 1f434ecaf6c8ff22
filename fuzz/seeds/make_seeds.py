#!/usr/bin/env python3
"""Writes the seed corpus: event streams from the tests' and docs' cases,
each behind the header its target expects (see tests/common/fuzz_invariants.rs).
Run from fuzz/: python3 seeds/make_seeds.py"""
import hashlib, pathlib, re

STREAMS = [
    b"data: x\n\n",
    b"event: greet\ndata: hello\nid: 1\n\ndata: bye\n\n",
    b"data: {\"token\":\"Hel\"}\r\n\r\ndata: {\"token\":\"lo\"}\n\n",
    b"retry: 5000\ndata: one\r\n\r\ndata: tw",
    b": ping\n\ndata: a\ndata: b\n\n",
    b"\xEF\xBB\xBFdata: bom\n\n",
    b"\xEF\xBBdata: half a bom\n\n",
    b"\xEF\xBB\xBF\xEF\xBB\xBFdata: second bom is content\n\n",
    b"data:no space\ndata:  two spaces\ndata\ndata:\n\n",
    b"data: cr\rdata: lf\ndata: crlf\r\n\r",
    b"id: 7\n\ndata: keeps id\n\nid\ndata: reset\n\n",
    b"id: a\x00b\ndata: nul id ignored\n\n",
    b"retry: 18446744073709551615\nretry: 18446744073709551616\nretry: 1.5\nretry: +1\nretry\n",
    b"event: e\n\ndata: type cleared\n\n",
    b"data: \xc3\xa9\xe4\xb8\x96\xf0\x9f\x8c\x8d \xff \xf0\x9f\x98 \xed\xa0\x80\n\n",
    b":\n: comment\n:  two\nunknown: field\nDATA: upper\n\n",
    b"data: unterminated",
    b"data: a\n\ndata: b\n\n: c\nretry: 1\nid: 2\n\n",
    # tests/differential.proptest-regressions
    bytes([100, 97, 116, 97, 58, 10, 58, 10, 10, 100, 97, 116, 97, 114, 101, 116, 114, 121, 58, 32,
           100, 97, 116, 97, 58, 32, 239, 187, 32, 101, 118, 101, 110, 116, 32, 100, 97, 116, 97, 58,
           32, 195, 169, 228, 184, 150, 240, 159, 140, 141, 100, 97, 116, 97, 58, 32, 239, 187, 191, 58]),
    bytes([100, 97, 116, 97, 58, 32, 13, 10, 58, 10, 10, 101, 118, 101, 110, 116, 58, 10, 100, 97,
           116, 97, 58, 32, 105, 100, 100, 97, 116, 97, 56, 114, 101, 116, 114, 121, 58, 13, 10]),
    pathlib.Path("../examples/captures/llm-stream.txt").read_bytes(),
]

LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')

def rust_unescape(text):
    """Decodes a Rust (byte) string literal's escapes into bytes."""
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        e = text[i + 1]
        if e == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        elif e == "u":
            end = text.index("}", i)
            out += chr(int(text[i + 3:end], 16)).encode()
            i = end + 1
        else:
            out += {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\0", "\\": b"\\", '"': b'"', "'": b"'"}[e]
            i += 2
    return bytes(out)

# Every string literal with a line break in the conformance and limits tests.
for test in ("conformance.rs", "limits.rs"):
    source = pathlib.Path("../tests", test).read_text()
    for literal in LITERAL.findall(source):
        if "\\n" in literal or "\\r" in literal:
            STREAMS.append(rust_unescape(literal))

def write(target, data):
    folder = pathlib.Path("seeds") / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)

for stream in STREAMS:
    # parse: flags (comments, resume, limit, plan length), chunk sizes, stream.
    write("parse", bytes([0]) + stream)  # byte by byte, comments on
    write("parse", bytes([1 | 2 | 4 | (3 << 3), 2, 0, 7]) + stream)  # chunked, no comments, resumed, no limit
    # limits: flags (comments, plan length), limit (LE), chunk sizes, stream.
    write("limits", bytes([0, 16, 0]) + stream)  # byte by byte, 16 bytes
    write("limits", bytes([1 | (2 << 1), 64, 0, 3, 1]) + stream)  # chunked, 64 bytes
    # roundtrip: `arbitrary` reads its structure from the bytes; streams make
    # strings full of the format's tokens.
    write("roundtrip", stream)

# stream: flags (comments, resume, limit kind), limit bytes if any, a count
# of chunk sizes and the sizes (u16 LE), then pieces (repeat byte, length
# byte, content); see Plan::decode in tests/common/fuzz_invariants.rs.
def piece(content, repeat=0):
    return bytes([repeat, len(content)]) + content

def sizes(*values):
    return bytes([len(values)]) + b"".join(v.to_bytes(2, "little") for v in values)

KIB32 = 191 + 5  # 5 * 1024 repeats
MIB = 191 + 36  # 36 * 1024 repeats
for stream in STREAMS[:8]:
    write("stream", bytes([0]) + sizes(7) + piece(stream[:255]))
# A data line of 5120 * 8 = 40960 bytes (copied as searched), in 16 and
# 64 KiB chunks, then another after it.
long_line = piece(b"data: ") + piece(b"abcdefgh", KIB32) + piece(b"\n\ndata: ") + piece(b"\xc3\xa9xyz", KIB32) + piece(b"\n\n")
write("stream", bytes([0]) + sizes(16384, 65535) + long_line)
write("stream", bytes([1]) + sizes(40000, 3, 65535) + piece(b": long comment ") + piece(b"c", KIB32) + piece(b"\n") + long_line)
# An event past 1 MiB (36864 * 32 bytes), then a small one: the buffers
# are trimmed after it. Unlimited, then limited to 1 MiB (times 64: 16384).
huge = piece(b"id: 1\ndata: ") + piece(b"0123456789abcdef" * 2, MIB) + piece(b"\n\ndata: after\n\n")
write("stream", bytes([1 << 2]) + sizes(65535) + huge)
write("stream", bytes([3 << 2, 0, 64]) + sizes(65535, 1000) + huge)
# A small limit, comments off, resumed.
write("stream", bytes([1 | 2 | (2 << 2), 100, 0]) + sizes(5) + piece(b"data: ") + piece(b"x", 120) + piece(b"\n\n: c\ndata: y\n\n"))

# fanout: max events, max bytes / 4, then ops (see tests/common/fanout_model.rs):
# hand-made histories that evict, lag and resume, and random ones.
import random
random.seed(7)
FANOUT = [
    bytes([3, 40, 0, 5, 1, 2, 0, 0, 6, 0, 200, 4, 1, 5, 0, 6, 1, 50]),
    bytes([0, 10] + [0, 3, 1, 2, 0, 0] * 8 + [6, 0, 255, 5, 1, 5, 200]),
    bytes([16, 255] + [random.randrange(256) for _ in range(200)]),
    bytes([2, 8] + [random.randrange(256) for _ in range(120)]),
]
for _ in range(12):
    FANOUT.append(bytes(random.randrange(256) for _ in range(random.randrange(10, 300))))
for ops in FANOUT:
    write("fanout", ops)
