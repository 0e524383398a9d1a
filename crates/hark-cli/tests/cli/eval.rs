//! `hark eval`: scoring against labels, on a small hand-made set and on the corpus.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::*;

fn labels_path() -> String {
    testdata("labels.jsonl").to_str().unwrap().to_owned()
}

/// The corpus labels, parsed.
fn corpus_labels() -> Vec<Value> {
    std::fs::read_to_string(testdata("labels.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn count(report: &Value, path: &[&str]) -> u64 {
    let mut v = report;
    for key in path {
        v = &v[*key];
    }
    v.as_u64()
        .unwrap_or_else(|| panic!("{path:?} is not a count"))
}

/// Three calls, one missing file, and a file in another split.
#[test]
fn eval_scores_a_small_labelled_set_exactly() {
    let scratch = Scratch::new("eval-small");
    let person = human_call();
    let call = voicemail_call();
    scratch.pcm16("human.wav", &person.samples, 8000);
    scratch.ulaw("vm.wav", &call.samples);
    scratch.pcm16("sub/silence.wav", &silence(8.0), 8000);
    let beep_onset = call.beep_start_ms + BEEP_ONSET_IN_FILE_MS;
    let beep_end = call.beep_start_ms + BEEP_END_IN_FILE_MS;
    let labels = scratch.write(
        "labels.jsonl",
        format!(
            r#"{{"file": "human.wav", "category": "human", "expected": "human", "first_utterance_end_ms": {hello_end}, "split": "a"}}
{{"file": "vm.wav", "category": "machine", "expected": "answering-machine", "allowed": ["tone-detected"], "beeps": [{{"onset_ms": {beep_onset}, "end_ms": {beep_end}, "freq_hz": 700}}], "split": "a"}}

{{"file": "sub/silence.wav", "category": "none", "expected": "silence", "split": "b"}}
{{"file": "gone.wav", "category": "human", "expected": "human", "split": "a"}}
"#,
            hello_end = person.hello_end_ms,
        ),
    );
    let run = hark(["eval".as_ref(), "--json".as_ref(), labels.as_os_str()]);
    run.expect_code(0);
    let report = run.json();
    assert_eq!(count(&report, &["files"]), 4);
    assert_eq!(f(&report, "accuracy"), 0.75);
    assert_eq!(count(&report, &["overall", "correct"]), 3);
    let confusion: Value = serde_json::json!({
        "human": {"human": 1, "none": 1},
        "machine": {"machine": 1},
        "none": {"none": 1},
    });
    assert_eq!(report["confusion"], confusion);
    assert_eq!(f(&report, "beep_recall"), 1.0);
    assert_eq!(count(&report, &["beeps_found"]), 1);
    assert_eq!(count(&report, &["false_beeps"]), 0);
    assert_eq!(f(&report, "human_as_machine_rate"), 0.0);
    // The latency is the human decision after the end of "hello", as classify reports it.
    let human = scratch.path("human.wav");
    let classified = hark(["classify".as_ref(), human.as_os_str()]).jsonl();
    let latency = f(&classified[0], "decision_ms") - person.hello_end_ms;
    assert_eq!(count(&report, &["human_latency_ms", "count"]), 1);
    assert!((f(&report["human_latency_ms"], "p50") - latency).abs() < 0.01);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report}");
    let error = errors[0].as_str().unwrap();
    assert!(
        error.contains("gone.wav") && error.contains("file not found"),
        "{error}"
    );
    assert_eq!(report["misclassified"], Value::Array(vec![]));

    // Only split b.
    let run = hark([
        "eval".as_ref(),
        "--json".as_ref(),
        "--split".as_ref(),
        "b".as_ref(),
        labels.as_os_str(),
    ]);
    run.expect_code(0);
    let report = run.json();
    assert_eq!(count(&report, &["files"]), 1);
    assert_eq!(f(&report, "accuracy"), 1.0);
    // A split nobody has.
    let run = hark([
        "eval".as_ref(),
        "--split".as_ref(),
        "c".as_ref(),
        labels.as_os_str(),
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("no labelled files"), "{run:?}");

    // The text report says the same.
    let run = hark(["eval".as_ref(), labels.as_os_str()]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("accuracy 75.0 % (3/4 files)\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("gone.wav"), "errors are listed");
}

#[test]
fn eval_on_the_corpus_reports_accuracy_confusion_latency_and_beeps() {
    let labels = corpus_labels();
    let run = hark(["eval", "--json", "--min-accuracy", "0.99", &labels_path()]);
    let report = run.json();
    let accuracy = f(&report, "accuracy");
    assert!(
        accuracy < 0.99,
        "accuracy {accuracy} reached 0.99: raise the floors in this test"
    );
    run.expect_code(1);
    assert!(run.stderr.contains("below the floor"), "{run:?}");

    assert_eq!(count(&report, &["files"]), labels.len() as u64);
    let correct = count(&report, &["overall", "correct"]);
    assert_eq!(count(&report, &["overall", "total"]), labels.len() as u64);
    assert_eq!(accuracy, correct as f64 / labels.len() as f64);
    assert!(accuracy > 0.5, "accuracy fell to {accuracy}");

    // Confusion rows: one per label category, adding up to that category's files.
    let mut per_category: BTreeMap<&str, u64> = BTreeMap::new();
    for label in &labels {
        *per_category.entry(s(label, "category")).or_default() += 1;
    }
    let confusion = report["confusion"].as_object().unwrap();
    let rows: Vec<&str> = confusion.keys().map(|k| k.as_str()).collect();
    let categories: Vec<&str> = per_category.keys().copied().collect();
    assert_eq!(rows, categories);
    for (category, n) in &per_category {
        let row = confusion[*category].as_object().unwrap();
        let sum: u64 = row.values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(sum, *n, "confusion row {category}");
        assert!(row
            .keys()
            .all(|k| ["human", "machine", "none"].contains(&k.as_str())));
        assert_eq!(count(&report, &["by_category", category, "total"]), *n);
    }

    // Beeps: every labelled beep counted, recall is found / labelled.
    let labelled: u64 = labels
        .iter()
        .map(|l| l["beeps"].as_array().map_or(0, |b| b.len() as u64))
        .sum();
    assert_eq!(count(&report, &["beeps_labelled"]), labelled);
    let found = count(&report, &["beeps_found"]);
    assert_eq!(f(&report, "beep_recall"), found as f64 / labelled as f64);
    assert!(f(&report, "beep_recall") > 0.8);
    assert_eq!(
        count(&report, &["false_beeps"]),
        report["false_beep_files"].as_array().unwrap().len() as u64
    );
    // Human latency over the humans recognised, in a sane range.
    let latency = &report["human_latency_ms"];
    let n = count(latency, &["count"]);
    assert!(n > 0 && n <= count(&report, &["by_category", "human", "correct"]));
    let p50 = f(latency, "p50");
    assert!((1000.0..=3000.0).contains(&p50), "human latency p50 {p50}");
    assert!(p50 <= f(latency, "p90") && f(latency, "p90") <= f(latency, "max"));
    assert_eq!(
        report["errors"],
        Value::Array(vec![]),
        "every corpus file reads"
    );

    // The text report: same accuracy and the same confusion matrix.
    let text = hark(["eval", "--min-accuracy", "0.5", &labels_path()]);
    text.expect_code(0);
    let first = text.stdout.lines().next().unwrap();
    let expected = format!(
        "accuracy {:.1} % ({correct}/{} files)",
        100.0 * accuracy,
        labels.len()
    );
    assert_eq!(first, expected);
    let mut lines = text.stdout.lines();
    lines
        .find(|l| l.starts_with("confusion"))
        .expect("a confusion matrix");
    let columns: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(columns, ["human", "machine", "none"]);
    for category in &categories {
        let row: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
        assert_eq!(row[0], *category);
        for (cell, class) in row[1..].iter().zip(&columns) {
            let n = confusion[*category][*class].as_u64().unwrap_or(0);
            assert_eq!(cell.parse::<u64>().unwrap(), n, "{category} as {class}");
        }
    }
}

#[test]
fn eval_split_and_accuracy_floor() {
    let heldout = corpus_labels()
        .iter()
        .filter(|l| l["split"] == "heldout")
        .count() as u64;
    let run = hark(["eval", "--json", "--split", "heldout", &labels_path()]);
    run.expect_code(0);
    let report = run.json();
    assert_eq!(count(&report, &["files"]), heldout);
    assert!(heldout > 0 && heldout < corpus_labels().len() as u64);
    // The floor is inclusive: exactly the accuracy passes, a hair above fails.
    let accuracy = report["accuracy"].to_string();
    let at = hark([
        "eval",
        "--split",
        "heldout",
        "--min-accuracy",
        &accuracy,
        &labels_path(),
    ]);
    at.expect_code(0);
    let above = format!("{}", f(&report, "accuracy") + 1e-9);
    let run = hark([
        "eval",
        "--split",
        "heldout",
        "--min-accuracy",
        &above,
        &labels_path(),
    ]);
    run.expect_code(1);
    assert!(run.stderr.contains("below the floor"), "{run:?}");
    // The report is printed all the same.
    assert_eq!(run.stdout.lines().next(), at.stdout.lines().next());
    assert!(run.stdout.starts_with("accuracy "), "{run:?}");
}

#[test]
fn bad_labels_files_name_the_file_and_line() {
    let scratch = Scratch::new("eval-bad");
    scratch.pcm16("human.wav", &human_call().samples, 8000);
    let good = r#"{"file": "human.wav", "category": "human", "expected": "human"}"#;
    let broken = scratch.write(
        "broken.jsonl",
        format!("{good}\n\n{{\"file\": \"human.wav\", \"category\": \n"),
    );
    let run = hark(["eval".as_ref(), broken.as_os_str()]);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(
        run.stderr.contains(&format!("{}:3:", shown(&broken))),
        "{run:?}"
    );
    let incomplete = scratch.write(
        "incomplete.jsonl",
        format!("{good}\n{{\"file\": \"human.wav\", \"category\": \"human\"}}\n"),
    );
    let run = hark(["eval".as_ref(), incomplete.as_os_str()]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(&format!("{}:2:", shown(&incomplete))),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("expected"),
        "names the missing field: {run:?}"
    );
    let missing = scratch.path("missing.jsonl");
    let run = hark(["eval".as_ref(), missing.as_os_str()]);
    run.expect_code(2);
    assert!(run.stderr.contains(&shown(&missing)), "{run:?}");
}
