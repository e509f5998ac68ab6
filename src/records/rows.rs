//! The rows the records hand out (trainees, runs, promotions, statistics) and how SQL rows become them.

use super::ExamNote;
use super::db::SqlValue;
use crate::domain::Score;
use crate::domain::ladder::Eligibility;
use crate::domain::model::{Mode, Outcome, Role};
use serde::Serialize;

/// A trainee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trainee {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: i64,
    /// The language the trainee takes exams in (`en`, `ru`, …); empty when not set, and then that
    /// of their latest run (see [`crate::domain::ladder::trainee_language`]).
    pub language: String,
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
    /// The scorer version the run was scored by.
    pub scorer: u32,
    /// The proctor's ticket the run was sat with, if any.
    pub ticket: Option<i64>,
    /// 1 for runs stored before signatures (their hash covers less), 2 after.
    pub hash_version: u32,
}

impl RunRow {
    /// What the certification rules need of the run.
    pub fn fact(&self) -> crate::domain::ladder::RunFact {
        crate::domain::ladder::RunFact {
            scenario: self.scenario.clone(),
            role: self.role,
            mode: self.mode,
            score: self.score,
            critical: self.critical,
            finished: self.finished,
            version: self.version,
            hash: self.scenario_hash.clone(),
            at: self.recorded_at,
            sitting: super::runs::sitting(self.ticket.unwrap_or(0), i64::from(self.hash_version)),
        }
    }
}

/// What storing a run did.
#[derive(Debug, Clone)]
pub struct StoredRun {
    pub id: i64,
    pub score: Score,
    /// When the run was an exam attempt: whether it counts and passed.
    pub exam: Option<ExamNote>,
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
    /// The language the exams are listed in: the trainee's own, else that of their latest run, else
    /// English.
    pub language: String,
    pub roles: Vec<RoleStats>,
    pub scenarios: Vec<ScenarioStats>,
    /// Progress toward the next rung; `None` without a ladder.
    pub eligibility: Option<Eligibility>,
    pub promotions: Vec<PromotionRow>,
    /// The proctors' exam tickets issued for the trainee, oldest first.
    pub tickets: Vec<crate::records::Ticket>,
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

/// One thing `verify` found wrong (or, among the warnings, worth knowing).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// The table of the row: runs, promotions, trainees, managers, tickets, checkpoints.
    pub table: &'static str,
    /// The row's id (0 for the table as a whole).
    pub id: i64,
    pub what: String,
}

impl Problem {
    /// The row as people name it: "run 12", "trainee 3", "checkpoint 2".
    pub fn subject(&self) -> String {
        let one = match self.table {
            "runs" => "run",
            "promotions" => "promotion",
            "trainees" => "trainee",
            "managers" => "manager",
            "tickets" => "ticket",
            "checkpoints" => "checkpoint",
            "assignments" => "assignment",
            other => other,
        };
        if self.id == 0 { self.table.to_owned() } else { format!("{one} {}", self.id) }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.subject(), self.what)
    }
}

/// The result of `verify`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    pub runs: u64,
    pub promotions: u64,
    pub managers: u64,
    pub tickets: u64,
    pub assignments: u64,
    pub checkpoints: u64,
    /// Tampering: edited, removed or forged rows, broken signatures.
    pub problems: Vec<Problem>,
    /// What is not tampering but weaker than it could be: rows made before signatures.
    pub warnings: Vec<Problem>,
    /// The fingerprint of the department's root key (its first manager's), if there is one.
    pub root: Option<String>,
    /// The newest checkpoint: rows before it cannot be changed unseen.
    pub latest_checkpoint: Option<crate::records::Checkpoint>,
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// Seconds since the epoch.
    pub at: i64,
    /// The manager or trainee who acted (for a refused sign-in, the name that was typed).
    pub actor: String,
    pub action: String,
    pub detail: String,
}

pub(super) fn role_of(s: &str) -> Role {
    Role::parse(s).unwrap_or(Role::Generator)
}

pub(super) fn mode_of(s: &str) -> Mode {
    match s {
        "Exam" => Mode::Exam,
        "Recall" => Mode::Recall,
        "Drill" => Mode::Drill,
        _ => Mode::Practice,
    }
}

pub(super) fn outcome_str(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "Success",
        Outcome::Failure => "Failure",
    }
}

/// `id, name, role, created_at`.
pub(super) fn trainee_row(r: &[SqlValue]) -> Trainee {
    Trainee {
        id: r[0].int(),
        name: r[1].text(),
        role: role_of(&r[2].text()),
        created_at: r[3].int(),
        language: r[4].text(),
    }
}

/// The columns `trainee_row` reads, in its order.
pub(super) const TRAINEE_COLUMNS: &str = "id, name, role, created_at, language";

/// The columns `run_row` reads, in its order.
pub(super) const RUN_COLUMNS: &str = "id, trainee_id, scenario, role, mode, score, adherence, passed, critical, finished, \
     outcome, label, version, scenario_hash, played_at, recorded_at, duration_ms, scorer, ticket_id, hash_version";

/// A run row from the columns of `RUN_COLUMNS`.
pub(super) fn run_row(r: &[SqlValue]) -> RunRow {
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
        scorer: r[17].int() as u32,
        ticket: Some(r[18].int()).filter(|&t| t != 0),
        hash_version: r[19].int() as u32,
    }
}

/// `id, trainee_id, kind, from_role, to_role, manager, at`.
pub(super) fn promotion_row(r: &[SqlValue]) -> PromotionRow {
    PromotionRow {
        id: r[0].int(),
        trainee_id: r[1].int(),
        kind: r[2].text(),
        from_role: role_of(&r[3].text()),
        to_role: role_of(&r[4].text()),
        manager: r[5].text(),
        at: r[6].int(),
    }
}
