#!/usr/bin/env python3
"""Generate hark's labelled answering-machine-detection test corpus.

Every file is 8 kHz mono G.711 mu-law WAV and starts at the moment the outbound call is
answered.  Who answered is known from construction: a human, a voicemail greeting (with or
without a beep), or nobody (silence, line noise, call-progress tones, fax tones).

Sources: espeak-ng and flite text-to-speech, the real Asterisk prompts recorded by Allison
Smith (Debian package asterisk-core-sounds-en-wav), sox for resampling, noise beds and
G.711 encoding.  Everything else (mixing, tones, levels, labels) is done here with the
Python standard library.

Deterministic: one fixed master seed plans every file; every file then renders from its own
seed, so the output does not depend on the number of worker processes.  sox is always run
with -R (fixed random seed) and -D (no dither).

Usage:  python3 tools/corpus/make_corpus.py [--out testdata] [--jobs N] [--keep-cache DIR]
Needs:  sox, espeak-ng, flite, asterisk-core-sounds-en-wav (see setup.sh).
"""

import argparse
import array
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import wave
from concurrent.futures import ProcessPoolExecutor

SEED = 20240611
SR = 8000
ASTERISK_DIR = "/usr/share/asterisk/sounds/en_US_f_Allison"
HELDOUT_FRACTION = 0.30
FIRST_UTTERANCE_GAP_MS = 600
LIMIT_KNEE = 0.6 * 32767  # soft limiter on speech: linear below -4.4 dBFS peak ...
LIMIT_CEIL = 0.98 * 32767  # ... and never above -0.2 dBFS  # spans closer than this belong to one utterance
SOX = ["sox", "-D", "-R", "-V1"]

# --------------------------------------------------------------------------------------
# Voices

ESPEAK_VOICES = [
    "en-us", "en-us+f1", "en-us+f2", "en-us+f3", "en-us+f4", "en-us+f5",
    "en-us+m1", "en-us+m2", "en-us+m3", "en-us+m4", "en-us+m5", "en-us+m6", "en-us+m7",
    "en-us+klatt", "en-us+klatt4", "en-us+Annie", "en-us+Andy", "en-us+belinda",
    "en-us+linda", "en-us+steph", "en-us+david", "en-us+john", "en-us+max",
    "en-us+shelby", "en-us+travis", "en-us+grandma", "en-us+grandpa", "en-us+Alicia",
    "en-us+Michael", "en-us+aunty", "en-us+victor", "en-us+norbert",
    "en-gb-x-rp", "en-gb-x-rp+f3", "en-gb-x-rp+m3", "en-gb+f2", "en-gb+m1",
    "en-gb-scotland", "en-gb-scotland+f4", "en-029", "en-029+f2", "en-us-nyc",
    "en-us-nyc+m5", "en-gb-x-gbclan+f1", "en-gb-x-gbcwmd+m2",
]
FLITE_VOICES = ["kal", "kal16", "awb", "rms", "slt"]
ASTERISK_VOICE = "asterisk:allison"

# Transcripts from asterisk-core-sounds-en's core-sounds-en.txt
ASTERISK_TEXT = {
    "hello": "Hello.",
    "vm-nobodyavail": "Nobody is available to take your call at the moment.",
    "vm-intro": "Please leave your message after the tone. When done, hang up or press the pound key.",
    "vm-theperson": "The person at extension",
    "vm-isunavail": "is unavailable.",
    "vm-isonphone": "is on the phone.",
    "one-moment-please": "One moment, please.",
}
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# --------------------------------------------------------------------------------------
# Texts

FIRST = ["John", "Maria", "Dave", "Karen", "Priya", "Tom", "Linda", "Sam", "Amy", "Mike",
         "Sarah", "Kevin", "Olivia", "Raj", "Chen", "Fatima", "Luis", "Emma", "Noah", "Grace"]
LAST = ["Smith", "Johnson", "Garcia", "Nguyen", "Patel", "Brown", "Miller", "Wilson",
        "Anderson", "Clark", "Okafor", "Kowalski"]
COMPANY = ["Widgets Incorporated", "Acme Plumbing", "Riverside Dental", "Northside Motors",
           "Blue Sky Travel", "Greenfield Insurance", "Harbor View Realty", "Summit Accounting"]

HUMAN_SHORT = [
    "Hello?", "Hello.", "Yeah?", "Hi.", "Hello, who's this?", "This is Mike.", "Yes?",
    "Speaking.", "Hi there.", "Hey.", "Good morning.", "Good afternoon.", "Hello, yes?",
    "Who is it?", "Hello, Sarah speaking.", "Hi, this is Dana.", "Yeah, hello?",
    "Hello, this is Rob.", "Hello, Jenkins residence.", "Go ahead.", "Hi, who's calling?",
]
HUMAN_FIRST = ["Hello?", "Yes?", "Hello.", "Hi.", "Yeah?", "Hello, who's this?"]
HUMAN_SECOND = ["Yes, speaking.", "Who's calling?", "Can I help you?", "This is Mike.",
                "Is anyone there?", "Can you hear me?", "Yes, this is she.", "Yes, this is he.",
                "Sorry, who is this?"]
HUMAN_REPEAT = [["Hello?", "Hello?"], ["Hello?", "Hello? Anyone there?"],
                ["Hello?", "Hello, can you hear me?"], ["Yes?", "Hello?"],
                ["Hello?", "Hello?", "Hello?"]]
LONG_INTROS = [
    "Hello, this is John Smith, thank you for calling Widgets, how can I help?",
    "Good afternoon, Acme Plumbing, Maria speaking, how can I help you?",
    "Thank you for calling Riverside Dental, this is Karen, how may I help you?",
    "Hi, Northside Motors, Dave speaking, what can I do for you today?",
    "Good morning, Sunrise Bakery, this is Tom, how can I help?",
    "Hello, you're speaking with Priya at the City Library, how can I help you?",
    "Hello, Baker and Sons, this is Paul, what can I do for you?",
    "Hi there, this is Linda from Oak Street Vets, how can I help?",
    "Hello, Greenfield Hotel front desk, Sam speaking, how may I help?",
    "Good evening, Lucky Garden, this is Amy, is this for pickup?",
]
GREETINGS = [
    ["Hi, you've reached the voicemail of {full}.", "I can't take your call right now.",
     "Please leave a message after the tone."],
    ["Hello, you have reached {full}.", "I'm not available to take your call.",
     "Please leave your name, number and a short message, and I will get back to you as soon as possible."],
    ["You have reached {number}.", "Nobody is available to take your call.",
     "Please leave a message after the beep."],
    ["Hi, this is {first}.", "Sorry I missed your call.",
     "Leave me a message and I'll call you back."],
    ["Thank you for calling {company}.", "Our office is currently closed.",
     "Our business hours are Monday to Friday, nine to five.",
     "Please leave a message after the tone."],
    ["The person you are calling is not available.", "Please leave a message after the tone.",
     "When you have finished recording, you may hang up."],
    ["Hey, it's {first}.", "I'm out right now, or on the other line.",
     "Leave your name and number and I'll get back to you."],
    ["Hello, you've reached the {last} family.", "We can't come to the phone right now.",
     "Please leave a message and we'll call you back.", "Thanks!"],
    ["Hi, you've reached {first} {last} at {company}.",
     "I'm either on a call or away from my desk.",
     "Please leave a detailed message and I'll return your call.",
     "If this is urgent, please press zero for reception."],
    ["The number you have called, {number}, is not available.",
     "At the tone, please record your message.",
     "When you have finished recording, you may hang up, or press one for more options."],
]
GREETING_EXTRA = ["Thank you.", "Have a great day.", "Bye for now.",
                  "I'll get back to you as soon as I can."]
SHORT_PART1 = ["Hi, it's {first}.", "Hey, this is {first}.", "Hello?", "Hi, {first} here.",
               "{full}.", "Hello, {first} speaking."]
SHORT_PART2 = ["Leave a message.", "Sorry I missed you, leave a message.",
               "I'm not here right now, leave a message after the beep.",
               "Ha, got you! I'm not here, leave a message.",
               "Leave your number and I'll call you back.",
               "Can't talk, leave a message."]

COMMON_BEEPS = [440, 690, 850, 1000, 1400]


def fill(template, rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    digits = [rng.randrange(10) for _ in range(10)]
    digits[0] = rng.randrange(2, 10)
    number = ", ".join(" ".join(DIGIT_WORDS[d] for d in g)
                       for g in (digits[0:3], digits[3:6], digits[6:10]))
    return template.format(first=first, last=last, full=f"{first} {last}",
                           company=rng.choice(COMPANY), number=number)


# --------------------------------------------------------------------------------------
# Audio helpers (16-bit signed samples at 8 kHz held in array('h') / array('d'))

def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


TRIM = ["silence", "1", "0.02", "1%", "reverse", "silence", "1", "0.02", "1%", "reverse"]


def load_raw(path, effects=()):
    """Decode any audio file with sox to 8 kHz mono 16-bit samples."""
    out = run(SOX + [path, "-t", "raw", "-r", str(SR), "-c", "1", "-b", "16",
                     "-e", "signed-integer", "-L", "-"] + list(effects)).stdout
    a = array.array("h")
    a.frombytes(out)
    if sys.byteorder == "big":
        a.byteswap()
    return a


def whole_ms(seg):
    """Cut a segment to a whole number of milliseconds so that labels are exact integers."""
    n = len(seg) - len(seg) % (SR // 1000)
    return seg[:n]


def rms_db(seg):
    if not seg:
        return -200.0
    s = 0.0
    for x in seg:
        s += x * x
    r = math.sqrt(s / len(seg))
    return 20 * math.log10(r / 32768.0) if r > 0 else -200.0


def ms(n_samples):
    return n_samples * 1000 // SR


def smp(milliseconds):
    return milliseconds * SR // 1000


_cache_dir = None


def tts(engine, voice, text, speed, pitch):
    """Render text, band-limit, resample to 8 kHz and trim leading/trailing silence."""
    key = hashlib.sha1(json.dumps([engine, voice, text, speed, pitch]).encode()).hexdigest()
    raw = os.path.join(_cache_dir, key + ".raw")
    if not os.path.exists(raw):
        tmp = os.path.join(_cache_dir, f"{key}.{os.getpid()}.wav")
        if engine == "espeak":
            run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", tmp, text])
        elif engine == "flite":
            cmd = ["flite", "-voice", voice, "--setf", f"duration_stretch={speed}"]
            if pitch:
                cmd += ["--setf", f"int_f0_target_mean={pitch}"]
            run(cmd + ["-t", text, "-o", tmp])
        else:
            raise ValueError(engine)
        seg = load_raw(tmp, ["highpass", "120", "rate", "-v", str(SR)] + TRIM)
        os.remove(tmp)
        part = raw + f".{os.getpid()}"
        with open(part, "wb") as f:
            f.write(whole_ms(seg).tobytes())
        os.replace(part, raw)
    a = array.array("h")
    with open(raw, "rb") as f:
        a.frombytes(f.read())
    return a


_asterisk = {}


def asterisk(name, trim=True):
    k = (name, trim)
    if k not in _asterisk:
        seg = load_raw(os.path.join(ASTERISK_DIR, name + ".wav"), TRIM if trim else ())
        _asterisk[k] = whole_ms(seg)
    return _asterisk[k]


def goertzel_power(seg, f):
    w = 2 * math.pi * f / SR
    c = 2 * math.cos(w)
    s1 = s2 = 0.0
    for x in seg:
        s0 = x + c * s1 - s2
        s2, s1 = s1, s0
    return s1 * s1 + s2 * s2 - c * s1 * s2


def estimate_freq(seg, lo=200, hi=3000):
    best = max(range(lo, hi, 5), key=lambda f: goertzel_power(seg, f))
    fine = [best + d / 10 for d in range(-60, 61)]
    return round(max(fine, key=lambda f: goertzel_power(seg, f)), 1)


_tone_files = {}


def asterisk_tones(name):
    """The tone(s) of an Asterisk tone prompt: (samples, [(start, end, freq)]), exact sample
    boundaries of the part above 1 % of peak."""
    if name in _tone_files:
        return _tone_files[name]
    seg = whole_ms(asterisk(name, trim=False))
    peak = max(abs(x) for x in seg)
    idx = [i for i, x in enumerate(seg) if abs(x) > peak * 0.01]
    start, end = idx[0], idx[-1] + 1
    if name == "beep":
        parts = [(start, end)]
    else:  # two contiguous 100 ms tones
        mid = start + (end - start) // 2
        parts = [(start, mid), (mid, end)]
    tones = []
    for a, b in parts:
        core = seg[a + (b - a) // 8: b - (b - a) // 8]
        tones.append((a, b, estimate_freq(core)))
    _tone_files[name] = (seg, tones)
    return _tone_files[name]


_beds = {}


def noise_bed(kind):
    if kind not in _beds:
        path = os.path.join(_cache_dir, f"bed-{kind}.raw")
        a = array.array("h")
        with open(path, "rb") as f:
            a.frombytes(f.read())
        _beds[kind] = (a, rms_db(a))
    return _beds[kind]


def make_noise_beds():
    for kind in ("white", "pink", "brown"):
        path = os.path.join(_cache_dir, f"bed-{kind}.raw")
        run(SOX + ["-n", "-t", "raw", "-r", str(SR), "-c", "1", "-b", "16",
                   "-e", "signed-integer", "-L", path, "synth", "90", kind + "noise",
                   "highpass", "60", "gain", "-n", "-12"])


def sine(freqs, n, level_db, ramp=0, drift_hz=0.0, phase_rev=0, am=0.0, phase0=0.0):
    """Sum of sines, each at level_db dBFS RMS; optional linear drift over the tone,
    180-degree phase reversals every phase_rev samples, 15 Hz amplitude modulation."""
    amp = 32768.0 * 10 ** (level_db / 20) * math.sqrt(2)
    out = array.array("d", bytes(8 * n))
    for f in freqs:
        ph = phase0
        for i in range(n):
            fi = f + drift_hz * (i / max(1, n - 1) - 0.5)
            ph += 2 * math.pi * fi / SR
            v = math.sin(ph)
            if phase_rev and (i // phase_rev) % 2:
                v = -v
            out[i] += amp * v
    if am:
        for i in range(n):
            out[i] *= 1 + am * math.sin(2 * math.pi * 15 * i / SR)
    if ramp:
        for i in range(min(ramp, n // 2)):
            g = 0.5 - 0.5 * math.cos(math.pi * (i + 0.5) / ramp)
            out[i] *= g
            out[n - 1 - i] *= g
    return out


class Mix:
    def __init__(self):
        self.buf = array.array("d")
        self.speech = []
        self.beeps = []
        self.tones = []
        self.limited = 0
        self.speech_energy = 0.0
        self.speech_samples = 0

    def ensure(self, n):
        if len(self.buf) < n:
            self.buf.extend(bytes(8 * (n - len(self.buf))))

    def add(self, seg, at, gain=1.0):
        self.ensure(at + len(seg))
        b = self.buf
        for i, x in enumerate(seg):
            b[at + i] += x * gain

    def speak(self, seg, at_ms, level_db):
        """Place speech scaled to level_db dBFS RMS.  Peaks above -6 dBFS go through a soft
        limiter (as a phone's AGC would) instead of clipping."""
        at = smp(at_ms)
        g = 10 ** ((level_db - rms_db(seg)) / 20)
        scaled = array.array("d", (x * g for x in seg))
        limited = 0
        for i, x in enumerate(scaled):
            if abs(x) > LIMIT_KNEE:
                limited += 1
                y = LIMIT_KNEE + (LIMIT_CEIL - LIMIT_KNEE) * math.tanh(
                    (abs(x) - LIMIT_KNEE) / (LIMIT_CEIL - LIMIT_KNEE))
                scaled[i] = y if x > 0 else -y
        self.limited += limited
        self.add(scaled, at)
        for x in scaled:
            self.speech_energy += x * x
        self.speech_samples += len(scaled)
        end_ms = at_ms + ms(len(seg))
        self.speech.append([at_ms, end_ms])
        return end_ms

    def speech_level(self):
        if not self.speech_samples:
            return None
        return round(10 * math.log10(self.speech_energy / self.speech_samples) - 20 * math.log10(32768), 1)

    def tone(self, freqs, at_ms, dur_ms, level_db, kind, beep=False, **kw):
        n = smp(dur_ms)
        self.add(sine(freqs, n, level_db, **kw), smp(at_ms))
        end_ms = at_ms + dur_ms
        if beep:
            self.beeps.append({"onset_ms": at_ms, "end_ms": end_ms, "freq_hz": freqs[0],
                               "level_dbfs": round(level_db, 1),
                               "drift_hz": kw.get("drift_hz", 0.0), "source": "synth"})
        else:
            self.tones.append({"onset_ms": at_ms, "end_ms": end_ms, "freq_hz": list(freqs),
                               "kind": kind, "level_dbfs": round(level_db, 1)})
        return end_ms

    def length(self, total_ms):
        self.ensure(smp(total_ms))
        del self.buf[smp(total_ms):]


# --------------------------------------------------------------------------------------
# Random choices shared by the builders

def speech_level(rng, tags):
    u = rng.random()
    if u < 0.15:
        lv = rng.uniform(-35, -30)
        tags.append("quiet")
    elif u < 0.85:
        lv = rng.uniform(-30, -14)
    else:
        lv = rng.uniform(-14, -8)
        tags.append("loud")
    return round(lv, 1)


def noise_choice(rng, tags):
    """Returns (noise dict or None, snr_db or None).  A level of None is set later from the
    measured speech level and the SNR (see finish_noise)."""
    u = rng.random()
    kind = rng.choices(["white", "pink", "brown"], [0.4, 0.4, 0.2])[0]
    if u < 0.10:
        tags.append("clean")
        return None, None
    if u < 0.20:
        tags.append("comfort-noise")
        return {"type": rng.choice(["white", "pink"]), "level_dbfs": -65.0}, None
    snr = rng.choices([30, 20, 15, 10], [0.3, 0.3, 0.2, 0.2])[0]
    if snr <= 10:
        tags.append("low-snr")
    tags.append("noise-" + kind)
    return {"type": kind, "level_dbfs": None}, float(snr)


def finish_noise(mix, noise, snr, rng):
    """Add the noise of a speech file; SNR = speech RMS (measured, over the speech spans)
    minus noise RMS, both in dBFS."""
    if noise is None:
        return None
    speech = mix.speech_level()
    if noise["level_dbfs"] is None:
        noise["level_dbfs"] = round(speech - snr, 1)
    else:
        snr = round(speech - noise["level_dbfs"], 1)
    add_noise(mix, noise, rng)
    return snr


def add_noise(mix, noise, rng):
    if not noise:
        return
    bed, bed_db = noise_bed(noise["type"])
    n = len(mix.buf)
    off = rng.randrange(0, len(bed) - n)
    g = 10 ** ((noise["level_dbfs"] - bed_db) / 20)
    b = mix.buf
    for i in range(n):
        b[i] += bed[off + i] * g


def voice_render(voice, rng, rate=1.0):
    """Pick speaking parameters for a voice.  rate > 1 speaks faster."""
    engine, name = voice.split(":", 1)
    if engine == "espeak":
        return {"speed": int(rng.randint(150, 195) * rate), "pitch": rng.randint(25, 70)}
    if engine == "flite":
        pitch = rng.choice([None, None, 95, 110, 130, 170, 200])
        return {"speed": round(rng.uniform(0.85, 1.1) / rate, 2), "pitch": pitch}
    return None


def say(voice, params, text):
    engine, name = voice.split(":", 1)
    return tts(engine, name, text, params["speed"], params["pitch"])


def say_fit(voice, params, text, lo_ms, hi_ms):
    """Render; if the result is outside [lo, hi] ms, change the speaking rate (up to 4 times)."""
    engine = voice.split(":", 1)[0]
    seg = say(voice, params, text)
    for _ in range(4):
        d = ms(len(seg))
        if lo_ms <= d <= hi_ms:
            break
        target = (lo_ms + hi_ms) / 2
        f = d / target  # > 1: too long, speak faster
        if engine == "espeak":
            params["speed"] = max(90, min(320, int(round(params["speed"] * f))))
        else:
            params["speed"] = max(0.5, min(1.8, round(params["speed"] / f, 2)))
        seg = say(voice, params, text)
    return seg


def first_utterance_end(spans):
    if not spans:
        return None
    end = spans[0][1]
    for s, e in spans[1:]:
        if s - end < FIRST_UTTERANCE_GAP_MS:
            end = e
        else:
            break
    return end


# --------------------------------------------------------------------------------------
# Builders: each returns (Mix, label fields)

def build_human(job, rng):
    tags = []
    voice, kind = job["voice"], job["kind"]
    level = speech_level(rng, tags)
    noise, snr = noise_choice(rng, tags)
    params = voice_render(voice, rng)
    mix = Mix()
    t = rng.randint(200, 1500)
    texts = []
    if voice == ASTERISK_VOICE:
        tags.append("real-recording")
        parts = {"single": ["hello"], "repeat": ["hello", "hello"],
                 "two-part": ["hello", "one-moment-please"]}[kind]
        segs = [asterisk(p) for p in parts]
        texts = [ASTERISK_TEXT[p] for p in parts]
    elif kind == "single":
        texts = [rng.choice(HUMAN_SHORT)]
        segs = [say(voice, params, texts[0])]
    elif kind == "repeat":
        texts = rng.choice(HUMAN_REPEAT)
        segs = [say(voice, params, x) for x in texts]
    elif kind == "two-part":
        texts = [rng.choice(HUMAN_FIRST), rng.choice(HUMAN_SECOND)]
        segs = [say(voice, params, x) for x in texts]
    elif kind == "long-intro":
        texts = [rng.choice(LONG_INTROS)]
        segs = [say_fit(voice, params, texts[0], 2500, 4000)]
    tags.append({"single": "hello-short", "repeat": "repeat-hello", "two-part": "two-part",
                 "long-intro": "hard-long-intro"}[kind])
    for i, seg in enumerate(segs):
        if i:
            t += rng.randint(1300, 2000) if kind == "repeat" else rng.randint(800, 1300)
        lv = level + (rng.uniform(-2, 2) if i else 0)
        t = mix.speak(seg, t, lv)
    total = t + rng.randint(3000, 5000)
    mix.length(total)
    snr = finish_noise(mix, noise, snr, rng)
    return mix, dict(category="human", expected="human", allowed=["human"], tags=tags,
                     text=" ... ".join(texts), level_dbfs=level, snr_db=snr, noise=noise,
                     voice_params=params)


def asterisk_greeting(rng, variant):
    """A greeting from the real Asterisk voicemail prompts: list of (name, gap_before_ms)."""
    ext = [str(rng.randrange(10)) for _ in range(rng.choice([3, 4]))]
    digits = [("digits/" + d, rng.randint(40, 140) if i else rng.randint(100, 250))
              for i, d in enumerate(ext)]
    if variant == "nobody":
        seq = [("vm-nobodyavail", 0), ("vm-intro", rng.randint(150, 400))]
    elif variant == "unavail":
        seq = [("vm-theperson", 0)] + digits + [("vm-isunavail", rng.randint(100, 250)),
                                                ("vm-intro", rng.randint(150, 400))]
    elif variant == "onphone":
        seq = [("vm-theperson", 0)] + digits + [("vm-isonphone", rng.randint(100, 250)),
                                                ("vm-intro", rng.randint(150, 400))]
    elif variant == "unavail-short":
        seq = [("vm-theperson", 0)] + digits + [("vm-isunavail", rng.randint(100, 250))]
    text = []
    for name, _ in seq:
        text.append(DIGIT_WORDS[int(name[-1])] if name.startswith("digits/")
                    else ASTERISK_TEXT[name])
    return seq, " ".join(text)


def add_beeps(mix, rng, t, style, tags):
    """Place the end-of-greeting beep(s) at t ms; returns the end time."""
    if style == "synth":
        f = rng.choice(COMMON_BEEPS) if rng.random() < 0.5 else rng.randint(400, 2500)
        dur = int(round(math.exp(rng.uniform(math.log(80), math.log(1500)))))
        lv = round(rng.uniform(*rng.choice([(-25, -20), (-20, -13), (-13, -6)])), 1)
        drift = 0.0
        if rng.random() < 0.12:
            drift = float(rng.choice([-20, -12, 12, 20]))  # +-10 Hz around the nominal
            tags.append("beep-drift")
        ramp = rng.choice([0, 0, 8, 16, 40])
        if lv <= -20:
            tags.append("beep-low")
        if dur <= 150:
            tags.append("beep-short")
        return mix.tone([f], t, dur, lv, "beep", beep=True, drift_hz=drift, ramp=ramp)
    if style == "multi":
        tags.append("multi-beep")
        k = rng.choice([2, 3])
        f0 = rng.choice(COMMON_BEEPS + [rng.randint(400, 2500)])
        step = rng.choice([0, 0, 1.25, 1.5, 0.8])
        lv = round(rng.uniform(-22, -8), 1)
        dur = rng.randint(80, 250)
        for i in range(k):
            if i:
                t += rng.randint(60, 200)
            f = int(round(f0 * (step ** i))) if step else f0
            f = max(300, min(3000, f))
            t = mix.tone([f], t, dur, lv, "beep", beep=True, ramp=8)
        return t
    # real Asterisk tone prompts
    name = "beep" if style == "asterisk-beep" else rng.choice(["ascending-2tone",
                                                              "descending-2tone"])
    tags.append("asterisk-beep" if name == "beep" else "asterisk-2tone")
    seg, tones = asterisk_tones(name)
    lv = round(rng.uniform(-22, -6), 1)
    core = seg[tones[0][0]:tones[-1][1]]
    g = 10 ** ((lv - rms_db(core)) / 20)
    at = smp(t) - tones[0][0]
    if at < 0:
        raise ValueError("beep prompt starts too early")
    mix.add(seg, at, g)
    for a, b, f in tones:
        mix.beeps.append({"onset_ms": ms(at + a), "end_ms": ms(at + b), "freq_hz": f,
                          "level_dbfs": lv, "drift_hz": 0.0,
                          "source": "asterisk:" + name + ".wav"})
    return ms(at + tones[-1][1])


def tts_greeting(voice, params, rng, lo_ms, hi_ms):
    """Sentences of a voicemail greeting; adds or drops sentences, then changes the rate, to
    land the total speech time in [lo, hi] ms.  Returns list of (segment, text)."""
    sentences = [fill(s, rng) for s in rng.choice(GREETINGS)]
    extra = [x for x in GREETING_EXTRA]
    rng.shuffle(extra)
    for _ in range(6):
        segs = [say(voice, params, s) for s in sentences]
        total = sum(ms(len(s)) for s in segs) + 300 * (len(segs) - 1)
        if total < lo_ms and extra:
            sentences.append(extra.pop())
        elif total > hi_ms and len(sentences) > 2:
            sentences.pop()
        elif lo_ms <= total <= hi_ms:
            break
        else:
            f = total / ((lo_ms + hi_ms) / 2)
            if voice.startswith("espeak"):
                params["speed"] = max(100, min(320, int(round(params["speed"] * f))))
            else:
                params["speed"] = max(0.5, min(1.8, round(params["speed"] / f, 2)))
    return list(zip(segs, sentences))


def build_machine(job, rng):
    tags = []
    voice, kind = job["voice"], job["kind"]
    level = speech_level(rng, tags)
    noise, snr = noise_choice(rng, tags)
    params = voice_render(voice, rng)
    mix = Mix()
    t = rng.randint(100, 800)
    texts = []
    if kind in ("greeting-beep", "no-beep"):
        tags.append("long-greeting")
        if voice == ASTERISK_VOICE:
            tags.append("real-recording")
            variant = rng.choice(["nobody", "unavail", "onphone"] if kind == "greeting-beep"
                                 else ["nobody"])
            seq, text = asterisk_greeting(rng, variant)
            for name, gap in seq:
                t = mix.speak(asterisk(name), t + gap, level)
            texts.append(text)
        else:
            hi = rng.choice([5000, 6000, 6000, 7000, 10000])
            for i, (seg, s) in enumerate(tts_greeting(voice, params, rng, 4000, hi)):
                if i:
                    t += rng.randint(200, 450)
                t = mix.speak(seg, t, level)
                texts.append(s)
        texts = [" ".join(texts)]
    elif kind == "short-greeting":
        tags.append("hard-short-greeting")
        if voice == ASTERISK_VOICE:
            tags.append("real-recording")
            t = mix.speak(asterisk("hello"), t, level)
            texts.append(ASTERISK_TEXT["hello"])
            t += rng.randint(1200, 2400)
            t = mix.speak(asterisk("vm-intro"), t, level)
            texts.append(ASTERISK_TEXT["vm-intro"])
        else:
            p1 = fill(rng.choice(SHORT_PART1), rng)
            p2 = fill(rng.choice(SHORT_PART2), rng)
            if p2.startswith("Ha,"):  # the fake-human greeting
                p1 = "Hello?"
            s1 = say_fit(voice, params, p1, 700 if p1 == "Hello?" else 1000, 2000)
            s2 = say_fit(voice, dict(params), p2, 1200, 3500)
            t = mix.speak(s1, t, level)
            t += rng.randint(1200, 2400)
            t = mix.speak(s2, t, level)
            texts = [p1, p2]
    beep = kind != "no-beep"
    if beep:
        tags.append("beep")
        t += rng.randint(150, 800)
        style = rng.choices(["synth", "multi", "asterisk-beep", "asterisk-2tone"],
                            [0.66, 0.16, 0.12, 0.06])[0]
        t = add_beeps(mix, rng, t, style, tags)
        total = t + rng.randint(1000, 1500)
    else:
        tags.append("no-beep")
        total = t + rng.randint(2000, 3000)
    mix.length(total)
    snr = finish_noise(mix, noise, snr, rng)
    allowed = ["answering-machine", "tone-detected"] if beep else ["answering-machine"]
    return mix, dict(category="machine", expected="answering-machine", allowed=allowed,
                     tags=tags, text=" ... ".join(texts), level_dbfs=level, snr_db=snr,
                     noise=noise, voice_params=params)


def dbm0(x):
    """dBm0 (G.711: full-scale sine = +3.17 dBm0) to dBFS RMS (full-scale square = 0)."""
    return x - 3.17 - 3.01


AVMD_PAIRS = [(400, 500), (500, 600), (600, 700), (700, 800), (800, 900), (900, 1000),
              (1000, 1100), (1100, 1200), (1200, 1300), (1300, 1400), (1400, 1500),
              (1500, 1600), (1600, 1700), (1700, 1800), (1800, 1900), (1900, 1950),
              (200, 500), (500, 700), (100, 500), (1000, 1500), (1500, 2000)]
DTMF_ROWS = {"1": 697, "2": 697, "3": 697, "A": 697, "4": 770, "5": 770, "6": 770, "B": 770,
             "7": 852, "8": 852, "9": 852, "C": 852, "*": 941, "0": 941, "#": 941, "D": 941}
DTMF_COLS = {"1": 1209, "4": 1209, "7": 1209, "*": 1209, "2": 1336, "5": 1336, "8": 1336,
             "0": 1336, "3": 1477, "6": 1477, "9": 1477, "#": 1477, "A": 1633, "B": 1633,
             "C": 1633, "D": 1633}


def cadence(mix, rng, freqs, on, off, total, level, kind, start=None):
    t = rng.randint(0, 1000) if start is None else start
    while t + 100 < total:
        dur = min(on, total - t)
        mix.tone(freqs, t, dur, level, kind, ramp=rng.choice([0, 16]))
        t += on + off


def v21_flags(mix, at_ms, dur_ms, level):
    """V.21 channel 2 HDLC flags (0x7E) at 300 bit/s: mark 1650 Hz, space 1850 Hz."""
    n = smp(dur_ms)
    amp = 32768.0 * 10 ** (level / 20) * math.sqrt(2)
    bits = [0, 1, 1, 1, 1, 1, 1, 0]
    ph = 0.0
    seg = array.array("d", bytes(8 * n))
    for i in range(n):
        bit = bits[(i * 300 // SR) % 8]
        ph += 2 * math.pi * (1650 if bit else 1850) / SR
        seg[i] = amp * math.sin(ph)
    mix.add(seg, smp(at_ms))
    mix.tones.append({"onset_ms": at_ms, "end_ms": at_ms + dur_ms, "freq_hz": [1650, 1850],
                      "kind": "v21-flags", "level_dbfs": round(level, 1)})
    return at_ms + dur_ms


def build_none(job, rng):
    tags = []
    kind = job["kind"]
    mix = Mix()
    noise = None
    expected, allowed = "silence", ["silence"]
    total = rng.randint(5000, 6500)
    if kind == "silence":
        tags.append("silence")
        sub = job["sub"]
        total = rng.randint(8000, 12000) if rng.random() < 0.2 else rng.randint(6000, 7500)
        if sub == "digital":
            tags.append("digital-silence")
        elif sub == "comfort":
            tags.append("comfort-noise")
            noise = {"type": rng.choice(["white", "pink"]), "level_dbfs": -65.0}
        elif sub in ("line", "line-loud"):
            tags.append("line-noise")
            kindn = rng.choice(["white", "pink", "brown"])
            tags.append("noise-" + kindn)
            lv = rng.uniform(-60, -40) if sub == "line" else rng.uniform(-38, -35)
            if sub == "line-loud":
                tags.append("line-noise-loud")
            noise = {"type": kindn, "level_dbfs": round(lv, 1)}
        elif sub == "hum":
            tags.append("hum")
            f = rng.choice([50, 60])
            lv = rng.uniform(-48, -40)
            mix.tone([f], 0, total, lv, f"hum-{f}")
            mix.tone([3 * f], 0, total, lv - 8, f"hum-{f}")
            noise = {"type": "pink", "level_dbfs": -60.0}
        elif sub == "clicks":
            tags.append("clicks")
            noise = {"type": "white", "level_dbfs": round(rng.uniform(-60, -50), 1)}
            mix.length(total)
            for _ in range(rng.randint(2, 5)):
                at = rng.randrange(SR // 2, smp(total) - 40)
                amp = rng.uniform(3000, 15000) * rng.choice([-1, 1])
                for i in range(rng.randint(2, 12)):
                    mix.buf[at + i] += amp * (0.6 ** i)
    elif kind == "tone-negative":
        tags.append("tone-negative")
        sub = job["sub"]
        tags.append(sub)
        noise = {"type": rng.choice(["white", "pink"]),
                 "level_dbfs": round(rng.uniform(-62, -45), 1)}
        if sub == "ringback":
            total = rng.randint(7000, 9000)
            cadence(mix, rng, [440, 480], 2000, 4000, total, dbm0(-19 + rng.uniform(-6, 6)),
                    "ringback")
        elif sub == "busy":
            cadence(mix, rng, [480, 620], 500, 500, total, dbm0(-24 + rng.uniform(-6, 6)),
                    "busy")
        elif sub == "reorder":
            cadence(mix, rng, [480, 620], 250, 250, total, dbm0(-24 + rng.uniform(-6, 6)),
                    "reorder")
        elif sub == "euro-ring":
            total = rng.randint(7000, 10000)
            cadence(mix, rng, [425], 1000, 4000, total, dbm0(-10 + rng.uniform(-6, 3)),
                    "euro-ring")
        elif sub == "euro-busy":
            cadence(mix, rng, [425], 480, 480, total, dbm0(-10 + rng.uniform(-6, 3)),
                    "euro-busy")
        elif sub == "avmd-dual-tone":
            a, b = job["pair"]
            total = 5700
            cadence(mix, rng, [a, b], 1850, 1000, total, dbm0(-7), f"dual-{a}+{b}", start=0)
        elif sub == "dtmf":
            t = rng.randint(300, 1500)
            total = rng.randint(5000, 8000)
            lv = rng.uniform(-16, -10)
            twist = rng.uniform(0, 3)
            while True:
                n = rng.randint(3, 11)
                for _ in range(n):
                    d = rng.choice("0123456789*#")
                    on = rng.randint(50, 110)
                    if t + on > total - 200:
                        break
                    mix.tone([DTMF_ROWS[d]], t, on, lv - twist, f"dtmf-{d}")
                    mix.tone([DTMF_COLS[d]], t, on, lv, f"dtmf-{d}")
                    t += on + rng.randint(50, 130)
                t += rng.randint(800, 1800)
                if t > total - 1000:
                    break
            # one tone entry per digit: merge the row/column halves
            merged = []
            for i in range(0, len(mix.tones), 2):
                r, c = mix.tones[i], mix.tones[i + 1]
                merged.append({"onset_ms": r["onset_ms"], "end_ms": r["end_ms"],
                               "freq_hz": [r["freq_hz"][0], c["freq_hz"][0]],
                               "kind": r["kind"], "level_dbfs": c["level_dbfs"]})
            mix.tones = merged
    elif kind == "fax":
        tags.append("fax")
        expected, allowed = "tone-detected", ["tone-detected"]
        sub = job["sub"]
        noise = {"type": rng.choice(["white", "pink"]),
                 "level_dbfs": round(rng.uniform(-62, -45), 1)}
        lv = rng.uniform(-24, -10) if rng.random() < 0.85 else rng.uniform(-45, -35)
        if lv < -30:
            tags.append("fax-low")
        if sub == "cng":
            tags.append("fax-cng")
            total = rng.randint(7000, 9000)
            cadence(mix, rng, [1100], 500, 3000, total, lv, "fax-cng")
        else:
            tags.append("fax-ced")
            t = rng.randint(1800, 2500)
            dur = rng.randint(2600, 4000)
            style = job["style"]
            kw = {}
            if style == "ans-pr":
                tags.append("ced-phase-reversal")
                kw = {"phase_rev": smp(450)}
            elif style == "ansam":
                tags.append("ansam")
                kw = {"phase_rev": smp(450), "am": 0.2}
            t = mix.tone([2100], t, dur, lv, "fax-ced-" + style, **kw)
            if job["v21"]:
                tags.append("v21")
                t = v21_flags(mix, t + 75, rng.randint(1000, 1600), lv)
            total = t + rng.randint(800, 1500)
    mix.length(total)
    add_noise(mix, noise, rng)
    return mix, dict(category="none", expected=expected, allowed=allowed, tags=tags,
                     text=None, level_dbfs=None, snr_db=None, noise=noise, voice_params=None)


# --------------------------------------------------------------------------------------
# Plan and render

def plan():
    """Decide every file (category, scenario, voice, split, seed) from the master seed.

    The split is by voice: 30 % of the TTS voices (and the Asterisk voice) are held out.
    Within each scenario about a quarter of the TTS files are drawn from the held-out voices
    (the Asterisk files add to that), so both sides hold every scenario."""
    rng = random.Random(SEED)
    tts_voices = ["espeak:" + v for v in ESPEAK_VOICES] + ["flite:" + v for v in FLITE_VOICES]
    order = sorted(tts_voices)
    random.Random(SEED + 1).shuffle(order)
    n_held = round(HELDOUT_FRACTION * len(order))
    pools = {"heldout": sorted(order[:n_held]), "tune": sorted(order[n_held:])}

    def sides(k, frac):
        s = ["heldout"] * round(frac * k) + ["tune"] * (k - round(frac * k))
        rng.shuffle(s)
        return s

    def pick_voice(side):
        pool = pools[side]
        flite = [v for v in pool if v.startswith("flite:")]
        if flite and rng.random() < 0.25:
            return rng.choice(flite)
        return rng.choice([v for v in pool if v.startswith("espeak:")])

    jobs = []
    counts = {"human": 0, "machine": 0, "none": 0}

    def add(category, kind, voice, split, **extra):
        counts[category] += 1
        job = {"category": category, "kind": kind, "voice": voice, "split": split,
               "n": counts[category], "seed": rng.getrandbits(48)}
        job.update(extra)
        jobs.append(job)

    def tts_group(category, kind, k):
        for side in sides(k, 0.25):
            add(category, kind, pick_voice(side), side)

    def none_group(kind, k, **extra):
        for side in sides(k, HELDOUT_FRACTION):
            add("none", kind, None, side, **extra)

    for kind, k in [("single", 45), ("repeat", 13), ("two-part", 14), ("long-intro", 16)]:
        tts_group("human", kind, k)
    for kind, k in [("single", 4), ("repeat", 2), ("two-part", 2)]:
        for _ in range(k):
            add("human", kind, ASTERISK_VOICE, "heldout")

    for kind, k in [("greeting-beep", 40), ("no-beep", 10), ("short-greeting", 22)]:
        tts_group("machine", kind, k)
    for kind, k in [("greeting-beep", 8), ("no-beep", 3), ("short-greeting", 2)]:
        for _ in range(k):
            add("machine", kind, ASTERISK_VOICE, "heldout")

    for sub, k in [("digital", 3), ("comfort", 4), ("line", 9), ("line-loud", 2),
                   ("hum", 2), ("clicks", 2)]:
        none_group("silence", k, sub=sub)
    for sub, k in [("ringback", 6), ("busy", 4), ("reorder", 4), ("dtmf", 6),
                   ("euro-ring", 4), ("euro-busy", 2)]:
        none_group("tone-negative", k, sub=sub)
    pairs = rng.sample(AVMD_PAIRS, 8)
    for side, pair in zip(sides(8, HELDOUT_FRACTION), pairs):
        add("none", "tone-negative", None, side, sub="avmd-dual-tone", pair=list(pair))
    none_group("fax", 6, sub="cng")
    ced = [("ans", True), ("ans-pr", False), ("ansam", True), ("ans", False),
           ("ans-pr", True), ("ansam", False), ("ans", True)]
    for side, (style, v21) in zip(sides(7, HELDOUT_FRACTION), ced):
        add("none", "fax", None, side, sub="ced", style=style, v21=v21)
    return jobs


def file_name(job):
    if job["voice"]:
        v = job["voice"].replace(":", "-").replace("+", "-").lower()
    else:
        v = job["sub"] if job["kind"] == "tone-negative" else job["kind"] + "-" + job["sub"]
        if "pair" in job:
            v += "-%d-%d" % tuple(job["pair"])
    return "corpus/%s-%04d-%s.wav" % (job["category"], job["n"], v)


def render(args):
    job, out_dir, cache_dir = args
    global _cache_dir
    _cache_dir = cache_dir
    rng = random.Random(job["seed"])
    builder = {"human": build_human, "machine": build_machine, "none": build_none}
    mix, fields = builder[job["category"]](job, rng)
    tags = fields["tags"]

    alaw = rng.random() < 0.15
    if alaw:
        tags.append("alaw-roundtrip")
    pcm = array.array("h", bytes(2 * len(mix.buf)))
    clipped = 0
    for i, x in enumerate(mix.buf):
        v = int(round(x))
        if v > 32767:
            v, clipped = 32767, clipped + 1
        elif v < -32768:
            v, clipped = -32768, clipped + 1
        pcm[i] = v
    if mix.limited > mix.speech_samples // 200:
        tags.append("limited")
    if clipped > 8:
        tags.append("clipped")

    name = file_name(job)
    out = os.path.join(out_dir, name)
    tmp = os.path.join(cache_dir, "mix-%s-%d.wav" % (job["category"], job["n"]))
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        if sys.byteorder == "big":
            pcm.byteswap()
        w.writeframes(pcm.tobytes())
    src = tmp
    if alaw:
        src = tmp[:-4] + "-alaw.wav"
        run(SOX + [tmp, "-r", str(SR), "-c", "1", "-e", "a-law", "-b", "8", src])
    run(SOX + [src, "-r", str(SR), "-c", "1", "-e", "u-law", "-b", "8", out])
    for p in {tmp, src}:
        os.remove(p)

    speech = mix.speech
    label = {
        "file": name,
        "category": fields["category"],
        "expected": fields["expected"],
        "allowed": fields["allowed"],
        "speech": speech,
        "beeps": mix.beeps,
        "first_utterance_end_ms": first_utterance_end(speech),
        "tags": tags,
        "voice": job["voice"],
        "text": fields["text"],
        "level_dbfs": mix.speech_level(),
        "snr_db": fields["snr_db"],
        "split": job["split"],
        "duration_ms": ms(len(mix.buf)),
        "tones": mix.tones,
        "noise": fields["noise"],
        "codec": "alaw>ulaw" if alaw else "ulaw",
        "voice_params": fields["voice_params"],
        "scenario": job["kind"] + ("/" + job["sub"] if "sub" in job else ""),
    }
    return label


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.normpath(os.path.join(here, "..", "..", "testdata")),
                    help="directory that receives corpus/ and labels.jsonl (default: testdata)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep-cache", metavar="DIR",
                    help="keep rendered TTS in DIR (speeds up re-runs; output is identical)")
    a = ap.parse_args()

    for tool in ("sox", "espeak-ng", "flite"):
        if not shutil.which(tool):
            sys.exit(f"missing {tool}: run tools/corpus/setup.sh")
    if not os.path.exists(os.path.join(ASTERISK_DIR, "vm-intro.wav")):
        sys.exit("missing asterisk-core-sounds-en-wav: run tools/corpus/setup.sh")

    global _cache_dir
    if a.keep_cache:
        os.makedirs(a.keep_cache, exist_ok=True)
        cache = a.keep_cache
    else:
        cache = tempfile.mkdtemp(prefix="hark-corpus-")
    _cache_dir = cache
    make_noise_beds()

    corpus = os.path.join(a.out, "corpus")
    if os.path.isdir(corpus):
        for f in os.listdir(corpus):
            if f.endswith(".wav"):
                os.remove(os.path.join(corpus, f))
    os.makedirs(corpus, exist_ok=True)

    jobs = plan()
    work = [(j, a.out, cache) for j in jobs]
    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as ex:
            labels = list(ex.map(render, work, chunksize=4))
    else:
        labels = [render(w) for w in work]
    labels.sort(key=lambda l: l["file"])
    with open(os.path.join(a.out, "labels.jsonl"), "w") as f:
        for l in labels:
            f.write(json.dumps(l, ensure_ascii=False) + "\n")
    if not a.keep_cache:
        shutil.rmtree(cache)

    by = {}
    for l in labels:
        by[l["category"]] = by.get(l["category"], 0) + 1
    print(f"wrote {len(labels)} files to {corpus}: {by}")


if __name__ == "__main__":
    main()
