//! Classifying files: one detector per file, a pool of workers, results in input order.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::{bounded, unbounded};
use hark::{samples_to_ms, Detector, Event, Plan};
use hark_audio::{AudioReader, ReadOptions};
use serde::Serialize;

/// A tone found in a file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Beep {
    pub onset_ms: f64,
    pub end_ms: f64,
    pub freq_hz: f64,
}

/// The end of a machine's message.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MessageEndOut {
    pub at_ms: f64,
    pub by: &'static str,
}

/// One file's classification, as printed.
#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    pub file: String,
    pub result: &'static str,
    pub decision_ms: Option<f64>,
    pub reason: Option<&'static str>,
    pub speech_ms: Option<f64>,
    pub first_speech_ms: Option<f64>,
    pub last_speech_end_ms: Option<f64>,
    pub beeps: Vec<Beep>,
    pub message_end: Option<MessageEndOut>,
    pub audio_ms: f64,
    pub error: Option<String>,
}

impl FileResult {
    fn error(file: &Path, message: String) -> Self {
        FileResult {
            file: file.display().to_string(),
            result: "error",
            decision_ms: None,
            reason: None,
            speech_ms: None,
            first_speech_ms: None,
            last_speech_end_ms: None,
            beeps: Vec::new(),
            message_end: None,
            audio_ms: 0.0,
            error: Some(message),
        }
    }
}

fn round(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

/// Runs `detector` over a file, reading it in chunks.
pub fn detect_file(
    path: &Path,
    detector: &mut Detector,
    options: &ReadOptions,
    sink: &mut impl hark::EventSink,
) -> Result<u64, String> {
    let mut reader = AudioReader::open(path, options).map_err(|e| e.to_string())?;
    let mut buffer = Vec::with_capacity(8000);
    loop {
        buffer.clear();
        let n = reader
            .read_chunk(&mut buffer, 8000)
            .map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        detector.push_pcm16(&buffer, sink);
    }
    detector.finish(sink);
    Ok(detector.position())
}

/// Classifies one file with a fresh detector on `plan`.
pub fn classify_file(path: &Path, plan: &Arc<Plan>, options: &ReadOptions) -> FileResult {
    let mut detector = Detector::new(plan.clone());
    let mut events = Vec::new();
    let samples = match detect_file(path, &mut detector, options, &mut events) {
        Ok(n) => n,
        Err(message) => return FileResult::error(path, message),
    };
    let Some(d) = detector.decision().copied() else {
        return FileResult::error(path, "the detector made no decision".into());
    };
    let beeps = events
        .iter()
        .filter_map(|e| match e {
            Event::ToneEnd(t) => Some(Beep {
                onset_ms: round(samples_to_ms(t.onset)),
                end_ms: round(samples_to_ms(t.end)),
                freq_hz: round(t.freq_hz as f64),
            }),
            _ => None,
        })
        .collect();
    let message_end = events.iter().find_map(|e| match e {
        Event::MessageEnd(m) => Some(MessageEndOut {
            at_ms: round(samples_to_ms(m.at)),
            by: m.by.as_str(),
        }),
        _ => None,
    });
    FileResult {
        file: path.display().to_string(),
        result: d.outcome.as_str(),
        decision_ms: Some(round(samples_to_ms(d.at))),
        reason: Some(d.reason.as_str()),
        speech_ms: Some(round(samples_to_ms(d.speech))),
        first_speech_ms: d.first_speech.map(|s| round(samples_to_ms(s))),
        last_speech_end_ms: d.last_speech_end.map(|s| round(samples_to_ms(s))),
        beeps,
        message_end,
        audio_ms: round(samples_to_ms(samples)),
        error: None,
    }
}

/// Classifies `files` on `jobs` worker threads and hands each result to `each`, in the order
/// of `files`. A panic while classifying one file becomes that file's error.
pub fn classify_all(
    files: &[PathBuf],
    plan: &Arc<Plan>,
    options: &ReadOptions,
    jobs: usize,
    mut each: impl FnMut(usize, FileResult),
) {
    let (job_tx, job_rx) = bounded::<(usize, &PathBuf)>(jobs * 4);
    let (result_tx, result_rx) = unbounded::<(usize, FileResult)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            let job_rx = job_rx.clone();
            let result_tx = result_tx.clone();
            scope.spawn(move || {
                for (i, path) in job_rx {
                    let result =
                        catch_unwind(AssertUnwindSafe(|| classify_file(path, plan, options)))
                            .unwrap_or_else(|_| {
                                FileResult::error(path, "internal error while classifying".into())
                            });
                    if result_tx.send((i, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(result_tx);
        drop(job_rx);
        scope.spawn(move || {
            for job in files.iter().enumerate() {
                if job_tx.send(job).is_err() {
                    break;
                }
            }
        });
        // Results arrive in any order; hand them on in input order.
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (i, result) in result_rx {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&next) {
                each(next, result);
                next += 1;
            }
        }
    });
}

/// CPU seconds used by this process so far (Linux), for the real-time factor.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at its closing paren.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // /proc reports in USER_HZ, which Linux fixes at 100.
    Some((utime + stime) / 100.0)
}

/// Wall and CPU time of a batch, for the summary.
pub struct Clock {
    wall: Instant,
    cpu: Option<f64>,
}

impl Clock {
    pub fn start() -> Self {
        Clock {
            wall: Instant::now(),
            cpu: cpu_seconds(),
        }
    }

    /// (wall seconds, CPU seconds) since start.
    pub fn elapsed(&self) -> (f64, Option<f64>) {
        let wall = self.wall.elapsed().as_secs_f64();
        let cpu = match (self.cpu, cpu_seconds()) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        (wall, cpu)
    }
}
