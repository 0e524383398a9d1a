#!/usr/bin/env python3
"""Sanity checks of testdata/labels.jsonl against the audio it describes (stdlib only).

- every label has the documented keys and types, expected is in allowed, the file exists
  and is an 8 kHz mono mu-law WAV whose length matches duration_ms;
- spans are ordered, inside the file and do not overlap beeps;
- speech spans carry more energy than the rest of the file (when SNR >= 10 dB);
- each beep and each single-frequency tone has its energy at freq_hz (Goertzel scan);
- files expected "silence" have no loud frame outside their labelled tones;
- all files of one voice are on the same side of the tune/heldout split.
Prints counts per category, tag and split.  Exit status 1 on any failure.

Usage: python3 tools/corpus/check_corpus.py [testdata]
"""

import collections
import json
import math
import os
import struct
import sys

SR = 8000
KEYS = {"file": str, "category": str, "expected": str, "allowed": list, "speech": list,
        "beeps": list, "first_utterance_end_ms": (int, type(None)), "tags": list,
        "voice": (str, type(None)), "text": (str, type(None)),
        "level_dbfs": (float, int, type(None)), "snr_db": (float, int, type(None)),
        "split": str, "duration_ms": int, "tones": list, "noise": (dict, type(None)),
        "codec": str, "voice_params": (dict, type(None)), "scenario": str}
RESULTS = {"human", "answering-machine", "tone-detected", "silence"}


def ulaw_table():
    t = []
    for b in range(256):
        u = ~b & 0xFF
        sign, exp, mant = u & 0x80, (u >> 4) & 7, u & 0x0F
        mag = ((mant << 3) + 0x84) << exp
        v = mag - 0x84
        t.append(-v if sign else v)
    return t


ULAW = ulaw_table()


def read_ulaw_wav(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", "not RIFF/WAVE"
    pos, fmt, samples = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif cid == b"data":
            samples = [ULAW[b] for b in body]
        pos += 8 + size + (size & 1)
    tag, ch, rate, _, _, bits = fmt
    assert (tag, ch, rate, bits) == (7, 1, 8000, 8), f"format {fmt}"
    return samples


def db(seg):
    if not seg:
        return -200.0
    e = sum(x * x for x in seg) / len(seg)
    return 10 * math.log10(e) - 20 * math.log10(32768) if e > 0 else -200.0


def goertzel(seg, f):
    c = 2 * math.cos(2 * math.pi * f / SR)
    s1 = s2 = 0.0
    for x in seg:
        s1, s2 = x + c * s1 - s2, s1
    return s1 * s1 + s2 * s2 - c * s1 * s2


def peak_freq(seg, lo=100, hi=3600, step=1):
    """Strongest frequency over the middle 100 ms (or less) of seg."""
    n = min(len(seg), 800)
    mid = seg[(len(seg) - n) // 2:(len(seg) - n) // 2 + n]
    return max(range(lo, hi, step), key=lambda f: goertzel(mid, f))


def cut(x, a_ms, b_ms):
    return x[a_ms * 8:b_ms * 8]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "testdata")
    labels = [json.loads(l) for l in open(os.path.join(root, "labels.jsonl"))]
    errors = []

    def err(l, msg):
        errors.append(f"{l['file']}: {msg}")

    voice_split = {}
    for l in labels:
        for k, t in KEYS.items():
            if k not in l or not isinstance(l[k], t):
                err(l, f"key {k} missing or of wrong type")
        if l["expected"] not in l["allowed"] or not set(l["allowed"]) <= RESULTS:
            err(l, "expected/allowed")
        if l["voice"]:
            if voice_split.setdefault(l["voice"], l["split"]) != l["split"]:
                err(l, "voice on both sides of the split")
        path = os.path.join(root, l["file"])
        if not os.path.exists(path):
            err(l, "missing file")
            continue
        try:
            x = read_ulaw_wav(path)
        except AssertionError as e:
            err(l, str(e))
            continue
        if len(x) != l["duration_ms"] * 8:
            err(l, f"length {len(x)} samples, label {l['duration_ms']} ms")
        spans = l["speech"]
        prev = 0
        for a, b in spans:
            if not (prev <= a < b <= l["duration_ms"]):
                err(l, f"bad span {a}-{b}")
            prev = b
        for bp in l["beeps"]:
            if any(a < bp["end_ms"] and bp["onset_ms"] < b for a, b in spans):
                err(l, "beep overlaps speech")
            seg = cut(x, bp["onset_ms"], bp["end_ms"])
            f = peak_freq(seg)
            if abs(f - bp["freq_hz"]) > max(12, abs(bp.get("drift_hz", 0))):
                err(l, f"beep at {bp['onset_ms']} ms: label {bp['freq_hz']} Hz, measured {f}")
        for t in l["tones"]:
            if len(t["freq_hz"]) == 1 and t["end_ms"] - t["onset_ms"] >= 50 and t["freq_hz"][0] > 100:
                f = peak_freq(cut(x, t["onset_ms"], t["end_ms"]))
                if abs(f - t["freq_hz"][0]) > 12:
                    err(l, f"tone {t['kind']}: label {t['freq_hz']} Hz, measured {f}")
        if spans and (l["snr_db"] or 99) >= 10:
            inside = [s for a, b in spans for s in cut(x, a, b)]
            mask = bytearray(len(x))
            for a, b in spans + [[b["onset_ms"], b["end_ms"]] for b in l["beeps"]]:
                mask[a * 8:b * 8] = b"\x01" * (b * 8 - a * 8)
            outside = [s for i, s in enumerate(x) if not mask[i]]
            if db(inside) - db(outside) < 6:
                err(l, f"speech {db(inside):.1f} dBFS vs rest {db(outside):.1f}")
            if l["first_utterance_end_ms"] not in [b for a, b in spans]:
                err(l, "first_utterance_end_ms is not a span end")
        if l["expected"] == "silence":
            mask = bytearray(len(x))
            for t in l["tones"]:
                mask[t["onset_ms"] * 8:t["end_ms"] * 8] = b"\x01" * (
                    t["end_ms"] * 8 - t["onset_ms"] * 8)
            loud = 0
            for i in range(0, len(x) - 160, 160):
                if not any(mask[i:i + 160]) and db(x[i:i + 160]) > -33:
                    loud += 1
            if loud and not {"clicks", "hum", "line-noise-loud"} & set(l["tags"]):
                err(l, f"{loud} loud 20 ms frames outside tones")

    cats = collections.Counter(l["category"] for l in labels)
    exp = collections.Counter((l["category"], l["expected"]) for l in labels)
    tags = collections.Counter(t for l in labels for t in l["tags"])
    split = collections.Counter((l["split"], l["category"]) for l in labels)
    voices = collections.Counter((l["split"], l["voice"]) for l in labels if l["voice"])
    print(f"{len(labels)} labels, {len(errors)} errors")
    print("categories:", dict(sorted(cats.items())))
    print("category/expected:", {f"{a}/{b}": n for (a, b), n in sorted(exp.items())})
    print("split/category:", {f"{a}/{b}": n for (a, b), n in sorted(split.items())})
    for s in ("tune", "heldout"):
        vs = sorted(v for (sp, v) in voices if sp == s)
        print(f"{s} voices ({len(vs)}):", " ".join(vs))
    for s in ("tune", "heldout"):
        t = collections.Counter(t for l in labels if l["split"] == s for t in l["tags"])
        print(f"{s} tags:", dict(sorted(t.items())))
    print("tags:", dict(sorted(tags.items())))
    for e in errors:
        print("ERROR", e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
