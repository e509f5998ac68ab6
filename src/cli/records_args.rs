//! Options shared by the commands that read or write the trainee records.

use super::CliError;
use crate::records::{Records, TraineeRef, default_location};
use std::io::{BufRead, IsTerminal};

/// Where the records are.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArg {
    /// The records database: an SQLite file (created if missing) or a postgres://user@host/db URL.
    /// Default: callforge.db in your data directory.
    #[arg(long = "db", value_name = "PATH|URL", env = "CALLFORGE_DB", global = true)]
    pub db: Option<String>,
}

impl DbArg {
    pub fn location(&self) -> String {
        self.db.clone().unwrap_or_else(|| default_location().display().to_string())
    }

    pub fn open(&self) -> Result<Records, CliError> {
        Ok(Records::open(&self.location())?)
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

/// A trainee named on the command line: a whole number is an id, anything else a name.
pub fn trainee_arg(text: &str) -> Result<TraineeRef, std::convert::Infallible> {
    Ok(TraineeRef::parse(text))
}
