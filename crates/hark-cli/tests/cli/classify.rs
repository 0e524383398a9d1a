//! `hark classify`: results, output formats, and the ways audio can arrive.

use std::ffi::OsString;

use serde_json::Value;

use crate::support::*;

/// The three calls written to `scratch`: (human.wav as PCM, voicemail.wav as mu-law,
/// silence.wav as PCM).
fn three_calls(scratch: &Scratch) -> [std::path::PathBuf; 3] {
    [
        scratch.pcm16("human.wav", &human_call().samples, 8000),
        scratch.ulaw("voicemail.wav", &voicemail_call().samples),
        scratch.pcm16("silence.wav", &silence(8.0), 8000),
    ]
}

#[test]
fn jsonl_gives_one_line_per_file_in_input_order() {
    let scratch = Scratch::new("jsonl");
    let [human, vm, quiet] = three_calls(&scratch);
    // Not name order, to see that the input order is kept.
    let run = hark([
        "classify".as_ref(),
        "--format".as_ref(),
        "jsonl".as_ref(),
        vm.as_os_str(),
        quiet.as_os_str(),
        human.as_os_str(),
    ]);
    run.expect_code(0);
    let lines = run.jsonl();
    assert_eq!(lines.len(), 3, "{run:?}");
    let files: Vec<&str> = lines.iter().map(|l| s(l, "file")).collect();
    assert_eq!(files, [shown(&vm), shown(&quiet), shown(&human)]);
    for line in &lines {
        for key in [
            "file",
            "result",
            "decision_ms",
            "reason",
            "speech_ms",
            "beeps",
            "message_end",
            "error",
        ] {
            assert!(line.get(key).is_some(), "no {key} in {line}");
        }
    }
    assert_voicemail(&lines[0], &voicemail_call());
    assert_silence(&lines[1]);
    assert_human(&lines[2], &human_call());
    assert!(
        run.stderr
            .starts_with("3 files: 1 answering-machine, 1 human, 1 silence; "),
        "summary: {:?}",
        run.stderr
    );
}

#[test]
fn default_format_off_a_terminal_is_jsonl_and_workers_keep_the_order() {
    let scratch = Scratch::new("default-format");
    let [human, vm, quiet] = three_calls(&scratch);
    let paths = [&human, &vm, &quiet, &human, &vm, &quiet, &vm];
    let with_jobs = |jobs: &str| {
        hark(
            ["classify", "--jobs", jobs]
                .map(OsString::from)
                .into_iter()
                .chain(paths.iter().map(|p| p.as_os_str().to_owned())),
        )
    };
    let one = with_jobs("1");
    let many = with_jobs("4");
    one.expect_code(0);
    many.expect_code(0);
    let lines = one.jsonl();
    let files: Vec<&str> = lines.iter().map(|l| s(l, "file")).collect();
    let expected: Vec<String> = paths.iter().map(|p| shown(p)).collect();
    assert_eq!(files, expected);
    assert_eq!(
        one.stdout, many.stdout,
        "results depend on the worker count"
    );
}

#[test]
fn csv_has_a_header_and_one_row_per_file() {
    let scratch = Scratch::new("csv");
    let [human, vm, _] = three_calls(&scratch);
    // A comma in a name must be quoted.
    let odd = scratch.pcm16("a,b.wav", &human_call().samples, 8000);
    let missing = scratch.path("missing.wav");
    let run = hark([
        "classify".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        vm.as_os_str(),
        odd.as_os_str(),
        missing.as_os_str(),
    ]);
    run.expect_code(1);
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(rows.len(), 4, "{run:?}");
    assert_eq!(
        rows[0],
        "file,result,decision_ms,reason,speech_ms,beeps,message_end,error"
    );
    let vm_row: Vec<&str> = rows[1].split(',').collect();
    assert_eq!(vm_row.len(), 8, "{}", rows[1]);
    assert_eq!(vm_row[0], shown(&vm));
    assert_eq!(vm_row[1], "answering-machine");
    assert_eq!(vm_row[3], "long-greeting");
    let decision: f64 = vm_row[2].parse().expect("decision_ms is a number");
    assert!((2500.0..5000.0).contains(&decision), "{}", rows[1]);
    let (hz, span) = vm_row[5]
        .split_once("Hz@")
        .expect("a beep as FREQHz@ON-ENDms");
    assert!(
        (hz.parse::<f64>().unwrap() - 700.0).abs() <= 10.0,
        "{}",
        rows[1]
    );
    assert!(span.ends_with("ms"), "{}", rows[1]);
    assert!(vm_row[6].starts_with("beep@"), "message end: {}", rows[1]);
    assert_eq!(vm_row[7], "");
    let quoted = format!("\"{}\",human,", shown(&odd));
    assert!(rows[2].starts_with(&quoted), "{}", rows[2]);
    assert!(
        rows[2].contains(",human,") && rows[2].ends_with(",,,"),
        "{}",
        rows[2]
    );
    assert!(rows[3].starts_with(&format!("{},error,", shown(&missing))));
    assert!(rows[3].ends_with("file not found"), "{}", rows[3]);
    // A single good file: the header and its row.
    let run = hark([
        "classify".as_ref(),
        "--format=csv".as_ref(),
        human.as_os_str(),
    ]);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().count(), 2);
    assert!(run.stdout.lines().nth(1).unwrap().contains(",human,"));
}

#[test]
fn table_shows_file_and_result_in_columns() {
    let scratch = Scratch::new("table");
    let [human, vm, quiet] = three_calls(&scratch);
    let run = hark([
        "classify".as_ref(),
        "--format".as_ref(),
        "table".as_ref(),
        human.as_os_str(),
        vm.as_os_str(),
        quiet.as_os_str(),
    ]);
    run.expect_code(0);
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(rows.len(), 4, "{run:?}");
    assert!(rows[0].starts_with("file "), "header: {}", rows[0]);
    assert!(rows[0].contains("result") && rows[0].contains("reason"));
    let expect = [
        (&human, "human", "silence-after-greeting"),
        (&vm, "answering-machine", "long-greeting"),
        (&quiet, "silence", "initial-silence"),
    ];
    // Columns line up: the result starts at the same place on every row.
    let result_col = rows[0].find("result").unwrap();
    for (row, (path, result, reason)) in rows[1..].iter().zip(expect) {
        let words: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(words[0], shown(path), "{row}");
        assert_eq!(words[1], result, "{row}");
        assert_eq!(words[3], reason, "{row}");
        if shown(path).len() < result_col {
            assert!(row[result_col..].starts_with(result), "{row}");
        }
    }
    assert!(rows[2].contains("Hz@"), "beep shown: {}", rows[2]);
    assert!(rows[2].contains("beep@"), "message end shown: {}", rows[2]);
}

#[test]
fn voicemail_resampled_from_16_and_44_1_khz_is_still_a_machine() {
    let scratch = Scratch::new("resampled");
    let call = voicemail_call();
    let wide = scratch.pcm16("vm16k.wav", &upsample(&call.samples, 16_000), 16_000);
    let cd = scratch.pcm16("vm44k.wav", &upsample(&call.samples, 44_100), 44_100);
    let run = hark(["classify".as_ref(), wide.as_os_str(), cd.as_os_str()]);
    run.expect_code(0);
    let lines = run.jsonl();
    assert_eq!(lines.len(), 2);
    for line in &lines {
        assert_voicemail(line, &call);
        // The reader's output is 8 kHz whatever the input rate.
        assert!(
            (f(line, "audio_ms") - ms(call.samples.len())).abs() <= 1.0,
            "{line}"
        );
    }
}

#[test]
fn channel_picks_one_side_of_a_stereo_call() {
    let scratch = Scratch::new("stereo");
    let call = voicemail_call();
    let quiet = vec![0; call.samples.len()];
    let stereo = scratch.stereo("call.wav", &quiet, &call.samples);
    let default = hark(["classify".as_ref(), stereo.as_os_str()]);
    default.expect_code(0);
    assert_silence(&default.jsonl()[0]);
    let right = hark([
        "classify".as_ref(),
        "--channel".as_ref(),
        "1".as_ref(),
        stereo.as_os_str(),
    ]);
    right.expect_code(0);
    assert_voicemail(&right.jsonl()[0], &call);
    let beyond = hark([
        "classify".as_ref(),
        "--channel".as_ref(),
        "2".as_ref(),
        stereo.as_os_str(),
    ]);
    beyond.expect_code(1);
    assert_error(&beyond.jsonl()[0], &stereo, "channel 2");
    assert!(beyond.jsonl()[0]["error"]
        .as_str()
        .unwrap()
        .contains("2 channels"));
}

#[test]
fn headerless_ulaw_alaw_and_slin_files_are_read_by_extension_or_flag() {
    let scratch = Scratch::new("raw");
    let call = voicemail_call();
    let ulaw: Vec<u8> = call
        .samples
        .iter()
        .map(|&x| hark::g711::linear_to_ulaw(x))
        .collect();
    let alaw: Vec<u8> = call
        .samples
        .iter()
        .map(|&x| hark::g711::linear_to_alaw(x))
        .collect();
    let slin: Vec<u8> = call.samples.iter().flat_map(|x| x.to_le_bytes()).collect();
    let ul = scratch.write("call.ul", &ulaw);
    let al = scratch.write("call.al", &alaw);
    let sln = scratch.write("call.sln", &slin);
    let run = hark([
        "classify".as_ref(),
        ul.as_os_str(),
        al.as_os_str(),
        sln.as_os_str(),
    ]);
    run.expect_code(0);
    let lines = run.jsonl();
    assert_eq!(lines.len(), 3);
    for line in &lines {
        assert_voicemail(line, &call);
        assert!(
            (f(line, "audio_ms") - ms(call.samples.len())).abs() <= 0.05,
            "{line}"
        );
    }
    // The same decision whatever the encoding.
    assert_eq!(lines[0]["decision_ms"], lines[2]["decision_ms"]);

    // An extension that says nothing: --raw decides.
    let bin = scratch.write("call.bin", &ulaw);
    let unnamed = hark(["classify".as_ref(), bin.as_os_str()]);
    unnamed.expect_code(1);
    assert_error(&unnamed.jsonl()[0], &bin, "not a RIFF/WAVE file");
    let forced = hark([
        "classify".as_ref(),
        "--raw".as_ref(),
        "ulaw".as_ref(),
        bin.as_os_str(),
    ]);
    forced.expect_code(0);
    assert_voicemail(&forced.jsonl()[0], &call);

    // Odd-length 16-bit data is not whole samples.
    let odd = scratch.write("odd.sln", &slin[..slin.len() - 1]);
    let run = hark(["classify".as_ref(), odd.as_os_str()]);
    run.expect_code(1);
    assert_error(&run.jsonl()[0], &odd, "odd length");
}

#[test]
fn folders_are_searched_recursively_in_name_order_skipping_other_files() {
    let scratch = Scratch::new("folders");
    let root = scratch.path("calls");
    let vm = voicemail_call().samples;
    let ulaw: Vec<u8> = vm.iter().map(|&x| hark::g711::linear_to_ulaw(x)).collect();
    let deep = scratch.write("calls/a/nested/deep/vm.ul", &ulaw);
    scratch.write("calls/a/notes.txt", "not audio");
    let human = scratch.pcm16("calls/b-human.wav", &human_call().samples, 8000);
    let upper = scratch.pcm16("calls/c/SILENCE.WAV", &silence(8.0), 8000);
    scratch.write("calls/c/README.md", "# calls");
    scratch.write("calls/c/no-extension", [0u8; 100]);
    let last = scratch.ulaw("calls/z.wav", &vm);
    let run = hark(["classify".as_ref(), root.as_os_str()]);
    run.expect_code(0);
    let lines = run.jsonl();
    let files: Vec<&str> = lines.iter().map(|l| s(l, "file")).collect();
    assert_eq!(
        files,
        [shown(&deep), shown(&human), shown(&upper), shown(&last)]
    );
    let results: Vec<&str> = lines.iter().map(|l| s(l, "result")).collect();
    assert_eq!(
        results,
        ["answering-machine", "human", "silence", "answering-machine"]
    );
    // A folder and a file together: the folder's files where the folder was named.
    let run = hark([
        "classify".as_ref(),
        last.as_os_str(),
        scratch.path("calls/c").as_os_str(),
        human.as_os_str(),
    ]);
    run.expect_code(0);
    let files: Vec<String> = run
        .jsonl()
        .iter()
        .map(|l| s(l, "file").to_owned())
        .collect();
    assert_eq!(files, [shown(&last), shown(&upper), shown(&human)]);
}

#[test]
fn bad_files_become_error_lines_and_the_batch_goes_on() {
    let scratch = Scratch::new("bad-files");
    let [human, vm, _] = three_calls(&scratch);
    let empty = scratch.write("empty.wav", b"");
    let whole = std::fs::read(&vm).unwrap();
    let short_header = scratch.write("short-header.wav", &whole[..30]);
    let truncated = scratch.write("truncated.wav", &whole[..whole.len() / 4]);
    // Deterministic noise, so that a failure can be repeated.
    let mut x: u32 = 0x1234_5678;
    let noise: Vec<u8> = (0..5000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    let random = scratch.write("x.wav", &noise);
    let missing = scratch.path("missing.wav");
    // (file, what its error says; None for the good ones)
    let mut batch = vec![
        (human.clone(), None),
        (empty, Some("file is empty")),
        (short_header, Some("header is truncated")),
        (truncated, Some("truncated file")),
        (random, Some("not a RIFF/WAVE file")),
        (missing, Some("file not found")),
    ];
    #[cfg(unix)]
    {
        let dangling = scratch.path("dangling.wav");
        std::os::unix::fs::symlink(scratch.path("nowhere.wav"), &dangling).unwrap();
        batch.push((dangling, Some("file not found")));
    }
    batch.push((vm.clone(), None));
    let run = hark(
        std::iter::once(OsString::from("classify"))
            .chain(batch.iter().map(|(p, _)| p.as_os_str().to_owned())),
    );
    run.expect_code(1);
    let lines = run.jsonl();
    assert_eq!(lines.len(), batch.len(), "{run:?}");
    assert_human(&lines[0], &human_call());
    for (line, (path, problem)) in lines.iter().zip(&batch).skip(1) {
        match problem {
            Some(problem) => assert_error(line, path, problem),
            None => assert_voicemail(line, &voicemail_call()),
        }
    }
    let summary = format!(
        "{} files: 1 answering-machine, {} error, 1 human;",
        batch.len(),
        batch.len() - 2
    );
    assert!(run.stderr.starts_with(&summary), "{:?}", run.stderr);
    // The same good files alone: success.
    let run = hark(["classify".as_ref(), human.as_os_str(), vm.as_os_str()]);
    run.expect_code(0);
    assert!(run.jsonl().iter().all(|l| l["error"] == Value::Null));
}
