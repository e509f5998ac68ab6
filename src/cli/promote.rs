//! `callforge promote`, `demote` and `reset`: a manager moves a trainee on the ladder.

use super::records_args::{DbArg, Passwords, TRAINEE_HELP, trainee_arg};
use super::{CliResult, ScenarioDir, load_library, safe};
use crate::domain::time::format_time;
use crate::records::{RungChange, TraineeRef};
use std::process::ExitCode;

/// Move a trainee on the ladder, with a manager's approval.
///
/// promote: one rung up, only when the trainee is eligible (enough practice runs and every exam
/// scenario passed; see `callforge trainee show`); otherwise it refuses and says what is missing.
/// demote: one rung down. reset: back to the first rung.
///
/// The manager signs in with their password and signs the change with their key; it is stored
/// with who approved it and when, chained and signed for `callforge verify`, and a checkpoint of
/// the records is signed with it. No manager can move their own record, nor one whose account was
/// approved by a manager linked to the trainee. A promotion is refused when one of the trainee's
/// runs was changed behind callforge's back. After 5 failed sign-ins of one user name, further
/// tries wait 15 minutes.
///
/// Examples:
///   callforge promote 3 --manager anna
///   printf '%s\n' "$ANNA_PASSWORD" | callforge promote 3 --manager anna --password-stdin
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[arg(value_name = "ID|NAME", value_parser = trainee_arg, help = TRAINEE_HELP)]
    trainee: TraineeRef,
    /// The approving manager's user name.
    #[arg(long, value_name = "USER")]
    manager: String,
    /// Read the manager's password from the first line of stdin instead of asking.
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(change: RungChange, args: Args) -> CliResult {
    let lib = load_library(&args.scenarios)?;
    let mut records = args.db.open_existing()?;
    let password = Passwords::new(args.password_stdin)?.read(&format!("password for {}: ", args.manager))?;
    let p = records.change_rung(change, args.trainee, &args.manager, &password, &lib)?;
    let name = records.trainee(TraineeRef::Id(p.trainee_id)).map(|t| t.name).unwrap_or_default();
    outln!(
        "{} (id {}): {} → {}, approved by {} at {}",
        safe(&name),
        p.trainee_id,
        p.from_role,
        p.to_role,
        safe(&p.manager),
        format_time(p.at)
    );
    Ok(ExitCode::SUCCESS)
}
