//! `callforge calibrate`: how often a scorer version agrees with the trainers' labelled lines and calls.

use super::{CliError, CliResult};
use crate::domain::Library;
use crate::domain::calibrate::{Agreement, SetResult, calibrate_library};
use crate::domain::scorer;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Check the scorer against the trainers' calibration sets.
///
/// A calibration set (scenarios/calibration/<script-id>.ron) holds typed lines a trainer labelled
/// Accept or Reject for a stage of a script, texts labelled Penalise or Allow for the script's
/// forbidden phrases, and optionally whole calls labelled Pass or Fail. This command scores every
/// label with a scorer version and prints, per script and overall: the agreement, Cohen's kappa
/// (agreement beyond chance: 1 is perfect, 0 is chance), a confusion table, and every
/// disagreement with the quality the scorer gave.
///
/// PATH is a scenario root (the calibration sets are read from its calibration/ folder, against
/// its scripts and scenarios) or single calibration files inside a root.
///
/// Exit status: 1 when any set's agreement is below its min_agreement (default 0.95), 0 otherwise.
///
/// Examples:
///   callforge calibrate
///   callforge calibrate --scorer 1          # how the frozen version 1 fares
///   callforge calibrate scenarios/calibration/generator-cold-call-ru.ron --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A scenario root, or calibration files.
    #[arg(value_name = "PATH", default_value = "scenarios")]
    paths: Vec<PathBuf>,
    /// The scorer version to check (default: the newest).
    #[arg(long, value_name = "N", default_value_t = scorer::LATEST)]
    scorer: u32,
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CliResult {
    if !scorer::VERSIONS.contains(&args.scorer) {
        return Err(CliError::msg(format!(
            "there is no scorer version {}; this callforge knows {}",
            args.scorer,
            scorer::known()
        )));
    }
    let lib = Library::load(&args.paths);
    let broken: Vec<String> = lib
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && (d.path.contains("calibration") || d.path.contains("scripts")))
        .map(|d| d.to_string())
        .collect();
    if !broken.is_empty() {
        return Err(CliError::msg(format!(
            "the calibration sets or their scripts have errors (see `callforge validate`):\n  {}",
            broken.join("\n  ")
        )));
    }
    let results = calibrate_library(&lib, args.scorer);
    if results.is_empty() {
        return Err(CliError::msg("no calibration sets found (scenarios/calibration/<script-id>.ron)"));
    }
    let mut overall = Agreement::default();
    for r in &results {
        overall.both_yes += r.overall.both_yes;
        overall.trainer_only += r.overall.trainer_only;
        overall.scorer_only += r.overall.scorer_only;
        overall.both_no += r.overall.both_no;
    }
    if args.json {
        let out = serde_json::json!({
            "scorer": args.scorer,
            "sets": results,
            "overall": { "labels": overall.total(), "agreement": overall.agreement(), "kappa": overall.kappa(), "table": overall },
        });
        outln!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for r in &results {
            out!("{}", render(r));
        }
        outln!(
            "overall (scorer {}): {} labels, agreement {:.1}%, kappa {:.2}",
            args.scorer,
            overall.total(),
            100.0 * overall.agreement(),
            overall.kappa()
        );
    }
    let failed: Vec<&str> = results.iter().filter(|r| !r.passed).map(|r| r.script.as_str()).collect();
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("below the required agreement: {}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

/// One set as text: the agreement, κ, the confusion table and the disagreements.
fn render(r: &SetResult) -> String {
    let mut s = String::new();
    let a = &r.overall;
    let _ = writeln!(
        s,
        "{} ({}) — scorer {}: {} labels, agreement {:.1}% (needs {:.0}%), kappa {:.2} {}",
        r.script,
        r.path,
        r.scorer,
        a.total(),
        100.0 * a.agreement(),
        100.0 * r.min_agreement,
        a.kappa(),
        if r.passed { "ok" } else { "BELOW" }
    );
    for (name, part, yes, no) in [
        ("lines", &r.lines, "accept", "reject"),
        ("forbidden", &r.forbidden, "penalise", "allow"),
        ("calls", &r.calls, "pass", "fail"),
    ] {
        if part.total() == 0 {
            continue;
        }
        let _ = writeln!(
            s,
            "  {name:<9} {:>3} labels, {:.1}%   trainer {yes}: scorer {yes} {} / {no} {}   trainer {no}: scorer {yes} {} / {no} {}",
            part.total(),
            100.0 * part.agreement(),
            part.both_yes,
            part.trainer_only,
            part.scorer_only,
            part.both_no,
        );
    }
    for d in &r.disagreements {
        let q = d.quality.map(|q| format!(" (q {q:.2})")).unwrap_or_default();
        let about = if d.about.is_empty() { String::new() } else { format!(" [{}]", d.about) };
        let _ = writeln!(
            s,
            "  ≠ {}{about}: trainer {}, scorer {}{q}: «{}»{}",
            d.kind,
            d.trainer,
            d.scorer,
            super::safe(&d.text),
            if d.note.is_empty() { String::new() } else { format!(" — {}", d.note) }
        );
    }
    s.push('\n');
    s
}
