//! `callforge manager`: manager accounts, who approve promotions.

use super::records_args::{DbArg, Passwords, trainee_arg};
use super::{CliError, CliResult, safe};
use crate::records::TraineeRef;
use std::process::ExitCode;

/// Manage the accounts of the managers who approve promotions.
///
/// Passwords are stored as argon2 hashes, never in clear text. The first manager can be added
/// freely; after that, adding a manager needs an existing manager's approval (--by), and with
/// --password-stdin stdin then holds two lines: the new password, then the approver's.
///
/// Examples:
///   callforge manager add anna
///   printf '%s\n' "$NEW_PASSWORD" | callforge manager add anna --password-stdin
///   printf '%s\n%s\n' "$NEW" "$ANNA" | callforge manager add boris --by anna --password-stdin
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Add a manager account.
    Add {
        /// The manager's user name.
        user: String,
        /// Read the password(s) from stdin, one per line, instead of prompting.
        #[arg(long)]
        password_stdin: bool,
        /// An existing manager who approves the new account.
        #[arg(long, value_name = "USER")]
        by: Option<String>,
        /// The trainee this manager also is, so they can never approve themselves: an id (3, or
        /// id:3) or an exact name (name:… for a name that is a number).
        #[arg(long, value_name = "ID|NAME", value_parser = trainee_arg)]
        trainee: Option<TraineeRef>,
    },
}

pub fn run(args: Args) -> CliResult {
    let mut records = args.db.open()?;
    match args.command {
        Sub::Add { user, password_stdin, by, trainee } => {
            let pw = Passwords::new(password_stdin)?;
            let password = pw.read(&format!("password for {user}: "))?;
            if !password_stdin {
                let again = pw.read("again: ")?;
                if again != password {
                    return Err(CliError::msg("the passwords differ"));
                }
            }
            let approver = match &by {
                Some(b) => Some((b.as_str(), pw.read(&format!("password of approving manager {b}: "))?)),
                None => None,
            };
            records.add_manager(&user, &password, trainee, approver.as_ref().map(|(u, p)| (*u, p.as_str())))?;
            outln!("manager {} added", safe(user.trim()));
        }
    }
    Ok(ExitCode::SUCCESS)
}
