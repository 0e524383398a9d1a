//! Timing scenarios of amd-facts section 5, item 5, and the decision rules.

use hark::{Config, Event, MessageEndBy, Outcome, Reason};

use crate::support::*;

fn message_ends(events: &[Event]) -> Vec<hark::MessageEnd> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::MessageEnd(m) => Some(*m),
            _ => None,
        })
        .collect()
}

fn hello_then_silence() -> Vec<i16> {
    pcm(&concat(&[
        silence(400),
        speech(500, -20.0, 1),
        silence(6000),
    ]))
}

#[test]
fn hello_then_silence_is_human_right_after_speech_end_threshold() {
    let events = run(Config::twilio(), &hello_then_silence());
    let d = decision(&events);
    assert_eq!(d.outcome, Outcome::Human, "{d:?}");
    assert_eq!(d.reason, Reason::SilenceAfterGreeting);
    let end = d.last_speech_end.expect("speech ended");
    // The VAD's end of speech lies within a frame of the true end (0.9 s).
    assert!(
        (ms(end) - 900.0).abs() <= 40.0,
        "speech ended at {}",
        ms(end)
    );
    let latency = ms(d.at - end);
    assert!(
        (1200.0..=1210.0).contains(&latency),
        "decided {latency} ms after speech"
    );
    assert!(message_ends(&events).is_empty());
}

#[test]
fn a_two_part_human_answer_is_human() {
    let audio = pcm(&concat(&[
        silence(500),
        speech(600, -18.0, 2),
        silence(1000),
        speech(800, -18.0, 3),
        silence(5000),
    ]));
    let d = decision(&run(Config::twilio(), &audio));
    assert_eq!(d.outcome, Outcome::Human, "{d:?}");
    // Decided only after the second part.
    assert!(ms(d.at) > 2900.0 + 1200.0 - 50.0, "{d:?}");
}

fn long_voicemail() -> Vec<i16> {
    pcm(&concat(&[
        silence(600),
        speech(8000, -16.0, 4),
        silence(300),
        sine(1000.0, 400, -12.0),
        silence(1500),
    ]))
}

#[test]
fn a_long_voicemail_is_a_machine_and_its_beep_ends_the_message() {
    let events = run(Config::twilio(), &long_voicemail());
    let d = decision(&events);
    assert_eq!(d.outcome, Outcome::AnsweringMachine, "{d:?}");
    assert_eq!(d.reason, Reason::LongGreeting);
    // 2400 ms of speech after it began at 600 ms.
    assert!((ms(d.at) - 3000.0).abs() <= 60.0, "{d:?}");
    let ends = message_ends(&events);
    assert_eq!(ends.len(), 1, "{ends:?}");
    let MessageEndBy::Beep(beep) = ends[0].by else {
        panic!("ended by {:?}", ends[0].by)
    };
    assert!((beep.freq_hz - 1000.0).abs() < 5.0);
    assert!((ms(beep.end) - 9300.0).abs() <= 2.0, "{beep:?}");
    // The dialer hears about it within 80 ms of the beep's end.
    assert!(ms(ends[0].at - beep.end) <= 80.0, "{:?}", ends[0]);
}

#[test]
fn a_short_voicemail_with_a_pause_is_a_machine() {
    let audio = pcm(&concat(&[
        silence(500),
        speech(1500, -18.0, 5),
        silence(1800),
        speech(3000, -18.0, 6),
        silence(200),
        sine(850.0, 500, -14.0),
        silence(1000),
    ]));
    let events = run(Config::twilio(), &audio);
    let d = decision(&events);
    assert_eq!(d.outcome, Outcome::AnsweringMachine, "{d:?}");
    assert!(matches!(
        message_ends(&events)[..],
        [hark::MessageEnd {
            by: MessageEndBy::Beep(_),
            ..
        }]
    ));
}

#[test]
fn ten_seconds_of_silence_is_silence_at_the_silence_timeout() {
    let audio = pcm(&mix(silence(10_000), &noise(10_000, -60.0, 9)));
    let d = decision(&run(Config::twilio(), &audio));
    assert_eq!(d.outcome, Outcome::Silence);
    assert_eq!(d.reason, Reason::InitialSilence);
    assert_eq!(ms(d.at), 5000.0);
    let d = decision(&run(Config::bandwidth(), &audio));
    assert_eq!(ms(d.at), 10_000.0);
}

#[test]
fn under_bandwidth_defaults_the_beep_comes_before_the_10_s_speech_threshold() {
    let events = run(Config::bandwidth(), &long_voicemail());
    let d = decision(&events);
    assert_eq!(d.outcome, Outcome::ToneDetected, "{d:?}");
    let tone = d.tone.expect("the tone that decided");
    assert!((ms(tone.onset) - 8900.0).abs() <= 2.0, "{tone:?}");
    assert_eq!(message_ends(&events).len(), 1);
}

#[test]
fn delay_result_holds_the_machine_verdict_until_the_beep() {
    let config = Config {
        delay_result: true,
        ..Config::twilio()
    };
    let events = run(config, &long_voicemail());
    let d = decision(&events);
    assert_eq!(d.outcome, Outcome::AnsweringMachine);
    let end = d.message_end.expect("held until the message ended");
    assert!(matches!(end.by, MessageEndBy::Beep(_)));
    assert!(ms(d.at) > 9300.0, "{d:?}");
    // The decision comes first, then the message-end event.
    let order: Vec<_> = events
        .iter()
        .filter(|e| matches!(e, Event::Decision(_) | Event::MessageEnd(_)))
        .collect();
    assert!(matches!(
        order[..],
        [Event::Decision(_), Event::MessageEnd(_)]
    ));
}

#[test]
fn a_machine_without_a_beep_ends_its_message_by_silence() {
    let audio = pcm(&concat(&[
        silence(500),
        speech(4000, -20.0, 10),
        silence(4000),
    ]));
    let config = Config {
        machine_speech_end_threshold: Some(1500),
        ..Config::twilio()
    };
    let events = run(config, &audio);
    assert_eq!(decision(&events).outcome, Outcome::AnsweringMachine);
    let ends = message_ends(&events);
    assert_eq!(ends.len(), 1, "{ends:?}");
    let MessageEndBy::Silence { speech_end } = ends[0].by else {
        panic!("{ends:?}")
    };
    assert!((ms(speech_end) - 4500.0).abs() <= 40.0);
    assert!((ms(ends[0].at - speech_end) - 1500.0).abs() <= 10.0);
}

#[test]
fn nothing_decided_by_the_detection_timeout_is_a_timeout() {
    // Speech that never stops long enough, under a speech threshold that is never reached.
    let mut parts = vec![silence(300)];
    for i in 0..12 {
        parts.push(speech(700, -20.0, 20 + i));
        parts.push(silence(900));
    }
    let config = Config {
        speech_threshold: 60_000,
        detection_timeout: 8_000,
        silence_timeout: 5_000,
        ..Config::twilio()
    };
    let d = decision(&run(config, &pcm(&concat(&parts))));
    assert_eq!(d.outcome, Outcome::Timeout, "{d:?}");
    assert_eq!(d.reason, Reason::DetectionTimeout);
    assert_eq!(ms(d.at), 8000.0);
}

#[test]
fn finish_always_decides() {
    // Too short for any rule: silence, and speech cut off mid-word.
    let d = decision(&run(Config::twilio(), &zeros(800)));
    assert_eq!(
        (d.outcome, d.reason),
        (Outcome::Silence, Reason::EndOfStream)
    );
    let cut = pcm(&concat(&[silence(300), speech(900, -20.0, 11)]));
    let d = decision(&run(Config::twilio(), &cut));
    assert_eq!(
        (d.outcome, d.reason),
        (Outcome::Timeout, Reason::EndOfStream)
    );
    assert!(ms(d.speech) > 700.0, "{d:?}");
    let d = decision(&run(Config::twilio(), &[]));
    assert_eq!(d.at, 0);
}
