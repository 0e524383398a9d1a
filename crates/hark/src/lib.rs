#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod config;
mod decision;
mod detector;
mod envelope;
mod event;
pub mod g711;
mod history;
mod plan;
mod spectrum;
mod tone;
mod vad;

pub use config::{Config, ConfigError, Preset, UnknownPreset};
pub use detector::{Detector, Frame};
pub use event::{
    Decision, Event, EventSink, MessageEnd, MessageEndBy, Outcome, Reason, ToneOnset, ToneSegment,
};
pub use plan::Plan;

/// The only sample rate the detector takes.
pub const SAMPLE_RATE: u32 = 8000;

/// Converts a sample position at 8 kHz to milliseconds.
pub fn samples_to_ms(samples: u64) -> f64 {
    samples as f64 * 1000.0 / SAMPLE_RATE as f64
}

const _: () = {
    const fn assert_send<T: Send>() {}
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send::<Detector>();
    assert_send_sync::<Plan>();
};
