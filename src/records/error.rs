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
    #[error(
        "the folder {folder} is read-only, so callforge can read {path} but not record anything in it \
         (SQLite needs to create files beside the database); ask for write access to the folder, \
         or copy the database to a folder you can write"
    )]
    ReadOnlyFolder { path: String, folder: String },
    #[error(
        "callforge cannot write {files} beside {path}: {owner} left them (for instance by reading the \
         database), and you may not write them. {advice}"
    )]
    SidecarsLocked { path: String, files: String, owner: String, advice: String },
    #[error(
        "there is no records database at {path}; check --db (or CALLFORGE_DB). A new one is made by a \
         command that stores, such as `callforge trainee add NAME` or `callforge record`"
    )]
    Missing { path: String },
    #[error(
        "{location} holds no callforge records yet; a command that stores, such as `callforge trainee add \
         NAME`, sets it up"
    )]
    NoRecords { location: String },
    #[error(
        "{path} was deleted or moved away while callforge was using it, so what callforge stored since \
         is in no file at that path; nothing more was stored. Put the file back (move it back, or \
         restore it from a backup), then record again the runs it lacks"
    )]
    FileGone { path: String },
    #[error(
        "{path} was replaced by another file while callforge was using it; nothing more was stored. \
         Check which file holds the records, then run the command again"
    )]
    FileReplaced { path: String },
    #[error(
        "{path} changed while callforge read it (it opened it without locks, because you may not write \
         it or its folder): what was read may mix two states. Run the command again"
    )]
    ChangedWhileReading { path: String },
    #[error(
        "{path}: the disk (or the database's size limit) is full, so nothing of this change was stored; \
         free some space and run the command again"
    )]
    Full { path: String },
    #[error("the database has schema version {found}, newer than this callforge ({supported}); upgrade callforge")]
    Newer { found: i64, supported: i64 },
    #[error("cannot connect to {location}: {}", postgres_message(.source))]
    Connect {
        location: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("cannot connect to {location}: {detail}")]
    PgSetting { location: String, detail: String },
    #[error(
        "PostgreSQL at {location} asks for a password: set PGPASSWORD, or put a line for it in a password \
         file (PGPASSFILE, by default ~/.pgpass, mode 0600), or run the command at a terminal to type it{}",
        .ignored.as_ref().map(|f| format!(
            " (the password file {} was ignored: others may read it; chmod 0600 {})", f.display(), f.display()
        )).unwrap_or_default()
    )]
    PasswordNeeded { location: String, ignored: Option<std::path::PathBuf> },
    #[error("cannot connect to {location} over TLS (sslmode={mode}): {detail}")]
    Tls {
        location: String,
        mode: &'static str,
        detail: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error(
        "PostgreSQL at {location} refused: {}. This login may not do that: a trainee's login may add runs and \
         read, a manager's may also approve (see `callforge db roles --help`); after an upgrade of callforge \
         an administrator runs `callforge db roles --apply` again", postgres_message(.source)
    )]
    NotAllowed {
        location: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error(
        "\"{0}\" cannot be a role name: use lower-case letters, digits and _ (at most 63), starting with a \
         letter or _"
    )]
    RoleName(String),
    #[error(
        "roles are for a department's PostgreSQL server (--db postgres://…); an SQLite file is guarded by its \
         file permissions (callforge creates it readable by its owner only)"
    )]
    RolesNeedPostgres,
    #[error(
        "PostgreSQL at {location} did not answer within {} s; check that the server is up and reachable \
         (CALLFORGE_NET_TIMEOUT_MS sets how long to wait)", secs(*.waited)
    )]
    NoAnswer { location: String, waited: std::time::Duration },
    #[error(
        "PostgreSQL at {location} did not finish a statement within {} s (another writer may hold the \
         records, or the server is overloaded); nothing of this change was stored, run the command again",
        secs(*.waited)
    )]
    TooSlow {
        location: String,
        waited: std::time::Duration,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error(
        "the connection to PostgreSQL at {location} was lost ({}); nothing of an unfinished change was \
         stored (PostgreSQL keeps all of a change or none of it): run the command again once the server \
         is back", postgres_message(.source)
    )]
    ConnectionLost {
        location: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error(
        "the connection to PostgreSQL at {location} was lost while committing ({}): the change may or \
         may not be stored; check (`callforge trainee show`, `callforge verify`) before running the \
         command again", postgres_message(.source)
    )]
    CommitInDoubt {
        location: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error(
        "the records hold a value of an unexpected type (column {column} is {kind}): they were altered \
         outside callforge"
    )]
    UnexpectedValue { column: String, kind: String },
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
    #[error(
        "a trainee name cannot be only digits: \"{0}\" would read as a trainee id; add a letter, such as \
         \"Trainee {0}\""
    )]
    NumericName(String),
    #[error(
        "\"{0}\" is ambiguous: it is trainee id {0}, and a trainee is also named \"{0}\"; say id:{0} or \
         name:{0}"
    )]
    AmbiguousTrainee(String),
    #[error(
        "a trainee name cannot begin with \"id:\" or \"name:\" (typed, those say how to read what follows): \"{0}\""
    )]
    ReservedName(String),
    #[error(
        "\"{0}\" is not a language code: give a short code in lower-case letters, such as en or ru (or \"\" \
         to unset it)"
    )]
    BadLanguage(String),
    #[error("a manager \"{0}\" already exists")]
    DuplicateManager(String),
    /// The same words for an unknown user name and a wrong password, so nobody learns which names
    /// exist.
    #[error("wrong user name or password")]
    SignInFailed,
    #[error(
        "too many failed sign-ins with this user name: the next try is possible at {until} \
         ({minutes} minutes after the last failure)"
    )]
    SignInLocked { until: String, minutes: i64 },
    #[error(
        "a password needs at least {min} characters (spaces at either end do not count) and at least \
         {distinct} different ones",
        min = super::managers::MIN_PASSWORD_CHARS,
        distinct = super::managers::MIN_PASSWORD_DISTINCT
    )]
    WeakPassword,
    #[error("cannot hash the password: {0}")]
    PasswordHash(#[source] argon2::password_hash::Error),
    #[error("managers already exist: adding another needs an existing manager's approval (--by USER)")]
    ApprovalNeeded,
    #[error(
        "the department's first manager approves every later account, so it cannot be linked to a \
         trainee; add it without --trainee, then add the trainee's own account with its approval"
    )]
    FirstManagerLinked,
    #[error(
        "manager \"{approver}\" is linked to trainee {trainee}, so they cannot approve another account \
         linked to the same trainee: a different manager must approve it"
    )]
    SameTraineeApproval { approver: String, trainee: String },
    #[error("manager \"{manager}\" is trainee {trainee} and cannot act on their own record")]
    SelfPromotion { manager: String, trainee: String },
    #[error(
        "manager \"{manager}\" cannot act on {trainee}'s record: their account was approved (directly or \
         through other accounts) by \"{by}\", who is linked to {trainee}"
    )]
    CreatedByTrainee { manager: String, by: String, trainee: String },
    #[error("manager \"{manager}\" cannot sign: {why} (see `callforge verify`)")]
    UntrustedManager { manager: String, why: String },
    #[error("manager \"{0}\" is already approved")]
    AlreadyApproved(String),
    #[error(
        "{name} would start above the first rung ({role}); a trainee starts as Generator unless a \
         manager enrols them higher (`callforge trainee add NAME --role ROLE --manager USER`)"
    )]
    StartAboveFirstRung { name: String, role: Role },
    #[error("{scenario} is no exam scenario in {mode} mode (see ladder.ron)")]
    NotAnExam { scenario: String, mode: crate::domain::Mode },
    #[error("{scenario} is an exam for {to}, but {name}'s next rung is {next}")]
    ExamNotNext { scenario: String, to: Role, name: String, next: String },
    #[error("{name}'s exam {scenario} is locked by a cooldown after a failed attempt, until {until}")]
    ExamLocked { name: String, scenario: String, until: String },
    #[error("no exam ticket {0}")]
    TicketNotFound(i64),
    #[error("no assignment {0}; `callforge assign list` shows them")]
    AssignmentNotFound(i64),
    #[error("the assignment was not set: {0}")]
    AssignmentInvalid(String),
    #[error("exam ticket {ticket} cannot be used: {why}")]
    TicketInvalid { ticket: i64, why: String },
    #[error(
        "the run file has no version and content hash of the scenario it was played on, so it cannot \
         be checked against the text it was played on; it was not recorded (callforge writes both into \
         every run file)"
    )]
    RunUnversioned,
    #[error("the run file is {run_trainee}'s, not {trainee}'s; it was not recorded")]
    WrongTrainee { run_trainee: String, trainee: String },
    #[error("input {turn} of the run file types {chars} characters, more than the {max} a reply may have")]
    TypedTooLong { turn: usize, chars: usize, max: usize },
    #[error(
        "input {turn} of the Recall run picks a reply (Choose) where the script expects a line to be \
         typed from memory; it was not recorded"
    )]
    ChoiceInRecall { turn: usize },
    #[error("this run was already recorded, as run {run}; a run counts once")]
    AlreadyStored { run: i64 },
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
    #[error("run {run}: its stored score breakdown cannot be read ({source}); see `callforge verify`")]
    StoredBreakdown {
        run: i64,
        #[source]
        source: serde_json::Error,
    },
    #[error("run {run}: its stored run file cannot be read ({source}); see `callforge verify`")]
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
    Postgres(#[from] tokio_postgres::Error),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
}

/// The server's message of a database error, or the client's description of any other failure.
fn postgres_message(e: &tokio_postgres::Error) -> String {
    e.as_db_error().map_or_else(|| e.to_string(), |db| db.message().to_owned())
}

/// A duration in seconds for a message: `30`, or `0.5` below ten seconds.
fn secs(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 10.0 || s.fract() == 0.0 { format!("{s:.0}") } else { format!("{s:.1}") }
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
        assert_eq!(
            e.to_string(),
            format!("run 7: its stored score breakdown cannot be read ({shown}); see `callforge verify`")
        );
        assert!(e.source().is_some_and(|s| s.downcast_ref::<serde_json::Error>().is_some()));
        let e = RecordsError::from(rusqlite::Error::QueryReturnedNoRows);
        assert!(matches!(e, RecordsError::Sqlite(_)));
        assert_eq!(e.to_string(), rusqlite::Error::QueryReturnedNoRows.to_string());
    }
}
