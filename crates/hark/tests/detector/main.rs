//! hark's detector, tested on synthesised signals and real recordings.

mod api;
mod invariance;
mod real_audio;
mod scenarios;
mod support;
mod tones;
mod vad;
