//! Assignments in the records: set and withdrawn by a signed-in manager (signed, audited, checkpointed), and where each stands for each trainee.
//!
//! The rules (who an assignment is for, which runs meet it) are `domain::assign`'s; this file
//! stores assignments, hands a trainee's runs to those rules and checks the signatures for
//! `verify`. A trainee cannot set or withdraw one: both need a manager's password, and both are
//! signed by the manager's key, so a row written behind callforge's back shows in `verify`.

use super::db::SqlValue;
use super::managers::{Account, Standing};
use super::{Problem, Records, RecordsError, Trainee, TraineeRef};
use crate::domain::Library;
use crate::domain::assign::{Assignee, Assignment, MAX_DRILLS, Progress, Task, Work, order};
use crate::domain::model::{Mode, Role};
use crate::domain::time::format_time;
use std::collections::HashMap;

/// The statement kinds an assignment and its withdrawal are signed under.
const ASSIGNMENT: &str = "assignment";
const WITHDRAWAL: &str = "assignment-withdrawal";

/// The longest note a manager may leave on an assignment, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// Who a new assignment is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignTo {
    Trainee(TraineeRef),
    Role(Role),
}

/// An assignment a manager is about to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssignment {
    pub to: AssignTo,
    pub task: Task,
    /// Seconds since the epoch (see [`crate::domain::time::parse_due`]).
    pub due: i64,
    pub min_score: Option<u32>,
    pub note: String,
}

/// One assignment and where it stands for each trainee it is for.
pub type Overview = (Assignment, Vec<(Trainee, Progress)>);

/// One trainee's assignments and where each stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TraineeAssignment {
    pub assignment: Assignment,
    pub progress: Progress,
}

const COLUMNS: &str = "id, trainee_id, role, kind, scenario, mode, stage, answers, due_at, min_score, note, created_at, \
     manager, signature, cancelled_at, cancelled_by, cancel_signature";

/// An assignment row with its signatures.
#[derive(Debug, Clone)]
struct Row {
    assignment: Assignment,
    signature: String,
    cancelled_by: String,
    cancel_signature: String,
}

impl Row {
    fn from_row(r: &[SqlValue]) -> Row {
        let role = r[2].text();
        let assignee =
            if role.is_empty() { Assignee::Trainee(r[1].int()) } else { Assignee::Role(super::rows::role_of(&role)) };
        let task = if r[3].text() == "drills" {
            let stage = r[6].text();
            Task::Drills {
                stage: (!stage.is_empty()).then_some(stage),
                count: r[7].int().clamp(0, u32::MAX.into()) as u32,
            }
        } else {
            Task::Call { scenario: r[4].text(), mode: super::rows::mode_of(&r[5].text()) }
        };
        let min = r[9].int();
        let cancelled = r[14].int();
        Row {
            assignment: Assignment {
                id: r[0].int(),
                assignee,
                task,
                due: r[8].int(),
                min_score: (0..=100).contains(&min).then_some(min as u32),
                note: r[10].text(),
                created_at: r[11].int(),
                manager: r[12].text(),
                cancelled_at: (cancelled != 0).then_some(cancelled),
            },
            signature: r[13].text(),
            cancelled_by: r[15].text(),
            cancel_signature: r[16].text(),
        }
    }
}

/// The columns as stored: (trainee id, role, kind, scenario, mode, stage, answers, min score).
fn columns(a: &Assignment) -> (i64, String, String, String, String, String, i64, i64) {
    let (trainee, role) = match a.assignee {
        Assignee::Trainee(id) => (id, String::new()),
        Assignee::Role(r) => (0, r.as_str().to_owned()),
    };
    let (scenario, mode, stage, answers) = match &a.task {
        Task::Call { scenario, mode } => (scenario.clone(), mode.as_str().to_owned(), String::new(), 1),
        Task::Drills { stage, count } => {
            (String::new(), String::new(), stage.clone().unwrap_or_default(), i64::from(*count))
        }
    };
    let min = a.min_score.map_or(-1, i64::from);
    (trainee, role, a.task.kind().to_owned(), scenario, mode, stage, answers, min)
}

/// What a manager signs when setting an assignment: every column but the withdrawal.
fn statement(a: &Assignment) -> Vec<String> {
    let (trainee, role, kind, scenario, mode, stage, answers, min) = columns(a);
    vec![
        a.id.to_string(),
        trainee.to_string(),
        role,
        kind,
        scenario,
        mode,
        stage,
        answers.to_string(),
        a.due.to_string(),
        min.to_string(),
        a.note.clone(),
        a.created_at.to_string(),
        a.manager.clone(),
    ]
}

/// What a manager signs when withdrawing one.
fn withdrawal(id: i64, at: i64, by: &str) -> [String; 3] {
    [id.to_string(), at.to_string(), by.to_owned()]
}

fn refs(parts: &[String]) -> Vec<&str> {
    parts.iter().map(String::as_str).collect()
}

fn invalid(why: impl Into<String>) -> RecordsError {
    RecordsError::AssignmentInvalid(why.into())
}

/// Checks a new assignment's task against the library and the rung it is for.
fn check_task(task: &Task, role: Role, who: &str, lib: &Library) -> Result<(), RecordsError> {
    match task {
        Task::Call { scenario, mode } => {
            let p = lib.scenario(scenario).ok_or_else(|| RecordsError::ScenarioMissing(scenario.clone()))?;
            if *mode == Mode::Drill {
                return Err(invalid(
                    "a call is assigned in Practice, Exam or Recall mode; drills are assigned as drills",
                ));
            }
            if p.scenario.role != role {
                return Err(invalid(format!(
                    "{scenario} is a {} scenario, and {who} is on the {role} rung; assign a scenario of their rung",
                    p.scenario.role
                )));
            }
        }
        Task::Drills { stage, count } => {
            if !(1..=MAX_DRILLS).contains(count) {
                return Err(invalid(format!("a drill assignment asks for 1 to {MAX_DRILLS} answers, not {count}")));
            }
            if let Some(stage) = stage {
                let known: Vec<String> = lib
                    .playable()
                    .filter(|p| p.scenario.role == role)
                    .flat_map(|p| p.expecting_lines().map(|(_, s)| s.id.clone()).collect::<Vec<_>>())
                    .collect();
                if !known.iter().any(|s| s == stage) {
                    let mut names = known;
                    names.sort();
                    names.dedup();
                    return Err(invalid(format!(
                        "no scenario of the {role} rung expects a stage \"{stage}\"; its stages: {}",
                        names.join(", ")
                    )));
                }
            }
        }
    }
    Ok(())
}

impl Records {
    /// Sets an assignment, signed by the manager whose password is given. Refused when the
    /// scenario or stage is not the trainee's (or the role's) rung's, the due date has passed, the
    /// minimum score is over 100, the note is too long, or the manager may not act on the trainee.
    pub fn add_assignment(
        &mut self,
        new: NewAssignment,
        manager: &str,
        password: &str,
        lib: &Library,
    ) -> Result<Assignment, RecordsError> {
        self.writable()?;
        let now = self.now();
        let (assignee, role, who) = match &new.to {
            AssignTo::Trainee(r) => {
                let t = self.find_trainee(r)?;
                (Assignee::Trainee(t.id), t.role, Some(t))
            }
            AssignTo::Role(role) => (Assignee::Role(*role), *role, None),
        };
        let shown = who.as_ref().map_or_else(|| format!("the {role} rung"), |t| t.name.clone());
        check_task(&new.task, role, &shown, lib)?;
        if new.min_score.is_some_and(|m| m > 100) {
            return Err(invalid("a minimum score is 0 to 100"));
        }
        if new.due <= now {
            return Err(invalid(format!(
                "its due date {} has passed (it is now {})",
                format_time(new.due),
                format_time(now)
            )));
        }
        let note = new.note.trim().to_owned();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(invalid(format!("a note has at most {MAX_NOTE_CHARS} characters")));
        }
        if note.chars().any(|c| c.is_control() && c != '\n') {
            return Err(invalid("a note may not hold control characters"));
        }
        let signer = self.sign_in(manager, password)?;
        signer.chain()?;
        if let Some(t) = &who {
            self.may_act_for(&signer, t, "assignment.refused")?;
        }
        let mut a = Assignment {
            id: 0,
            assignee,
            task: new.task,
            due: new.due,
            min_score: new.min_score,
            note,
            created_at: now,
            manager: signer.username.clone(),
            cancelled_at: None,
        };
        self.write(|db| {
            let (trainee, role, kind, scenario, mode, stage, answers, min) = columns(&a);
            a.id = db
                .query_value(
                    "INSERT INTO assignments (trainee_id, role, kind, scenario, mode, stage, answers, due_at, min_score,
                        note, created_at, manager, signature)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '') RETURNING id",
                    &[
                        trainee.into(),
                        role.into(),
                        kind.into(),
                        scenario.into(),
                        mode.into(),
                        stage.into(),
                        answers.into(),
                        a.due.into(),
                        min.into(),
                        a.note.as_str().into(),
                        now.into(),
                        a.manager.as_str().into(),
                    ],
                )?
                .map_or(0, |v| v.int());
            let signature = signer.sign(ASSIGNMENT, &refs(&statement(&a)));
            db.execute("UPDATE assignments SET signature = $1 WHERE id = $2", &[signature.into(), a.id.into()])?;
            let detail = format!(
                "assignment {}: {} for {shown}, due {}{}",
                a.id,
                a.task.describe(),
                format_time(a.due),
                min_text(a.min_score)
            );
            Self::audit(db, now, &signer.username, "assignment.add", &detail)?;
            super::checkpoints::write(db, &signer, now)?;
            Ok(a.clone())
        })
    }

    /// Withdraws an assignment (it stays in the records, marked withdrawn and signed).
    pub fn cancel_assignment(&mut self, id: i64, manager: &str, password: &str) -> Result<Assignment, RecordsError> {
        self.writable()?;
        let mut a = self.assignment(id)?;
        if let Some(at) = a.cancelled_at {
            return Err(invalid(format!("assignment {id} was already withdrawn, at {}", format_time(at))));
        }
        let signer = self.sign_in(manager, password)?;
        signer.chain()?;
        if let Assignee::Trainee(t) = a.assignee {
            let trainee = self.find_trainee(&TraineeRef::Id(t))?;
            self.may_act_for(&signer, &trainee, "assignment.refused")?;
        }
        let now = self.now();
        self.write(|db| {
            let signature = signer.sign(WITHDRAWAL, &refs(&withdrawal(id, now, &signer.username)));
            db.execute(
                "UPDATE assignments SET cancelled_at = $1, cancelled_by = $2, cancel_signature = $3 WHERE id = $4",
                &[now.into(), signer.username.as_str().into(), signature.into(), id.into()],
            )?;
            Self::audit(
                db,
                now,
                &signer.username,
                "assignment.cancel",
                &format!("assignment {id}: {}", a.task.describe()),
            )?;
            super::checkpoints::write(db, &signer, now)?;
            Ok(())
        })?;
        a.cancelled_at = Some(now);
        Ok(a)
    }

    /// One assignment by id.
    pub fn assignment(&mut self, id: i64) -> Result<Assignment, RecordsError> {
        let rows = self.db.query(&format!("SELECT {COLUMNS} FROM assignments WHERE id = $1"), &[id.into()])?;
        rows.first().map(|r| Row::from_row(r).assignment).ok_or(RecordsError::AssignmentNotFound(id))
    }

    /// Every assignment, withdrawn ones too, oldest first.
    pub fn assignments(&mut self) -> Result<Vec<Assignment>, RecordsError> {
        Ok(self.rows()?.into_iter().map(|r| r.assignment).collect())
    }

    fn rows(&mut self) -> Result<Vec<Row>, RecordsError> {
        Ok(self
            .db
            .query(&format!("SELECT {COLUMNS} FROM assignments ORDER BY id"), &[])?
            .iter()
            .map(|r| Row::from_row(r))
            .collect())
    }

    /// A trainee's assignments (their own and their rung's, not withdrawn) and where each stands
    /// now: open and overdue first, the soonest due first, then done ones.
    pub fn trainee_assignments(
        &mut self,
        trainee: impl Into<TraineeRef>,
        lib: &Library,
    ) -> Result<Vec<TraineeAssignment>, RecordsError> {
        let trainee = self.find_trainee(&trainee.into())?;
        let all = self.assignments()?;
        self.progress_of(&trainee, &all, lib)
    }

    /// [`Records::trainee_assignments`] over assignments already read (the team report reads them once).
    pub(crate) fn progress_of(
        &mut self,
        trainee: &Trainee,
        all: &[Assignment],
        lib: &Library,
    ) -> Result<Vec<TraineeAssignment>, RecordsError> {
        let since = self.rung_since(trainee)?;
        let mine: Vec<&Assignment> = all.iter().filter(|a| a.is_for(trainee.id, trainee.role, since)).collect();
        if mine.is_empty() {
            return Ok(Vec::new());
        }
        let from = mine.iter().map(|a| a.created_at).min().unwrap_or(0);
        let work = self.work(trainee.id, from)?;
        let now = self.now();
        let mut items: Vec<(Assignment, Progress)> =
            mine.into_iter().map(|a| (a.clone(), a.progress(&work, lib, now))).collect();
        order(&mut items);
        Ok(items.into_iter().map(|(assignment, progress)| TraineeAssignment { assignment, progress }).collect())
    }

    /// Every assignment (withdrawn ones only with `withdrawn`), each with where it stands for each
    /// trainee it is for (by trainee id, in id order), as the reports and `assign list` show them.
    pub fn assignment_overview(&mut self, lib: &Library, withdrawn: bool) -> Result<Vec<Overview>, RecordsError> {
        let all = self.assignments()?;
        let mut by_id: HashMap<i64, Vec<(Trainee, Progress)>> = HashMap::new();
        for t in self.trainees()? {
            for item in self.progress_of(&t, &all, lib)? {
                by_id.entry(item.assignment.id).or_default().push((t.clone(), item.progress));
            }
        }
        Ok(all
            .into_iter()
            .filter(|a| withdrawn || a.cancelled_at.is_none())
            .map(|a| {
                let who = by_id.remove(&a.id).unwrap_or_default();
                (a, who)
            })
            .collect())
    }

    /// When a trainee reached their rung: their last move on the ladder, or when they were added.
    fn rung_since(&mut self, trainee: &Trainee) -> Result<i64, RecordsError> {
        let moved = self
            .db
            .query_value("SELECT MAX(at) FROM promotions WHERE trainee_id = $1", &[trainee.id.into()])?
            .filter(|v| !v.is_null())
            .map(|v| v.int());
        Ok(moved.unwrap_or(trainee.created_at).max(trainee.created_at))
    }

    /// A trainee's runs received since `from`, as assignments read them.
    fn work(&mut self, trainee_id: i64, from: i64) -> Result<Vec<Work>, RecordsError> {
        let mut stages: HashMap<i64, Vec<String>> = HashMap::new();
        for r in self.db.query(
            "SELECT s.run_id, s.stage FROM run_stages s JOIN runs r ON r.id = s.run_id
             WHERE r.trainee_id = $1 AND r.recorded_at >= $2 AND r.mode = 'Drill'",
            &[trainee_id.into(), from.into()],
        )? {
            stages.entry(r[0].int()).or_default().push(r[1].text());
        }
        Ok(self
            .db
            .query(
                "SELECT id, scenario, mode, score, finished, recorded_at FROM runs
                 WHERE trainee_id = $1 AND recorded_at >= $2 ORDER BY id",
                &[trainee_id.into(), from.into()],
            )?
            .iter()
            .map(|r| Work {
                run: r[0].int(),
                scenario: r[1].text(),
                mode: super::rows::mode_of(&r[2].text()),
                score: r[3].int().clamp(0, 100) as u32,
                finished: r[4].int() != 0,
                at: r[5].int(),
                stages: stages.remove(&r[0].int()).unwrap_or_default(),
            })
            .collect())
    }

    /// For `verify`: every assignment's signature (and its withdrawal's) is its trusted manager's.
    pub(super) fn check_assignments(
        &mut self,
        accounts: &[Account],
        standing: &HashMap<String, Standing>,
        problems: &mut Vec<Problem>,
    ) -> Result<u64, RecordsError> {
        let rows = self.rows()?;
        for row in &rows {
            let a = &row.assignment;
            let problem = |what: String| Problem { table: "assignments", id: a.id, what };
            let signed = |who: &str, signature: &str, kind: &str, parts: &[String]| {
                accounts
                    .iter()
                    .find(|x| x.username == who)
                    .is_some_and(|x| super::keys::verify(&x.public_key, signature, kind, &refs(parts)))
            };
            if !signed(&a.manager, &row.signature, ASSIGNMENT, &statement(a)) {
                problems.push(problem(format!(
                    "its signature is not its manager's (\"{}\"): the assignment was written or edited behind callforge's back",
                    a.manager
                )));
            } else if !matches!(standing.get(&a.manager), Some(Standing::Trusted(_))) {
                problems.push(problem(format!("set by \"{}\", who is not a trusted manager", a.manager)));
            }
            if let Some(at) = a.cancelled_at
                && !signed(
                    &row.cancelled_by,
                    &row.cancel_signature,
                    WITHDRAWAL,
                    &withdrawal(a.id, at, &row.cancelled_by),
                )
            {
                problems.push(problem(
                    "its withdrawal is not signed by a manager: it was withdrawn behind callforge's back".into(),
                ));
            }
        }
        // A row deleted outright leaves no signature to check; the audit trail still names it.
        let ids: std::collections::HashSet<i64> = rows.iter().map(|r| r.assignment.id).collect();
        for e in self.audit_since(None)?.into_iter().filter(|e| e.action == "assignment.add") {
            let id =
                e.detail.strip_prefix("assignment ").and_then(|d| d.split(':').next()).and_then(|n| n.parse().ok());
            if let Some(id) = id.filter(|id| !ids.contains(id)) {
                problems.push(Problem {
                    table: "assignments",
                    id,
                    what: format!(
                        "{} set it at {} (the audit trail says so), and it is gone: it was deleted behind callforge's back",
                        e.actor,
                        format_time(e.at)
                    ),
                });
            }
        }
        Ok(rows.len() as u64)
    }
}

/// ", at least 80" or nothing.
fn min_text(min: Option<u32>) -> String {
    min.map(|m| format!(", at least {m}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_covers_every_column_that_says_what_is_asked() {
        let a = Assignment {
            id: 4,
            assignee: Assignee::Role(Role::Closer),
            task: Task::Drills { stage: Some("price".into()), count: 3 },
            due: 99,
            min_score: Some(80),
            note: "before Friday".into(),
            created_at: 10,
            manager: "boss".into(),
            cancelled_at: None,
        };
        let base = statement(&a);
        let changed = [
            Assignment { id: 5, ..a.clone() },
            Assignment { assignee: Assignee::Role(Role::Generator), ..a.clone() },
            Assignment { task: Task::Drills { stage: None, count: 3 }, ..a.clone() },
            Assignment { task: Task::Drills { stage: Some("price".into()), count: 2 }, ..a.clone() },
            Assignment { due: 100, ..a.clone() },
            Assignment { min_score: None, ..a.clone() },
            Assignment { note: String::new(), ..a.clone() },
            Assignment { created_at: 11, ..a.clone() },
            Assignment { manager: "other".into(), ..a.clone() },
        ];
        for c in changed {
            assert_ne!(statement(&c), base, "{c:?}");
        }
        assert_eq!(statement(&Assignment { cancelled_at: Some(50), ..a.clone() }), base);
    }
}
