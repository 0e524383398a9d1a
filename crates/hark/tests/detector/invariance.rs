//! Events must not depend on how the audio was chunked, nor on the encoding path.

use hark::{g711, Config, Detector, Event};

use crate::support::*;

fn calls() -> Vec<(&'static str, Vec<i16>)> {
    vec![
        (
            "voicemail",
            [
                zeros(500),
                asterisk("vm-nobodyavail"),
                asterisk("vm-intro"),
                asterisk("beep"),
                zeros(1500),
            ]
            .concat(),
        ),
        (
            "hello",
            [zeros(700), asterisk("hello"), zeros(3000)].concat(),
        ),
        (
            "beep and ringback",
            pcm(&concat(&[
                silence(300),
                dual(440.0, 480.0, 2000, -16.0),
                silence(500),
                sine(1000.0, 300, -12.0),
                silence(700),
            ])),
        ),
    ]
}

#[test]
fn events_are_identical_whatever_the_chunking() {
    for (name, audio) in calls() {
        let reference = run_chunked(Config::default(), &audio, audio.len());
        assert!(!reference.is_empty());
        for chunk in [1, 7, 160, 161, 4000] {
            let events = run_chunked(Config::default(), &audio, chunk);
            assert_eq!(events, reference, "{name}: chunks of {chunk}");
        }
        // Irregular packets, as jittery RTP delivers them.
        let mut detector = Detector::with_config(Config::default()).unwrap();
        let mut events = Vec::new();
        let mut rest = &audio[..];
        let mut i = 0;
        while !rest.is_empty() {
            let n = [1, 80, 240, 13, 160, 999][i % 6].min(rest.len());
            detector.push_pcm16(&rest[..n], &mut events);
            rest = &rest[n..];
            i += 1;
        }
        detector.finish(&mut events);
        assert_eq!(events, reference, "{name}: irregular packets");
    }
}

#[test]
fn mu_law_and_a_law_pushes_match_their_decoded_pcm() {
    for (name, audio) in calls() {
        let ulaw: Vec<u8> = audio.iter().map(|&s| g711::linear_to_ulaw(s)).collect();
        let alaw: Vec<u8> = audio.iter().map(|&s| g711::linear_to_alaw(s)).collect();
        let ulaw_pcm: Vec<i16> = ulaw.iter().map(|&b| g711::ulaw_to_linear(b)).collect();
        let alaw_pcm: Vec<i16> = alaw.iter().map(|&b| g711::alaw_to_linear(b)).collect();

        let mut detector = Detector::with_config(Config::default()).unwrap();
        let mut events = Vec::new();
        for c in ulaw.chunks(161) {
            detector.push_ulaw(c, &mut events);
        }
        detector.finish(&mut events);
        assert_eq!(events, run(Config::default(), &ulaw_pcm), "{name}: mu-law");

        detector.reset();
        let mut events = Vec::new();
        for c in alaw.chunks(7) {
            detector.push_alaw(c, &mut events);
        }
        detector.finish(&mut events);
        assert_eq!(events, run(Config::default(), &alaw_pcm), "{name}: A-law");

        // The G.711 round trip keeps the verdict.
        let pcm_events = run(Config::default(), &audio);
        assert_eq!(
            decision(&events).outcome,
            decision(&pcm_events).outcome,
            "{name}"
        );
    }
}

#[test]
fn reset_equals_a_fresh_detector() {
    let plan = hark::Plan::new(Config::default()).unwrap();
    let mut reused = Detector::new(plan.clone());
    for (name, audio) in calls() {
        // Dirty the state with another call first, stopped midway.
        reused.push_pcm16(&asterisk("vm-intro"), &mut |_: Event| {});
        reused.reset();
        assert_eq!(reused.position(), 0);
        assert!(reused.decision().is_none());
        let mut events = Vec::new();
        reused.push_pcm16(&audio, &mut events);
        reused.finish(&mut events);

        let mut fresh = Detector::new(plan.clone());
        let mut expected = Vec::new();
        fresh.push_pcm16(&audio, &mut expected);
        fresh.finish(&mut expected);
        assert_eq!(events, expected, "{name}");
        reused.reset();
    }
}
