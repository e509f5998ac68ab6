//! `callforge score`: replays a run file and prints its score.

use super::{CliError, CliResult, ScenarioDir, diagnostics, load_library, report_text};
use crate::domain::model::Run;
use crate::domain::parse::{self, FileKind};
use crate::domain::source::read_source;
use crate::domain::{replay, score};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Replay a recorded run and print its score breakdown.
///
/// The run is played again against the scenario from its seed and inputs, so the score is exactly
/// what it was when the call was made, on any machine. The same input always prints the same
/// bytes.
///
/// A run recorded against an older version of the scenario (its `version` or content `hash`
/// differs) is refused, since its score would not be comparable; pass --allow-changed to score it
/// against the current text anyway.
///
/// The JSON has: score, adherence, penalties, pass_mark, passed, critical, outcome ("Success" or
/// "Failure"), label, reason, stages, forbidden, and turns (node, expected, said, q, hit,
/// feedback, notes, diff).
///
/// Every score ends with its receipt: the scorer version (the run file's `scorer:`, absent means
/// 1), the scenario's version and content hash, and the callforge version, so anyone can
/// reproduce it. --scorer N shows what the run would score under another version.
///
/// Exit status: 0 when the run was scored (passed or not), 1 when it could not be.
///
/// Examples:
///   callforge score runs/bob-2026-11-28.ron
///   callforge score run.ron --json | jq .score
///   callforge score run.ron --scorer 1       # the same run under the frozen version 1
///   callforge score --stored 42              # a run from the records, with its receipt
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The run file, as written by `callforge play --record` or the simulator.
    #[arg(value_name = "RUN.ron", required_unless_present = "stored")]
    run: Option<PathBuf>,
    /// Score a run stored in the records instead (its id, as `trainee show` and the reports list
    /// it): against the exact scenario text it was played on, by the scorer version it names, and
    /// say whether that matches the stored score.
    #[arg(long, value_name = "ID", conflicts_with = "run")]
    stored: Option<i64>,
    /// Print the breakdown as JSON.
    #[arg(long)]
    json: bool,
    /// Score a run even if its scenario changed since it was recorded.
    #[arg(long)]
    allow_changed: bool,
    /// Score by this scorer version instead of the one the run names (to compare versions; the
    /// run file is not changed).
    #[arg(long, value_name = "N")]
    scorer: Option<u32>,
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    db: super::records_args::DbArg,
}

/// Reads and parses a run file, printing its diagnostics on failure.
pub(crate) fn read_run(path: &std::path::Path) -> Result<Run, CliError> {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let invalid = |diags: Vec<crate::domain::Diagnostic>| {
        let shown: String = diags.iter().map(|d| diagnostics::render(d, color)).collect::<Vec<_>>().join("\n");
        CliError::msg(format!("{} is not a valid run file:\n{shown}", path.display()))
    };
    // Read with the file size limit: a run file is never read whole when it is over it.
    let source = Arc::new(
        read_source(path, path.display().to_string())
            .map_err(|d| CliError::msg(diagnostics::render(&d, color).trim_end().to_owned()))?,
    );
    parse::read::<Run>(&source, FileKind::Run).map_err(invalid)
}

pub fn run(args: Args) -> CliResult {
    let Some(path) = args.run.clone() else { return stored(&args) };
    let mut run = read_run(&path)?;
    if let Some(v) = args.scorer {
        run.scorer = Some(v);
    }
    let lib = load_library(&args.scenarios)?;
    let playable = match lib.scenario(&run.scenario) {
        Some(p) => p,
        None => {
            let why = match lib.scenarios.iter().find(|e| e.id.as_deref() == Some(run.scenario.as_str())) {
                Some(entry) => format!(
                    "scenario \"{}\" is broken: {}",
                    run.scenario,
                    entry.first_error.as_ref().map_or("unknown error".to_owned(), |d| d.to_string())
                ),
                None => format!("there is no scenario \"{}\" in {}", run.scenario, args.scenarios.dir.display()),
            };
            return Err(CliError::msg(why));
        }
    };
    let dialogue = replay(playable, &run, args.allow_changed)
        .map_err(|source| CliError::Replay { path: path.display().to_string(), source })?;
    print_score(&score(&dialogue), args.json)?;
    Ok(ExitCode::SUCCESS)
}

fn print_score(s: &crate::domain::Score, json: bool) -> Result<(), CliError> {
    if json {
        outln!("{}", serde_json::to_string_pretty(s)?);
    } else {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        out!("{}", report_text::render(s, color));
    }
    Ok(())
}

/// `--stored ID`: a stored run scored again from the records alone; exit 1 when it no longer
/// scores what was stored.
fn stored(args: &Args) -> CliResult {
    let Some(id) = args.stored else { return Err(CliError::msg("give a RUN.ron file or --stored ID")) };
    let mut records = args.db.open_existing()?;
    let again = records.rescore_run(id)?;
    print_score(&again.now, args.json)?;
    if again.matches() {
        eprintln!("run {id} scores as stored: {} (scorer {})", again.stored.score, again.now.scorer);
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "run {id} was stored with score {} but scores {} now; run `callforge verify`",
            again.stored.score, again.now.score
        );
        Ok(ExitCode::FAILURE)
    }
}
