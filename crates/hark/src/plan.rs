//! The shared, immutable half of a detector: checked configuration, FFT plan and window.

use std::fmt;
use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use crate::config::{Config, ConfigError};
use crate::SAMPLE_RATE;

/// Samples between two analysis frames (10 ms).
pub(crate) const HOP: usize = 80;
/// Samples in one FFT window (32 ms, 31.25 Hz bins).
pub(crate) const WINDOW: usize = 256;
/// Spectrum bins of one window.
pub(crate) const BINS: usize = WINDOW / 2 + 1;
/// Recent samples kept for locating tone edges to the sample.
pub(crate) const HISTORY: usize = 512;

/// Converts milliseconds to samples at 8 kHz.
pub(crate) const fn ms(ms: u32) -> u64 {
    ms as u64 * (SAMPLE_RATE as u64 / 1000)
}

/// A configuration's limits in samples, precomputed once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub detection_timeout: u64,
    pub silence_timeout: u64,
    pub speech_threshold: u64,
    pub speech_end_threshold: u64,
    pub machine_speech_end_threshold: u64,
    pub long_utterance: u64,
    pub long_utterance_end_threshold: u64,
    pub min_tone_duration: u64,
}

/// Everything a detector needs that does not change during a call: the checked [`Config`],
/// the FFT plan and the analysis window. Build it once per configuration and share it, behind
/// its `Arc`, between every call on a server.
pub struct Plan {
    config: Config,
    pub(crate) limits: Limits,
    pub(crate) fft: Arc<dyn RealToComplex<f32>>,
    pub(crate) window: Box<[f32]>,
    pub(crate) scratch_len: usize,
}

impl Plan {
    /// Checks `config` and builds the shared analysis plan.
    ///
    /// ```
    /// let plan = hark::Plan::new(hark::Config::twilio())?;
    /// let bad = hark::Config { speech_threshold: 5, ..hark::Config::default() };
    /// assert!(hark::Plan::new(bad).is_err());
    /// # Ok::<(), hark::ConfigError>(())
    /// ```
    pub fn new(config: Config) -> Result<Arc<Plan>, ConfigError> {
        config.validate()?;
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(WINDOW);
        let scratch_len = fft.get_scratch_len();
        // Periodic Hann window, scaled so a full-scale sine's peak bin reads 0 dB.
        let window: Box<[f32]> = (0..WINDOW)
            .map(|i| {
                let w = 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / WINDOW as f64).cos();
                w as f32
            })
            .collect();
        let limits = Limits {
            detection_timeout: ms(config.detection_timeout),
            silence_timeout: ms(config.silence_timeout),
            speech_threshold: ms(config.speech_threshold),
            speech_end_threshold: ms(config.speech_end_threshold),
            machine_speech_end_threshold: ms(config.effective_machine_speech_end_threshold()),
            long_utterance: ms(config.long_utterance),
            long_utterance_end_threshold: ms(config.long_utterance_end_threshold),
            min_tone_duration: ms(config.min_tone_duration),
        };
        Ok(Arc::new(Plan {
            config,
            limits,
            fft,
            window,
            scratch_len,
        }))
    }

    /// The checked configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plan")
            .field("config", &self.config)
            .field("window", &WINDOW)
            .field("hop", &HOP)
            .finish()
    }
}
