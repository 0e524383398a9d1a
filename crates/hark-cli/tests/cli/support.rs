//! Running the binary, scratch folders, and test calls built from the Asterisk prompts.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use hark_audio::ReadOptions;
use serde_json::Value;

pub const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

/// A path under `testdata/`.
pub fn testdata(rel: &str) -> PathBuf {
    Path::new(TESTDATA).join(rel)
}

/// What one run of `hark` did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The JSON objects of JSON-lines output, one per line.
    pub fn jsonl(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line:?}\n{self:?}"))
            })
            .collect()
    }

    /// The whole of stdout as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self:?}"))
    }

    /// Panics with everything the run printed unless it exited with `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "unexpected exit status:\n{self:?}");
        self
    }
}

/// Runs the `hark` binary with `args`, stdout and stderr captured (so stdout is no terminal).
pub fn hark<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_hark"))
        .args(args)
        .output()
        .expect("the hark binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A folder of its own for one test, removed when the test passes.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// `name` keeps tests apart; the process id keeps concurrent runs apart.
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("hark-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch folder");
        Scratch { dir }
    }

    /// A path inside the folder; parent folders are created.
    pub fn path(&self, rel: &str) -> PathBuf {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        path
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    pub fn pcm16(&self, rel: &str, samples: &[i16], rate: u32) -> PathBuf {
        let path = self.path(rel);
        hark_audio::write_wav_pcm16(&path, samples, rate).expect("write PCM WAV");
        path
    }

    pub fn ulaw(&self, rel: &str, samples: &[i16]) -> PathBuf {
        let path = self.path(rel);
        hark_audio::write_wav_ulaw(&path, samples).expect("write mu-law WAV");
        path
    }

    /// A 16-bit stereo WAV at 8 kHz; the shorter channel is padded with zeros.
    pub fn stereo(&self, rel: &str, left: &[i16], right: &[i16]) -> PathBuf {
        let path = self.path(rel);
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).expect("create stereo WAV");
        for i in 0..left.len().max(right.len()) {
            w.write_sample(left.get(i).copied().unwrap_or(0)).unwrap();
            w.write_sample(right.get(i).copied().unwrap_or(0)).unwrap();
        }
        w.finalize().expect("finish stereo WAV");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Keep the files of a failed test for a look.
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The path as the binary prints it.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// An Asterisk prompt (`hello`, `vm-nobodyavail`, ...) as 8 kHz samples.
pub fn prompt(name: &str) -> Vec<i16> {
    let path = testdata(&format!("asterisk/{name}.wav"));
    hark_audio::read_all(&path, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("read prompt: {e}"))
}

pub fn silence(seconds: f64) -> Vec<i16> {
    vec![0; (seconds * 8000.0).round() as usize]
}

pub fn ms(samples: usize) -> f64 {
    samples as f64 / 8.0
}

/// A person says "hello" once and waits: 0.6 s silence, hello.wav, 5 s silence.
pub struct HumanCall {
    pub samples: Vec<i16>,
    pub hello_start_ms: f64,
    pub hello_end_ms: f64,
}

pub fn human_call() -> HumanCall {
    let lead = silence(0.6);
    let hello = prompt("hello");
    let samples = [lead.as_slice(), &hello, &silence(5.0)].concat();
    HumanCall {
        hello_start_ms: ms(lead.len()),
        hello_end_ms: ms(lead.len() + hello.len()),
        samples,
    }
}

/// A voicemail greeting and its beep: 0.5 s silence, vm-nobodyavail, vm-intro, beep.wav, 1.5 s
/// silence.
pub struct VoicemailCall {
    pub samples: Vec<i16>,
    pub greeting_start_ms: f64,
    /// Where beep.wav starts and ends in the call.
    pub beep_start_ms: f64,
    pub beep_end_ms: f64,
}

/// beep.wav's half-amplitude points (its README), where a detector should put its edges.
pub const BEEP_ONSET_IN_FILE_MS: f64 = 53.0 / 8.0;
pub const BEEP_END_IN_FILE_MS: f64 = 3305.0 / 8.0;

pub fn voicemail_call() -> VoicemailCall {
    let lead = silence(0.5);
    let greeting = [prompt("vm-nobodyavail"), prompt("vm-intro")].concat();
    let beep = prompt("beep");
    let before_beep = lead.len() + greeting.len();
    let samples = [lead.as_slice(), &greeting, &beep, &silence(1.5)].concat();
    VoicemailCall {
        greeting_start_ms: ms(lead.len()),
        beep_start_ms: ms(before_beep),
        beep_end_ms: ms(before_beep + beep.len()),
        samples,
    }
}

/// Linear interpolation to `rate`: crude, but its images lie above 4 kHz, where the reader's
/// own resampler removes them.
pub fn upsample(samples: &[i16], rate: u32) -> Vec<i16> {
    let step = 8000.0 / f64::from(rate);
    let n = (samples.len() as f64 / step).floor() as usize;
    (0..n)
        .map(|i| {
            let t = i as f64 * step;
            let k = t.floor() as usize;
            let frac = t - k as f64;
            let a = f64::from(samples[k]);
            let b = f64::from(*samples.get(k + 1).unwrap_or(&samples[k]));
            (a + (b - a) * frac).round() as i16
        })
        .collect()
}

pub fn f(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {v}"))
}

pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

/// Checks a result line against the human call.
pub fn assert_human(r: &Value, call: &HumanCall) {
    assert_eq!(s(r, "result"), "human", "{r}");
    assert_eq!(s(r, "reason"), "silence-after-greeting", "{r}");
    assert!(r["error"].is_null(), "{r}");
    assert_eq!(r["beeps"], Value::Array(vec![]), "{r}");
    assert!(r["message_end"].is_null(), "{r}");
    let first = f(r, "first_speech_ms");
    let last = f(r, "last_speech_end_ms");
    assert!(
        (call.hello_start_ms..call.hello_start_ms + 200.0).contains(&first),
        "speech should start soon after {} ms: {r}",
        call.hello_start_ms
    );
    assert!(
        last > first && last <= call.hello_end_ms + 50.0,
        "speech should end by {} ms: {r}",
        call.hello_end_ms
    );
    let speech = f(r, "speech_ms");
    assert!(
        speech > 200.0 && speech <= call.hello_end_ms - call.hello_start_ms,
        "{r}"
    );
    // Twilio's default: 1200 ms of silence after a short utterance.
    let wait = f(r, "decision_ms") - last;
    assert!(
        (1100.0..=1400.0).contains(&wait),
        "human after {wait} ms of silence: {r}"
    );
    let audio = f(r, "audio_ms");
    assert!((audio - ms(call.samples.len())).abs() <= 0.1, "{r}");
}

/// Checks a result line against the voicemail call (default parameters).
pub fn assert_voicemail(r: &Value, call: &VoicemailCall) {
    assert_eq!(s(r, "result"), "answering-machine", "{r}");
    assert_eq!(s(r, "reason"), "long-greeting", "{r}");
    assert!(r["error"].is_null(), "{r}");
    let first = f(r, "first_speech_ms");
    assert!(
        (call.greeting_start_ms..call.greeting_start_ms + 300.0).contains(&first),
        "{r}"
    );
    // 2400 ms of speech make a machine; the greeting's pauses push the decision a little later.
    let speech = f(r, "speech_ms");
    assert!((2400.0..2600.0).contains(&speech), "{r}");
    let at = f(r, "decision_ms");
    assert!(at >= first + 2400.0 && at <= first + 3500.0, "{r}");
    assert_beep(r, call);
}

/// One beep where beep.wav is, near 700 Hz, and the message ending by it.
pub fn assert_beep(r: &Value, call: &VoicemailCall) {
    let beeps = r["beeps"].as_array().expect("beeps is a list");
    assert_eq!(beeps.len(), 1, "one beep: {r}");
    let b = &beeps[0];
    assert!((f(b, "freq_hz") - 700.0).abs() <= 10.0, "{r}");
    let onset = call.beep_start_ms + BEEP_ONSET_IN_FILE_MS;
    let end = call.beep_start_ms + BEEP_END_IN_FILE_MS;
    assert!(
        (f(b, "onset_ms") - onset).abs() <= 10.0,
        "onset near {onset}: {r}"
    );
    assert!((f(b, "end_ms") - end).abs() <= 15.0, "end near {end}: {r}");
    let m = &r["message_end"];
    assert_eq!(s(m, "by"), "beep", "{r}");
    let at = f(m, "at_ms");
    assert!(
        at >= f(b, "end_ms") && at <= call.beep_end_ms + 100.0,
        "{r}"
    );
}

/// Checks a result line against 8 s of digital silence.
pub fn assert_silence(r: &Value) {
    assert_eq!(s(r, "result"), "silence", "{r}");
    assert_eq!(s(r, "reason"), "initial-silence", "{r}");
    assert!(r["error"].is_null(), "{r}");
    // silence_timeout is 5000 ms.
    assert!((f(r, "decision_ms") - 5000.0).abs() <= 10.0, "{r}");
    assert_eq!(f(r, "speech_ms"), 0.0, "{r}");
    assert!(r["first_speech_ms"].is_null(), "{r}");
    assert_eq!(r["beeps"], Value::Array(vec![]), "{r}");
    assert!(r["message_end"].is_null(), "{r}");
}

/// Checks a result line is the error of `path`, with a message naming it and containing
/// `problem`.
pub fn assert_error(r: &Value, path: &Path, problem: &str) {
    assert_eq!(s(r, "file"), shown(path), "{r}");
    assert_eq!(s(r, "result"), "error", "{r}");
    let message = s(r, "error");
    assert!(message.contains(&shown(path)), "names the file: {r}");
    assert!(message.contains(problem), "says {problem:?}: {r}");
    for key in ["decision_ms", "reason", "speech_ms", "message_end"] {
        assert!(r[key].is_null(), "{key} of an error: {r}");
    }
}
