//! Real recorded speech: Allison Smith's Asterisk prompts (CC-BY-SA-3.0).

use hark::{Config, Event, MessageEndBy, Outcome};

use crate::support::*;

#[test]
fn hello_then_silence_is_human() {
    let audio = [zeros(600), asterisk("hello"), zeros(5000)].concat();
    for config in [Config::default(), Config::twilio()] {
        let d = decision(&run(config, &audio));
        assert_eq!(d.outcome, Outcome::Human, "{d:?}");
        let speech_end = d.last_speech_end.unwrap();
        assert!(ms(d.at - speech_end) <= 1210.0, "{d:?}");
    }
}

#[test]
fn a_voicemail_greeting_and_beep_is_a_machine_with_the_beep_found() {
    let audio = [
        zeros(500),
        asterisk("vm-nobodyavail"),
        asterisk("vm-intro"),
        asterisk("beep"),
        zeros(1500),
    ]
    .concat();
    let beep_onset = samples(500) + asterisk("vm-nobodyavail").len() + asterisk("vm-intro").len();
    let events = run(Config::default(), &audio);
    let d = decision(&events);
    assert_eq!(d.outcome, Outcome::AnsweringMachine, "{d:?}");
    let end = events
        .iter()
        .find_map(|e| match e {
            Event::MessageEnd(m) => Some(*m),
            _ => None,
        })
        .expect("message end");
    let MessageEndBy::Beep(beep) = end.by else {
        panic!("ended by {:?}", end.by)
    };
    // beep.wav is a 700 Hz tone (zero crossings over its middle give 700.1 Hz) that fades in
    // over about 12 ms and out over about 20 ms: its half-amplitude points are near samples
    // 53 and 3305 of the file's 3404.
    assert!((beep.freq_hz - 700.0).abs() <= 10.0, "{beep:?}");
    let onset_error = beep.onset as i64 - (beep_onset as i64 + 53);
    assert!(onset_error.abs() <= 16, "{beep:?} vs {beep_onset}");
    assert!(
        (beep.duration() as i64 - (3305 - 53)).abs() <= 24,
        "{beep:?}"
    );
    assert!(ms(end.at - beep.end) <= 80.0);
    eprintln!(
        "real beep: onset error {} samples, {:.1} Hz, {:.1} ms",
        onset_error,
        beep.freq_hz,
        ms(beep.duration())
    );
}

#[test]
fn a_greeting_with_a_pause_and_no_beep_is_a_machine() {
    let audio = [
        zeros(400),
        asterisk("vm-isunavail"),
        zeros(300),
        asterisk("vm-intro"),
        zeros(4000),
    ]
    .concat();
    let d = decision(&run(Config::default(), &audio));
    assert_eq!(d.outcome, Outcome::AnsweringMachine, "{d:?}");
}

#[test]
fn the_real_prompts_hold_no_tones_but_the_beep() {
    for name in ["hello", "vm-nobodyavail", "vm-intro", "vm-isunavail"] {
        let audio = [zeros(300), asterisk(name), zeros(500)].concat();
        let events = run(Config::default(), &audio);
        assert!(tones(&events).is_empty(), "{name}: {:?}", tones(&events));
    }
}
