//! Printing results as JSON lines, a table or CSV, and the batch summary.

use std::collections::BTreeMap;
use std::io::Write;

use clap::ValueEnum;

use crate::classify::FileResult;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per line (the default when stdout is not a terminal).
    Jsonl,
    /// Aligned columns for people (the default on a terminal).
    Table,
    /// Comma-separated values for spreadsheets.
    Csv,
}

const COLUMNS: [&str; 8] = [
    "file",
    "result",
    "decision_ms",
    "reason",
    "speech_ms",
    "beeps",
    "message_end",
    "error",
];

fn cells(r: &FileResult) -> [String; 8] {
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v}"));
    let beeps = r
        .beeps
        .iter()
        .map(|b| format!("{}Hz@{}-{}ms", b.freq_hz, b.onset_ms, b.end_ms))
        .collect::<Vec<_>>()
        .join(" ");
    let end = r
        .message_end
        .as_ref()
        .map_or(String::new(), |m| format!("{}@{}ms", m.by, m.at_ms));
    [
        r.file.clone(),
        r.result.to_string(),
        opt(r.decision_ms),
        r.reason.unwrap_or("").to_string(),
        opt(r.speech_ms),
        beeps,
        end,
        r.error.clone().unwrap_or_default(),
    ]
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes results one at a time.
pub struct Printer<W: Write> {
    out: W,
    format: Format,
    header_done: bool,
}

impl<W: Write> Printer<W> {
    pub fn new(out: W, format: Format) -> Self {
        Printer {
            out,
            format,
            header_done: false,
        }
    }

    pub fn print(&mut self, r: &FileResult) -> std::io::Result<()> {
        match self.format {
            Format::Jsonl => {
                let line = serde_json::to_string(r).map_err(std::io::Error::other)?;
                writeln!(self.out, "{line}")
            }
            Format::Csv => {
                if !self.header_done {
                    writeln!(self.out, "{}", COLUMNS.join(","))?;
                    self.header_done = true;
                }
                let row: Vec<String> = cells(r).iter().map(|c| csv_field(c)).collect();
                writeln!(self.out, "{}", row.join(","))
            }
            Format::Table => {
                if !self.header_done {
                    writeln!(
                        self.out,
                        "{:<40} {:<18} {:>9} {:<22} {:>8}  beeps / message end / error",
                        "file", "result", "at ms", "reason", "speech"
                    )?;
                    self.header_done = true;
                }
                let c = cells(r);
                let extra = [&c[5], &c[6], &c[7]]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("  ");
                writeln!(
                    self.out,
                    "{:<40} {:<18} {:>9} {:<22} {:>8}  {}",
                    c[0], c[1], c[2], c[3], c[4], extra
                )
            }
        }
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Counts for the summary line.
#[derive(Default)]
pub struct Summary {
    pub by_result: BTreeMap<&'static str, usize>,
    pub files: usize,
    pub audio_seconds: f64,
}

impl Summary {
    pub fn add(&mut self, r: &FileResult) {
        *self.by_result.entry(r.result).or_default() += 1;
        self.files += 1;
        self.audio_seconds += r.audio_ms / 1000.0;
    }

    pub fn errors(&self) -> usize {
        self.by_result.get("error").copied().unwrap_or(0)
    }

    /// `12 files: 5 human, 6 answering-machine, 1 error; 0.03 h of audio in 0.4 s
    /// (270x real time; 900 audio s per CPU s)`
    pub fn line(&self, wall: f64, cpu: Option<f64>) -> String {
        let counts = self
            .by_result
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let cpu = cpu.filter(|c| *c > 0.0).map_or(String::new(), |c| {
            format!("; {:.0} audio s per CPU s", self.audio_seconds / c)
        });
        format!(
            "{} file{}: {}; {:.3} h of audio in {:.2} s ({:.0}x real time{})",
            self.files,
            if self.files == 1 { "" } else { "s" },
            if counts.is_empty() {
                "none".into()
            } else {
                counts
            },
            self.audio_seconds / 3600.0,
            wall,
            self.audio_seconds / wall.max(1e-9),
            cpu
        )
    }
}
