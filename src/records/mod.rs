//! Trainee records: trainees, scored runs, exam results, managers, promotions and the audit trail,
//! in SQLite (one local file, the default) or PostgreSQL (a department's server).
//!
//! Runs and promotions each form a hash chain: every row's hash covers its content and the previous
//! row's hash, and `verify` re-scores every run from its inputs against the exact scenario text it
//! was played on, so an edit behind callforge's back shows. What only a manager may do is signed by
//! the manager's key: accounts, promotions, exam tickets, and checkpoints of the chains' heads, so
//! someone who can write the database but knows no manager's password cannot forge an approval,
//! nor change a row before the latest checkpoint unseen.
//!
//! The map: `error` (what can go wrong), `rows` (what the records hand out), `open` (probing,
//! opening, migrating), `chain` (the hash chains), `keys` (managers' signing keys), `trainees`,
//! `runs`, `managers` (accounts, signing in, the trust that ties accounts to the first manager),
//! `promotions` (signed moves on the ladder), `tickets` (proctored exams), `assignments` (work a
//! manager sets, signed), `checkpoints`,
//! `verify`; `db` is the SQL surface shared by both engines, `file` the SQLite file behind it
//! (deleted, replaced, read-only), `pg` the PostgreSQL connection with its time limits, `pg_login`
//! how it is reached (TLS, the password), `roles` the PostgreSQL roles of a department server, and
//! `schema` the migrations. Each adds its own `impl Records`; this file holds the handle and the
//! write transaction and audit every writer shares.

mod assignments;
mod chain;
mod checkpoints;
pub mod db;
mod error;
mod file;
pub mod keys;
mod managers;
mod open;
mod pg;
mod pg_login;
mod promotions;
pub mod roles;
mod rows;
mod runs;
pub mod schema;
mod tickets;
mod trainees;
mod trust;
mod verify;
mod verify_signed;

pub use crate::domain::ladder::ExamNote;
pub use assignments::{AssignTo, MAX_NOTE_CHARS, NewAssignment, Overview, TraineeAssignment};
pub use checkpoints::Checkpoint;
pub use error::RecordsError;
pub use managers::{LOCK_SECONDS, MAX_FAILURES, MIN_PASSWORD_CHARS, ManagerAdded, ManagerRow};
pub use open::{default_location, redact};
pub use pg::net_timeout;
pub use promotions::RungChange;
pub use rows::{
    AuditEntry, Problem, PromotionRow, RoleStats, RunRow, ScenarioStats, StageStat, StoredRun, Trainee, TraineeReport,
    VerifyReport,
};
pub use tickets::{TICKET_SECONDS, Ticket};
pub use trainees::TraineeRef;
pub use verify::Rescored;

use crate::clock::Clock;
use db::{Db, Engine};

/// An open records database.
#[derive(Debug)]
pub struct Records {
    db: Db,
    location: String,
    /// Why nothing can be written, when nothing can.
    read_only: Option<open::ReadOnly>,
    /// Whether opening made a new, empty database.
    created: bool,
    clock: Clock,
}

impl Records {
    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    /// Whether opening made a new, empty database (a mistyped path shows this way).
    pub fn was_created(&self) -> bool {
        self.created
    }

    pub fn schema_version(&mut self) -> Result<i64, RecordsError> {
        schema::version(&mut self.db)
    }

    /// Fixes "now" (tests of cooldowns and timestamps).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    fn writable(&self) -> Result<(), RecordsError> {
        match &self.read_only {
            None => Ok(()),
            Some(why) => Err(why.error(&self.location)),
        }
    }

    /// Limits an SQLite database to `pages` pages of storage, as a full disk would: the fault tests
    /// (and `record --max-pages`) use it. PostgreSQL ignores it.
    #[doc(hidden)]
    pub fn limit_pages(&mut self, pages: u32) -> Result<(), RecordsError> {
        self.db.limit_pages(pages)
    }

    /// Runs `f` in a write transaction: all of it lands, or none of it. A commit whose connection
    /// broke may or may not have landed, and says so.
    fn write<T>(&mut self, f: impl FnOnce(&mut Db) -> Result<T, RecordsError>) -> Result<T, RecordsError> {
        self.writable()?;
        if let Err(e) = self.db.begin_write() {
            self.db.rollback();
            return Err(e);
        }
        match f(&mut self.db) {
            Ok(v) => match self.db.commit() {
                Ok(()) => Ok(v),
                Err(RecordsError::ConnectionLost { location, source }) => {
                    Err(RecordsError::CommitInDoubt { location, source })
                }
                Err(e) => {
                    self.db.rollback();
                    Err(e)
                }
            },
            Err(e) => {
                self.db.rollback();
                Err(e)
            }
        }
    }

    /// Appends to the audit trail inside the caller's write transaction.
    fn audit(db: &mut Db, at: i64, actor: &str, action: &str, detail: &str) -> Result<(), RecordsError> {
        db.execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)",
            &[at.into(), actor.into(), action.into(), detail.into()],
        )?;
        Ok(())
    }

    /// The audit trail, newest last: (at, actor, action, detail).
    pub fn audit_trail(&mut self) -> Result<Vec<(i64, String, String, String)>, RecordsError> {
        Ok(self.audit_since(None)?.into_iter().map(|e| (e.at, e.actor, e.action, e.detail)).collect())
    }

    /// The audit trail since a time (seconds since the epoch), oldest first.
    pub fn audit_since(&mut self, since: Option<i64>) -> Result<Vec<AuditEntry>, RecordsError> {
        Ok(self
            .db
            .query(
                "SELECT id, at, actor, action, detail FROM audit WHERE at >= $1 ORDER BY id",
                &[since.unwrap_or(i64::MIN).into()],
            )?
            .into_iter()
            .map(|r| AuditEntry {
                id: r[0].int(),
                at: r[1].int(),
                actor: r[2].text(),
                action: r[3].text(),
                detail: r[4].text(),
            })
            .collect())
    }
}
