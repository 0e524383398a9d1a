//! `hark eval`: accuracy against a labelled corpus.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::classify::FileResult;

/// A labelled beep.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelBeep {
    pub onset_ms: f64,
    pub end_ms: f64,
    pub freq_hz: f64,
}

/// A labelled non-beep tone (ringback, fax, DTMF...): one or more frequencies.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelTone {
    pub onset_ms: f64,
    pub end_ms: f64,
    #[serde(default)]
    pub freq_hz: Vec<f64>,
}

/// One line of `labels.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub file: PathBuf,
    pub category: String,
    pub expected: String,
    #[serde(default)]
    pub allowed: Vec<String>,
    #[serde(default)]
    pub beeps: Vec<LabelBeep>,
    #[serde(default)]
    pub tones: Vec<LabelTone>,
    #[serde(default)]
    pub first_utterance_end_ms: Option<f64>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub split: Option<String>,
}

/// Reads a labels file; `file` paths are taken relative to the labels file's folder.
pub fn read_labels(path: &Path) -> Result<Vec<Label>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut labels = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut label: Label =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        label.file = base.join(&label.file);
        labels.push(label);
    }
    Ok(labels)
}

/// The three classes a dialer acts on.
pub fn class_of(result: &str) -> &'static str {
    match result {
        "human" => "human",
        "answering-machine" | "tone-detected" => "machine",
        _ => "none",
    }
}

/// The value at percentile `p` of `sorted` (nearest rank).
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = ((p / 100.0) * last as f64).round() as usize;
    sorted.get(rank.min(last)).copied()
}

/// Percentiles of a list of milliseconds.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Spread {
    pub count: usize,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub max: Option<f64>,
}

impl Spread {
    fn of(values: &[f64]) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Spread {
            count: sorted.len(),
            p50: percentile(&sorted, 50.0),
            p90: percentile(&sorted, 90.0),
            max: percentile(&sorted, 100.0),
        }
    }

    fn text(&self) -> String {
        let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.0}"));
        format!(
            "p50 {} ms, p90 {} ms, max {} ms (n={})",
            f(self.p50),
            f(self.p90),
            f(self.max),
            self.count
        )
    }
}

/// Correct and total.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Tally {
    pub correct: usize,
    pub total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.correct += ok as usize;
    }
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
}

/// Everything `hark eval` measures.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Report {
    pub files: usize,
    pub accuracy: f64,
    pub overall: Tally,
    pub by_category: BTreeMap<String, Tally>,
    pub by_tag: BTreeMap<String, Tally>,
    /// Label category -> predicted class -> count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    pub human_as_machine_rate: f64,
    pub machine_as_human_rate: f64,
    /// Human decisions after the end of the person's first utterance.
    pub human_latency_ms: Spread,
    /// When machine verdicts came, from the start of the call.
    pub machine_decision_ms: Spread,
    pub beeps_labelled: usize,
    pub beeps_found: usize,
    pub beep_recall: f64,
    /// |found onset - labelled onset| of found beeps.
    pub beep_onset_error_ms: Spread,
    /// Message-end event after the labelled end of the beep that ended the message.
    pub message_end_after_beep_ms: Spread,
    /// Tones found where nothing tonal was labelled (on speech, noise or silence).
    pub false_beeps: usize,
    pub false_beep_files: Vec<String>,
    /// Tones found on labelled non-beep tones (fax, European ringback...): right as tones,
    /// wrong as beeps until tones are classified.
    pub tones_on_labelled_tones: usize,
    pub errors: Vec<String>,
    pub misclassified: Vec<String>,
    pub audio_seconds: f64,
    pub wall_seconds: f64,
    pub cpu_seconds: Option<f64>,
}

impl Report {
    /// Scores results against their labels (same order, same length).
    pub fn score(labels: &[Label], results: &[FileResult]) -> Report {
        let mut r = Report::default();
        let mut human_latency = Vec::new();
        let mut machine_at = Vec::new();
        let mut onset_errors = Vec::new();
        let mut end_after_beep = Vec::new();
        for (label, res) in labels.iter().zip(results) {
            r.files += 1;
            r.audio_seconds += res.audio_ms / 1000.0;
            let ok = res.result == label.expected || label.allowed.iter().any(|a| a == res.result);
            r.overall.add(ok);
            r.by_category
                .entry(label.category.clone())
                .or_default()
                .add(ok);
            for tag in &label.tags {
                r.by_tag.entry(tag.clone()).or_default().add(ok);
            }
            let predicted = class_of(res.result);
            *r.confusion
                .entry(label.category.clone())
                .or_default()
                .entry(predicted.to_string())
                .or_default() += 1;
            if let Some(e) = &res.error {
                r.errors.push(format!("{}: {e}", res.file));
            } else if !ok {
                r.misclassified.push(format!(
                    "{}: expected {}, got {} ({}, at {} ms)",
                    res.file,
                    label.expected,
                    res.result,
                    res.reason.unwrap_or("-"),
                    res.decision_ms.unwrap_or(0.0)
                ));
            }
            if let (true, "human", Some(end), Some(at)) =
                (ok, predicted, label.first_utterance_end_ms, res.decision_ms)
            {
                if label.category == "human" {
                    human_latency.push(at - end);
                }
            }
            if res.result == "answering-machine" {
                machine_at.extend(res.decision_ms);
            }
            // Beeps: a found tone matches a labelled one it overlaps at a close frequency.
            let matches = |b: &LabelBeep, f: &crate::classify::Beep| {
                f.onset_ms < b.end_ms
                    && f.end_ms > b.onset_ms
                    && (f.freq_hz - b.freq_hz).abs() <= 30.0
            };
            for b in &label.beeps {
                r.beeps_labelled += 1;
                if let Some(f) = res.beeps.iter().find(|f| matches(b, f)) {
                    r.beeps_found += 1;
                    onset_errors.push((f.onset_ms - b.onset_ms).abs());
                }
            }
            for f in &res.beeps {
                let on_tone = label.tones.iter().any(|t| {
                    f.onset_ms < t.end_ms
                        && f.end_ms > t.onset_ms
                        && t.freq_hz.iter().any(|hz| (f.freq_hz - hz).abs() <= 30.0)
                });
                if on_tone {
                    r.tones_on_labelled_tones += 1;
                } else if !label.beeps.iter().any(|b| matches(b, f)) {
                    r.false_beeps += 1;
                    r.false_beep_files.push(format!(
                        "{}: {} Hz at {}-{} ms",
                        res.file, f.freq_hz, f.onset_ms, f.end_ms
                    ));
                }
            }
            if let (Some(end), Some(last)) = (&res.message_end, label.beeps.last()) {
                if end.by == "beep" {
                    end_after_beep.push(end.at_ms - last.end_ms);
                }
            }
        }
        r.accuracy = r.overall.rate();
        let rate = |cat: &str, class: &str| {
            let row = r.confusion.get(cat);
            let total: usize = row.map_or(0, |m| m.values().sum());
            let n = row.and_then(|m| m.get(class)).copied().unwrap_or(0);
            if total == 0 {
                0.0
            } else {
                n as f64 / total as f64
            }
        };
        r.human_as_machine_rate = rate("human", "machine");
        r.machine_as_human_rate = rate("machine", "human");
        r.human_latency_ms = Spread::of(&human_latency);
        r.machine_decision_ms = Spread::of(&machine_at);
        r.beep_onset_error_ms = Spread::of(&onset_errors);
        r.message_end_after_beep_ms = Spread::of(&end_after_beep);
        r.beep_recall = if r.beeps_labelled == 0 {
            1.0
        } else {
            r.beeps_found as f64 / r.beeps_labelled as f64
        };
        r
    }

    /// The report for people.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let pct = |x: f64| format!("{:.1} %", 100.0 * x);
        s += &format!(
            "accuracy {} ({}/{} files)\n",
            pct(self.accuracy),
            self.overall.correct,
            self.overall.total
        );
        for (cat, t) in &self.by_category {
            s += &format!("  {cat:<8} {} ({}/{})\n", pct(t.rate()), t.correct, t.total);
        }
        s += "\nconfusion (rows: label, columns: result class)\n";
        s += &format!(
            "  {:<8} {:>7} {:>7} {:>7}\n",
            "", "human", "machine", "none"
        );
        for (cat, row) in &self.confusion {
            let n = |c: &str| row.get(c).copied().unwrap_or(0);
            s += &format!(
                "  {cat:<8} {:>7} {:>7} {:>7}\n",
                n("human"),
                n("machine"),
                n("none")
            );
        }
        s += &format!(
            "\nhumans taken for machines {}; machines taken for humans {}\n",
            pct(self.human_as_machine_rate),
            pct(self.machine_as_human_rate)
        );
        s += &format!(
            "human decision after the first utterance: {}\n",
            self.human_latency_ms.text()
        );
        s += &format!(
            "machine decision from answer: {}\n",
            self.machine_decision_ms.text()
        );
        s += &format!(
            "beeps: recall {} ({}/{}), onset error {}, message end after beep {}, false beeps {} \
             (and {} tones found on labelled non-beep tones)\n",
            pct(self.beep_recall),
            self.beeps_found,
            self.beeps_labelled,
            self.beep_onset_error_ms.text(),
            self.message_end_after_beep_ms.text(),
            self.false_beeps,
            self.tones_on_labelled_tones
        );
        if !self.by_tag.is_empty() {
            s += "\nby tag\n";
            for (tag, t) in &self.by_tag {
                s += &format!(
                    "  {tag:<22} {} ({}/{})\n",
                    pct(t.rate()),
                    t.correct,
                    t.total
                );
            }
        }
        let cpu = self
            .cpu_seconds
            .filter(|c| *c > 0.0)
            .map_or(String::new(), |c| {
                format!(", {:.0} audio s per CPU s", self.audio_seconds / c)
            });
        s += &format!(
            "\n{:.1} s of audio in {:.2} s wall ({:.0}x real time{cpu})\n",
            self.audio_seconds,
            self.wall_seconds,
            self.audio_seconds / self.wall_seconds.max(1e-9)
        );
        for line in self
            .errors
            .iter()
            .chain(&self.misclassified)
            .chain(&self.false_beep_files)
        {
            s += &format!("  {line}\n");
        }
        s
    }
}
