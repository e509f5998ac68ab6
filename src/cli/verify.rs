//! `callforge verify`: re-scores every stored run, checks the hash chains and every signature.

use super::records_args::DbArg;
use super::{CliResult, safe};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

/// Check that the records were not edited behind callforge's back.
///
/// Every stored run is replayed from its inputs against the exact scenario text it was played on
/// and must give the stored score and every stored column; every run and promotion row must match
/// its hash and chain to the previous one. Every signature is checked: manager accounts (each
/// approved by another manager, back to the department's first manager, the root), promotions,
/// proctors' exam tickets (and that each exam run is its ticket's trainee, scenario and seed),
/// assignments and their withdrawals, and checkpoints (no row before the latest one changed, even with its hashes recomputed). Each
/// trainee's rung must be what their signed promotions say. Every problem says what was changed.
///
/// Rows made before signatures existed (in records upgraded from an older callforge) are listed as
/// warnings, not problems.
///
/// --trust (or CALLFORGE_TRUST) names the fingerprint of the department's root key, as
/// `manager add` printed it for the first manager: records set up by anyone else fail.
///
/// It only reads: a database that does not exist is an error (check --db), never a new one.
///
/// Exit status: 0 when everything checks out, 1 when a problem is found.
///
/// Examples:
///   callforge verify
///   callforge verify --trust 3f2a-91c0-77de-0b41
///   callforge verify --db postgres://callforge@db.example/sales --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// The fingerprint of the department's root key; verification fails unless it matches.
    #[arg(long, value_name = "FINGERPRINT", env = "CALLFORGE_TRUST")]
    trust: Option<String>,
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
    let report = records.verify_trusting(args.trust.as_deref(), &mut progress)?;
    if tty && report.runs > 0 {
        eprintln!();
    }
    let secs = started.elapsed().as_secs_f64();
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for p in &report.problems {
            outln!("{}", safe(&p.to_string()));
        }
        for w in &report.warnings {
            outln!("warning: {}", safe(&w.to_string()));
        }
        match &report.root {
            Some(fp) => outln!(
                "root key {fp}{}",
                if args.trust.is_some() && report.problems.iter().all(|p| p.table != "managers" || p.id != 0) {
                    " (the trusted one)"
                } else if args.trust.is_none() {
                    " (compare it with the fingerprint your department wrote down, or pass --trust)"
                } else {
                    ""
                }
            ),
            None => outln!("no root key yet (no manager has signed anything)"),
        }
        match &report.latest_checkpoint {
            Some(c) => outln!(
                "latest checkpoint {} at {} by {}: runs up to {} and promotions up to {} cannot change unseen",
                c.id,
                crate::domain::time::format_time(c.at),
                safe(&c.manager),
                c.runs_last,
                c.promotions_last
            ),
            None => outln!("no checkpoint yet: a manager action or `callforge checkpoint` signs one"),
        }
        let rate = if secs > 0.0 { report.runs as f64 / secs } else { 0.0 };
        outln!(
            "verified {} runs, {} promotions, {} managers, {} tickets, {} assignments and {} checkpoints in {secs:.2} s ({rate:.0} runs/s): {}{}",
            report.runs,
            report.promotions,
            report.managers,
            report.tickets,
            report.assignments,
            report.checkpoints,
            if report.problems.is_empty() {
                "no problems".to_owned()
            } else {
                format!("{} problem(s)", report.problems.len())
            },
            if report.warnings.is_empty() { String::new() } else { format!(", {} warning(s)", report.warnings.len()) }
        );
    }
    Ok(if report.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
