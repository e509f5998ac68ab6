//! `callforge record`: scores a finished run file and stores it in the trainee's records.

use super::records_args::{DbArg, TRAINEE_HELP, trainee_arg};
use super::{CliResult, ScenarioDir, load_library, safe, score::read_run};
use crate::records::TraineeRef;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Score finished runs and store them in a trainee's records.
///
/// The run is replayed against the current scenario (it must fit it exactly: same version and
/// content), scored, and stored with its whole run file and score breakdown, chained to the
/// previous run so that later edits can be detected by `callforge verify`. If the scenario is an
/// exam scenario of the trainee's next rung and the run was played in the exam's mode, it is also
/// recorded as an exam attempt (a failed attempt starts the exam's cooldown).
///
/// A run file is checked, not trusted: it must name the scenario version and content hash it was
/// played on, be the trainee's own (its `trainee` is their name), type every expected line in
/// Recall mode, and not have been stored before (the same run counts once). An exam attempt counts
/// only when it was sat with a proctor's ticket (`callforge play --proctor`); give the ticket with
/// --ticket to store such a run later (before the ticket expires). Without one it counts as
/// practice. Cooldowns run on the time the records receive a run, not the time its file claims.
///
/// Several run files are stored in one transaction: all of them, or none if one does not fit.
/// Prints each new run id and its score only once it is in the database file (a file deleted or
/// replaced meanwhile is an error, not a "stored"). A missing database is created (and said so).
///
/// Examples:
///   callforge record run.ron --trainee 3
///   callforge record run.ron --trainee name:2024   (a trainee whose name is a number)
///   callforge record runs/*.ron --trainee 3
///   callforge record run.ron --trainee "Olga Petrova" --db postgres://callforge@db.example/sales
///   callforge record exam.ron --trainee 3 --ticket 12
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Run files, as written by `callforge play --record` or the simulator.
    #[arg(value_name = "RUN.ron", required = true)]
    runs: Vec<PathBuf>,
    #[arg(long, value_name = "ID|NAME", value_parser = trainee_arg, help = TRAINEE_HELP)]
    trainee: TraineeRef,
    /// The proctor's exam ticket the run was sat with (one run file only).
    #[arg(long, value_name = "N")]
    ticket: Option<i64>,
    /// Store the run N times, each with the next seed (the same run counts once), printing each id
    /// as it is stored (for load and crash tests).
    #[arg(long, value_name = "N", default_value_t = 1, hide = true)]
    repeat: u32,
    /// Limit an SQLite database to N pages of storage, as a full disk would (for fault tests).
    #[arg(long, value_name = "N", hide = true)]
    max_pages: Option<u32>,
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: Args) -> CliResult {
    let runs = args.runs.iter().map(|p| read_run(p)).collect::<Result<Vec<_>, _>>()?;
    let lib = load_library(&args.scenarios)?;
    let mut records = args.db.open()?;
    if let Some(pages) = args.max_pages {
        records.limit_pages(pages)?;
    }
    if args.ticket.is_some() && runs.len() != 1 {
        return Err(super::CliError::msg("--ticket names the ticket of one exam run: give one run file"));
    }
    for i in 0..args.repeat {
        let seeded: Vec<crate::domain::Run> =
            runs.iter().map(|r| crate::domain::Run { seed: r.seed.wrapping_add(u64::from(i)), ..r.clone() }).collect();
        let batch: Vec<(TraineeRef, &crate::domain::Run, Option<i64>)> =
            seeded.iter().map(|r| (args.trainee.clone(), r, args.ticket)).collect();
        let stored = records.store_all(&batch, &lib)?;
        let mut out = std::io::stdout().lock();
        for (s, run) in stored.iter().zip(&runs) {
            let verdict = if s.score.passed { "passed" } else { "failed" };
            let scenario = safe(&run.scenario);
            let _ = write!(out, "stored run {}: {scenario} {} — score {} ({verdict})", s.id, run.mode, s.score.score);
            if let Some(e) = &s.exam {
                let _ = write!(out, "; exam attempt for {}: {}", e.to_role, safe(&e.note));
            }
            let _ = writeln!(out);
        }
        let _ = out.flush();
    }
    Ok(ExitCode::SUCCESS)
}
