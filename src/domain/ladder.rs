//! Certification rules: what a trainee has shown toward the next rung, and whether they may be promoted.
//!
//! Pure rules over facts: the records layer gathers the trainee's runs, this decides.

use super::library::Library;
use super::model::{Ladder, Mode, Role};
use super::time::format_time;
use super::{Playable, Score};
use serde::Serialize;

/// What the rules need to know of one stored run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunFact {
    pub scenario: String,
    pub role: Role,
    pub mode: Mode,
    pub score: u32,
    pub critical: bool,
    /// The call ended at an `End` (the trainee did not hang up).
    pub finished: bool,
    pub version: u32,
    pub hash: String,
    /// When the records received the run, in seconds since the Unix epoch (never the time a run
    /// file claims: cooldowns run on this).
    pub at: i64,
    /// How an attempt was sat: only a proctored one is an exam attempt.
    pub sitting: Sitting,
}

/// How a run was sat, for the exam rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sitting {
    /// With a proctor's valid ticket.
    Ticket,
    /// Recorded before proctor tickets existed: it counts as it did then.
    BeforeTickets,
    /// Without a ticket: whatever its mode, it counts as practice.
    NoTicket,
}

/// One exam attempt of a scenario, and why it counts or not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    /// When the records received it.
    pub at: i64,
    pub score: u32,
    pub counted: bool,
    pub why: String,
}

/// Where a trainee stands on one exam scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamStatus {
    pub scenario: String,
    pub mode: Mode,
    pub min_score: u32,
    pub passed: bool,
    /// Best score among the runs that count.
    pub best: Option<u32>,
    /// Runs that count: in the exam's mode, of the current version, outside a cooldown.
    pub attempts: u32,
    /// Runs that do not count, and why (wrong mode, changed scenario, during a cooldown).
    pub not_counted: Vec<String>,
    /// While a failed attempt locks the exam: until when (seconds since the epoch).
    pub locked_until: Option<i64>,
    /// Every run of the scenario in the exam's mode, oldest first, with why it counts or not.
    pub history: Vec<Attempt>,
}

/// A trainee's progress toward the next rung.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eligibility {
    pub role: Role,
    /// The next rung, if there is one.
    pub next: Option<Role>,
    pub next_title: Option<String>,
    /// Finished runs of the current role's scenarios.
    pub practice_runs: u32,
    pub practice_needed: u32,
    pub exams: Vec<ExamStatus>,
    /// Everything but a manager's approval is there.
    pub eligible: bool,
    /// What is missing, in words.
    pub missing: Vec<String>,
}

/// Works out a trainee's eligibility for the rung above `role` at time `now`.
///
/// Exam runs count only in the exam's mode and only while the scenario's version and content hash
/// still match the current file. A failed attempt locks that scenario's exam for the exam's
/// cooldown; attempts made during a lock do not count.
pub fn eligibility(ladder: &Ladder, lib: &Library, role: Role, runs: &[RunFact], now: i64) -> Eligibility {
    let practice_runs = runs.iter().filter(|r| r.role == role && r.finished).count() as u32;
    let position = ladder.rungs.iter().position(|r| r.role == role);
    let next = position.and_then(|p| ladder.rungs.get(p + 1));
    let Some(next) = next else {
        return Eligibility {
            role,
            next: None,
            next_title: None,
            practice_runs,
            practice_needed: 0,
            exams: Vec::new(),
            eligible: false,
            missing: vec![format!("{role} is the top of the ladder")],
        };
    };
    let mut missing = Vec::new();
    let mut exams = Vec::new();
    let practice_needed = next.exam.as_ref().map_or(0, |e| e.practice_runs);
    if practice_runs < practice_needed {
        missing.push(format!(
            "{} more practice run(s) as {role} ({practice_runs} of {practice_needed})",
            practice_needed - practice_runs
        ));
    }
    if let Some(exam) = &next.exam {
        let mut ordered: Vec<&RunFact> = runs.iter().collect();
        ordered.sort_by_key(|r| r.at);
        for id in &exam.scenarios {
            let current = lib.scenario(id);
            let mut status = ExamStatus {
                scenario: id.clone(),
                mode: exam.mode,
                min_score: exam.min_score,
                passed: false,
                best: None,
                attempts: 0,
                not_counted: Vec::new(),
                locked_until: None,
                history: Vec::new(),
            };
            let mut locked_until: Option<i64> = None;
            for r in ordered.iter().filter(|r| &r.scenario == id) {
                if r.mode != exam.mode {
                    continue; // a practice of the exam scenario: not an attempt
                }
                let skip = |why: String, status: &mut ExamStatus| {
                    status.not_counted.push(format!("{why} (score {})", r.score));
                    status.history.push(Attempt { at: r.at, score: r.score, counted: false, why });
                };
                if r.sitting == Sitting::NoTicket {
                    skip("no proctor ticket: it counts as practice".into(), &mut status);
                    continue;
                }
                let up_to_date = current.is_some_and(|p| p.scenario.version == r.version && p.hash() == r.hash);
                if !up_to_date {
                    skip(format!("a run of an older version of {id}"), &mut status);
                    continue;
                }
                if let Some(until) = locked_until.filter(|u| r.at < *u) {
                    skip(format!("a run during the cooldown before {}", format_time(until)), &mut status);
                    continue;
                }
                status.attempts += 1;
                status.best = Some(status.best.map_or(r.score, |b| b.max(r.score)));
                let proctored = match r.sitting {
                    Sitting::BeforeTickets => "recorded before proctor tickets",
                    _ => "proctored",
                };
                let why = if r.score >= exam.min_score && !r.critical {
                    status.passed = true;
                    format!("passed ({proctored}): {} ≥ {} with no critical error", r.score, exam.min_score)
                } else {
                    if !status.passed {
                        locked_until = Some(r.at + i64::from(exam.cooldown_hours) * 3600);
                    }
                    format!("failed ({proctored}): locks this exam for {} hours", exam.cooldown_hours)
                };
                status.history.push(Attempt { at: r.at, score: r.score, counted: true, why });
            }
            if !status.passed {
                status.locked_until = locked_until.filter(|u| *u > now);
                let how = format!("{} mode, score ≥ {}, no critical error", exam.mode, exam.min_score);
                missing.push(match (current, status.locked_until) {
                    (None, _) => format!("exam scenario {id} is missing or broken in the library"),
                    (Some(_), Some(_)) => {
                        format!("pass the exam {id} ({how}); locked by a cooldown after a failed attempt")
                    }
                    (Some(_), None) => format!("pass the exam {id} ({how})"),
                });
            }
            exams.push(status);
        }
    }
    Eligibility {
        role,
        next: Some(next.role),
        next_title: Some(next.title.clone()),
        practice_runs,
        practice_needed,
        exams,
        eligible: missing.is_empty(),
        missing,
    }
}

/// Whether an exam attempt of `scenario` may be started now (not locked by a cooldown).
pub fn exam_open(e: &Eligibility, scenario: &str) -> bool {
    e.exams.iter().find(|x| x.scenario == scenario).is_none_or(|x| x.locked_until.is_none())
}

/// The role one rung above `role`, if any.
pub fn next_role(ladder: &Ladder, role: Role) -> Option<Role> {
    let p = ladder.rungs.iter().position(|r| r.role == role)?;
    ladder.rungs.get(p + 1).map(|r| r.role)
}

/// The role one rung below `role`, if any.
pub fn previous_role(ladder: &Ladder, role: Role) -> Option<Role> {
    let p = ladder.rungs.iter().position(|r| r.role == role)?;
    p.checked_sub(1).and_then(|q| ladder.rungs.get(q)).map(|r| r.role)
}

/// An exam attempt as recorded: which exam a run was for, and whether it counts and passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamNote {
    pub scenario: String,
    pub to_role: Role,
    pub passed: bool,
    pub counted: bool,
    pub note: String,
}

/// Whether a run of `playable` (`fact`: its mode, when the records received it and how it was
/// sat), scored `score` by a trainee at `role`, is an exam attempt, and whether it counts given
/// the trainee's `earlier` runs. `None` when the library has no ladder, the scenario is no exam,
/// or the run is not in the exam's mode.
pub fn exam_note(
    lib: &Library,
    role: Role,
    playable: &Playable,
    score: &Score,
    fact: &RunFact,
    earlier: &[RunFact],
) -> Option<ExamNote> {
    let (mode, at) = (fact.mode, fact.at);
    let ladder = lib.ladder.as_ref()?;
    let rung = ladder
        .rungs
        .iter()
        .find(|r| r.exam.as_ref().is_some_and(|e| e.scenarios.iter().any(|x| x == playable.id())))?;
    let exam = rung.exam.as_ref()?;
    if mode != exam.mode {
        return None;
    }
    let passed = score.score >= exam.min_score && score.critical.is_empty();
    let before = eligibility(ladder, lib, role, earlier, at);
    let locked = before.exams.iter().find(|x| x.scenario == playable.id()).and_then(|x| x.locked_until);
    let for_next = next_role(ladder, role) == Some(rung.role);
    let (counted, note) = match locked {
        _ if fact.sitting == Sitting::NoTicket => {
            (false, "no proctor ticket: it counts as practice (a proctor opens an exam with a ticket)".to_owned())
        }
        Some(until) if for_next => (false, format!("played during the cooldown, before {}", format_time(until))),
        _ if !for_next => (false, format!("an exam for {}, not the trainee's next rung", rung.role)),
        _ if passed => (true, format!("passed: {} ≥ {} with no critical error", score.score, exam.min_score)),
        _ => (true, format!("failed: locks this exam for {} hours", exam.cooldown_hours)),
    };
    Some(ExamNote { scenario: playable.id().to_owned(), to_role: rung.role, passed, counted, note })
}
