//! Tone detection: amd-facts section 5, items 1 and 3.

use hark::{Config, Event, Outcome};

use crate::support::*;

/// A beep after a short silence, then silence.
fn beep_call(freq: f32, ms_on: u32, dbfs: f32) -> Vec<i16> {
    pcm(&concat(&[
        silence(300),
        sine(freq, ms_on, dbfs),
        silence(1000),
    ]))
}

#[test]
fn pure_beeps_are_found_with_frequency_and_duration() {
    let mut worst_freq = 0.0f32;
    let mut worst_onset = 0i64;
    let mut worst_len = 0i64;
    for freq in [
        1000.0, 1200.0, 1400.0, 1600.0, 440.0, 690.0, 850.0, 313.0, 2100.0, 3300.0,
    ] {
        for (len_ms, dbfs) in [(80, -20.0), (300, -10.0), (1500, -30.0)] {
            let events = run(Config::default(), &beep_call(freq, len_ms, dbfs));
            let found = tones(&events);
            assert_eq!(found.len(), 1, "{freq} Hz {len_ms} ms: {found:?}");
            let t = found[0];
            let onset_err = t.onset as i64 - samples(300) as i64;
            let len_err = t.duration() as i64 - samples(len_ms) as i64;
            assert!((t.freq_hz - freq).abs() <= 10.0, "{freq} Hz: {t:?}");
            assert!(onset_err.abs() <= 80, "{freq} Hz onset off by {onset_err}");
            assert!(
                len_err.abs() <= 80,
                "{freq} Hz {len_ms} ms: length off by {len_err}"
            );
            assert!((t.level_dbfs - dbfs).abs() <= 1.5, "{freq} Hz level {t:?}");
            worst_freq = worst_freq.max((t.freq_hz - freq).abs());
            worst_onset = worst_onset.max(onset_err.abs());
            worst_len = worst_len.max(len_err.abs());
            let d = decision(&events);
            assert_eq!(d.outcome, Outcome::ToneDetected, "{freq} Hz {len_ms} ms");
        }
    }
    eprintln!(
        "beeps: worst frequency error {worst_freq:.2} Hz, onset {worst_onset} samples, \
         length {worst_len} samples"
    );
}

#[test]
fn a_beep_split_over_120_120_60_ms_pushes_has_its_exact_length() {
    let beep = pcm(&sine(1000.0, 300, -12.0));
    let mut detector = hark::Detector::with_config(Config::default()).unwrap();
    let mut events = Vec::new();
    detector.push_pcm16(&pcm(&silence(500)), &mut events);
    for (from, to) in [(0, 960), (960, 1920), (1920, 2400)] {
        detector.push_pcm16(&beep[from..to], &mut events);
    }
    detector.push_pcm16(&pcm(&silence(500)), &mut events);
    detector.finish(&mut events);
    let found = tones(&events);
    assert_eq!(found.len(), 1, "{found:?}");
    // A sine starting at phase zero has a zero first sample: one sample of slack.
    assert!(found[0].onset.abs_diff(4000) <= 1, "{:?}", found[0]);
    assert!(found[0].end.abs_diff(6400) <= 1, "{:?}", found[0]);
}

#[test]
fn a_low_level_beep_is_found() {
    let events = run(Config::default(), &beep_call(1000.0, 200, -50.0));
    let found = tones(&events);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!((found[0].freq_hz - 1000.0).abs() < 10.0);
}

#[test]
fn a_beep_in_line_noise_at_10_db_snr_is_found() {
    let audio = mix(
        concat(&[silence(500), sine(850.0, 250, -30.0), silence(800)]),
        &noise(1550, -40.0, 7),
    );
    let found = tones(&run(Config::default(), &pcm(&audio)));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!((found[0].freq_hz - 850.0).abs() < 10.0);
    assert!((ms(found[0].duration()) - 250.0).abs() <= 10.0, "{found:?}");
}

#[test]
fn a_drifting_beep_is_one_tone() {
    // +-10 Hz of slow drift, as some voicemail systems produce.
    let mut phase = 0.0f32;
    let a = sine_amplitude(-15.0);
    let beep: Vec<f32> = (0..samples(600))
        .map(|n| {
            let f = 1400.0 + 10.0 * (2.0 * std::f32::consts::PI * n as f32 / 4800.0).sin();
            phase += 2.0 * std::f32::consts::PI * f / RATE;
            a * phase.sin()
        })
        .collect();
    let found = tones(&run(
        Config::default(),
        &pcm(&concat(&[silence(300), beep, silence(500)])),
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!((found[0].freq_hz - 1400.0).abs() < 10.0);
}

#[test]
fn the_21_avmd_dual_tones_are_never_beeps() {
    let pairs = [
        (400.0, 500.0),
        (500.0, 600.0),
        (600.0, 700.0),
        (700.0, 800.0),
        (800.0, 900.0),
        (900.0, 1000.0),
        (1000.0, 1100.0),
        (1100.0, 1200.0),
        (1200.0, 1300.0),
        (1300.0, 1400.0),
        (1400.0, 1500.0),
        (1500.0, 1600.0),
        (1600.0, 1700.0),
        (1700.0, 1800.0),
        (1800.0, 1900.0),
        (1900.0, 1950.0),
        (200.0, 500.0),
        (500.0, 700.0),
        (100.0, 500.0),
        (1000.0, 1500.0),
        (1500.0, 2000.0),
    ];
    // -7 dBm0 per tone is about -13 dBFS RMS.
    for (f1, f2) in pairs {
        let tone = |ms| dual(f1, f2, ms, -13.0);
        let audio = pcm(&concat(&[
            silence(200),
            cadence(&tone, 1850, 1000, 2850 * 3),
        ]));
        let events = run(Config::default(), &audio);
        assert!(
            tones(&events).is_empty() && !events.iter().any(|e| matches!(e, Event::ToneStart(_))),
            "{f1}+{f2} Hz taken for a tone: {:?}",
            tones(&events)
        );
        let d = decision(&events);
        assert_ne!(d.outcome, Outcome::ToneDetected, "{f1}+{f2} Hz");
    }
}

#[test]
fn call_progress_dual_tones_are_never_beeps_nor_speech() {
    let cases: [(&str, f32, f32, u32, u32); 5] = [
        ("ringback", 440.0, 480.0, 2000, 4000),
        ("busy", 480.0, 620.0, 500, 500),
        ("reorder", 480.0, 620.0, 250, 250),
        ("dial", 350.0, 440.0, 10_000, 0),
        ("dtmf 5", 770.0, 1336.0, 80, 80),
    ];
    for (name, f1, f2, on, off) in cases {
        let tone = |ms| dual(f1, f2, ms, -16.0);
        let audio = pcm(&concat(&[silence(100), cadence(&tone, on, off, 12_000)]));
        let events = run(Config::twilio(), &audio);
        assert!(tones(&events).is_empty(), "{name}: {:?}", tones(&events));
        let d = decision(&events);
        assert_eq!(d.outcome, Outcome::Silence, "{name}: {d:?}");
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::SpeechStart { .. })),
            "{name} taken for speech"
        );
    }
}

#[test]
fn sparse_tonal_fragments_never_add_up_to_a_tone() {
    for (on, off) in [(20, 100), (40, 60), (50, 50), (30, 200)] {
        let frag = |ms| sine(1000.0, ms, -12.0);
        let audio = pcm(&concat(&[silence(300), cadence(&frag, on, off, 3000)]));
        let events = run(Config::default(), &audio);
        assert!(
            tones(&events).is_empty(),
            "{on}/{off} ms: {:?}",
            tones(&events)
        );
    }
}

#[test]
fn tones_shorter_than_the_minimum_are_not_reported() {
    let events = run(Config::default(), &beep_call(1000.0, 50, -12.0));
    assert!(tones(&events).is_empty(), "{:?}", tones(&events));
}

#[test]
fn music_is_not_a_beep() {
    // A melody of notes with harmonics over a sustained chord.
    let notes = [262.0, 330.0, 392.0, 523.0, 440.0, 349.0, 294.0, 392.0];
    let mut music = Vec::new();
    for (i, f) in notes.iter().cycle().take(24).enumerate() {
        let len = samples(250);
        for n in 0..len {
            let t = (i * len + n) as f32 / RATE;
            let env = (std::f32::consts::PI * n as f32 / len as f32).sin();
            let mut s = 0.0;
            for h in 1..6 {
                s += (2.0 * std::f32::consts::PI * f * h as f32 * t).sin() / h as f32;
            }
            for chord in [131.0, 165.0, 196.0] {
                s += 0.3 * (2.0 * std::f32::consts::PI * chord * 2.0 * t).sin();
            }
            music.push(0.05 * env * s);
        }
    }
    let events = run(Config::default(), &pcm(&concat(&[silence(300), music])));
    assert!(tones(&events).is_empty(), "{:?}", tones(&events));
}
