//! Signals and helpers shared by the tests: synthesised tones, speech-like sound and noise,
//! the real Asterisk prompts, and ways to run a detector over them.

use hark::{Config, Decision, Detector, Event, ToneSegment};

pub const RATE: f32 = 8000.0;

pub fn samples(ms: u32) -> usize {
    ms as usize * 8
}

/// Amplitude of a sine whose RMS level is `dbfs`.
pub fn sine_amplitude(dbfs: f32) -> f32 {
    10f32.powf(dbfs / 20.0) * std::f32::consts::SQRT_2
}

pub fn silence(ms: u32) -> Vec<f32> {
    vec![0.0; samples(ms)]
}

/// A sine at `dbfs` RMS, starting at phase zero.
pub fn sine(freq: f32, ms: u32, dbfs: f32) -> Vec<f32> {
    let a = sine_amplitude(dbfs);
    (0..samples(ms))
        .map(|n| a * (2.0 * std::f32::consts::PI * freq * n as f32 / RATE).sin())
        .collect()
}

/// Two sines, each at `dbfs` RMS.
pub fn dual(f1: f32, f2: f32, ms: u32, dbfs: f32) -> Vec<f32> {
    let a = sine(f1, ms, dbfs);
    let b = sine(f2, ms, dbfs);
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// `on` ms of `signal` then `off` ms of silence, repeated to fill `total` ms.
pub fn cadence(signal: &dyn Fn(u32) -> Vec<f32>, on: u32, off: u32, total: u32) -> Vec<f32> {
    let mut out = Vec::new();
    while out.len() < samples(total) {
        out.extend(signal(on));
        out.extend(silence(off));
    }
    out.truncate(samples(total));
    out
}

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_f32(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 40) as f32) / (1u64 << 24) as f32
    }
    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.next_f32()
    }
}

/// White noise at `dbfs` RMS.
pub fn noise(ms: u32, dbfs: f32, seed: u64) -> Vec<f32> {
    let mut rng = Rng::new(seed);
    // Uniform noise in -a..a has RMS a / sqrt(3).
    let a = 10f32.powf(dbfs / 20.0) * 3f32.sqrt();
    (0..samples(ms)).map(|_| rng.range(-a, a)).collect()
}

/// Speech-like sound at `dbfs` RMS: voiced syllables of 120-260 ms (harmonics of a gliding
/// pitch between 300 and 3400 Hz, shaped by two moving formants) with 30-70 ms dips between
/// them, as telephone speech is.
pub fn speech(ms: u32, dbfs: f32, seed: u64) -> Vec<f32> {
    let n = samples(ms);
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    let mut phase = 0.0f32;
    while out.len() < n {
        let len = samples(rng.range(120.0, 260.0) as u32);
        let gap = samples(rng.range(30.0, 70.0) as u32);
        let f0_start = rng.range(100.0, 220.0);
        let f0_end = f0_start * rng.range(0.8, 1.2);
        let (f1a, f1b) = (rng.range(300.0, 800.0), rng.range(300.0, 800.0));
        let (f2a, f2b) = (rng.range(900.0, 2200.0), rng.range(900.0, 2200.0));
        for i in 0..len {
            let x = i as f32 / len as f32;
            let f0 = f0_start + (f0_end - f0_start) * x;
            let (f1, f2) = (f1a + (f1b - f1a) * x, f2a + (f2b - f2a) * x);
            phase += 2.0 * std::f32::consts::PI * f0 / RATE;
            if phase > 2.0 * std::f32::consts::PI * 64.0 {
                phase -= 2.0 * std::f32::consts::PI * 64.0;
            }
            let mut s = 0.0;
            let mut k = (300.0 / f0).ceil();
            while k * f0 < 3400.0 {
                let f = k * f0;
                let g = 0.15
                    + (-((f - f1) / 200.0).powi(2)).exp()
                    + 0.6 * (-((f - f2) / 250.0).powi(2)).exp();
                s += g * (k * phase).sin();
                k += 1.0;
            }
            let env = (std::f32::consts::PI * x).sin().sqrt();
            out.push(s * env);
        }
        out.extend((0..gap).map(|_| 0.0));
    }
    out.truncate(n);
    let voiced: Vec<f32> = out.iter().copied().filter(|x| *x != 0.0).collect();
    let rms = (voiced.iter().map(|x| x * x).sum::<f32>() / voiced.len().max(1) as f32).sqrt();
    let gain = 10f32.powf(dbfs / 20.0) / rms.max(1e-9);
    out.iter().map(|x| x * gain).collect()
}

/// Adds `b` into `a` (extending `a` if needed).
pub fn mix(mut a: Vec<f32>, b: &[f32]) -> Vec<f32> {
    if a.len() < b.len() {
        a.resize(b.len(), 0.0);
    }
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
    a
}

pub fn concat(parts: &[Vec<f32>]) -> Vec<f32> {
    parts.concat()
}

/// To 16-bit PCM, clipping at full scale.
pub fn pcm(signal: &[f32]) -> Vec<i16> {
    signal
        .iter()
        .map(|x| (x * 32768.0).round().clamp(-32768.0, 32767.0) as i16)
        .collect()
}

/// A real 8 kHz prompt from Debian's asterisk-core-sounds-en-wav, committed in testdata/.
pub fn asterisk(name: &str) -> Vec<i16> {
    let path = format!(
        "{}/../../testdata/asterisk/{name}.wav",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut reader = hound::WavReader::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(reader.spec().sample_rate, 8000, "{path}");
    reader.samples::<i16>().map(|s| s.unwrap()).collect()
}

pub fn zeros(ms: u32) -> Vec<i16> {
    vec![0; samples(ms)]
}

/// Runs a fresh detector over `audio` in chunks of `chunk` samples, then finishes.
pub fn run_chunked(config: Config, audio: &[i16], chunk: usize) -> Vec<Event> {
    let mut detector = Detector::with_config(config).unwrap();
    let mut events = Vec::new();
    for c in audio.chunks(chunk.max(1)) {
        detector.push_pcm16(c, &mut events);
    }
    detector.finish(&mut events);
    events
}

pub fn run(config: Config, audio: &[i16]) -> Vec<Event> {
    run_chunked(config, audio, 160)
}

pub fn decisions(events: &[Event]) -> Vec<Decision> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Decision(d) => Some(*d),
            _ => None,
        })
        .collect()
}

/// The call's one decision (fails the test if there is not exactly one).
pub fn decision(events: &[Event]) -> Decision {
    let all = decisions(events);
    assert_eq!(all.len(), 1, "expected one decision, got {all:?}");
    all[0]
}

pub fn tones(events: &[Event]) -> Vec<ToneSegment> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::ToneEnd(t) => Some(*t),
            _ => None,
        })
        .collect()
}

pub fn ms(samples: u64) -> f64 {
    hark::samples_to_ms(samples)
}
