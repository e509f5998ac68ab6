//! Options shared by the commands that read or write the trainee records.

use super::{CliError, safe};
use crate::records::{Records, RecordsError, TraineeRef, default_location};
use std::io::{BufRead, IsTerminal};

/// Where the records are.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArg {
    /// The records database: an SQLite file or a postgres://user@host/db URL. Only the commands
    /// that store create a missing one. Default: callforge.db in your data directory. A server
    /// that does not answer within 30 s is given up on (CALLFORGE_NET_TIMEOUT_MS sets the limit).
    /// TLS as libpq: ?sslmode=verify-full&sslrootcert=CA.pem (or PGSSLMODE, PGSSLROOTCERT). The
    /// database password from PGPASSWORD, a password file (PGPASSFILE, ~/.pgpass) or a prompt.
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
        let records = self.connect(true)?;
        if records.was_created() {
            eprintln!("note: started a new, empty records database at {}", safe(records.location()));
        }
        Ok(records)
    }

    /// Opens records that must exist, for a command that only reads: a missing database is an
    /// error, never a new, empty one.
    pub fn open_existing(&self) -> Result<Records, CliError> {
        self.connect(false)
    }

    /// Opens the records; when a PostgreSQL server asks for a password that neither PGPASSWORD nor a
    /// password file gave, asks for it at the terminal (never on the command line). Says the
    /// records' warnings (no TLS, a password in the URL…) on stderr, each once per command.
    fn connect(&self, create: bool) -> Result<Records, CliError> {
        let location = self.location();
        let first = if create { Records::open(&location) } else { Records::open_existing(&location) };
        let records = match first {
            Err(RecordsError::PasswordNeeded { location: shown, .. }) if std::io::stdin().is_terminal() => {
                let password = rpassword::prompt_password(format!("Database password for {}: ", safe(&shown)))
                    .map_err(|e| CliError::Io { context: "cannot read the password".into(), source: e })?;
                Records::open_with_password(&location, &password, create)?
            }
            other => other?,
        };
        say_once(records.warnings());
        Ok(records)
    }
}

/// Prints warnings on stderr, each at most once in this process (one command).
pub fn say_once(warnings: &[String]) {
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut said) = SAID.lock() else { return };
    for w in warnings {
        if !said.contains(w) {
            eprintln!("{}", safe(w));
            said.push(w.clone());
        }
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
