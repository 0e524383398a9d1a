//! The per-call detector: samples in, events out.

use std::sync::Arc;

use crate::config::{Config, ConfigError};
use crate::decision::{Decider, Observation};
use crate::event::{Decision, Event, EventSink};
use crate::g711;
use crate::history::History;
use crate::plan::{Plan, HOP, WINDOW};
use crate::spectrum::Spectrum;
use crate::tone::{ToneEvents, ToneTracker};
use crate::vad::{SpeechBandFilter, Vad, VadEvents, SILENCE_DBFS};

/// What the detector measured in one 10 ms frame, for tracing and plots.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Stream position at the end of the frame.
    pub end: u64,
    /// The frame's energy in the speech band (above 200 Hz), in dBFS (a full-scale sine is
    /// -3 dBFS).
    pub energy_dbfs: f32,
    /// The VAD's noise floor in dBFS.
    pub floor_dbfs: f32,
    /// The VAD is in speech (hangover included).
    pub speech: bool,
    /// Share of the 32 ms window's energy in its strongest peak (0 when not analysed).
    pub tonality: f32,
    /// Frequency of that peak in Hz (0 when not analysed).
    pub peak_hz: f32,
    /// A possible tone is being followed.
    pub tone: bool,
}

/// Answering-machine detection for one call.
///
/// Push 8 kHz mono audio as it arrives, in chunks of any size; events go to the sink as soon
/// as they are known and do not depend on how the audio was chunked. Call
/// [`finish`](Detector::finish) at the end of the stream to be sure of a decision, and
/// [`reset`](Detector::reset) to reuse the detector for the next call. Nothing on this path
/// allocates or fails.
///
/// ```
/// use hark::{Config, Detector, Event, Outcome};
///
/// let mut detector = Detector::with_config(Config::default())?;
/// let mut decision = None;
/// // Six seconds of line silence: nobody is there.
/// let silence = vec![0i16; 160];
/// for _ in 0..300 {
///     detector.push_pcm16(&silence, &mut |event| {
///         if let Event::Decision(d) = event {
///             decision = Some(d);
///         }
///     });
/// }
/// let decision = decision.expect("silence_timeout has passed");
/// assert_eq!(decision.outcome, Outcome::Silence);
/// assert_eq!(hark::samples_to_ms(decision.at), 5000.0);
/// # Ok::<(), hark::ConfigError>(())
/// ```
pub struct Detector {
    plan: Arc<Plan>,
    history: History,
    hop_fill: usize,
    speech_band: SpeechBandFilter,
    /// Sum of squares of the speech-band signal over the frame so far.
    hop_energy: f32,
    spectrum: Spectrum,
    tone: ToneTracker,
    vad: Vad,
    decider: Decider,
    finished: bool,
}

impl Detector {
    /// A detector that shares `plan` with others.
    pub fn new(plan: Arc<Plan>) -> Self {
        let spectrum = Spectrum::new(&plan);
        Detector {
            plan,
            history: History::new(),
            hop_fill: 0,
            speech_band: SpeechBandFilter::default(),
            hop_energy: 0.0,
            spectrum,
            tone: ToneTracker::new(),
            vad: Vad::new(),
            decider: Decider::new(),
            finished: false,
        }
    }

    /// A detector with a plan of its own.
    pub fn with_config(config: Config) -> Result<Self, ConfigError> {
        Ok(Detector::new(Plan::new(config)?))
    }

    /// The shared plan.
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    /// Samples pushed since the start of the call (or the last reset).
    pub fn position(&self) -> u64 {
        self.history.pos()
    }

    /// The decision, once made.
    pub fn decision(&self) -> Option<&Decision> {
        self.decider.decision()
    }

    /// True after [`finish`](Detector::finish); pushes are then ignored until a reset.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Clears the per-call state for a new call, keeping every buffer.
    pub fn reset(&mut self) {
        self.history.reset();
        self.hop_fill = 0;
        self.speech_band = SpeechBandFilter::default();
        self.hop_energy = 0.0;
        self.spectrum.reset();
        self.tone.reset();
        self.vad.reset();
        self.decider.reset();
        self.finished = false;
    }

    /// Pushes 16-bit linear PCM samples.
    pub fn push_pcm16(&mut self, samples: &[i16], sink: &mut impl EventSink) {
        for &s in samples {
            self.push_sample(s, sink);
        }
    }

    /// Pushes G.711 mu-law bytes.
    pub fn push_ulaw(&mut self, bytes: &[u8], sink: &mut impl EventSink) {
        for &b in bytes {
            self.push_sample(g711::ulaw_to_linear(b), sink);
        }
    }

    /// Pushes G.711 A-law bytes.
    pub fn push_alaw(&mut self, bytes: &[u8], sink: &mut impl EventSink) {
        for &b in bytes {
            self.push_sample(g711::alaw_to_linear(b), sink);
        }
    }

    #[inline]
    fn push_sample(&mut self, sample: i16, sink: &mut impl EventSink) {
        if self.finished {
            return;
        }
        self.history.push(sample);
        let y = self.speech_band.filter(sample as f32 * (1.0 / 32768.0));
        self.hop_energy += y * y;
        self.hop_fill += 1;
        if self.hop_fill == HOP {
            self.hop_fill = 0;
            self.process_frame(sink);
        }
    }

    /// Ends the stream: closes any speech or tone still open and makes sure the call has
    /// its decision. The trailing partial frame (under 10 ms) is not analysed.
    pub fn finish(&mut self, sink: &mut impl EventSink) {
        if self.finished {
            return;
        }
        self.finished = true;
        let end = self.history.pos();
        let limits = self.plan.limits;
        let tone = self.tone.finish(&limits, &self.history, end);
        emit_tone(&tone, sink);
        let mut vad = VadEvents::default();
        if let Some(burst) = self.vad.finish() {
            vad.speech_end = Some(burst);
            sink.event(Event::SpeechEnd {
                start: burst.0,
                end: burst.1,
            });
        }
        let obs = Observation {
            end,
            tone,
            tone_active: false,
            vad,
            burst: None,
        };
        self.decider
            .finish(&limits, self.plan.config().delay_result, &obs, sink);
    }

    fn process_frame(&mut self, sink: &mut impl EventSink) {
        let end = self.history.pos();
        let limits = self.plan.limits;
        let energy_db = to_db(self.hop_energy / HOP as f32);
        self.hop_energy = 0.0;
        let window_db = mean_square_db(&self.history, end, WINDOW);

        let spectrum = self
            .spectrum
            .analyse(&self.plan, &self.history, end, window_db);
        let tone = self
            .tone
            .update(&limits, &self.history, end, &spectrum, window_db);
        emit_tone(&tone, sink);

        // Steady single or dual tones are not speech.
        let tonal = self.tone.active()
            || tone.ended.is_some()
            || (spectrum.analysed && spectrum.steady && spectrum.tonality2 >= 0.85);
        let vad = self.vad.update(end, energy_db, tonal);
        if let Some(at) = vad.speech_start {
            sink.event(Event::SpeechStart { at });
        }
        if let Some((start, end)) = vad.speech_end {
            sink.event(Event::SpeechEnd { start, end });
        }
        sink.frame(&Frame {
            end,
            energy_dbfs: energy_db,
            floor_dbfs: self.vad.floor_db(),
            speech: self.vad.in_speech(),
            tonality: spectrum.tonality,
            peak_hz: spectrum.peak_hz,
            tone: self.tone.active(),
        });

        let obs = Observation {
            end,
            tone,
            tone_active: self.tone.active(),
            vad,
            burst: self.vad.current_burst(),
        };
        self.decider
            .update(&limits, self.plan.config().delay_result, &obs, sink);
    }
}

fn emit_tone(tone: &ToneEvents, sink: &mut impl EventSink) {
    if let Some(onset) = tone.started {
        sink.event(Event::ToneStart(onset));
    }
    if let Some(segment) = tone.ended {
        sink.event(Event::ToneEnd(segment));
    }
}

/// Mean square of the `len` samples before `end`, in dBFS.
fn mean_square_db(history: &History, end: u64, len: usize) -> f32 {
    let start = end as i64 - len as i64;
    let sum: f32 = (start..end as i64)
        .map(|n| {
            let x = history.at(n);
            x * x
        })
        .sum();
    to_db(sum / len as f32)
}

fn to_db(mean: f32) -> f32 {
    if mean > 0.0 {
        (10.0 * mean.log10()).max(SILENCE_DBFS)
    } else {
        SILENCE_DBFS
    }
}
