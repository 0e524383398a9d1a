//! Detector parameters from a preset, a TOML file and flags, in that order of precedence.

use std::path::{Path, PathBuf};

use clap::Args;
use hark::{Config, Preset};
use serde::Deserialize;

/// Every detector parameter as a flag (milliseconds).
#[derive(Debug, Clone, Args)]
pub struct DetectorArgs {
    /// Start from a preset: hark (the default), twilio or bandwidth.
    #[arg(long)]
    pub preset: Option<Preset>,
    /// A TOML file of parameters (same names as the flags, with underscores).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Nothing decided by this time: timeout.
    #[arg(long, value_name = "MS")]
    pub detection_timeout: Option<u32>,
    /// No speech before this time: silence.
    #[arg(long, value_name = "MS")]
    pub silence_timeout: Option<u32>,
    /// This much speech in the greeting: answering-machine.
    #[arg(long, value_name = "MS")]
    pub speech_threshold: Option<u32>,
    /// This much silence after a short utterance: human.
    #[arg(long, value_name = "MS")]
    pub speech_end_threshold: Option<u32>,
    /// Silence that ends a machine's message (default: speech_end_threshold).
    #[arg(long, value_name = "MS")]
    pub machine_speech_end_threshold: Option<u32>,
    /// Hold answering-machine until the machine's message ends.
    #[arg(long)]
    pub delay_result: bool,
    /// An utterance this long is greeting-like.
    #[arg(long, value_name = "MS")]
    pub long_utterance: Option<u32>,
    /// Silence needed for human after a greeting-like utterance (0: off).
    #[arg(long, value_name = "MS")]
    pub long_utterance_end_threshold: Option<u32>,
    /// Shortest pure tone reported.
    #[arg(long, value_name = "MS")]
    pub min_tone_duration: Option<u32>,
}

/// The parameters a TOML file (or the flags) may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileParams {
    preset: Option<String>,
    detection_timeout: Option<u32>,
    silence_timeout: Option<u32>,
    speech_threshold: Option<u32>,
    speech_end_threshold: Option<u32>,
    machine_speech_end_threshold: Option<u32>,
    delay_result: Option<bool>,
    long_utterance: Option<u32>,
    long_utterance_end_threshold: Option<u32>,
    min_tone_duration: Option<u32>,
}

impl FileParams {
    /// Sets every parameter this layer names.
    fn apply(&self, c: &mut Config) {
        c.detection_timeout = self.detection_timeout.unwrap_or(c.detection_timeout);
        c.silence_timeout = self.silence_timeout.unwrap_or(c.silence_timeout);
        c.speech_threshold = self.speech_threshold.unwrap_or(c.speech_threshold);
        c.speech_end_threshold = self.speech_end_threshold.unwrap_or(c.speech_end_threshold);
        c.machine_speech_end_threshold = self
            .machine_speech_end_threshold
            .or(c.machine_speech_end_threshold);
        c.delay_result = self.delay_result.unwrap_or(c.delay_result);
        c.long_utterance = self.long_utterance.unwrap_or(c.long_utterance);
        c.long_utterance_end_threshold = self
            .long_utterance_end_threshold
            .unwrap_or(c.long_utterance_end_threshold);
        c.min_tone_duration = self.min_tone_duration.unwrap_or(c.min_tone_duration);
    }
}

fn read_file(path: &Path) -> Result<FileParams, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

impl DetectorArgs {
    /// The flags as a layer over the file's parameters (`--delay-result` can only turn it on).
    fn overrides(&self) -> FileParams {
        FileParams {
            preset: None,
            detection_timeout: self.detection_timeout,
            silence_timeout: self.silence_timeout,
            speech_threshold: self.speech_threshold,
            speech_end_threshold: self.speech_end_threshold,
            machine_speech_end_threshold: self.machine_speech_end_threshold,
            delay_result: self.delay_result.then_some(true),
            long_utterance: self.long_utterance,
            long_utterance_end_threshold: self.long_utterance_end_threshold,
            min_tone_duration: self.min_tone_duration,
        }
    }

    /// The configuration these arguments describe, checked.
    pub fn config(&self) -> Result<Config, String> {
        let file = match &self.config {
            Some(path) => read_file(path)?,
            None => FileParams::default(),
        };
        // A preset named on the command line wins over the file's.
        let preset = match (self.preset, &file.preset) {
            (Some(preset), _) => preset,
            (None, Some(name)) => name.parse::<Preset>().map_err(|e| {
                let path = self.config.as_deref().unwrap_or(Path::new(""));
                format!("{}: {e}", path.display())
            })?,
            (None, None) => Preset::Hark,
        };
        let mut c = preset.config();
        file.apply(&mut c);
        self.overrides().apply(&mut c);
        c.validate().map_err(|e| e.to_string())?;
        Ok(c)
    }
}
