//! `callforge manager`: manager accounts, their keys and passwords.

use super::records_args::{DbArg, Passwords, trainee_arg};
use super::{CliError, CliResult, safe};
use crate::domain::time::format_time;
use crate::records::{ManagerAdded, TraineeRef};
use std::process::ExitCode;

/// Manage the accounts of the managers who approve promotions and proctor exams.
///
/// Every manager has a signing key: what they approve (promotions, exam tickets, new accounts,
/// checkpoints) is signed with it, so nobody who only has the database file can forge it. The
/// key's secret half is sealed by the manager's password (Argon2id, then XChaCha20-Poly1305);
/// the password itself is stored only as an Argon2id hash. Passwords need at least 12 characters
/// and are never given on the command line: they are asked for, or read from stdin, one per line,
/// with --password-stdin.
///
/// The department's first manager approves their own account: their key is the root of trust,
/// and `manager add` prints its fingerprint. Write it down and keep it apart from the database;
/// `callforge verify --trust FINGERPRINT` then proves the records were set up by that manager.
/// Every later account needs an existing manager's approval (--by), and that manager may not be
/// linked to the same trainee. The first manager cannot be linked to a trainee.
///
/// After 5 failed sign-ins of one user name, further tries are refused for 15 minutes.
///
/// Accounts made before signatures existed get their key the next time their manager signs in;
/// the first of them to sign in becomes the root, and each other one needs `manager approve`.
///
/// Examples:
///   callforge manager add anna
///   printf '%s\n' "$ANNA_PASSWORD" | callforge manager add anna --password-stdin
///   printf '%s\n%s\n' "$BORIS" "$ANNA" | callforge manager add boris --by anna --password-stdin
///   callforge manager add olga --trainee "Olga Petrova" --by anna
///   callforge manager passwd anna
///   callforge manager approve boris --by anna
///   callforge manager list
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
    /// Add a manager account: makes its key and prints the key's fingerprint.
    ///
    /// With --password-stdin, stdin holds the new password, then (with --by) the approving
    /// manager's.
    Add {
        /// The manager's user name.
        user: String,
        /// Read the password(s) from stdin, one per line, instead of asking.
        #[arg(long)]
        password_stdin: bool,
        /// An existing manager who approves the new account (not linked to the same trainee).
        #[arg(long, value_name = "USER")]
        by: Option<String>,
        /// The trainee this manager also is, so they can never approve themselves nor the accounts
        /// that could: an id (3, or id:3) or an exact name (name:… for a name that is a number).
        #[arg(long, value_name = "ID|NAME", value_parser = trainee_arg)]
        trainee: Option<TraineeRef>,
    },
    /// Change a manager's password (their key stays the same, sealed again by the new password).
    ///
    /// With --password-stdin, stdin holds the current password, then the new one.
    Passwd {
        user: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Approve an account made before signatures existed: the manager signs in (which gives
    /// them their key, if they had none yet), then another manager signs their account.
    ///
    /// With --password-stdin, stdin holds USER's password, then the approving manager's.
    Approve {
        user: String,
        /// The approving manager (trusted, and not linked to the same trainee).
        #[arg(long, value_name = "USER")]
        by: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the managers: key fingerprints, who approved whom, and whether each may sign.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: Args) -> CliResult {
    match args.command {
        Sub::Add { user, password_stdin, by, trainee } => {
            let mut records = args.db.open()?;
            let pw = Passwords::new(password_stdin)?;
            let password = new_password(&pw, &format!("password for {}", user.trim()), password_stdin)?;
            let approver = match &by {
                Some(b) => Some((b.as_str(), pw.read(&format!("password of approving manager {b}: "))?)),
                None => None,
            };
            let added =
                records.add_manager(&user, &password, trainee, approver.as_ref().map(|(u, p)| (*u, p.as_str())))?;
            print_added(&added, "added");
        }
        Sub::Passwd { user, password_stdin } => {
            let mut records = args.db.open_existing()?;
            let pw = Passwords::new(password_stdin)?;
            let old = pw.read(&format!("current password for {}: ", user.trim()))?;
            let new = new_password(&pw, &format!("new password for {}", user.trim()), password_stdin)?;
            records.change_password(&user, &old, &new)?;
            outln!("the password of manager {} was changed; their key is the same", safe(user.trim()));
        }
        Sub::Approve { user, by, password_stdin } => {
            let mut records = args.db.open_existing()?;
            let pw = Passwords::new(password_stdin)?;
            let password = pw.read(&format!("password for {}: ", user.trim()))?;
            let approver = pw.read(&format!("password of approving manager {by}: "))?;
            let added = records.approve_manager(&user, &password, (&by, &approver))?;
            print_added(&added, "approved");
        }
        Sub::List { json } => {
            let mut records = args.db.open_existing()?;
            let managers = records.managers()?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&managers)?);
            } else if managers.is_empty() {
                outln!("no managers yet; add the first with `callforge manager add USER`");
            } else {
                for m in &managers {
                    let link = m.trainee_id.map(|t| format!(", trainee {t}")).unwrap_or_default();
                    let key = if m.fingerprint.is_empty() {
                        "no key yet".to_owned()
                    } else {
                        format!("key {}", m.fingerprint)
                    };
                    let by = if m.root {
                        "the root of trust".to_owned()
                    } else {
                        format!("approved by {}", safe(&m.approved_by))
                    };
                    outln!(
                        "{} ({key}{link}), since {}, {by}: {}",
                        safe(&m.username),
                        format_time(m.created_at),
                        safe(&m.standing)
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A new password: asked twice at a terminal, read once from stdin.
fn new_password(pw: &Passwords, what: &str, from_stdin: bool) -> Result<String, CliError> {
    let password = pw.read(&format!("{what}: "))?;
    if !from_stdin {
        let again = pw.read("again: ")?;
        if again != password {
            return Err(CliError::msg("the passwords differ"));
        }
    }
    Ok(password)
}

fn print_added(added: &ManagerAdded, what: &str) {
    outln!("manager {} {what}; key fingerprint {}", safe(&added.username), added.fingerprint);
    if added.root {
        outln!(
            "\nThis is the department's first manager: their key is the root of trust for these records.\n\
             Write the fingerprint down and keep it apart from the database (on paper, in the department's\n\
             wiki). Check the records against it at any time:\n\n    callforge verify --trust {}\n\n\
             (or set CALLFORGE_TRUST={}); records rebuilt by someone else fail that check.",
            added.fingerprint,
            added.fingerprint
        );
    }
}
