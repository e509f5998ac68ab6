//! `callforge record`: scores a finished run file and stores it in the trainee's records.

use super::records_args::DbArg;
use super::{CliError, CliResult, ScenarioDir, load_library, score::read_run};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Score a finished run and store it in a trainee's records.
///
/// The run is replayed against the current scenario (it must fit it exactly: same version and
/// content), scored, and stored with its whole run file and score breakdown, chained to the
/// previous run so that later edits can be detected by `callforge verify`. If the scenario is an
/// exam scenario of the trainee's next rung and the run was played in the exam's mode, it is also
/// recorded as an exam attempt (a failed attempt starts the exam's cooldown).
///
/// Prints the new run id and the score.
///
/// Examples:
///   callforge record run.ron --trainee 3
///   callforge record run.ron --trainee "Olga Petrova" --db postgres://callforge@db.example/sales
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The run file, as written by `callforge play --record` or the simulator.
    #[arg(value_name = "RUN.ron")]
    run: PathBuf,
    /// The trainee's id or exact name.
    #[arg(long, value_name = "ID")]
    trainee: String,
    /// Store the same run N times, printing each id as it is stored (for load and crash tests).
    #[arg(long, value_name = "N", default_value_t = 1, hide = true)]
    repeat: u32,
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: Args) -> CliResult {
    let run = read_run(&args.run)?;
    let lib = load_library(&args.scenarios)?;
    let mut records = args.db.open()?;
    let stdout = std::io::stdout();
    for _ in 0..args.repeat {
        let stored = records.store_run(&args.trainee, &lib, &run).map_err(|e| CliError::msg(e.to_string()))?;
        let mut out = stdout.lock();
        let verdict = if stored.score.passed { "passed" } else { "failed" };
        let _ = write!(
            out,
            "stored run {}: {} {} — score {} ({verdict})",
            stored.id, run.scenario, run.mode, stored.score.score
        );
        if let Some(e) = &stored.exam {
            let _ = write!(out, "; exam attempt for {}: {}", e.to_role, e.note);
        }
        let _ = writeln!(out);
        let _ = out.flush();
    }
    Ok(ExitCode::SUCCESS)
}
