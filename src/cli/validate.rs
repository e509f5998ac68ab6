//! `callforge validate`: checks scripts, scenarios and the ladder, and reports every problem.

use super::{CliResult, diagnostics};
use crate::domain::Library;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Check scenario files and report every problem with its file, line and column.
///
/// Each PATH is a single .ron file or a scenario root (a folder with scripts/ inside). A single
/// scenario is checked against the scripts of its root; the ladder against its root's scenarios.
/// All files are read in one pass and every problem is listed, not only the first.
///
/// Errors: RON syntax, unknown fields or variants, wrong types, a `next`, `start` or
/// `on_patience_out` naming a missing node, an `expect` or `stage` naming a stage the script
/// lacks, an unknown script, duplicate ids, an empty `say` or `choices`, random weights that sum
/// to zero, and traps (nodes from which no End can be reached).
///
/// Warnings (which do not fail): unreachable nodes, must_mention phrases missing from their own
/// line, invisible characters or letters not in Unicode NFC in a text the trainee's words are
/// compared with, voice clips missing from the assets folder, a persona's voice that no voice
/// table knows or that speaks another language, a speaking rate out of range, and other things
/// that are legal but probably not meant.
///
/// Exit status: 1 if there is any error, 0 otherwise.
///
/// Examples:
///   callforge validate
///   callforge validate scenarios/closer/warm-lead-price.ron
///   callforge validate my-company-scenarios/
///   callforge validate --stats
///   callforge validate --stats --json | jq '.groups[] | {role, language, scenarios}'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Files or scenario roots to check.
    #[arg(value_name = "PATH", default_value = "scenarios")]
    paths: Vec<PathBuf>,
    /// Print only errors, not warnings.
    #[arg(short, long)]
    quiet: bool,
    /// The folder voice clips (`audio`) are relative to; each clip must be a file there. Without
    /// it, `assets` is used when it exists.
    #[arg(long, value_name = "DIR")]
    assets: Option<PathBuf>,
    /// Also print content statistics: per scenario its language, difficulty, size, random nodes,
    /// the share of wrong replies the customer reacts to on their own, unscored mistakes and its
    /// partner in the other language; per role and language, counts.
    #[arg(long)]
    stats: bool,
    /// With --stats: the statistics as JSON on standard output (diagnostics still go to stderr).
    #[arg(long, requires = "stats")]
    json: bool,
    /// A department's own voices (as for `callforge voice --voices`): personas may name them
    /// without a warning.
    #[arg(long, value_name = "FILE", env = "CALLFORGE_VOICES")]
    voices: Option<PathBuf>,
}

pub fn run(args: Args) -> CliResult {
    let assets = args.assets.clone().or_else(|| Some(PathBuf::from("assets")).filter(|a| a.is_dir()));
    if let Some(dir) = assets.as_ref().filter(|a| !a.is_dir()) {
        return Err(super::CliError::msg(format!("--assets {}: no such folder", dir.display())));
    }
    let department = super::voice::department_voices(args.voices.as_deref())?;
    let mut lib = Library::load_with_assets(&args.paths, assets.as_deref());
    lib.check_voices(&department);
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in lib.diagnostics.iter().filter(|d| !args.quiet || d.is_error()) {
        eprint!("{}", diagnostics::render(d, color));
        eprintln!();
    }
    let playable = lib.playable().count();
    let errors = lib.errors();
    let warnings = lib.warnings();
    if args.stats {
        let stats = crate::domain::stats::library_stats(&lib);
        if args.json {
            outln!("{}", serde_json::to_string_pretty(&stats)?);
            return Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS });
        }
        out!("{}", render_stats(&stats));
    }
    outln!(
        "checked {} file(s): {} scenario(s) playable, {} script(s), {}; {} error(s), {} warning(s)",
        lib.files,
        playable,
        lib.scripts.len(),
        if lib.ladder.is_some() { "ladder found" } else { "no ladder" },
        errors,
        warnings
    );
    Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The statistics as a table per scenario and per role and language.
fn render_stats(stats: &crate::domain::stats::LibraryStats) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{:<40} {:<4} {:<6} {:>5} {:>7} {:>6} {:>9} {:>8}  partner",
        "scenario", "lang", "level", "nodes", "choices", "random", "reactions", "unscored"
    );
    for s in &stats.scenarios {
        let _ = writeln!(
            o,
            "{:<40} {:<4} {:<6} {:>5} {:>7} {:>6} {:>3}/{:<3} {:>3.0}% {:>4}  {}",
            super::safe(&s.id),
            super::safe(&s.language),
            format!("{:?}", s.difficulty),
            s.nodes,
            s.choices,
            s.random_nodes,
            s.wrong_with_reaction,
            s.wrong_choices,
            100.0 * s.reaction_share,
            s.unscored_mistakes,
            s.partner.as_deref().map_or("—".into(), super::safe)
        );
    }
    let _ = writeln!(o);
    for g in &stats.groups {
        let _ = writeln!(
            o,
            "{:<15} {:<3} {:>3} scenarios, {:>3} paired, wrong replies with a reaction of their own {}/{}",
            g.role.as_str(),
            g.language,
            g.scenarios,
            g.paired,
            g.wrong_with_reaction,
            g.wrong_choices
        );
    }
    let _ = writeln!(
        o,
        "all: {:.0}% of wrong replies get a reaction of their own; {} unscored mistake(s)\n",
        100.0 * stats.reaction_share,
        stats.unscored_mistakes
    );
    o
}
