//! Detector parameters: presets, flags, TOML files, and the errors for bad values.

use std::path::Path;

use serde_json::Value;

use crate::support::*;

fn classify_one(extra: &[&str], file: &Path) -> Run {
    let mut args: Vec<&std::ffi::OsStr> = vec!["classify".as_ref()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    args.push(file.as_os_str());
    hark(args)
}

fn only_line(run: &Run) -> Value {
    let mut lines = run.jsonl();
    assert_eq!(lines.len(), 1, "{run:?}");
    lines.remove(0)
}

/// Under Bandwidth's 10 s speech threshold the beep comes first.
fn assert_tone_detected(r: &Value, call: &VoicemailCall) {
    assert_eq!(s(r, "result"), "tone-detected", "{r}");
    assert_eq!(s(r, "reason"), "tone", "{r}");
    assert!(f(r, "speech_ms") < 10_000.0, "{r}");
    let at = f(r, "decision_ms");
    // Decided once the beep has lasted min_tone_duration (80 ms), before it ends.
    assert!(
        at > call.beep_start_ms && at < call.beep_end_ms,
        "decision inside the beep: {r}"
    );
    assert_beep(r, call);
}

#[test]
fn bandwidth_preset_waits_for_the_beep_and_for_5_s_of_silence() {
    let scratch = Scratch::new("preset");
    let call = voicemail_call();
    let vm = scratch.ulaw("vm.wav", &call.samples);
    let person = human_call();
    let human = scratch.pcm16("human.wav", &person.samples, 8000);
    let run = classify_one(&["--preset", "bandwidth"], &vm);
    run.expect_code(0);
    assert_tone_detected(&only_line(&run), &call);
    // Twilio's numbers are hark's: the greeting is long enough.
    let run = classify_one(&["--preset", "twilio"], &vm);
    run.expect_code(0);
    assert_voicemail(&only_line(&run), &call);
    // speechEndThreshold 5 s: the person is recognised 5 s after "hello" ends.
    let run = classify_one(&["--preset=bandwidth"], &human);
    run.expect_code(0);
    let r = only_line(&run);
    assert_eq!(s(&r, "result"), "human", "{r}");
    let wait = f(&r, "decision_ms") - f(&r, "last_speech_end_ms");
    assert!((4900.0..=5200.0).contains(&wait), "{r}");
    let run = classify_one(&["--preset", "verizon"], &vm);
    run.expect_code(2);
    assert!(run.stderr.contains("unknown preset \"verizon\""), "{run:?}");
    assert!(run.stdout.is_empty());
}

#[test]
fn out_of_range_flags_are_refused_naming_the_field_and_range() {
    let scratch = Scratch::new("range");
    let vm = scratch.ulaw("vm.wav", &voicemail_call().samples);
    let run = classify_one(&["--speech-threshold", "50"], &vm);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "nothing classified: {run:?}");
    assert!(
        run.stderr
            .contains("speech_threshold = 50 ms is out of range (allowed 100..=300000 ms)"),
        "{run:?}"
    );
    let run = classify_one(&["--min-tone-duration", "10"], &vm);
    run.expect_code(2);
    assert!(run.stderr.contains("min_tone_duration = 10 ms"), "{run:?}");
    assert!(run.stderr.contains("40..=5000"), "{run:?}");
    // Not a number at all: clap's usage error.
    let run = classify_one(&["--speech-end-threshold", "soon"], &vm);
    run.expect_code(2);
    assert!(run.stderr.contains("--speech-end-threshold"), "{run:?}");
    // The silence timeout cannot outlast the whole detection.
    let run = classify_one(
        &["--silence-timeout", "9000", "--detection-timeout", "8000"],
        &vm,
    );
    run.expect_code(2);
    assert!(
        run.stderr.contains("silence_timeout") && run.stderr.contains("detection_timeout"),
        "{run:?}"
    );
}

#[test]
fn flags_change_the_decision() {
    let scratch = Scratch::new("flags");
    let call = voicemail_call();
    let vm = scratch.ulaw("vm.wav", &call.samples);
    let run = classify_one(&["--speech-threshold", "10000"], &vm);
    run.expect_code(0);
    assert_tone_detected(&only_line(&run), &call);
    let person = human_call();
    let human = scratch.pcm16("human.wav", &person.samples, 8000);
    let run = classify_one(&["--speech-end-threshold", "2000"], &human);
    run.expect_code(0);
    let r = only_line(&run);
    let wait = f(&r, "decision_ms") - f(&r, "last_speech_end_ms");
    assert!((1900.0..=2200.0).contains(&wait), "{r}");
    // 8 s of zeros under a 3 s silence timeout.
    let quiet = scratch.pcm16("quiet.wav", &silence(8.0), 8000);
    let run = classify_one(&["--silence-timeout", "3000"], &quiet);
    run.expect_code(0);
    let r = only_line(&run);
    assert_eq!(s(&r, "result"), "silence", "{r}");
    assert!((f(&r, "decision_ms") - 3000.0).abs() <= 10.0, "{r}");
}

#[test]
fn a_toml_config_takes_effect_and_flags_override_it() {
    let scratch = Scratch::new("config");
    let call = voicemail_call();
    let vm = scratch.ulaw("vm.wav", &call.samples);
    let person = human_call();
    let human = scratch.pcm16("human.wav", &person.samples, 8000);
    let config = scratch.write(
        "hark.toml",
        "# as a deployment would keep it\nspeech_threshold = 10000\nspeech_end_threshold = 3000\n",
    );
    let config_arg = config.to_str().unwrap();
    let run = hark([
        "classify".as_ref(),
        "--config".as_ref(),
        config.as_os_str(),
        vm.as_os_str(),
        human.as_os_str(),
    ]);
    run.expect_code(0);
    let lines = run.jsonl();
    assert_tone_detected(&lines[0], &call);
    let wait = f(&lines[1], "decision_ms") - f(&lines[1], "last_speech_end_ms");
    assert!((2900.0..=3200.0).contains(&wait), "{}", lines[1]);
    // A flag beats the file.
    let run = classify_one(&["--config", config_arg, "--speech-threshold", "2400"], &vm);
    run.expect_code(0);
    assert_voicemail(&only_line(&run), &call);
    // A preset named in the file.
    let preset = scratch.write("preset.toml", "preset = \"bandwidth\"\n");
    let run = classify_one(&["--config", preset.to_str().unwrap()], &vm);
    run.expect_code(0);
    assert_tone_detected(&only_line(&run), &call);
    // Values in a file are checked like flags.
    let low = scratch.write("low.toml", "speech_threshold = 50\n");
    let run = classify_one(&["--config", low.to_str().unwrap()], &vm);
    run.expect_code(2);
    assert!(run.stderr.contains("speech_threshold = 50 ms"), "{run:?}");
}

#[test]
fn config_file_errors_name_the_file() {
    let scratch = Scratch::new("config-errors");
    let vm = scratch.ulaw("vm.wav", &voicemail_call().samples);
    let typo = scratch.write("typo.toml", "speech_treshold = 10000\n");
    let run = classify_one(&["--config", typo.to_str().unwrap()], &vm);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.contains(&shown(&typo)), "{run:?}");
    assert!(run.stderr.contains("speech_treshold"), "{run:?}");
    let wrong_type = scratch.write("type.toml", "speech_threshold = \"long\"\n");
    let run = classify_one(&["--config", wrong_type.to_str().unwrap()], &vm);
    run.expect_code(2);
    assert!(run.stderr.contains(&shown(&wrong_type)), "{run:?}");
    let bad_preset = scratch.write("preset.toml", "preset = \"verizon\"\n");
    let run = classify_one(&["--config", bad_preset.to_str().unwrap()], &vm);
    run.expect_code(2);
    assert!(run.stderr.contains(&shown(&bad_preset)), "{run:?}");
    assert!(run.stderr.contains("verizon"), "{run:?}");
    let missing = scratch.path("missing.toml");
    let run = classify_one(&["--config", missing.to_str().unwrap()], &vm);
    run.expect_code(2);
    assert!(run.stderr.contains(&shown(&missing)), "{run:?}");
}

/// `--preset hark` given explicitly should beat the file's preset, as a flag beats the file.
#[test]
fn explicit_preset_hark_overrides_the_files_preset() {
    let scratch = Scratch::new("preset-precedence");
    let call = voicemail_call();
    let vm = scratch.ulaw("vm.wav", &call.samples);
    let preset = scratch.write("preset.toml", "preset = \"bandwidth\"\n");
    let run = classify_one(
        &["--config", preset.to_str().unwrap(), "--preset", "hark"],
        &vm,
    );
    run.expect_code(0);
    assert_voicemail(&only_line(&run), &call);
}
