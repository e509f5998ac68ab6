//! `callforge verify`: re-scores every stored run and checks the hash chains.

use super::records_args::DbArg;
use super::{CliResult, safe};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

/// Check that the records were not edited behind callforge's back.
///
/// Every stored run is replayed from its inputs against the exact scenario text it was played on
/// and must give the stored score; every run and promotion row must match its hash and chain to
/// the previous one. Any edited, removed or forged row is listed.
///
/// It only reads: a database that does not exist is an error (check --db), never a new one.
///
/// Exit status: 0 when everything checks out, 1 when a problem is found.
///
/// Examples:
///   callforge verify
///   callforge verify --db postgres://callforge@db.example/sales --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: Args) -> CliResult {
    let mut records = args.db.open_existing()?;
    let tty = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut last_shown = 0u64;
    let mut progress = |done: u64, total: u64| {
        if total == 0 {
            return;
        }
        if tty {
            eprint!("\rverifying runs: {done}/{total} ({}%)", done * 100 / total);
            let _ = std::io::stderr().flush();
        } else if done * 10 / total > last_shown * 10 / total.max(1) || done == total {
            eprintln!("verifying runs: {done}/{total}");
            last_shown = done;
        }
    };
    let report = records.verify(&mut progress)?;
    if tty && report.runs > 0 {
        eprintln!();
    }
    let secs = started.elapsed().as_secs_f64();
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for p in &report.problems {
            outln!("{} row {}: {}", p.table, p.id, safe(&p.what));
        }
        let rate = if secs > 0.0 { report.runs as f64 / secs } else { 0.0 };
        outln!(
            "verified {} runs and {} promotions in {secs:.2} s ({rate:.0} runs/s): {}",
            report.runs,
            report.promotions,
            if report.problems.is_empty() {
                "no problems".to_owned()
            } else {
                format!("{} problem(s)", report.problems.len())
            }
        );
    }
    Ok(if report.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
