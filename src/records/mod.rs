//! Trainee records: trainees, scored runs, exam results, managers, promotions and the audit trail,
//! in SQLite (one local file, the default) or PostgreSQL (a department's server).
//!
//! Runs and promotions each form a hash chain: every row's hash covers its content and the previous
//! row's hash, and `verify` re-scores every run from its inputs against the exact scenario text it
//! was played on, so an edit behind callforge's back shows.

pub mod db;
pub mod schema;

use crate::domain::ladder::{self, Eligibility, RunFact};
use crate::domain::model::{Mode, Outcome, Role, Run};
use crate::domain::runtime::Ending;
use crate::domain::{Library, Playable, Score, SourceFile, replay, score};
use db::{Db, Engine, Value};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// The hash before the first row of a chain.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

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
    #[error("cannot connect to {location}: {detail}")]
    Connect { location: String, detail: String },
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
    RunDoesNotFit(String),
    #[error("{0}")]
    Db(String),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
}

/// Where "now" comes from: the system clock, or a fixed time for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(i64),
}

impl Clock {
    pub fn now(self) -> i64 {
        match self {
            Clock::System => {
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
            }
            Clock::Fixed(t) => t,
        }
    }
}

/// A trainee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trainee {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: i64,
}

/// One stored run, without its transcript.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRow {
    pub id: i64,
    pub trainee_id: i64,
    pub scenario: String,
    pub role: Role,
    pub mode: Mode,
    pub score: u32,
    pub adherence: f64,
    pub passed: bool,
    pub critical: bool,
    pub finished: bool,
    pub outcome: Outcome,
    pub label: String,
    pub version: u32,
    pub scenario_hash: String,
    pub played_at: i64,
    pub recorded_at: i64,
    pub duration_ms: i64,
}

/// What storing a run did.
#[derive(Debug, Clone)]
pub struct StoredRun {
    pub id: i64,
    pub score: Score,
    /// When the run was an exam attempt: whether it counts and passed.
    pub exam: Option<ExamNote>,
}

/// An exam attempt as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamNote {
    pub scenario: String,
    pub to_role: Role,
    pub passed: bool,
    pub counted: bool,
    pub note: String,
}

/// A promotion, demotion or reset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromotionRow {
    pub id: i64,
    pub trainee_id: i64,
    pub kind: String,
    pub from_role: Role,
    pub to_role: Role,
    pub manager: String,
    pub at: i64,
}

/// Runs and best score of a trainee in one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleStats {
    pub role: Role,
    pub runs: u32,
    pub finished: u32,
    pub best: Option<u32>,
    pub average: Option<f64>,
}

/// Runs and best score of a trainee on one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioStats {
    pub scenario: String,
    pub role: Role,
    pub runs: u32,
    pub best: u32,
    pub last_played: i64,
}

/// Everything `trainee show` says about a trainee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraineeReport {
    pub trainee: Trainee,
    pub roles: Vec<RoleStats>,
    pub scenarios: Vec<ScenarioStats>,
    /// Progress toward the next rung; `None` without a ladder.
    pub eligibility: Option<Eligibility>,
    pub promotions: Vec<PromotionRow>,
}

/// A trainee's mean quality on one script stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageStat {
    pub trainee_id: i64,
    pub role: Role,
    pub stage: String,
    pub title: String,
    /// 0–1.
    pub quality: f64,
    /// Runs that reached the stage.
    pub runs: u32,
}

/// One thing `verify` found wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub table: &'static str,
    pub id: i64,
    pub what: String,
}

/// The result of `verify`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    pub runs: u64,
    pub promotions: u64,
    pub problems: Vec<Problem>,
}

/// An open records database.
#[derive(Debug)]
pub struct Records {
    db: Db,
    location: String,
    read_only: bool,
    clock: Clock,
}

/// Where the records live when neither `--db` nor `CALLFORGE_DB` says: the user's data directory.
pub fn default_location() -> PathBuf {
    directories::ProjectDirs::from("", "", "callforge")
        .map_or_else(|| PathBuf::from("callforge.db"), |d| d.data_dir().join("callforge.db"))
}

fn role_of(s: &str) -> Role {
    Role::parse(s).unwrap_or(Role::Generator)
}

fn mode_of(s: &str) -> Mode {
    match s {
        "Exam" => Mode::Exam,
        "Recall" => Mode::Recall,
        _ => Mode::Practice,
    }
}

fn sha256_hex(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The chained hash of a run row: the previous hash, who, the scenario text's hash, the whole run
/// file (seed, mode and inputs), the score and when it was played.
#[allow(clippy::too_many_arguments)]
fn run_hash(
    prev: &str,
    trainee_id: i64,
    scenario_hash: &str,
    run_ron: &str,
    score: u32,
    passed: bool,
    critical: bool,
    played_at: i64,
) -> String {
    sha256_hex(&[
        "callforge-run-1",
        prev,
        &trainee_id.to_string(),
        scenario_hash,
        run_ron,
        &score.to_string(),
        if passed { "passed" } else { "failed" },
        if critical { "critical" } else { "clean" },
        &played_at.to_string(),
    ])
}

/// The chained hash of a promotion row.
fn promotion_hash(prev: &str, trainee_id: i64, kind: &str, from: &str, to: &str, manager: &str, at: i64) -> String {
    sha256_hex(&["callforge-promotion-1", prev, &trainee_id.to_string(), kind, from, to, manager, &at.to_string()])
}

/// Parses an RFC 3339 time to seconds since the epoch.
pub fn parse_time(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok().map(|t| t.unix_timestamp())
}

/// Seconds since the epoch as RFC 3339 UTC.
pub fn format_time(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

impl Records {
    /// Opens (creating if needed) the records at a path or a `postgres://` URL, and brings the
    /// schema up to date. A file that is not a callforge database is refused and never modified.
    pub fn open(location: &str) -> Result<Records, RecordsError> {
        Self::open_at(location, schema::CURRENT)
    }

    /// Opens and migrates only up to `target` (tests use this to make an old database).
    pub fn open_at(location: &str, target: i64) -> Result<Records, RecordsError> {
        let (mut db, read_only) = if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            (open_postgres(location)?, false)
        } else {
            open_sqlite(Path::new(location))?
        };
        let clock = Clock::System;
        let have = match db.query_value("SELECT value FROM meta WHERE key = 'schema_version'", &[]) {
            Ok(v) => v.map_or(0, |v| v.int()),
            Err(_) => 0,
        };
        if have > schema::CURRENT {
            return Err(RecordsError::Newer { found: have, supported: schema::CURRENT });
        }
        if have < target {
            if read_only {
                return Err(RecordsError::ReadOnly { what: format!("{location} (it needs a schema upgrade)") });
            }
            schema::migrate(&mut db, target, clock.now())?;
        }
        Ok(Records { db, location: location.to_owned(), read_only, clock })
    }

    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
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
        if self.read_only { Err(RecordsError::ReadOnly { what: self.location.clone() }) } else { Ok(()) }
    }

    /// Runs `f` in a write transaction: all of it lands, or none of it.
    fn write<T>(&mut self, f: impl FnOnce(&mut Db) -> Result<T, RecordsError>) -> Result<T, RecordsError> {
        self.writable()?;
        self.db.begin_write()?;
        match f(&mut self.db) {
            Ok(v) => {
                self.db.commit()?;
                Ok(v)
            }
            Err(e) => {
                self.db.rollback();
                Err(e)
            }
        }
    }

    fn audit(db: &mut Db, at: i64, actor: &str, action: &str, detail: &str) -> Result<(), RecordsError> {
        db.execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)",
            &[at.into(), actor.into(), action.into(), detail.into()],
        )?;
        Ok(())
    }

    /// The audit trail, newest last: (at, actor, action, detail).
    pub fn audit_trail(&mut self) -> Result<Vec<(i64, String, String, String)>, RecordsError> {
        Ok(self
            .db
            .query("SELECT at, actor, action, detail FROM audit ORDER BY id", &[])?
            .into_iter()
            .map(|r| (r[0].int(), r[1].text(), r[2].text(), r[3].text()))
            .collect())
    }

    // ---- trainees

    /// Adds a trainee at a rung; returns the new id.
    pub fn add_trainee(&mut self, name: &str, role: Role) -> Result<i64, RecordsError> {
        let name = name.trim().to_owned();
        if name.is_empty() {
            return Err(RecordsError::EmptyName);
        }
        let now = self.now();
        self.write(|db| {
            if db.query_value("SELECT id FROM trainees WHERE name = $1", &[name.as_str().into()])?.is_some() {
                return Err(RecordsError::DuplicateTrainee(name.clone()));
            }
            let id = db
                .query_value(
                    "INSERT INTO trainees (name, role, created_at) VALUES ($1, $2, $3) RETURNING id",
                    &[name.as_str().into(), role.as_str().into(), now.into()],
                )?
                .map_or(0, |v| v.int());
            Self::audit(db, now, &name, "trainee.add", &format!("trainee {id} \"{name}\" as {role}"))?;
            Ok(id)
        })
    }

    /// Every trainee, by id.
    pub fn trainees(&mut self) -> Result<Vec<Trainee>, RecordsError> {
        Ok(self
            .db
            .query("SELECT id, name, role, created_at FROM trainees ORDER BY id", &[])?
            .into_iter()
            .map(|r| Trainee { id: r[0].int(), name: r[1].text(), role: role_of(&r[2].text()), created_at: r[3].int() })
            .collect())
    }

    /// A trainee by id or by exact name.
    pub fn trainee(&mut self, key: &str) -> Result<Trainee, RecordsError> {
        let rows = match key.trim().parse::<i64>() {
            Ok(id) => self.db.query("SELECT id, name, role, created_at FROM trainees WHERE id = $1", &[id.into()])?,
            Err(_) => self
                .db
                .query("SELECT id, name, role, created_at FROM trainees WHERE name = $1", &[key.trim().into()])?,
        };
        rows.into_iter()
            .next()
            .map(|r| Trainee { id: r[0].int(), name: r[1].text(), role: role_of(&r[2].text()), created_at: r[3].int() })
            .ok_or_else(|| RecordsError::TraineeNotFound(key.to_owned()))
    }

    /// A trainee by name, created at the first rung if there is none yet.
    pub fn trainee_or_new(&mut self, name: &str) -> Result<Trainee, RecordsError> {
        match self.trainee(name) {
            Ok(t) => Ok(t),
            Err(RecordsError::TraineeNotFound(_)) if name.trim().parse::<i64>().is_err() => {
                self.add_trainee(name, Role::Generator)?;
                self.trainee(name)
            }
            Err(e) => Err(e),
        }
    }

    // ---- runs

    /// Scores a finished run against the library and stores it with its breakdown, chained to the
    /// previous run. The run must fit the current scenario exactly.
    pub fn store_run(&mut self, trainee_key: &str, lib: &Library, run: &Run) -> Result<StoredRun, RecordsError> {
        let mut stored = self.store_runs(&[(trainee_key, run)], lib)?;
        Ok(stored.remove(0))
    }

    /// Stores several runs in one transaction: all of them, or none if any does not fit.
    pub fn store_runs(&mut self, runs: &[(&str, &Run)], lib: &Library) -> Result<Vec<StoredRun>, RecordsError> {
        self.writable()?;
        let now = self.now();
        let mut trainees: HashMap<String, Trainee> = HashMap::new();
        let mut facts: HashMap<i64, Vec<RunFact>> = HashMap::new();
        let mut prepared = Vec::with_capacity(runs.len());
        for (key, run) in runs {
            if !trainees.contains_key(*key) {
                let t = self.trainee(key)?;
                trainees.insert((*key).to_owned(), t);
            }
            let trainee = trainees[*key].clone();
            if !facts.contains_key(&trainee.id) && lib.ladder.is_some() {
                let f = self.run_facts(trainee.id)?;
                facts.insert(trainee.id, f);
            }
            let p = prepare(lib, &trainee, run, now, facts.get(&trainee.id).map(Vec::as_slice).unwrap_or(&[]))?;
            if let Some(f) = facts.get_mut(&trainee.id) {
                f.push(p.fact.clone());
            }
            prepared.push(p);
        }
        let ids = self.write(|db| prepared.iter().map(|p| insert_run(db, p, now)).collect::<Result<Vec<i64>, _>>())?;
        Ok(prepared.into_iter().zip(ids).map(|(p, id)| StoredRun { id, score: p.score, exam: p.exam }).collect())
    }

    /// What the certification rules need of every run of a trainee.
    pub fn run_facts(&mut self, trainee_id: i64) -> Result<Vec<RunFact>, RecordsError> {
        Ok(self
            .db
            .query(
                "SELECT scenario, role, mode, score, critical, finished, version, scenario_hash, played_at
                 FROM runs WHERE trainee_id = $1 ORDER BY id",
                &[trainee_id.into()],
            )?
            .into_iter()
            .map(|r| RunFact {
                scenario: r[0].text(),
                role: role_of(&r[1].text()),
                mode: mode_of(&r[2].text()),
                score: r[3].int() as u32,
                critical: r[4].int() != 0,
                finished: r[5].int() != 0,
                version: r[6].int() as u32,
                hash: r[7].text(),
                played_at: r[8].int(),
            })
            .collect())
    }

    /// The runs of one trainee, or of everyone, oldest first.
    pub fn runs(&mut self, trainee_id: Option<i64>) -> Result<Vec<RunRow>, RecordsError> {
        let sql =
            "SELECT id, trainee_id, scenario, role, mode, score, adherence, passed, critical, finished, outcome, label,
                    version, scenario_hash, played_at, recorded_at, duration_ms FROM runs";
        let rows = match trainee_id {
            Some(t) => self.db.query(&format!("{sql} WHERE trainee_id = $1 ORDER BY id"), &[t.into()])?,
            None => self.db.query(&format!("{sql} ORDER BY id"), &[])?,
        };
        Ok(rows.into_iter().map(|r| run_row(&r)).collect())
    }

    /// Every run played since a time (seconds since the epoch), optionally of one role's scenarios.
    pub fn runs_since(&mut self, since: Option<i64>, role: Option<Role>) -> Result<Vec<RunRow>, RecordsError> {
        let sql =
            "SELECT id, trainee_id, scenario, role, mode, score, adherence, passed, critical, finished, outcome, label,
                    version, scenario_hash, played_at, recorded_at, duration_ms FROM runs WHERE played_at >= $1";
        let since = since.unwrap_or(i64::MIN).into();
        let rows = match role {
            Some(r) => self.db.query(&format!("{sql} AND role = $2 ORDER BY id"), &[since, r.as_str().into()])?,
            None => self.db.query(&format!("{sql} ORDER BY id"), &[since])?,
        };
        Ok(rows.into_iter().map(|r| run_row(&r)).collect())
    }

    /// The chained hash of every run, by id (stable identifiers for exports).
    pub fn run_hashes(&mut self) -> Result<HashMap<i64, String>, RecordsError> {
        Ok(self.db.query("SELECT id, hash FROM runs", &[])?.into_iter().map(|r| (r[0].int(), r[1].text())).collect())
    }

    /// How each trainee did on each script stage since a time: mean quality over the runs that
    /// reached it.
    pub fn stage_stats(&mut self, since: Option<i64>, role: Option<Role>) -> Result<Vec<StageStat>, RecordsError> {
        let sql = "SELECT s.trainee_id, s.role, s.stage, MIN(s.title), AVG(s.quality), COUNT(*)
                   FROM run_stages s JOIN runs r ON r.id = s.run_id WHERE r.played_at >= $1";
        let since = since.unwrap_or(i64::MIN).into();
        let rows = match role {
            Some(r) => self.db.query(
                &format!("{sql} AND s.role = $2 GROUP BY s.trainee_id, s.role, s.stage"),
                &[since, r.as_str().into()],
            )?,
            None => self.db.query(&format!("{sql} GROUP BY s.trainee_id, s.role, s.stage"), &[since])?,
        };
        Ok(rows
            .into_iter()
            .map(|r| StageStat {
                trainee_id: r[0].int(),
                role: role_of(&r[1].text()),
                stage: r[2].text(),
                title: r[3].text(),
                quality: r[4].real(),
                runs: r[5].int() as u32,
            })
            .collect())
    }

    /// The score breakdown (with every turn's feedback) and the run file of a stored run.
    pub fn run_detail(&mut self, run_id: i64) -> Result<(RunRow, Score, Run), RecordsError> {
        let rows = self.db.query(
            "SELECT id, trainee_id, scenario, role, mode, score, adherence, passed, critical, finished, outcome, label,
                    version, scenario_hash, played_at, recorded_at, duration_ms, breakdown, run_ron FROM runs WHERE id = $1",
            &[run_id.into()],
        )?;
        let r = rows.into_iter().next().ok_or_else(|| RecordsError::Db(format!("no run {run_id}")))?;
        let breakdown: Score =
            serde_json::from_str(&r[17].text()).map_err(|e| RecordsError::Db(format!("run {run_id}: {e}")))?;
        let run: Run = crate::domain::parse::ron_options()
            .from_str(&r[18].text())
            .map_err(|e| RecordsError::Db(format!("run {run_id}: {e}")))?;
        Ok((run_row(&r), breakdown, run))
    }

    /// Best score per scenario for a trainee.
    pub fn best_scores(&mut self, trainee_id: i64) -> Result<BTreeMap<String, u32>, RecordsError> {
        Ok(self
            .db
            .query(
                "SELECT scenario, MAX(score) FROM runs WHERE trainee_id = $1 GROUP BY scenario",
                &[trainee_id.into()],
            )?
            .into_iter()
            .map(|r| (r[0].text(), r[1].int() as u32))
            .collect())
    }

    /// A trainee's role, runs per role, best scores, exam status and eligibility.
    pub fn report(&mut self, trainee_key: &str, lib: &Library) -> Result<TraineeReport, RecordsError> {
        let trainee = self.trainee(trainee_key)?;
        let facts = self.run_facts(trainee.id)?;
        let mut roles = Vec::new();
        for role in Role::ALL {
            let of: Vec<&RunFact> = facts.iter().filter(|f| f.role == role).collect();
            if of.is_empty() && role != trainee.role {
                continue;
            }
            roles.push(RoleStats {
                role,
                runs: of.len() as u32,
                finished: of.iter().filter(|f| f.finished).count() as u32,
                best: of.iter().map(|f| f.score).max(),
                average: (!of.is_empty()).then(|| of.iter().map(|f| f64::from(f.score)).sum::<f64>() / of.len() as f64),
            });
        }
        let mut by: BTreeMap<&str, ScenarioStats> = BTreeMap::new();
        for f in &facts {
            let e = by.entry(&f.scenario).or_insert(ScenarioStats {
                scenario: f.scenario.clone(),
                role: f.role,
                runs: 0,
                best: 0,
                last_played: f.played_at,
            });
            e.runs += 1;
            e.best = e.best.max(f.score);
            e.last_played = e.last_played.max(f.played_at);
        }
        let eligibility = lib.ladder.as_ref().map(|l| ladder::eligibility(l, lib, trainee.role, &facts, self.now()));
        let promotions = self.promotions(Some(trainee.id))?;
        Ok(TraineeReport { trainee, roles, scenarios: by.into_values().collect(), eligibility, promotions })
    }

    // ---- managers and promotions

    /// Adds a manager with an argon2 password hash. The first manager needs no approval; after
    /// that an existing manager must approve with their password.
    pub fn add_manager(
        &mut self,
        username: &str,
        password: &str,
        trainee: Option<&str>,
        by: Option<(&str, &str)>,
    ) -> Result<(), RecordsError> {
        self.writable()?;
        let username = username.trim().to_owned();
        if username.is_empty() {
            return Err(RecordsError::EmptyName);
        }
        if password.chars().count() < 8 {
            return Err(RecordsError::WeakPassword);
        }
        let existing = self.db.query_value("SELECT COUNT(*) FROM managers", &[])?.map_or(0, |v| v.int());
        let approver = match (existing, by) {
            (0, _) => username.clone(),
            (_, None) => return Err(RecordsError::ApprovalNeeded),
            (_, Some((user, pw))) => self.authenticate(user, pw)?,
        };
        let trainee_id = match trainee {
            Some(k) => self.trainee(k)?.id,
            None => 0,
        };
        let hash = hash_password(password)?;
        let now = self.now();
        self.write(|db| {
            if db.query_value("SELECT id FROM managers WHERE username = $1", &[username.as_str().into()])?.is_some() {
                return Err(RecordsError::DuplicateManager(username.clone()));
            }
            db.execute(
                "INSERT INTO managers (username, password_hash, trainee_id, created_at) VALUES ($1, $2, $3, $4)",
                &[username.as_str().into(), hash.as_str().into(), trainee_id.into(), now.into()],
            )?;
            Self::audit(db, now, &approver, "manager.add", &format!("manager \"{username}\""))?;
            Ok(())
        })
    }

    /// Checks a manager's password; a failure is written to the audit trail.
    pub fn authenticate(&mut self, username: &str, password: &str) -> Result<String, RecordsError> {
        let row = self.db.query("SELECT password_hash FROM managers WHERE username = $1", &[username.into()])?;
        let Some(stored) = row.into_iter().next().map(|r| r[0].text()) else {
            return Err(RecordsError::ManagerNotFound(username.to_owned()));
        };
        use argon2::password_hash::{PasswordVerifier, phc::PasswordHash};
        let ok = PasswordHash::new(&stored)
            .is_ok_and(|parsed| argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok());
        if ok {
            Ok(username.to_owned())
        } else {
            if !self.read_only {
                let now = self.now();
                let _ = self.write(|db| Self::audit(db, now, username, "manager.login-failed", "wrong password"));
            }
            Err(RecordsError::BadPassword(username.to_owned()))
        }
    }

    /// The trainee id a manager account belongs to, if it is linked to one.
    fn manager_trainee(&mut self, username: &str) -> Result<i64, RecordsError> {
        Ok(self
            .db
            .query_value("SELECT trainee_id FROM managers WHERE username = $1", &[username.into()])?
            .map_or(0, |v| v.int()))
    }

    /// Promotes a trainee one rung up, if eligible, with a manager's approval.
    pub fn promote(
        &mut self,
        trainee_key: &str,
        manager: &str,
        password: &str,
        lib: &Library,
    ) -> Result<PromotionRow, RecordsError> {
        let (trainee, manager) = self.approve(trainee_key, manager, password)?;
        let ladder = lib.ladder.as_ref().ok_or(RecordsError::NoLadder)?;
        let facts = self.run_facts(trainee.id)?;
        let e = ladder::eligibility(ladder, lib, trainee.role, &facts, self.now());
        let Some(next) = e.next else {
            return Err(RecordsError::TopOfLadder { name: trainee.name, role: trainee.role });
        };
        if !e.eligible {
            return Err(RecordsError::NotEligible { name: trainee.name, to: next.to_string(), missing: e.missing });
        }
        self.change_rung(&trainee, next, "promote", &manager)
    }

    /// Moves a trainee one rung down, with a manager's approval.
    pub fn demote(
        &mut self,
        trainee_key: &str,
        manager: &str,
        password: &str,
        lib: &Library,
    ) -> Result<PromotionRow, RecordsError> {
        let (trainee, manager) = self.approve(trainee_key, manager, password)?;
        let ladder = lib.ladder.as_ref().ok_or(RecordsError::NoLadder)?;
        let Some(prev) = ladder::previous_role(ladder, trainee.role) else {
            return Err(RecordsError::BottomOfLadder { name: trainee.name, role: trainee.role });
        };
        self.change_rung(&trainee, prev, "demote", &manager)
    }

    /// Puts a trainee back on the first rung, with a manager's approval.
    pub fn reset(
        &mut self,
        trainee_key: &str,
        manager: &str,
        password: &str,
        lib: &Library,
    ) -> Result<PromotionRow, RecordsError> {
        let (trainee, manager) = self.approve(trainee_key, manager, password)?;
        let ladder = lib.ladder.as_ref().ok_or(RecordsError::NoLadder)?;
        let first = ladder.rungs.first().map_or(Role::Generator, |r| r.role);
        self.change_rung(&trainee, first, "reset", &manager)
    }

    /// Authenticates the manager and refuses a manager acting on their own record.
    fn approve(&mut self, trainee_key: &str, manager: &str, password: &str) -> Result<(Trainee, String), RecordsError> {
        self.writable()?;
        let trainee = self.trainee(trainee_key)?;
        let manager = self.authenticate(manager, password)?;
        let linked = self.manager_trainee(&manager)?;
        if linked == trainee.id || manager.trim().eq_ignore_ascii_case(trainee.name.trim()) {
            let now = self.now();
            let detail = format!("refused: manager \"{manager}\" acting on their own record (trainee {})", trainee.id);
            let _ = self.write(|db| Self::audit(db, now, &manager, "promotion.refused", &detail));
            return Err(RecordsError::SelfPromotion { manager, trainee: trainee.name });
        }
        Ok((trainee, manager))
    }

    fn change_rung(
        &mut self,
        trainee: &Trainee,
        to: Role,
        kind: &str,
        manager: &str,
    ) -> Result<PromotionRow, RecordsError> {
        let now = self.now();
        let from = trainee.role;
        let id = self.write(|db| {
            let prev = chain_head(db, "promotions_head")?;
            let hash = promotion_hash(&prev, trainee.id, kind, from.as_str(), to.as_str(), manager, now);
            let id = db
                .query_value(
                    "INSERT INTO promotions (trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        trainee.id.into(),
                        kind.into(),
                        from.as_str().into(),
                        to.as_str().into(),
                        manager.into(),
                        now.into(),
                        prev.as_str().into(),
                        hash.as_str().into(),
                    ],
                )?
                .map_or(0, |v| v.int());
            set_chain_head(db, "promotions_head", &hash)?;
            db.execute("UPDATE trainees SET role = $1 WHERE id = $2", &[to.as_str().into(), trainee.id.into()])?;
            let what = format!("trainee {} \"{}\": {from} → {to}", trainee.id, trainee.name);
            Self::audit(db, now, manager, &format!("trainee.{kind}"), &what)?;
            Ok(id)
        })?;
        Ok(PromotionRow {
            id,
            trainee_id: trainee.id,
            kind: kind.to_owned(),
            from_role: from,
            to_role: to,
            manager: manager.to_owned(),
            at: now,
        })
    }

    /// Promotions, demotions and resets, oldest first.
    pub fn promotions(&mut self, trainee_id: Option<i64>) -> Result<Vec<PromotionRow>, RecordsError> {
        let sql = "SELECT id, trainee_id, kind, from_role, to_role, manager, at FROM promotions";
        let rows = match trainee_id {
            Some(t) => self.db.query(&format!("{sql} WHERE trainee_id = $1 ORDER BY id"), &[t.into()])?,
            None => self.db.query(&format!("{sql} ORDER BY id"), &[])?,
        };
        Ok(rows
            .into_iter()
            .map(|r| PromotionRow {
                id: r[0].int(),
                trainee_id: r[1].int(),
                kind: r[2].text(),
                from_role: role_of(&r[3].text()),
                to_role: role_of(&r[4].text()),
                manager: r[5].text(),
                at: r[6].int(),
            })
            .collect())
    }

    // ---- verification

    /// Re-scores every stored run from its inputs against the scenario text it was played on and
    /// checks both hash chains. `progress(done, total)` is called as runs are checked.
    pub fn verify(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<VerifyReport, RecordsError> {
        let total = self.db.query_value("SELECT COUNT(*) FROM runs", &[])?.map_or(0, |v| v.int()) as u64;
        let mut problems = Vec::new();
        let mut playables: HashMap<String, Option<Arc<Playable>>> = HashMap::new();
        let mut prev = GENESIS.to_owned();
        let mut last_id = 0i64;
        let mut done = 0u64;
        const PAGE: i64 = 2000;
        loop {
            let rows = self.db.query(
                "SELECT id, trainee_id, scenario_hash, run_ron, score, passed, critical, played_at, prev_hash, hash
                 FROM runs WHERE id > $1 ORDER BY id LIMIT $2",
                &[last_id.into(), PAGE.into()],
            )?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let id = r[0].int();
                last_id = id;
                let (trainee_id, scenario_hash, run_ron) = (r[1].int(), r[2].text(), r[3].text());
                let (stored_score, passed, critical, played_at) =
                    (r[4].int() as u32, r[5].int() != 0, r[6].int() != 0, r[7].int());
                let (row_prev, row_hash) = (r[8].text(), r[9].text());
                if row_prev != prev {
                    problems.push(Problem {
                        table: "runs",
                        id,
                        what: "the chain is broken before this row: a run was removed or edited".into(),
                    });
                }
                let expected = run_hash(
                    &row_prev,
                    trainee_id,
                    &scenario_hash,
                    &run_ron,
                    stored_score,
                    passed,
                    critical,
                    played_at,
                );
                if expected != row_hash {
                    problems.push(Problem {
                        table: "runs",
                        id,
                        what: "the row does not match its hash: it was edited".into(),
                    });
                }
                prev = row_hash;
                if !playables.contains_key(&scenario_hash) {
                    let p = self.snapshot(&scenario_hash)?;
                    playables.insert(scenario_hash.clone(), p);
                }
                match playables.get(&scenario_hash).and_then(Option::as_ref) {
                    None => problems.push(Problem {
                        table: "runs",
                        id,
                        what: format!(
                            "the scenario text it was scored against ({}) is missing or altered",
                            &scenario_hash[..12.min(scenario_hash.len())]
                        ),
                    }),
                    Some(p) => match crate::domain::parse::ron_options().from_str::<Run>(&run_ron) {
                        Err(e) => problems.push(Problem {
                            table: "runs",
                            id,
                            what: format!("the run file no longer parses: {e}"),
                        }),
                        Ok(run) => match replay(p, &run, true) {
                            Err(e) => problems.push(Problem {
                                table: "runs",
                                id,
                                what: format!("the inputs no longer replay: {e}"),
                            }),
                            Ok(d) => {
                                let s = score(&d);
                                if s.score != stored_score || s.passed != passed || s.critical.is_empty() == critical {
                                    problems.push(Problem {
                                        table: "runs",
                                        id,
                                        what: format!("stored score {stored_score} but its inputs score {}", s.score),
                                    });
                                }
                            }
                        },
                    },
                }
                done += 1;
            }
            progress(done, total);
        }
        let head = chain_head(&mut self.db, "runs_head")?;
        if head != prev {
            problems.push(Problem {
                table: "runs",
                id: last_id,
                what: "the newest runs were removed (the chain head does not match)".into(),
            });
        }
        let mut prev = GENESIS.to_owned();
        let promotions = self.db.query(
            "SELECT id, trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash FROM promotions ORDER BY id",
            &[],
        )?;
        for r in &promotions {
            let id = r[0].int();
            if r[7].text() != prev {
                problems.push(Problem { table: "promotions", id, what: "the chain is broken before this row".into() });
            }
            let expected = promotion_hash(
                &r[7].text(),
                r[1].int(),
                &r[2].text(),
                &r[3].text(),
                &r[4].text(),
                &r[5].text(),
                r[6].int(),
            );
            if expected != r[8].text() {
                problems.push(Problem {
                    table: "promotions",
                    id,
                    what: "the row does not match its hash: it was edited".into(),
                });
            }
            prev = r[8].text();
        }
        if chain_head(&mut self.db, "promotions_head")? != prev {
            problems.push(Problem {
                table: "promotions",
                id: 0,
                what: "the newest promotions were removed (the chain head does not match)".into(),
            });
        }
        Ok(VerifyReport { runs: done, promotions: promotions.len() as u64, problems })
    }

    /// The scenario as it was when runs with this hash were recorded, if its stored text still
    /// hashes to it.
    fn snapshot(&mut self, hash: &str) -> Result<Option<Arc<Playable>>, RecordsError> {
        let rows = self.db.query(
            "SELECT scenario_id, scenario_ron, script_ron FROM scenario_versions WHERE hash = $1",
            &[hash.into()],
        )?;
        let Some(r) = rows.into_iter().next() else { return Ok(None) };
        let lib = Library::from_sources(vec![
            SourceFile::new("scripts/recorded.ron", r[2].text()),
            SourceFile::new("scenario/recorded.ron", r[1].text()),
        ]);
        Ok(lib.scenario(&r[0].text()).filter(|p| p.hash() == hash).cloned())
    }
}

/// A run scored and ready to insert.
struct Prepared {
    trainee: Trainee,
    playable: Arc<Playable>,
    run_ron: String,
    breakdown: String,
    score: Score,
    mode: Mode,
    critical: bool,
    finished: bool,
    played_at: i64,
    duration_ms: i64,
    exam: Option<ExamNote>,
    fact: RunFact,
}

/// Replays and scores a run against the library, and works out whether it is an exam attempt
/// that counts, given the trainee's earlier runs.
fn prepare(
    lib: &Library,
    trainee: &Trainee,
    run: &Run,
    now: i64,
    earlier: &[RunFact],
) -> Result<Prepared, RecordsError> {
    let playable = lib.scenario(&run.scenario).ok_or_else(|| RecordsError::ScenarioMissing(run.scenario.clone()))?;
    let mut run = run.clone();
    run.version.get_or_insert(playable.scenario.version);
    run.hash.get_or_insert_with(|| playable.hash().to_owned());
    let dialogue = replay(playable, &run, false).map_err(|e| RecordsError::RunDoesNotFit(e.to_string()))?;
    let s = score(&dialogue);
    let finished = matches!(dialogue.ending(), Some(Ending::End { .. }));
    let played_at = run.played_at.as_deref().and_then(parse_time).unwrap_or(now);
    let critical = !s.critical.is_empty();
    let exam = lib.ladder.as_ref().and_then(|l| exam_note(l, lib, trainee, playable, &run, &s, played_at, earlier));
    let fact = RunFact {
        scenario: playable.id().to_owned(),
        role: playable.scenario.role,
        mode: run.mode,
        score: s.score,
        critical,
        finished,
        version: playable.scenario.version,
        hash: playable.hash().to_owned(),
        played_at,
    };
    Ok(Prepared {
        trainee: trainee.clone(),
        playable: Arc::clone(playable),
        run_ron: crate::domain::model::run_to_ron(&run).map_err(RecordsError::Db)?,
        breakdown: serde_json::to_string(&s).map_err(|e| RecordsError::Db(e.to_string()))?,
        mode: run.mode,
        critical,
        finished,
        played_at,
        duration_ms: run.times_ms.last().copied().unwrap_or(0) as i64,
        exam,
        fact,
        score: s,
    })
}

/// Whether a run is an exam attempt for the trainee's next rung, and whether it counts.
#[allow(clippy::too_many_arguments)]
fn exam_note(
    ladder: &crate::domain::Ladder,
    lib: &Library,
    trainee: &Trainee,
    playable: &Playable,
    run: &Run,
    s: &Score,
    played_at: i64,
    earlier: &[RunFact],
) -> Option<ExamNote> {
    let rung = ladder
        .rungs
        .iter()
        .find(|r| r.exam.as_ref().is_some_and(|e| e.scenarios.iter().any(|x| x == playable.id())))?;
    let exam = rung.exam.as_ref()?;
    if run.mode != exam.mode {
        return None;
    }
    let passed = s.score >= exam.min_score && s.critical.is_empty();
    let before = ladder::eligibility(ladder, lib, trainee.role, earlier, played_at);
    let locked = before.exams.iter().find(|x| x.scenario == playable.id()).and_then(|x| x.locked_until);
    let for_next = ladder::next_role(ladder, trainee.role) == Some(rung.role);
    let (counted, note) = match locked {
        Some(until) if for_next => (false, format!("played during the cooldown, before {}", format_time(until))),
        _ if !for_next => (false, format!("an exam for {}, not the trainee's next rung", rung.role)),
        _ if passed => (true, format!("passed: {} ≥ {} with no critical error", s.score, exam.min_score)),
        _ => (true, format!("failed: locks this exam for {} hours", exam.cooldown_hours)),
    };
    Some(ExamNote { scenario: playable.id().to_owned(), to_role: rung.role, passed, counted, note })
}

/// Inserts a prepared run inside the caller's write transaction, chained to the previous run.
fn insert_run(db: &mut Db, p: &Prepared, now: i64) -> Result<i64, RecordsError> {
    let (playable, s, trainee) = (&p.playable, &p.score, &p.trainee);
    db.execute(
        "INSERT INTO scenario_versions (hash, scenario_id, version, scenario_ron, script_ron) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (hash) DO NOTHING",
        &[
            playable.hash().into(),
            playable.id().into(),
            playable.scenario.version.into(),
            playable.scenario_source.text.as_str().into(),
            playable.script_source.text.as_str().into(),
        ],
    )?;
    let prev = chain_head(db, "runs_head")?;
    let hash = run_hash(&prev, trainee.id, playable.hash(), &p.run_ron, s.score, s.passed, p.critical, p.played_at);
    let id = db
        .query_value(
            "INSERT INTO runs (trainee_id, scenario, role, version, scenario_hash, mode, run_ron, score, adherence,
                passed, critical, finished, outcome, label, breakdown, played_at, recorded_at, prev_hash, hash, duration_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
            &[
                trainee.id.into(),
                playable.id().into(),
                playable.scenario.role.as_str().into(),
                playable.scenario.version.into(),
                playable.hash().into(),
                p.mode.as_str().into(),
                p.run_ron.as_str().into(),
                s.score.into(),
                s.adherence.into(),
                s.passed.into(),
                p.critical.into(),
                p.finished.into(),
                outcome_str(s.outcome).into(),
                s.label.as_str().into(),
                p.breakdown.as_str().into(),
                p.played_at.into(),
                now.into(),
                prev.as_str().into(),
                hash.as_str().into(),
                p.duration_ms.into(),
            ],
        )?
        .map_or(0, |v| v.int());
    set_chain_head(db, "runs_head", &hash)?;
    insert_stages(db, id, trainee.id, playable.scenario.role.as_str(), s)?;
    if let Some(e) = &p.exam {
        db.execute(
            "INSERT INTO exam_results (run_id, trainee_id, scenario, to_role, mode, score, passed, counted, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                id.into(),
                trainee.id.into(),
                e.scenario.as_str().into(),
                e.to_role.as_str().into(),
                p.mode.as_str().into(),
                s.score.into(),
                e.passed.into(),
                e.counted.into(),
                e.note.as_str().into(),
            ],
        )?;
    }
    let what = format!("run {id}: {} {} score {}", playable.id(), p.mode, s.score);
    Records::audit(db, now, &trainee.name, "run.record", &what)?;
    Ok(id)
}

/// One row per script stage the call reached, for the managers' reports.
pub(crate) fn insert_stages(
    db: &mut Db,
    run_id: i64,
    trainee_id: i64,
    role: &str,
    s: &Score,
) -> Result<(), RecordsError> {
    for st in s.stages.iter().filter(|st| st.turns > 0) {
        db.execute(
            "INSERT INTO run_stages (run_id, trainee_id, role, stage, title, quality, turns) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                run_id.into(),
                trainee_id.into(),
                role.into(),
                st.id.as_str().into(),
                st.title.as_str().into(),
                st.quality.unwrap_or(0.0).into(),
                st.turns.into(),
            ],
        )?;
    }
    Ok(())
}

fn outcome_str(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "Success",
        Outcome::Failure => "Failure",
    }
}

fn run_row(r: &[Value]) -> RunRow {
    RunRow {
        id: r[0].int(),
        trainee_id: r[1].int(),
        scenario: r[2].text(),
        role: role_of(&r[3].text()),
        mode: mode_of(&r[4].text()),
        score: r[5].int() as u32,
        adherence: r[6].real(),
        passed: r[7].int() != 0,
        critical: r[8].int() != 0,
        finished: r[9].int() != 0,
        outcome: if r[10].text() == "Success" { Outcome::Success } else { Outcome::Failure },
        label: r[11].text(),
        version: r[12].int() as u32,
        scenario_hash: r[13].text(),
        played_at: r[14].int(),
        recorded_at: r[15].int(),
        duration_ms: r[16].int(),
    }
}

fn chain_head(db: &mut Db, key: &str) -> Result<String, RecordsError> {
    Ok(db
        .query_value("SELECT value FROM meta WHERE key = $1", &[key.into()])?
        .map_or_else(|| GENESIS.to_owned(), |v| v.text()))
}

fn set_chain_head(db: &mut Db, key: &str, hash: &str) -> Result<(), RecordsError> {
    db.execute(
        "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[key.into(), hash.into()],
    )?;
    Ok(())
}

fn hash_password(password: &str) -> Result<String, RecordsError> {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| RecordsError::Db(format!("cannot hash the password: {e}")))
}

/// Opens an SQLite file, refusing (without writing a byte) anything that is not a callforge
/// database or is damaged. A file whose permissions forbid writing opens read-only.
fn open_sqlite(path: &Path) -> Result<(Db, bool), RecordsError> {
    use rusqlite::{Connection, OpenFlags};
    let shown = path.display().to_string();
    let mut read_only = false;
    if path.exists() {
        let meta = std::fs::metadata(path)
            .map_err(|e| RecordsError::Io { context: format!("cannot read {shown}"), source: e })?;
        if meta.is_dir() {
            return Err(RecordsError::NotCallforge { path: shown, detail: "it is a folder".into() });
        }
        if meta.len() > 0 {
            use std::io::Read;
            let mut head = [0u8; 16];
            let n = std::fs::File::open(path)
                .and_then(|mut f| f.read(&mut head))
                .map_err(|e| RecordsError::Io { context: format!("cannot read {shown}"), source: e })?;
            if n < 16 || &head != b"SQLite format 3\0" {
                return Err(RecordsError::NotSqlite { path: shown });
            }
        }
        read_only = meta.permissions().readonly();
        let probe =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| RecordsError::Corrupt { path: shown.clone(), detail: e.to_string() })?;
        let check: Result<String, _> = probe.query_row("PRAGMA quick_check", [], |r| r.get(0));
        match check {
            Ok(s) if s == "ok" => {}
            Ok(s) => return Err(RecordsError::Corrupt { path: shown, detail: s }),
            Err(e) => return Err(RecordsError::Corrupt { path: shown, detail: e.to_string() }),
        }
        let tables: Vec<String> = probe
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
            .map_err(|e| RecordsError::Corrupt { path: shown.clone(), detail: e.to_string() })?;
        if !tables.is_empty() {
            let app: Option<String> =
                probe.query_row("SELECT value FROM meta WHERE key = 'app'", [], |r| r.get(0)).ok();
            if app.as_deref() != Some("callforge") {
                let mut list = tables.join(", ");
                list.truncate(80);
                return Err(RecordsError::NotCallforge {
                    path: shown,
                    detail: format!("it holds other tables: {list}"),
                });
            }
        }
    } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| RecordsError::Io { context: format!("cannot create {}", dir.display()), source: e })?;
    }
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn =
        Connection::open_with_flags(path, flags).map_err(|e| RecordsError::Db(format!("cannot open {shown}: {e}")))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| RecordsError::Db(e.to_string()))?;
    let setup = if read_only {
        "PRAGMA foreign_keys = ON;"
    } else {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
    };
    conn.execute_batch(setup).map_err(|e| RecordsError::Db(format!("cannot set up {shown}: {e}")))?;
    Ok((Db::Sqlite(conn), read_only))
}

/// Connects to PostgreSQL and refuses a database that holds tables but is not callforge's.
fn open_postgres(url: &str) -> Result<Db, RecordsError> {
    let shown = redact(url);
    let mut client = postgres::Client::connect(url, postgres::NoTls)
        .map_err(|e| RecordsError::Connect { location: shown.clone(), detail: e.to_string() })?;
    let tables: Vec<String> = client
        .query("SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = current_schema()", &[])
        .map_err(|e| RecordsError::Connect { location: shown.clone(), detail: e.to_string() })?
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    if !tables.is_empty() {
        let app = if tables.iter().any(|t| t == "meta") {
            client
                .query_opt("SELECT value FROM meta WHERE key = 'app'", &[])
                .ok()
                .flatten()
                .map(|r| r.get::<_, String>(0))
        } else {
            None
        };
        if app.as_deref() != Some("callforge") {
            return Err(RecordsError::NotCallforge {
                path: shown,
                detail: format!("it holds other tables: {}", tables.join(", ")),
            });
        }
    }
    Ok(Db::Postgres(Box::new(client)))
}

/// A connection URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..s + 3], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
