//! Options shared by the commands that read or write the trainee records.

use super::{CliError, safe};
use crate::records::{Records, TraineeRef, default_location, redact};
use std::io::{BufRead, IsTerminal};

/// Where the records are.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArg {
    /// The records database: an SQLite file or a postgres://user@host/db URL. Only the commands
    /// that store create a missing one. Default: callforge.db in your data directory. A server
    /// that does not answer within 30 s is given up on (CALLFORGE_NET_TIMEOUT_MS sets the limit).
    #[arg(long = "db", value_name = "PATH|URL", env = "CALLFORGE_DB", global = true)]
    pub db: Option<String>,
}

impl DbArg {
    pub fn location(&self) -> String {
        self.db.clone().unwrap_or_else(|| default_location().display().to_string())
    }

    /// Opens the records for a command that stores, creating them if missing (and saying so on
    /// stderr, so a mistyped path shows).
    pub fn open(&self) -> Result<Records, CliError> {
        let records = Records::open(&self.location())?;
        if records.was_created() {
            let what = redact(records.location());
            eprintln!("note: started a new, empty records database at {}", safe(&what));
        }
        Ok(records)
    }

    /// Opens records that must exist, for a command that only reads: a missing database is an
    /// error, never a new, empty one.
    pub fn open_existing(&self) -> Result<Records, CliError> {
        Ok(Records::open_existing(&self.location())?)
    }
}

/// Reads passwords: from stdin, one per line, with `--password-stdin`; otherwise from a prompt that
/// does not echo.
#[derive(Debug)]
pub struct Passwords {
    from_stdin: bool,
}

impl Passwords {
    pub fn new(from_stdin: bool) -> Result<Self, CliError> {
        if !from_stdin && !std::io::stdin().is_terminal() {
            return Err(CliError::msg("stdin is not a terminal: pass the password with --password-stdin"));
        }
        Ok(Passwords { from_stdin })
    }

    pub fn read(&self, prompt: &str) -> Result<String, CliError> {
        if self.from_stdin {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| CliError::Io { context: "cannot read stdin".into(), source: e })?;
            let pw = line.trim_end_matches(['\n', '\r']).to_owned();
            if pw.is_empty() {
                return Err(CliError::msg(format!("no password on stdin ({})", prompt.trim_end_matches(": "))));
            }
            Ok(pw)
        } else {
            rpassword::prompt_password(prompt)
                .map_err(|e| CliError::Io { context: "cannot read the password".into(), source: e })
        }
    }
}

/// How a trainee is named on the command line, for `--help`.
pub const TRAINEE_HELP: &str = "The trainee: an id (3, or id:3) or an exact name (\"Olga Petrova\", or name:Olga Petrova). A bare number is an id; if a trainee is also named that number, it is refused as ambiguous: say id:3 or name:3";

/// A trainee named on the command line: `id:N` an id, `name:X` a name, a bare whole number an id
/// (refused as ambiguous when a trainee also has that name), anything else a name.
pub fn trainee_arg(text: &str) -> Result<TraineeRef, std::convert::Infallible> {
    Ok(TraineeRef::parse(text))
}
