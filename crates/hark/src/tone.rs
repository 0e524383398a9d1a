//! Pure-tone segments (beeps and other single tones) from frame to frame.
//!
//! A frame counts towards a tone when one spectral peak holds most of the window's energy and
//! the envelope at that frequency is flat (two close tones, such as ringback's 440 + 480 Hz,
//! beat and never are). Consecutive such frames at one frequency and level make a segment;
//! its edges are then found to the sample from the envelope.

use crate::envelope::{frame_envelope, locate_edge, Edge, Shape, SPAN};
use crate::event::{ToneOnset, ToneSegment};
use crate::history::History;
use crate::plan::{Limits, HOP, WINDOW};
use crate::spectrum::FrameSpectrum;

/// Share of the window's energy a peak's main lobe must hold to be a tone.
const MIN_TONALITY: f32 = 0.8;
/// Most energy at the second and third harmonics, relative to the peak (-17 dB).
const MAX_HARMONICS: f32 = 0.02;
/// The band where tones are looked for, with room for drift at its edges.
const MIN_TONE_HZ: f32 = 290.0;
const MAX_TONE_HZ: f32 = 3420.0;
/// Slack on `min_tone_duration` for edges placed a sample or two off.
const DURATION_SLACK: u64 = 16;
/// Largest change of frequency from one frame to the next: a beep drifts by a hertz or so
/// per frame, a voice glides by several.
const MAX_FREQ_STEP_HZ: f32 = 4.0;
/// Largest distance from a tone's mean frequency (drifting beeps move +-10 Hz).
const MAX_FREQ_DRIFT_HZ: f32 = 15.0;
/// A tone whose level falls this far below its steady level has ended.
const MAX_LEVEL_DROP_DB: f32 = 3.0;
/// Frames of something else (a click over the tone) tolerated inside a tone.
const MAX_DROPOUT_FRAMES: u32 = 4;
/// Steady frames a tone needs before it counts.
const MIN_STEADY_FRAMES: u32 = 2;
/// A tone's steady frames cover at least this share of the frames that could be steady.
const MIN_STEADY_SHARE: f32 = 0.6;
/// A steady frame's level stays this close to the tone's mean level: beeps are flat.
const MAX_LEVEL_WOBBLE_DB: f32 = 1.5;
/// A steady frame shows the tone sounding until about this many samples before its end.
const STEADY_LAG: u64 = 32;

/// What a frame brought: at most one tone confirmed and one ended.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ToneEvents {
    pub started: Option<ToneOnset>,
    pub ended: Option<ToneSegment>,
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    onset: u64,
    freq_hz: f32,
    last_freq_hz: f32,
    freq_sum: f64,
    steady_frames: u32,
    level_max_db: f32,
    level_sum_db: f64,
    reference: f32,
    sharp_onset: bool,
    confirmed: bool,
    dropout: u32,
    end_candidate: Option<u64>,
}

impl Segment {
    fn level_db(&self) -> f32 {
        if self.steady_frames == 0 {
            self.level_max_db
        } else {
            (self.level_sum_db / self.steady_frames as f64) as f32
        }
    }

    /// Whether what has been seen up to `end` is a tone: switched on like one, and steady
    /// over most of its length.
    fn is_tone(&self, end: u64) -> bool {
        let could_be_steady = end.saturating_sub(self.onset + WINDOW as u64) as f32 / HOP as f32;
        self.sharp_onset
            && self.steady_frames >= MIN_STEADY_FRAMES
            && self.steady_frames as f32 >= MIN_STEADY_SHARE * could_be_steady
    }

    fn onset_event(&self) -> ToneOnset {
        ToneOnset {
            onset: self.onset,
            freq_hz: self.freq_hz,
            level_dbfs: self.level_db(),
        }
    }
}

/// Follows at most one tone at a time.
pub(crate) struct ToneTracker {
    segment: Option<Segment>,
}

impl ToneTracker {
    pub fn new() -> Self {
        ToneTracker { segment: None }
    }

    pub fn reset(&mut self) {
        self.segment = None;
    }

    /// True while a possible tone is being followed: its frames are not speech.
    pub fn active(&self) -> bool {
        self.segment.is_some()
    }

    /// Takes the frame whose window ends at `end`.
    pub fn update(
        &mut self,
        limits: &Limits,
        history: &History,
        end: u64,
        spectrum: &FrameSpectrum,
        level_db: f32,
    ) -> ToneEvents {
        let mut events = ToneEvents::default();
        let envelope = (spectrum.analysed
            && spectrum.tonality >= MIN_TONALITY
            && spectrum.harmonics <= MAX_HARMONICS)
            .then(|| frame_envelope(history, end, spectrum.peak_hz))
            .filter(|e| (MIN_TONE_HZ..=MAX_TONE_HZ).contains(&e.freq_hz));
        let shape = envelope.map_or(Shape::Other, |e| e.shape);

        if let Some(seg) = &mut self.segment {
            let freq = envelope.map_or(spectrum.peak_hz, |e| e.freq_hz);
            let same_freq = (freq - seg.freq_hz).abs() <= MAX_FREQ_DRIFT_HZ
                && (freq - seg.last_freq_hz).abs() <= MAX_FREQ_STEP_HZ;
            let level_ok = level_db >= seg.level_max_db - MAX_LEVEL_DROP_DB
                && (shape != Shape::Steady
                    || seg.steady_frames == 0
                    || (level_db - seg.level_db()).abs() <= MAX_LEVEL_WOBBLE_DB);
            let continues = same_freq
                && level_ok
                && (shape == Shape::Steady || (shape == Shape::Rising && seg.steady_frames == 0));
            if continues {
                seg.dropout = 0;
                seg.end_candidate = None;
                seg.level_max_db = seg.level_max_db.max(level_db);
                seg.last_freq_hz = freq;
                if let (Shape::Steady, Some(env)) = (shape, envelope) {
                    seg.steady_frames += 1;
                    seg.freq_sum += env.freq_hz as f64;
                    seg.freq_hz = (seg.freq_sum / seg.steady_frames as f64) as f32;
                    seg.level_sum_db += level_db as f64;
                    seg.reference = env.mean;
                    if !seg.confirmed
                        && seg.is_tone(end - STEADY_LAG)
                        && end.saturating_sub(seg.onset) >= limits.min_tone_duration + STEADY_LAG
                    {
                        seg.confirmed = true;
                        events.started = Some(seg.onset_event());
                    }
                }
                return events;
            }
            if seg.end_candidate.is_none() {
                seg.end_candidate = Some(
                    locate_edge(history, end, seg.freq_hz, seg.reference, Edge::End)
                        .at
                        .max(seg.onset),
                );
            }
            seg.dropout += 1;
            let another_tone = shape != Shape::Other && !same_freq;
            let faded = !spectrum.analysed || level_db < seg.level_max_db - MAX_LEVEL_DROP_DB;
            if !(faded || another_tone || seg.dropout > MAX_DROPOUT_FRAMES) {
                return events;
            }
            let seg = *seg;
            self.segment = None;
            events = close(limits, &seg, seg.end_candidate.unwrap_or(end));
        }

        if let (Some(env), Shape::Steady | Shape::Rising) = (envelope, shape) {
            let onset = locate_edge(history, end, env.freq_hz, env.last, Edge::Onset);
            let steady = shape == Shape::Steady;
            self.segment = Some(Segment {
                onset: onset.at,
                sharp_onset: onset.sharp,
                freq_hz: env.freq_hz,
                last_freq_hz: env.freq_hz,
                freq_sum: if steady { env.freq_hz as f64 } else { 0.0 },
                steady_frames: steady as u32,
                level_max_db: level_db,
                level_sum_db: if steady { level_db as f64 } else { 0.0 },
                reference: env.mean,
                confirmed: false,
                dropout: 0,
                end_candidate: None,
            });
        }
        events
    }

    /// Ends whatever tone is sounding at the end of the stream.
    pub fn finish(&mut self, limits: &Limits, history: &History, end: u64) -> ToneEvents {
        let Some(seg) = self.segment.take() else {
            return ToneEvents::default();
        };
        let stop = seg.end_candidate.unwrap_or_else(|| {
            let found = locate_edge(history, end, seg.freq_hz, seg.reference, Edge::End)
                .at
                .max(seg.onset);
            // A tone still sounding when the stream stops (its envelope still up within the
            // averaging span) ends with the stream.
            if found + SPAN as u64 >= end {
                end
            } else {
                found
            }
        });
        close(limits, &seg, stop)
    }
}

/// The events of a segment that ends at `end`: the tone's end if it was long and steady
/// enough to be one, preceded by its start if that was not reported yet.
fn close(limits: &Limits, seg: &Segment, end: u64) -> ToneEvents {
    let long_enough = end.saturating_sub(seg.onset) + DURATION_SLACK >= limits.min_tone_duration;
    let ended = (seg.confirmed || (long_enough && seg.is_tone(end))).then(|| ToneSegment {
        onset: seg.onset,
        end,
        freq_hz: seg.freq_hz,
        level_dbfs: seg.level_db(),
    });
    ToneEvents {
        started: (ended.is_some() && !seg.confirmed).then(|| seg.onset_event()),
        ended,
    }
}
