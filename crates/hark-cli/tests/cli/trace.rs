//! `hark trace`: the per-frame CSV and the SVG plot.

use crate::support::*;

const HEADER: &str = "time_ms,energy_dbfs,floor_dbfs,speech,tonality,peak_hz,tone,events";

/// One parsed CSV row.
struct Row {
    time_ms: f64,
    energy: f64,
    speech: bool,
    peak_hz: f64,
    tone: bool,
    events: String,
}

fn rows(csv: &str) -> Vec<Row> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(HEADER));
    lines
        .map(|line| {
            // The events column may hold anything after the seventh comma.
            let cells: Vec<&str> = line.splitn(8, ',').collect();
            assert_eq!(cells.len(), 8, "{line}");
            let num = |i: usize| -> f64 {
                cells[i]
                    .parse()
                    .unwrap_or_else(|_| panic!("cell {i} of {line:?}"))
            };
            let flag = |i: usize| match cells[i] {
                "0" => false,
                "1" => true,
                other => panic!("cell {i} is {other:?} in {line:?}"),
            };
            // A last row may carry only the events that came after the last frame.
            let frame = !cells[1].is_empty();
            Row {
                time_ms: num(0),
                energy: if frame { num(1) } else { f64::NAN },
                speech: frame && flag(3),
                peak_hz: if frame { num(5) } else { f64::NAN },
                tone: frame && flag(6),
                events: cells[7].to_string(),
            }
        })
        .collect()
}

#[test]
fn trace_prints_one_row_per_10_ms_frame_with_the_events() {
    let scratch = Scratch::new("trace");
    let call = voicemail_call();
    let vm = scratch.pcm16("vm.wav", &call.samples, 8000);
    let run = hark(["trace".as_ref(), vm.as_os_str()]);
    run.expect_code(0);
    let rows = rows(&run.stdout);
    let frames: Vec<&Row> = rows.iter().filter(|r| !r.energy.is_nan()).collect();
    assert_eq!(
        frames.len(),
        call.samples.len() / 80,
        "one row per whole frame"
    );
    for (i, row) in frames.iter().enumerate() {
        assert_eq!(row.time_ms, 10.0 * (i + 1) as f64, "frames are 10 ms apart");
    }
    // The leading digital silence.
    for row in frames
        .iter()
        .take_while(|r| r.time_ms <= call.greeting_start_ms)
    {
        assert!(
            !row.speech && !row.tone,
            "speech or tone at {} ms",
            row.time_ms
        );
        assert!(
            row.energy < -80.0,
            "{} dBFS at {} ms",
            row.energy,
            row.time_ms
        );
    }
    // Inside the beep (away from its fades) every frame is a 700 Hz tone.
    let inside = (call.beep_start_ms + 60.0)..(call.beep_end_ms - 40.0);
    let beep_frames: Vec<&&Row> = frames
        .iter()
        .filter(|r| inside.contains(&r.time_ms))
        .collect();
    assert!(beep_frames.len() >= 30);
    for row in beep_frames {
        assert!(row.tone, "no tone at {} ms", row.time_ms);
        assert!((row.peak_hz - 700.0).abs() <= 10.0, "{} Hz", row.peak_hz);
    }
    // The same decision classify makes, in the row of its frame.
    let classified = hark(["classify".as_ref(), vm.as_os_str()]).jsonl();
    let decision_ms = f(&classified[0], "decision_ms");
    let decided: Vec<&Row> = rows
        .iter()
        .filter(|r| r.events.contains("decision"))
        .collect();
    assert_eq!(decided.len(), 1, "one decision");
    assert!(
        decided[0]
            .events
            .contains("decision answering-machine (long-greeting)"),
        "{}",
        decided[0].events
    );
    assert!((decided[0].time_ms - decision_ms).abs() <= 10.0);
    let all_events: Vec<&str> = rows.iter().map(|r| r.events.as_str()).collect();
    let all_events = all_events.join(";");
    assert!(all_events.contains("speech-start@"), "{all_events}");
    assert!(all_events.contains("tone-start@"), "{all_events}");
    assert!(all_events.contains("message-end by beep"), "{all_events}");
}

#[test]
fn trace_plot_writes_an_svg_with_the_decision() {
    let scratch = Scratch::new("plot");
    let human = scratch.pcm16("human.wav", &human_call().samples, 8000);
    let svg_path = scratch.path("out/human.svg");
    let run = hark([
        "trace".as_ref(),
        "--plot".as_ref(),
        svg_path.as_os_str(),
        human.as_os_str(),
    ]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with(HEADER),
        "the CSV still goes to stdout"
    );
    let svg = std::fs::read_to_string(&svg_path).expect("the SVG is written");
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains(">human</text>"), "decision label");
    assert!(svg.contains(&shown(&human)), "the file is named");
    assert!(svg.contains("<polyline"), "energy is drawn");

    let vm = scratch.ulaw("voicemail.wav", &voicemail_call().samples);
    let vm_svg = scratch.path("out/vm.svg");
    hark([
        "trace".as_ref(),
        vm.as_os_str(),
        "--plot".as_ref(),
        vm_svg.as_os_str(),
    ])
    .expect_code(0);
    let svg = std::fs::read_to_string(&vm_svg).unwrap();
    assert!(svg.contains(">answering-machine</text>"));
    assert!(svg.contains("message end (beep)"));
}

#[test]
fn trace_errors_name_the_file() {
    let scratch = Scratch::new("trace-errors");
    let missing = scratch.path("missing.wav");
    let run = hark(["trace".as_ref(), missing.as_os_str()]);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("{}: file not found", shown(&missing))),
        "{run:?}"
    );
    let human = scratch.pcm16("human.wav", &human_call().samples, 8000);
    let nowhere = scratch.dir().join("no-such-folder/plot.svg");
    let run = hark([
        "trace".as_ref(),
        "--plot".as_ref(),
        nowhere.as_os_str(),
        human.as_os_str(),
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains(&shown(&nowhere)), "{run:?}");
}
