//! `callforge checkpoint`: a manager signs the heads of the records' hash chains.

use super::records_args::{DbArg, Passwords};
use super::{CliResult, safe};
use crate::domain::time::format_time;
use std::process::ExitCode;

/// Sign a checkpoint of the records, so that no row before it can be changed unseen.
///
/// Runs and promotions form hash chains, which `callforge verify` walks. A chain has no secret:
/// someone who can write the database could edit a row and recompute every hash after it. A
/// checkpoint is a manager's signature over both chains' newest rows; `verify` then finds any
/// change to a row before it, even with the hashes recomputed. Every manager action (a promotion,
/// an exam ticket, a new account) writes one; this command writes one at any other time, for
/// instance at the end of each day.
///
/// Examples:
///   callforge checkpoint --manager anna
///   printf '%s\n' "$ANNA_PASSWORD" | callforge checkpoint --manager anna --password-stdin
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The signing manager's user name.
    #[arg(long, value_name = "USER")]
    manager: String,
    /// Read the manager's password from the first line of stdin instead of asking.
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: Args) -> CliResult {
    let mut records = args.db.open_existing()?;
    let password = Passwords::new(args.password_stdin)?.read(&format!("password for {}: ", args.manager))?;
    let cp = records.checkpoint(&args.manager, &password)?;
    outln!(
        "checkpoint {}: runs up to {} and promotions up to {}, signed by {} at {}",
        cp.id,
        cp.runs_last,
        cp.promotions_last,
        safe(&cp.manager),
        format_time(cp.at)
    );
    Ok(ExitCode::SUCCESS)
}
