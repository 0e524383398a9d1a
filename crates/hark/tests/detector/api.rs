//! The public surface: configuration errors, the one decision, finish, sinks.

use hark::{Config, ConfigError, Detector, Event, EventSink, Frame, Outcome, Plan, Preset};

use crate::support::*;

#[test]
fn bad_configurations_are_refused_with_the_field_named() {
    let cases = [
        (
            Config {
                detection_timeout: 10,
                ..Config::default()
            },
            "detection_timeout",
        ),
        (
            Config {
                silence_timeout: 0,
                ..Config::default()
            },
            "silence_timeout",
        ),
        (
            Config {
                speech_end_threshold: 70_000,
                ..Config::default()
            },
            "speech_end_threshold",
        ),
        (
            Config {
                machine_speech_end_threshold: Some(1),
                ..Config::default()
            },
            "machine_speech_end_threshold",
        ),
        (
            Config {
                min_tone_duration: 10,
                ..Config::default()
            },
            "min_tone_duration",
        ),
    ];
    for (config, field) in cases {
        let err = Plan::new(config).unwrap_err();
        assert!(
            matches!(err, ConfigError::OutOfRange { field: f, .. } if f == field),
            "{err}"
        );
        assert!(err.to_string().starts_with(field), "{err}");
        assert!(Detector::with_config(config).is_err());
    }
}

#[test]
fn presets_parse_and_reproduce_published_defaults() {
    let twilio: Preset = "twilio".parse().unwrap();
    let c = twilio.config();
    assert_eq!(
        (
            c.silence_timeout,
            c.speech_threshold,
            c.speech_end_threshold,
            c.detection_timeout
        ),
        (5000, 2400, 1200, 30_000)
    );
    let c = Preset::Bandwidth.config();
    assert_eq!(
        (
            c.silence_timeout,
            c.speech_threshold,
            c.speech_end_threshold,
            c.detection_timeout
        ),
        (10_000, 10_000, 5000, 15_000)
    );
    assert!(!c.delay_result);
}

#[test]
fn exactly_one_decision_and_pushes_after_finish_are_ignored() {
    let mut detector = Detector::with_config(Config::twilio()).unwrap();
    let mut events = Vec::new();
    detector.push_pcm16(&zeros(12_000), &mut events);
    detector.finish(&mut events);
    detector.push_pcm16(&zeros(1000), &mut events);
    detector.finish(&mut events);
    assert_eq!(decisions(&events).len(), 1);
    assert!(detector.is_finished());
    assert_eq!(detector.position(), samples(12_000) as u64);
    assert_eq!(detector.decision().unwrap().outcome, Outcome::Silence);
}

#[test]
fn extreme_samples_never_panic_and_still_decide() {
    let mut rng = Rng::new(99);
    let wild: Vec<i16> = (0..samples(8000))
        .map(|i| match (i / 4000) % 4 {
            0 => i16::MAX,
            1 => i16::MIN,
            2 => (rng.next_f32() * 65535.0 - 32768.0) as i16,
            _ => {
                if i % 2 == 0 {
                    i16::MAX
                } else {
                    i16::MIN
                }
            }
        })
        .collect();
    let events = run_chunked(Config::default(), &wild, 33);
    assert_eq!(decisions(&events).len(), 1);
    let bytes: Vec<u8> = (0..=255u8).cycle().take(40_000).collect();
    let mut d = Detector::with_config(Config::default()).unwrap();
    let mut events = Vec::new();
    d.push_ulaw(&bytes, &mut events);
    d.push_alaw(&bytes, &mut events);
    d.finish(&mut events);
    assert_eq!(decisions(&events).len(), 1);
}

#[test]
fn a_sink_can_watch_every_frame() {
    struct Trace {
        frames: Vec<Frame>,
        events: usize,
    }
    impl EventSink for Trace {
        fn event(&mut self, _: Event) {
            self.events += 1;
        }
        fn frame(&mut self, frame: &Frame) {
            self.frames.push(*frame);
        }
    }
    let mut trace = Trace {
        frames: Vec::new(),
        events: 0,
    };
    let mut d = Detector::with_config(Config::default()).unwrap();
    let audio = pcm(&concat(&[
        silence(500),
        sine(1000.0, 300, -10.0),
        silence(200),
    ]));
    d.push_pcm16(&audio, &mut trace);
    d.finish(&mut trace);
    assert_eq!(trace.frames.len(), audio.len() / 80);
    assert!(trace.events >= 3);
    let in_beep = trace.frames[(500 + 150) / 10];
    assert!(in_beep.tone && in_beep.tonality > 0.9, "{in_beep:?}");
    assert!((in_beep.peak_hz - 1000.0).abs() < 10.0);
    assert!((in_beep.energy_dbfs + 10.0).abs() < 0.5, "{in_beep:?}");
}
