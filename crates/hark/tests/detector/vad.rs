//! The adaptive VAD across levels and noises.

use hark::{Config, Event};

use crate::support::*;

/// Speech bursts (start, end) in ms.
fn bursts(events: &[Event]) -> Vec<(f64, f64)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::SpeechEnd { start, end } => Some((ms(*start), ms(*end))),
            _ => None,
        })
        .collect()
}

#[test]
fn speech_is_found_from_minus_45_dbfs_to_clipping_over_noise() {
    for (speech_db, noise_db) in [
        (-45.0, -80.0),
        (-45.0, -65.0),
        (-30.0, -55.0),
        (-20.0, -40.0),
        (-10.0, -60.0),
        (6.0, -60.0), // clipped
    ] {
        let audio = mix(
            concat(&[silence(1000), speech(1500, speech_db, 12), silence(2000)]),
            &noise(4500, noise_db, 13),
        );
        let events = run(Config::default(), &pcm(&audio));
        let found = bursts(&events);
        assert_eq!(
            found.len(),
            1,
            "speech {speech_db} / noise {noise_db}: {found:?}"
        );
        let (start, end) = found[0];
        assert!(
            (start - 1000.0).abs() <= 60.0,
            "{speech_db}/{noise_db}: {found:?}"
        );
        assert!(
            (end - 2500.0).abs() <= 80.0,
            "{speech_db}/{noise_db}: {found:?}"
        );
    }
}

#[test]
fn clicks_and_comfort_noise_are_not_speech() {
    let mut audio = noise(6000, -70.0, 14);
    for at in [500usize, 1700, 2900, 4100] {
        for (i, x) in audio[samples(at as u32)..samples(at as u32 + 20)]
            .iter_mut()
            .enumerate()
        {
            *x += if i % 2 == 0 { 0.5 } else { -0.5 };
        }
    }
    let events = run(Config::default(), &pcm(&audio));
    assert!(bursts(&events).is_empty(), "{:?}", bursts(&events));
}

#[test]
fn the_floor_follows_a_noise_that_changes_level() {
    // Quiet line, then a much noisier one: after a second the noise is floor, not speech.
    let audio = concat(&[noise(2000, -70.0, 15), noise(4000, -42.0, 16)]);
    let audio = mix(audio, &concat(&[silence(4000), speech(1000, -20.0, 17)]));
    let events = run(Config::default(), &pcm(&audio));
    let found = bursts(&events);
    let last = *found.last().expect("the speech over the louder noise");
    assert!((last.0 - 4000.0).abs() <= 60.0, "{found:?}");
    // Whatever the step itself caused, it was short.
    assert!(found.len() <= 2, "{found:?}");
}
