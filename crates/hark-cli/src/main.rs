//! The `hark` command: classify recorded calls, trace the detector, evaluate accuracy.

mod classify;
mod eval;
mod files;
mod output;
mod params;
mod trace;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hark::{Detector, Plan};
use hark_audio::{RawFormat, ReadOptions};
use indicatif::{ProgressBar, ProgressStyle};

use crate::classify::{classify_all, Clock, FileResult};
use crate::output::{Format, Printer, Summary};
use crate::params::DetectorArgs;

#[derive(Parser)]
#[command(
    name = "hark",
    version,
    about = "Answering-machine detection for recorded calls"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct InputArgs {
    /// Channel to analyse in multi-channel files (call recordings often put each party on
    /// its own channel).
    #[arg(long, default_value_t = 0)]
    channel: u16,
    /// Read every file as headerless 8 kHz audio of this kind: ulaw, alaw or pcm16.
    #[arg(long, value_name = "KIND", value_parser = parse_raw)]
    raw: Option<RawFormat>,
}

fn parse_raw(s: &str) -> Result<RawFormat, String> {
    match s {
        "ulaw" | "mulaw" | "ul" => Ok(RawFormat::Ulaw),
        "alaw" | "al" => Ok(RawFormat::Alaw),
        "pcm16" | "sln" | "s16le" => Ok(RawFormat::Pcm16),
        _ => Err(format!("unknown raw format {s:?} (ulaw, alaw or pcm16)")),
    }
}

impl InputArgs {
    fn options(&self) -> ReadOptions {
        ReadOptions {
            channel: self.channel,
            raw_format: self.raw,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Classify audio files (folders are searched recursively): one result per file.
    Classify {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format (default: table on a terminal, jsonl otherwise).
        #[arg(long)]
        format: Option<Format>,
        /// Worker threads (default: all cores).
        #[arg(long, short)]
        jobs: Option<usize>,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        detector: DetectorArgs,
    },
    /// Print what the detector measured in every 10 ms frame, as CSV, with its events.
    Trace {
        file: PathBuf,
        /// Also draw energy, noise floor, speech, tones and the decision as an SVG picture.
        #[arg(long, value_name = "OUT.svg")]
        plot: Option<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        detector: DetectorArgs,
    },
    /// Classify every file of a labelled corpus and report accuracy, latency and beeps.
    Eval {
        /// A labels file: one JSON object per line with file, category, expected, ...
        labels: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Only the files of this split (e.g. tune or heldout).
        #[arg(long)]
        split: Option<String>,
        /// Exit with status 1 if overall accuracy (0-1) is below this.
        #[arg(long, value_name = "FRACTION")]
        min_accuracy: Option<f64>,
        /// Worker threads (default: all cores).
        #[arg(long, short)]
        jobs: Option<usize>,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        detector: DetectorArgs,
    },
}

fn jobs(requested: Option<usize>) -> usize {
    requested
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

fn plan(args: &DetectorArgs) -> Result<std::sync::Arc<Plan>, String> {
    let config = args.config()?;
    Plan::new(config).map_err(|e| e.to_string())
}

fn progress(total: usize) -> Option<ProgressBar> {
    if total < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} files, {eta} left") {
        bar.set_style(style);
    }
    Some(bar)
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Classify {
            paths,
            format,
            jobs: j,
            input,
            detector,
        } => {
            let plan = plan(&detector)?;
            let files = files::expand(&paths);
            let format = format.unwrap_or(if std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Jsonl
            });
            let mut printer = Printer::new(std::io::stdout().lock(), format);
            let mut summary = Summary::default();
            let bar = progress(files.len());
            let clock = Clock::start();
            let mut write_error = None;
            classify_all(&files, &plan, &input.options(), jobs(j), |_, result| {
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                summary.add(&result);
                if write_error.is_none() {
                    write_error = printer.print(&result).err();
                }
            });
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            printer.flush().map_err(|e| e.to_string())?;
            if let Some(e) = write_error {
                return Err(format!("writing results: {e}"));
            }
            let (wall, cpu) = clock.elapsed();
            eprintln!("{}", summary.line(wall, cpu));
            Ok(if summary.errors() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Trace {
            file,
            plot,
            input,
            detector,
        } => {
            let mut d = Detector::new(plan(&detector)?);
            let mut out = std::io::stdout().lock();
            trace::trace(&file, &mut d, &input.options(), &mut out, plot.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval {
            labels,
            json,
            split,
            min_accuracy,
            jobs: j,
            input,
            detector,
        } => {
            let plan = plan(&detector)?;
            let mut labels = eval::read_labels(&labels)?;
            if let Some(split) = &split {
                labels.retain(|l| l.split.as_deref() == Some(split.as_str()));
            }
            if labels.is_empty() {
                return Err("no labelled files to evaluate".into());
            }
            let files: Vec<PathBuf> = labels.iter().map(|l| l.file.clone()).collect();
            let bar = progress(files.len());
            let clock = Clock::start();
            let mut results: Vec<FileResult> = Vec::with_capacity(files.len());
            classify_all(&files, &plan, &input.options(), jobs(j), |_, r| {
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                results.push(r);
            });
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            let mut report = eval::Report::score(&labels, &results);
            (report.wall_seconds, report.cpu_seconds) = clock.elapsed();
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
                );
            } else {
                print!("{}", report.text());
            }
            match min_accuracy {
                Some(floor) if report.accuracy < floor => {
                    eprintln!(
                        "accuracy {:.4} is below the floor {floor:.4}",
                        report.accuracy
                    );
                    Ok(ExitCode::from(1))
                }
                _ => Ok(ExitCode::SUCCESS),
            }
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("hark: {message}");
            ExitCode::from(2)
        }
    }
}
