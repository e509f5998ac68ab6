//! What can go wrong with the records, each cause kept with its own type.

use crate::domain::{Role, RunError};
use thiserror::Error;

/// What can go wrong with the records.
#[derive(Debug, Error)]
pub enum RecordsError {
    #[error("{path} is not a callforge database: it is not an SQLite file; it was left untouched")]
    NotSqlite { path: String },
    #[error("{path} is not a callforge database ({detail}); it was left untouched")]
    NotCallforge { path: String, detail: String },
    #[error("{path} is damaged ({detail}); it was left untouched — restore it from a backup")]
    Corrupt { path: String, detail: String },
    #[error("{what} is read-only: callforge can read it but not record anything")]
    ReadOnly { what: String },
    #[error("the database has schema version {found}, newer than this callforge ({supported}); upgrade callforge")]
    Newer { found: i64, supported: i64 },
    #[error("cannot connect to {location}: {source}")]
    Connect {
        location: String,
        #[source]
        source: postgres::Error,
    },
    #[error("cannot open {path}: {source}")]
    OpenSqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot set up {path}: {source}")]
    SetUpSqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("no trainee {0}; see `callforge trainee list`")]
    TraineeNotFound(String),
    #[error("a trainee named \"{0}\" already exists")]
    DuplicateTrainee(String),
    #[error("a trainee name cannot be empty")]
    EmptyName,
    #[error("no manager \"{0}\"")]
    ManagerNotFound(String),
    #[error("a manager \"{0}\" already exists")]
    DuplicateManager(String),
    #[error("wrong password for manager \"{0}\"")]
    BadPassword(String),
    #[error("a password needs at least 8 characters")]
    WeakPassword,
    #[error("cannot hash the password: {0}")]
    PasswordHash(#[source] argon2::password_hash::Error),
    #[error("managers already exist: adding another needs an existing manager's approval (--by USER)")]
    ApprovalNeeded,
    #[error("manager \"{manager}\" is trainee {trainee} and cannot change their own rung")]
    SelfPromotion { manager: String, trainee: String },
    #[error("{name} is not eligible for promotion to {to}:\n  - {}", missing.join("\n  - "))]
    NotEligible { name: String, to: String, missing: Vec<String> },
    #[error("{name} is already at the top of the ladder ({role})")]
    TopOfLadder { name: String, role: Role },
    #[error("{name} is already at the bottom of the ladder ({role})")]
    BottomOfLadder { name: String, role: Role },
    #[error("the scenario library has no ladder.ron, so promotion rules are unknown")]
    NoLadder,
    #[error("no playable scenario \"{0}\" in the library")]
    ScenarioMissing(String),
    #[error("the run cannot be recorded: {0}")]
    RunDoesNotFit(#[source] RunError),
    #[error("no run {0}")]
    NoRun(i64),
    #[error("the operating system gave no randomness for a key: {0}")]
    Random(String),
    #[error("run {run}: the scenario text it was scored against ({hash}) is missing or altered")]
    SnapshotMissing { run: i64, hash: String },
    #[error("run {run} no longer replays: {source}")]
    NoReplay { run: i64, source: RunError },
    #[error("run {run}: {source}")]
    StoredBreakdown {
        run: i64,
        #[source]
        source: serde_json::Error,
    },
    #[error("run {run}: {source}")]
    StoredRunFile {
        run: i64,
        #[source]
        source: Box<ron::error::SpannedError>,
    },
    /// A run could not be written as a run file.
    #[error("{0}")]
    RunFile(#[from] ron::Error),
    /// A score breakdown could not be written as JSON.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused a statement; a refusal by the server reads as the server's own message.
    #[error("PostgreSQL: {}", postgres_message(.0))]
    Postgres(#[from] postgres::Error),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
}

/// The server's message of a database error, or the client's description of any other failure.
fn postgres_message(e: &postgres::Error) -> String {
    e.as_db_error().map_or_else(|| e.to_string(), |db| db.message().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn a_cause_keeps_its_type_and_its_words() {
        let parse = serde_json::from_str::<u32>("x").expect_err("not JSON");
        let shown = parse.to_string();
        let e = RecordsError::StoredBreakdown { run: 7, source: parse };
        assert_eq!(e.to_string(), format!("run 7: {shown}"));
        assert!(e.source().is_some_and(|s| s.downcast_ref::<serde_json::Error>().is_some()));
        let e = RecordsError::from(rusqlite::Error::QueryReturnedNoRows);
        assert!(matches!(e, RecordsError::Sqlite(_)));
        assert_eq!(e.to_string(), rusqlite::Error::QueryReturnedNoRows.to_string());
    }
}
