//! `hark trace`: what the detector measured in every 10 ms frame, and a picture of it.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use hark::{samples_to_ms, Detector, Event, EventSink, Frame};
use hark_audio::ReadOptions;

use crate::classify::detect_file;

/// Frames and the events that came with each.
#[derive(Default)]
struct Recorder {
    frames: Vec<Frame>,
    /// Events with the index of the frame they followed.
    events: Vec<(usize, Event)>,
}

impl EventSink for Recorder {
    fn event(&mut self, event: Event) {
        self.events.push((self.frames.len(), event));
    }
    fn frame(&mut self, frame: &Frame) {
        self.frames.push(*frame);
    }
}

fn describe(e: &Event) -> String {
    let ms = |s: u64| samples_to_ms(s);
    match e {
        Event::SpeechStart { at } => format!("speech-start@{}", ms(*at)),
        Event::SpeechEnd { start, end } => format!("speech-end {}-{}", ms(*start), ms(*end)),
        Event::ToneStart(t) => format!("tone-start@{} {:.1}Hz", ms(t.onset), t.freq_hz),
        Event::ToneEnd(t) => format!(
            "tone-end {}-{} {:.1}Hz {:.1}dBFS",
            ms(t.onset),
            ms(t.end),
            t.freq_hz,
            t.level_dbfs
        ),
        Event::Decision(d) => format!("decision {} ({})", d.outcome, d.reason),
        Event::MessageEnd(m) => format!("message-end by {}", m.by.as_str()),
        _ => format!("{e:?}"),
    }
}

/// Writes the per-frame CSV to `out`, and the SVG plot to `plot` if given.
pub fn trace(
    path: &Path,
    detector: &mut Detector,
    options: &ReadOptions,
    out: &mut impl Write,
    plot: Option<&Path>,
) -> Result<(), String> {
    let mut rec = Recorder::default();
    detect_file(path, detector, options, &mut rec)?;
    let io = |e: std::io::Error| format!("writing the trace: {e}");
    writeln!(
        out,
        "time_ms,energy_dbfs,floor_dbfs,speech,tonality,peak_hz,tone,events"
    )
    .map_err(io)?;
    let mut pending = rec.events.iter().peekable();
    for (i, f) in rec.frames.iter().enumerate() {
        let mut here = Vec::new();
        while let Some((_, e)) = pending.next_if(|(at, _)| *at <= i + 1) {
            here.push(describe(e));
        }
        writeln!(
            out,
            "{},{:.1},{:.1},{},{:.3},{:.1},{},{}",
            samples_to_ms(f.end),
            f.energy_dbfs,
            f.floor_dbfs,
            f.speech as u8,
            f.tonality,
            f.peak_hz,
            f.tone as u8,
            here.join(";")
        )
        .map_err(io)?;
    }
    // Events after the last frame (from finish).
    let rest: Vec<String> = pending.map(|(_, e)| describe(e)).collect();
    if !rest.is_empty() {
        writeln!(
            out,
            "{},,,,,,,{}",
            samples_to_ms(detector.position()),
            rest.join(";")
        )
        .map_err(io)?;
    }
    if let Some(plot) = plot {
        let svg = render_svg(path, &rec, detector.position());
        std::fs::write(plot, svg).map_err(|e| format!("{}: {e}", plot.display()))?;
    }
    Ok(())
}

/// Energy and noise floor over time, speech and tone spans shaded, decision marked.
fn render_svg(path: &Path, rec: &Recorder, samples: u64) -> String {
    let (w, h, left, top, bottom) = (1200.0, 420.0, 50.0, 40.0, 40.0);
    let plot_w = w - left - 20.0;
    let plot_h = h - top - bottom;
    let total_ms = samples_to_ms(samples).max(10.0);
    let x = |ms: f64| left + plot_w * ms / total_ms;
    let y = |db: f32| top + plot_h * (-(db.clamp(-100.0, 0.0)) as f64) / 100.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let title = path
        .display()
        .to_string()
        .replace('&', "&amp;")
        .replace('<', "&lt;");
    let _ = writeln!(s, r#"<text x="{left}" y="20">{title}</text>"#);
    // Speech and tone spans.
    for (_, e) in &rec.events {
        let (start, end, color) = match e {
            Event::SpeechEnd { start, end } => (*start, *end, "#c8f0c8"),
            Event::ToneEnd(t) => (t.onset, t.end, "#ffd27f"),
            _ => continue,
        };
        let (x0, x1) = (x(samples_to_ms(start)), x(samples_to_ms(end)));
        let _ = writeln!(
            s,
            r#"<rect x="{x0:.1}" y="{top}" width="{:.1}" height="{plot_h}" fill="{color}"/>"#,
            (x1 - x0).max(1.0)
        );
    }
    // Grid: every 10 dB and every second.
    for db in (0..=100).step_by(20) {
        let yy = y(-(db as f32));
        let _ = writeln!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="5" y="{:.1}">-{db}</text>"##,
            left + plot_w,
            yy + 4.0
        );
    }
    let mut sec = 0.0;
    while sec * 1000.0 <= total_ms {
        let xx = x(sec * 1000.0);
        let _ = writeln!(
            s,
            r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{top}" y2="{}" stroke="#eee"/><text x="{:.1}" y="{}">{sec}s</text>"##,
            top + plot_h,
            xx - 8.0,
            h - 15.0
        );
        sec += 1.0;
    }
    for (pick, color) in [(0usize, "#1f5fbf"), (1, "#888")] {
        let points: Vec<String> = rec
            .frames
            .iter()
            .map(|f| {
                let db = if pick == 0 {
                    f.energy_dbfs
                } else {
                    f.floor_dbfs
                };
                format!("{:.1},{:.1}", x(samples_to_ms(f.end)), y(db))
            })
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{color}" stroke-width="1.2" points="{}"/>"#,
            points.join(" ")
        );
    }
    for (_, e) in &rec.events {
        let (at, label, color) = match e {
            Event::Decision(d) => (d.at, d.outcome.as_str().to_string(), "#d22"),
            Event::MessageEnd(m) => (m.at, format!("message end ({})", m.by.as_str()), "#82c"),
            _ => continue,
        };
        let xx = x(samples_to_ms(at));
        let _ = writeln!(
            s,
            r#"<line x1="{xx:.1}" x2="{xx:.1}" y1="{top}" y2="{}" stroke="{color}" stroke-width="2"/><text x="{:.1}" y="{}" fill="{color}">{label}</text>"#,
            top + plot_h,
            xx + 4.0,
            top + 14.0
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{}" y="{}" fill="#555">blue: frame energy dBFS, grey: noise floor, green: speech, orange: tone</text>"##,
        left + plot_w - 480.0,
        top - 6.0
    );
    s.push_str("</svg>\n");
    s
}
