//! Adaptive energy voice-activity detection.
//!
//! Each 10 ms frame's energy is compared with a noise floor tracked by minimum statistics
//! (the quietest frame of the last second or so), not with a fixed level as Asterisk does.
//! Speech needs a margin over the floor to start and a smaller one to go on (hysteresis),
//! must last [`MIN_BURST_FRAMES`] so clicks don't count, and ends only after
//! [`HANGOVER_FRAMES`] below the floor margin so pauses between syllables don't split words.
//! Tonal frames (beeps, ringback, fax) are never speech.

use crate::plan::HOP;

/// Start margin over the noise floor.
const START_MARGIN_DB: f32 = 9.0;
/// Margin over the noise floor that keeps speech going.
const CONTINUE_MARGIN_DB: f32 = 5.0;
/// Nothing quieter than this is speech, whatever the floor.
const MIN_SPEECH_DBFS: f32 = -58.0;
/// A louder "floor" is a signal, not line noise.
const MAX_FLOOR_DBFS: f32 = -15.0;
/// The minimum of a noise's frames sits below its mean by about this much.
const FLOOR_BIAS_DB: f32 = 1.5;
/// Shortest burst that counts as speech (60 ms).
const MIN_BURST_FRAMES: u32 = 6;
/// Quiet frames that end speech (200 ms).
const HANGOVER_FRAMES: u32 = 20;
/// Minimum-statistics blocks: the floor is the quietest frame of the last
/// `FLOOR_BLOCKS * FLOOR_BLOCK_FRAMES` frames (1 s).
const FLOOR_BLOCKS: usize = 5;
const FLOOR_BLOCK_FRAMES: u32 = 20;
/// Energy given to digital silence.
pub(crate) const SILENCE_DBFS: f32 = -100.0;

/// A second-order Butterworth high-pass at 200 Hz: the VAD measures energy in the speech
/// band, so mains hum and the rumble of low-frequency line noise are not taken for voices.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SpeechBandFilter {
    x1: f32,
    x2: f32,
    y1: f32,
    y2: f32,
}

/// Coefficients (b0, b1, b2, a1, a2) for 200 Hz at 8 kHz, Q = 1/sqrt(2).
const HIGH_PASS: [f32; 5] = {
    // cos(2 pi 200 / 8000) and sin(...) / (2 Q), worked out once.
    let cos = 0.987_688_34_f64;
    let alpha = 0.110_615_87_f64;
    let a0 = 1.0 + alpha;
    [
        ((1.0 + cos) / 2.0 / a0) as f32,
        (-(1.0 + cos) / a0) as f32,
        ((1.0 + cos) / 2.0 / a0) as f32,
        (-2.0 * cos / a0) as f32,
        ((1.0 - alpha) / a0) as f32,
    ]
};

impl SpeechBandFilter {
    /// Filters one sample (scaled to -1..1).
    #[inline]
    pub fn filter(&mut self, x: f32) -> f32 {
        let [b0, b1, b2, a1, a2] = HIGH_PASS;
        let y = b0 * x + b1 * self.x1 + b2 * self.x2 - a1 * self.y1 - a2 * self.y2;
        self.x2 = self.x1;
        self.x1 = x;
        self.y2 = self.y1;
        self.y1 = y;
        y
    }
}

/// What a frame changed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct VadEvents {
    /// A burst became long enough to be speech; it began here.
    pub speech_start: Option<u64>,
    /// Speech ended: `(start, end)`.
    pub speech_end: Option<(u64, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Quiet,
    /// Loud frames since `start`, not yet long enough to be speech.
    Pending {
        start: u64,
        frames: u32,
    },
    /// Speech since `start`; the last voiced frame ended at `voiced_until`.
    Speech {
        start: u64,
        voiced_until: u64,
    },
}

/// The per-call VAD state.
pub(crate) struct Vad {
    state: State,
    block_min: [f32; FLOOR_BLOCKS],
    block: usize,
    block_frames: u32,
    floor_db: f32,
}

impl Vad {
    pub fn new() -> Self {
        Vad {
            state: State::Quiet,
            block_min: [f32::INFINITY; FLOOR_BLOCKS],
            block: 0,
            block_frames: 0,
            floor_db: SILENCE_DBFS,
        }
    }

    pub fn reset(&mut self) {
        *self = Vad::new();
    }

    /// The current noise floor in dBFS.
    pub fn floor_db(&self) -> f32 {
        self.floor_db
    }

    /// True while in speech (including the hangover).
    pub fn in_speech(&self) -> bool {
        matches!(self.state, State::Speech { .. })
    }

    /// The ongoing burst's start and the end of its last voiced frame.
    pub fn current_burst(&self) -> Option<(u64, u64)> {
        match self.state {
            State::Speech {
                start,
                voiced_until,
            } => Some((start, voiced_until)),
            _ => None,
        }
    }

    fn track_floor(&mut self, energy_db: f32) {
        let slot = &mut self.block_min[self.block];
        *slot = slot.min(energy_db);
        self.block_frames += 1;
        if self.block_frames == FLOOR_BLOCK_FRAMES {
            self.block_frames = 0;
            self.block = (self.block + 1) % FLOOR_BLOCKS;
            self.block_min[self.block] = f32::INFINITY;
        }
        let min = self.block_min.iter().copied().fold(f32::INFINITY, f32::min);
        self.floor_db = (min + FLOOR_BIAS_DB).clamp(SILENCE_DBFS, MAX_FLOOR_DBFS);
    }

    /// Takes the frame `[end - HOP, end)` with its energy, and whether it is tonal.
    pub fn update(&mut self, end: u64, energy_db: f32, tonal: bool) -> VadEvents {
        self.track_floor(energy_db);
        let start_of_frame = end - HOP as u64;
        let loud = |margin: f32| {
            !tonal && energy_db >= MIN_SPEECH_DBFS && energy_db >= self.floor_db + margin
        };
        let starts = loud(START_MARGIN_DB);
        let continues = loud(CONTINUE_MARGIN_DB);
        let mut events = VadEvents::default();
        self.state = match self.state {
            State::Quiet if starts => self.pending(start_of_frame, 1, &mut events),
            State::Quiet => State::Quiet,
            State::Pending { start, frames } if continues => {
                self.pending(start, frames + 1, &mut events)
            }
            State::Pending { .. } => State::Quiet,
            State::Speech { start, .. } if continues => State::Speech {
                start,
                voiced_until: end,
            },
            State::Speech {
                start,
                voiced_until,
            } => {
                if end - voiced_until >= HANGOVER_FRAMES as u64 * HOP as u64 {
                    events.speech_end = Some((start, voiced_until));
                    State::Quiet
                } else {
                    self.state
                }
            }
        };
        events
    }

    fn pending(&self, start: u64, frames: u32, events: &mut VadEvents) -> State {
        if frames >= MIN_BURST_FRAMES {
            events.speech_start = Some(start);
            State::Speech {
                start,
                voiced_until: start + frames as u64 * HOP as u64,
            }
        } else {
            State::Pending { start, frames }
        }
    }

    /// Ends speech at the end of the stream.
    pub fn finish(&mut self) -> Option<(u64, u64)> {
        let ended = self.current_burst();
        self.state = State::Quiet;
        ended
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gain_db(freq: f32) -> f32 {
        let mut f = SpeechBandFilter::default();
        let (mut inp, mut out) = (0.0f32, 0.0f32);
        for n in 0..16_000 {
            let x = (2.0 * std::f32::consts::PI * freq * n as f32 / 8000.0).sin();
            let y = f.filter(x);
            if n >= 8000 {
                inp += x * x;
                out += y * y;
            }
        }
        10.0 * (out / inp).log10()
    }

    #[test]
    fn the_speech_band_filter_passes_speech_and_stops_hum() {
        assert!((gain_db(200.0) + 3.0).abs() < 0.3, "{}", gain_db(200.0));
        assert!(gain_db(1000.0).abs() < 0.1);
        assert!(gain_db(3000.0).abs() < 0.1);
        assert!(gain_db(50.0) < -23.0, "{}", gain_db(50.0));
        assert!(gain_db(60.0) < -20.0);
    }
}
