//! `callforge audit`: the audit trail of everything done to the records.

use super::records_args::DbArg;
use super::report::parse_since;
use super::{CliResult, safe};
use crate::domain::time::format_time;
use std::process::ExitCode;

/// Show the audit trail: who did what to the records, and when.
///
/// Every change is written to the trail as it happens: trainees added, runs recorded, manager
/// accounts added, approved and given keys, passwords changed, exam tickets issued, promotions,
/// demotions and resets, checkpoints, and every refusal (a failed or locked sign-in, a manager
/// acting on their own record). Passwords never appear in it.
///
/// The trail is a record of what callforge did, not a proof: `callforge verify` checks the
/// records themselves, with their hashes and signatures.
///
/// Examples:
///   callforge audit
///   callforge audit --since 2026-11-01
///   callforge audit --json --db postgres://callforge@db.example/sales
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Only entries from this date (YYYY-MM-DD, UTC) or time (RFC 3339) on.
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    since: Option<i64>,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: Args) -> CliResult {
    let mut records = args.db.open_existing()?;
    let entries = records.audit_since(args.since)?;
    if args.json {
        let rows: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                serde_json::json!({"id": e.id, "at": format_time(e.at), "actor": e.actor, "action": e.action, "detail": e.detail})
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&rows)?);
    } else if entries.is_empty() {
        outln!("the audit trail is empty{}", if args.since.is_some() { " since then" } else { "" });
    } else {
        for e in &entries {
            outln!("{}  {:<24} {:<22} {}", format_time(e.at), safe(&e.action), safe(&e.actor), safe(&e.detail));
        }
    }
    Ok(ExitCode::SUCCESS)
}
