//! Detector parameters: plain data, checked once when a [`Plan`](crate::Plan) is built.

use std::fmt;
use std::str::FromStr;

/// Every knob of the detector, in milliseconds.
///
/// The first six are Bandwidth's `machineDetection` parameters under their snake_case names;
/// the rest are hark's own. Build one with [`Config::default`] (hark's defaults),
/// [`Config::twilio`] or [`Config::bandwidth`], adjust fields, and hand it to
/// [`Plan::new`](crate::Plan::new), which checks every value once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Nothing decided by this time => `timeout`.
    pub detection_timeout: u32,
    /// No speech before this time => `silence`.
    pub silence_timeout: u32,
    /// Speech adding up to this much within the greeting => `answering-machine`.
    pub speech_threshold: u32,
    /// Silence this long after a short utterance => `human`.
    pub speech_end_threshold: u32,
    /// Silence this long after a machine's speech ends its message. `None` uses
    /// `speech_end_threshold`, as Bandwidth does.
    pub machine_speech_end_threshold: Option<u32>,
    /// Hold an `answering-machine` verdict until the machine's message ends (beep or silence).
    pub delay_result: bool,
    /// hark: an utterance at least this long is greeting-like, and the silence that follows it
    /// must reach `long_utterance_end_threshold` before the caller is taken for a person.
    pub long_utterance: u32,
    /// hark: silence needed for `human` after a greeting-like utterance; never less than
    /// `speech_end_threshold`. Short voicemail greetings pause 1.2-2.4 s before going on.
    /// 0 turns the rule off.
    pub long_utterance_end_threshold: u32,
    /// hark: the shortest pure tone reported as a tone (a beep).
    pub min_tone_duration: u32,
}

/// A named set of defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Preset {
    /// hark's own defaults (see [`Config::default`]).
    Hark,
    /// Twilio AnsweredBy's published defaults.
    Twilio,
    /// Bandwidth machineDetection's published defaults.
    Bandwidth,
}

impl Preset {
    /// Every preset, for listings.
    pub const ALL: [Preset; 3] = [Preset::Hark, Preset::Twilio, Preset::Bandwidth];

    /// The preset's name as used on command lines: `hark`, `twilio`, `bandwidth`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Hark => "hark",
            Preset::Twilio => "twilio",
            Preset::Bandwidth => "bandwidth",
        }
    }

    /// The configuration this preset stands for.
    pub fn config(self) -> Config {
        match self {
            Preset::Hark => Config::default(),
            Preset::Twilio => Config::twilio(),
            Preset::Bandwidth => Config::bandwidth(),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name given to [`Preset::from_str`] is none of the presets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPreset(pub String);

impl fmt::Display for UnknownPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown preset {:?} (expected one of: hark, twilio, bandwidth)",
            self.0
        )
    }
}

impl std::error::Error for UnknownPreset {}

impl FromStr for Preset {
    type Err = UnknownPreset;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Preset::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownPreset(s.to_string()))
    }
}

impl Default for Config {
    /// hark's defaults: Twilio's timing (2400 ms of speech is a machine, 1200 ms of silence
    /// after a short utterance is a person, 5 s of initial silence), a 30 s overall limit,
    /// and the long-utterance rule that keeps short voicemail greetings from being taken
    /// for people.
    fn default() -> Self {
        Config {
            detection_timeout: 30_000,
            silence_timeout: 5_000,
            speech_threshold: 2_400,
            speech_end_threshold: 1_200,
            machine_speech_end_threshold: None,
            delay_result: false,
            long_utterance: 1_200,
            long_utterance_end_threshold: 2_500,
            min_tone_duration: 80,
        }
    }
}

impl Config {
    /// Twilio's published AnsweredBy defaults: Timeout 30 s, SilenceTimeout 5000 ms,
    /// SpeechThreshold 2400 ms, SpeechEndThreshold 1200 ms. hark's own knobs keep their defaults.
    pub fn twilio() -> Self {
        Config {
            detection_timeout: 30_000,
            silence_timeout: 5_000,
            speech_threshold: 2_400,
            speech_end_threshold: 1_200,
            machine_speech_end_threshold: None,
            delay_result: false,
            ..Config::default()
        }
    }

    /// Bandwidth's published machineDetection defaults: detectionTimeout 15 s,
    /// silenceTimeout 10 s, speechThreshold 10 s, speechEndThreshold 5 s,
    /// machineSpeechEndThreshold = speechEndThreshold, delayResult off.
    pub fn bandwidth() -> Self {
        Config {
            detection_timeout: 15_000,
            silence_timeout: 10_000,
            speech_threshold: 10_000,
            speech_end_threshold: 5_000,
            machine_speech_end_threshold: None,
            delay_result: false,
            ..Config::default()
        }
    }

    /// The silence that ends a machine's message, with Bandwidth's fallback applied.
    pub fn effective_machine_speech_end_threshold(&self) -> u32 {
        self.machine_speech_end_threshold
            .unwrap_or(self.speech_end_threshold)
    }

    /// Checks every field against its allowed range.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let check = |field: &'static str, value: u32, min: u32, max: u32| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(ConfigError::OutOfRange {
                    field,
                    value,
                    min,
                    max,
                })
            }
        };
        check("detection_timeout", self.detection_timeout, 1_000, 300_000)?;
        check("silence_timeout", self.silence_timeout, 500, 300_000)?;
        check("speech_threshold", self.speech_threshold, 100, 300_000)?;
        check(
            "speech_end_threshold",
            self.speech_end_threshold,
            100,
            60_000,
        )?;
        if let Some(v) = self.machine_speech_end_threshold {
            check("machine_speech_end_threshold", v, 100, 60_000)?;
        }
        check("long_utterance", self.long_utterance, 100, 60_000)?;
        if self.long_utterance_end_threshold != 0 {
            check(
                "long_utterance_end_threshold",
                self.long_utterance_end_threshold,
                100,
                60_000,
            )?;
        }
        check("min_tone_duration", self.min_tone_duration, 40, 5_000)?;
        if self.silence_timeout > self.detection_timeout {
            return Err(ConfigError::Inconsistent {
                field: "silence_timeout",
                value: self.silence_timeout,
                other: "detection_timeout",
                other_value: self.detection_timeout,
            });
        }
        Ok(())
    }
}

/// A configuration value outside what the detector accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A field is outside its range (milliseconds unless stated).
    OutOfRange {
        /// The field's name, as in [`Config`].
        field: &'static str,
        /// The value given.
        value: u32,
        /// Smallest allowed value.
        min: u32,
        /// Largest allowed value.
        max: u32,
    },
    /// A field must not exceed another.
    Inconsistent {
        /// The field that is too large.
        field: &'static str,
        /// Its value.
        value: u32,
        /// The field it must not exceed.
        other: &'static str,
        /// That field's value.
        other_value: u32,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::OutOfRange {
                field,
                value,
                min,
                max,
            } => write!(
                f,
                "{field} = {value} ms is out of range (allowed {min}..={max} ms)"
            ),
            ConfigError::Inconsistent {
                field,
                value,
                other,
                other_value,
            } => write!(
                f,
                "{field} = {value} ms must not exceed {other} = {other_value} ms"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid_and_distinct() {
        for p in Preset::ALL {
            p.config().validate().unwrap();
            assert_eq!(p.name().parse::<Preset>().unwrap(), p);
        }
        assert_eq!(Config::bandwidth().speech_threshold, 10_000);
        assert_eq!(Config::twilio().speech_end_threshold, 1_200);
        assert_eq!(
            Config::bandwidth().effective_machine_speech_end_threshold(),
            5_000
        );
    }

    #[test]
    fn out_of_range_names_field_value_and_range() {
        let c = Config {
            speech_threshold: 50,
            ..Config::default()
        };
        let e = c.validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "speech_threshold = 50 ms is out of range (allowed 100..=300000 ms)"
        );
        let c = Config {
            silence_timeout: 20_000,
            detection_timeout: 10_000,
            ..Config::default()
        };
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "silence_timeout = 20000 ms must not exceed detection_timeout = 10000 ms"
        );
        assert!("nope"
            .parse::<Preset>()
            .unwrap_err()
            .to_string()
            .contains("nope"));
    }
}
