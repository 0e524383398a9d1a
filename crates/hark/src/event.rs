//! What the detector reports, and where it reports it.
//!
//! Every position is a sample index from the start of the call at 8 kHz; convert to
//! milliseconds at the edge with [`samples_to_ms`](crate::samples_to_ms).

use std::fmt;

/// Who answered, in Bandwidth's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// A person.
    Human,
    /// A voicemail or answering machine.
    AnsweringMachine,
    /// A tone (a voicemail beep, fax, ...) before anything else was decided.
    ToneDetected,
    /// Nothing but silence until `silence_timeout`.
    Silence,
    /// Nothing decided by `detection_timeout` (or by the end of the stream).
    Timeout,
}

impl Outcome {
    /// The result as the webhook APIs spell it: `human`, `answering-machine`,
    /// `tone-detected`, `silence`, `timeout`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Human => "human",
            Outcome::AnsweringMachine => "answering-machine",
            Outcome::ToneDetected => "tone-detected",
            Outcome::Silence => "silence",
            Outcome::Timeout => "timeout",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the decision went the way it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// No speech before `silence_timeout`.
    InitialSilence,
    /// Speech added up to `speech_threshold`.
    LongGreeting,
    /// Speech, then enough silence: someone said a few words and is waiting.
    SilenceAfterGreeting,
    /// A pure tone was heard before anything else decided the call.
    Tone,
    /// `detection_timeout` passed.
    DetectionTimeout,
    /// The stream ended before any rule fired.
    EndOfStream,
}

impl Reason {
    /// A short kebab-case name: `initial-silence`, `long-greeting`, `silence-after-greeting`,
    /// `tone`, `detection-timeout`, `end-of-stream`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InitialSilence => "initial-silence",
            Reason::LongGreeting => "long-greeting",
            Reason::SilenceAfterGreeting => "silence-after-greeting",
            Reason::Tone => "tone",
            Reason::DetectionTimeout => "detection-timeout",
            Reason::EndOfStream => "end-of-stream",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pure tone, located to the sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToneSegment {
    /// First sample of the tone.
    pub onset: u64,
    /// One past the last sample of the tone.
    pub end: u64,
    /// Mean frequency in Hz.
    pub freq_hz: f32,
    /// RMS level in dBFS (a full-scale sine is -3 dBFS).
    pub level_dbfs: f32,
}

impl ToneSegment {
    /// Length in samples.
    pub fn duration(&self) -> u64 {
        self.end.saturating_sub(self.onset)
    }
}

/// A tone that has lasted long enough to count, reported before it ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToneOnset {
    /// First sample of the tone.
    pub onset: u64,
    /// Frequency measured so far, in Hz.
    pub freq_hz: f32,
    /// RMS level so far, in dBFS.
    pub level_dbfs: f32,
}

/// What ended a machine's message.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum MessageEndBy {
    /// The beep (or other tone) that invites the caller to speak.
    Beep(ToneSegment),
    /// `machine_speech_end_threshold` of silence after the machine's speech.
    Silence {
        /// Where the machine's last speech ended.
        speech_end: u64,
    },
}

impl MessageEndBy {
    /// `beep` or `silence`.
    pub fn as_str(&self) -> &'static str {
        match self {
            MessageEndBy::Beep(_) => "beep",
            MessageEndBy::Silence { .. } => "silence",
        }
    }
}

/// The end of an answering machine's message: the moment a dialer can start talking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MessageEnd {
    /// Stream position at which the end was recognised.
    pub at: u64,
    /// What ended it.
    pub by: MessageEndBy,
}

/// The verdict, made exactly once per call, with the evidence behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// Who answered.
    pub outcome: Outcome,
    /// Stream position at which the decision was made (and emitted).
    pub at: u64,
    /// Which rule decided.
    pub reason: Reason,
    /// Where the first speech began, if any.
    pub first_speech: Option<u64>,
    /// Samples of speech measured before the decision.
    pub speech: u64,
    /// Where the last speech ended, if speech had ended.
    pub last_speech_end: Option<u64>,
    /// The tone that decided the call (for [`Reason::Tone`]).
    pub tone: Option<ToneOnset>,
    /// For a verdict held by `delay_result`: where the machine's message ended, and how.
    pub message_end: Option<MessageEnd>,
}

/// Everything the detector reports.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// Speech began at this sample (reported once the burst is long enough to be speech).
    SpeechStart {
        /// First sample of the speech burst.
        at: u64,
    },
    /// Speech ended (reported after the hangover has confirmed the pause).
    SpeechEnd {
        /// First sample of the speech burst.
        start: u64,
        /// One past the last sample of speech.
        end: u64,
    },
    /// A pure tone has lasted `min_tone_duration` and is still going.
    ToneStart(ToneOnset),
    /// A pure tone that lasted at least `min_tone_duration` has ended.
    ToneEnd(ToneSegment),
    /// The call's one decision.
    Decision(Decision),
    /// A machine's message has ended (after an `answering-machine` or `tone-detected`
    /// decision): the caller may start talking.
    MessageEnd(MessageEnd),
}

/// Receives events as the detector produces them (ripgrep's `Sink` idea).
///
/// Any `FnMut(Event)` is a sink, which does not allocate. `Vec<Event>` is a sink too, for
/// tests and tools; it allocates as it grows.
pub trait EventSink {
    /// Called once per event, in stream order.
    fn event(&mut self, event: Event);

    /// Called once per 10 ms frame with what the detector measured; ignored unless a sink
    /// wants it (for tracing and plots).
    fn frame(&mut self, _frame: &crate::Frame) {}
}

impl<F: FnMut(Event)> EventSink for F {
    fn event(&mut self, event: Event) {
        self(event)
    }
}

/// Collects events; allocates as it grows, so keep it off real-time paths.
impl EventSink for Vec<Event> {
    fn event(&mut self, event: Event) {
        self.push(event)
    }
}
