//! Integration tests of the `hark` binary, one test binary: the real executable run as a
//! process on real files (the Asterisk prompts, calls built from them, and the labelled corpus).

#[path = "cli/classify.rs"]
mod classify;
#[path = "cli/eval.rs"]
mod eval;
#[path = "cli/params.rs"]
mod params;
#[path = "cli/support.rs"]
mod support;
#[path = "cli/trace.rs"]
mod trace;

use support::hark;

#[test]
fn version_names_the_package_version() {
    let run = hark(["--version"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout.trim_end(),
        format!("hark {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2_and_say_what_is_wrong() {
    let run = hark(["classify"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("required") && run.stderr.contains("<PATHS>"),
        "{run:?}"
    );
    assert!(run.stderr.contains("Usage: hark classify"), "{run:?}");

    let run = hark(["trace"]);
    run.expect_code(2);
    assert!(run.stderr.contains("<FILE>"), "{run:?}");

    let run = hark(["eval"]);
    run.expect_code(2);
    assert!(run.stderr.contains("<LABELS>"), "{run:?}");

    let run = hark(["listen", "x.wav"]);
    run.expect_code(2);
    assert!(run.stderr.contains("listen"), "{run:?}");

    let run = hark(["classify", "--format", "xml", "x.wav"]);
    run.expect_code(2);
    assert!(run.stderr.contains("jsonl, table, csv"), "{run:?}");

    let run = hark(["classify", "--raw", "mp3", "x.wav"]);
    run.expect_code(2);
    assert!(run.stderr.contains("ulaw, alaw or pcm16"), "{run:?}");

    // No subcommand: usage on stderr, not a panic.
    let run = hark(std::iter::empty::<&str>());
    run.expect_code(2);
    assert!(run.stderr.contains("Usage: hark <COMMAND>"), "{run:?}");
}

#[test]
fn help_lists_the_subcommands() {
    let run = hark(["--help"]);
    run.expect_code(0);
    for sub in ["classify", "trace", "eval"] {
        assert!(
            run.stdout.lines().any(|l| l.trim_start().starts_with(sub)),
            "{sub} missing from:\n{}",
            run.stdout
        );
    }
}
