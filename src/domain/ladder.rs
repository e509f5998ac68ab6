//! Certification rules: what a trainee has shown toward the next rung, and whether they may be promoted.
//!
//! Pure rules over facts: the records layer gathers the trainee's runs, this decides. An exam is
//! listed in the trainee's language, and a pass in any language counts (see [`exam_slots`]).

use super::feedback::Lang;
use super::library::Library;
use super::model::{Exam, Ladder, Mode, Role, Rung};
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
    /// The scenario played: the exam's own, or its counterpart in another language.
    pub scenario: String,
    pub score: u32,
    pub counted: bool,
    pub why: String,
}

/// Where a trainee stands on one place of an exam.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamStatus {
    /// The exam scenario in the trainee's language (the ladder's own when it has none there).
    pub scenario: String,
    /// The other scenarios whose runs count for this place: the same exam in other languages.
    pub counterparts: Vec<String>,
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
    /// Every run of the place's scenarios in the exam's mode, oldest first, with why it counts or not.
    pub history: Vec<Attempt>,
}

impl ExamStatus {
    /// Whether a run of `scenario` counts for this place (it is the exam or a counterpart).
    pub fn covers(&self, scenario: &str) -> bool {
        self.scenario == scenario || self.counterparts.iter().any(|c| c == scenario)
    }
}

/// Something a trainee still needs for the next rung; [`Need::text`] says it in a language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Need {
    /// There is no rung above `role`.
    TopOfLadder { role: Role },
    /// More finished practice runs in the current role.
    Practice { role: Role, have: u32, need: u32 },
    /// The exam scenario is not playable in the library.
    ExamMissing { scenario: String },
    /// A pass of the exam scenario; `locked` while a failed attempt's cooldown runs.
    Exam { scenario: String, mode: Mode, min_score: u32, locked: bool },
}

impl Need {
    /// What is needed, in words of `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Need::TopOfLadder { role }, Lang::En) => format!("{role} is the top of the ladder"),
            (Need::TopOfLadder { role }, Lang::Ru) => {
                format!("«{}» — верхняя ступень лестницы", lang.role_name(*role))
            }
            (Need::Practice { role, have, need }, Lang::En) => {
                format!("{} more practice run(s) as {role} ({have} of {need})", need.saturating_sub(*have))
            }
            (Need::Practice { role, have, need }, Lang::Ru) => format!(
                "тренировочные звонки в роли «{}»: ещё {} (сделано {have} из {need})",
                lang.role_name(*role),
                need.saturating_sub(*have)
            ),
            (Need::ExamMissing { scenario }, Lang::En) => {
                format!("exam scenario {scenario} is missing or broken in the library")
            }
            (Need::ExamMissing { scenario }, Lang::Ru) => {
                format!("экзаменационного сценария {scenario} нет в библиотеке, или в нём ошибки")
            }
            (Need::Exam { scenario, mode, min_score, locked }, Lang::En) => {
                let how = format!("{mode} mode, score ≥ {min_score}, no critical error");
                if *locked {
                    format!("pass the exam {scenario} ({how}); locked by a cooldown after a failed attempt")
                } else {
                    format!("pass the exam {scenario} ({how})")
                }
            }
            (Need::Exam { scenario, mode, min_score, locked }, Lang::Ru) => {
                let how =
                    format!("режим «{}», балл не ниже {min_score}, без критических ошибок", lang.mode_name(*mode));
                if *locked {
                    format!("сдать экзамен {scenario} ({how}); закрыт на паузу после неудачной попытки")
                } else {
                    format!("сдать экзамен {scenario} ({how})")
                }
            }
        }
    }
}

/// A trainee's progress toward the next rung.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eligibility {
    pub role: Role,
    /// The next rung, if there is one.
    pub next: Option<Role>,
    pub next_title: Option<String>,
    /// The language the exams are listed in (the trainee's).
    pub language: String,
    /// Finished runs of the current role's scenarios, in any language.
    pub practice_runs: u32,
    pub practice_needed: u32,
    /// One per place of the next rung's exam, in the trainee's language.
    pub exams: Vec<ExamStatus>,
    /// Everything but a manager's approval is there.
    pub eligible: bool,
    /// What is missing, in English words (`needs` says it in any language).
    pub missing: Vec<String>,
    /// What is missing.
    pub needs: Vec<Need>,
}

impl Eligibility {
    /// What is missing, in words of `lang`.
    pub fn missing_in(&self, lang: Lang) -> Vec<String> {
        self.needs.iter().map(|n| n.text(lang)).collect()
    }
}

/// One place of an exam: the scenario a trainee of one language takes there, and every scenario
/// whose runs count for it (the same exam in every language: they are equally hard).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamSlot {
    /// The scenario the ladder's `scenarios` lists here.
    pub listed: String,
    /// The scenario taken in the language asked for: the one the exam's `languages` names, else
    /// the listed one or its partner in that language, else (no exam in that language) the listed
    /// one.
    pub scenario: String,
    /// Whether `scenario` is in the language asked for.
    pub in_language: bool,
    /// Every scenario whose runs count here, `scenario` first: the listed one, those the
    /// `languages` lists name for this place, and the partners of all of them.
    pub counts: Vec<String>,
}

/// The places of `exam` for a trainee of `language`.
pub fn exam_slots(exam: &Exam, lib: &Library, language: &str) -> Vec<ExamSlot> {
    let language_of = |id: &str| lib.scenario(id).map(|p| p.scenario.language.clone());
    exam.scenarios
        .iter()
        .enumerate()
        .map(|(j, listed)| {
            let named = exam.languages.get(language).and_then(|l| l.get(j)).filter(|id| lib.scenario(id).is_some());
            let taken = named.cloned().or_else(|| lib.in_language(listed, language).map(|p| p.id().to_owned()));
            let in_language = taken.as_deref().and_then(language_of).is_some_and(|l| l == language);
            let scenario = taken.unwrap_or_else(|| listed.clone());
            let mut counts = vec![scenario.clone()];
            let stands_for = std::iter::once(listed).chain(exam.languages.values().filter_map(|l| l.get(j)));
            for id in stands_for {
                let partner = lib.scenario(id).and_then(|p| p.scenario.partner.clone());
                for id in std::iter::once(id.clone()).chain(partner) {
                    if !counts.contains(&id) {
                        counts.push(id);
                    }
                }
            }
            ExamSlot { listed: listed.clone(), scenario, in_language, counts }
        })
        .collect()
}

/// The exam scenarios for reaching the rung of `role`, as a trainee of `language` takes them (see
/// [`exam_slots`]); empty when that rung has no exam.
pub fn exam_scenarios(ladder: &Ladder, lib: &Library, role: Role, language: &str) -> Vec<String> {
    ladder
        .rungs
        .iter()
        .find(|r| r.role == role)
        .and_then(|r| r.exam.as_ref())
        .map(|e| exam_slots(e, lib, language).into_iter().map(|s| s.scenario).collect())
        .unwrap_or_default()
}

/// The rung whose exam counts a run of `scenario` (in any language), and the place in it.
pub fn exam_of<'a>(ladder: &'a Ladder, lib: &Library, scenario: &str) -> Option<(&'a Rung, usize)> {
    ladder.rungs.iter().find_map(|rung| {
        let exam = rung.exam.as_ref()?;
        let j = exam_slots(exam, lib, "").iter().position(|s| s.counts.iter().any(|c| c == scenario))?;
        Some((rung, j))
    })
}

/// The language a trainee takes exams in: the one set on their profile, else that of their most
/// recent run of a scenario the library has, else English.
pub fn trainee_language(set: &str, runs: &[RunFact], lib: &Library) -> String {
    if !set.trim().is_empty() {
        return set.trim().to_owned();
    }
    runs.iter()
        .enumerate()
        .filter_map(|(i, r)| lib.scenario(&r.scenario).map(|p| ((r.at, i), &p.scenario.language)))
        .max_by_key(|(key, _)| *key)
        .map_or_else(|| "en".to_owned(), |(_, l)| l.clone())
}

/// Works out a trainee's eligibility for the rung above `role` at time `now`, with the exams listed
/// in `language` (the trainee's: see [`trainee_language`]).
///
/// Practice runs of the role's scenarios count in any language. Each place of the exam is passed by
/// a run of its scenario in any language (see [`exam_slots`]), so a trainee who changes language
/// keeps their passes. Exam runs count only in the exam's mode and only while the scenario's
/// version and content hash still match the current file. A failed attempt locks that place for
/// the exam's cooldown, in every language; attempts made during a lock do not count.
pub fn eligibility(
    ladder: &Ladder,
    lib: &Library,
    role: Role,
    language: &str,
    runs: &[RunFact],
    now: i64,
) -> Eligibility {
    // A drill is one line, not a call: it trains a stage but is no practice run.
    let practice_runs = runs.iter().filter(|r| r.role == role && r.finished && r.mode != Mode::Drill).count() as u32;
    let position = ladder.rungs.iter().position(|r| r.role == role);
    let next = position.and_then(|p| ladder.rungs.get(p + 1));
    let Some(next) = next else {
        let needs = vec![Need::TopOfLadder { role }];
        return Eligibility {
            role,
            next: None,
            next_title: None,
            language: language.to_owned(),
            practice_runs,
            practice_needed: 0,
            exams: Vec::new(),
            eligible: false,
            missing: needs.iter().map(|n| n.text(Lang::En)).collect(),
            needs,
        };
    };
    let mut needs = Vec::new();
    let mut exams = Vec::new();
    let practice_needed = next.exam.as_ref().map_or(0, |e| e.practice_runs);
    if practice_runs < practice_needed {
        needs.push(Need::Practice { role, have: practice_runs, need: practice_needed });
    }
    if let Some(exam) = &next.exam {
        let mut ordered: Vec<&RunFact> = runs.iter().collect();
        ordered.sort_by_key(|r| r.at);
        for slot in exam_slots(exam, lib, language) {
            let (status, need) = exam_status(exam, lib, &slot, &ordered, now);
            needs.extend(need);
            exams.push(status);
        }
    }
    Eligibility {
        role,
        next: Some(next.role),
        next_title: Some(next.title.clone()),
        language: language.to_owned(),
        practice_runs,
        practice_needed,
        exams,
        eligible: needs.is_empty(),
        missing: needs.iter().map(|n| n.text(Lang::En)).collect(),
        needs,
    }
}

/// Where a trainee stands on one place of an exam, over their runs oldest first, and what they
/// still need there.
fn exam_status(
    exam: &Exam,
    lib: &Library,
    slot: &ExamSlot,
    ordered: &[&RunFact],
    now: i64,
) -> (ExamStatus, Option<Need>) {
    let id = &slot.scenario;
    let mut status = ExamStatus {
        scenario: id.clone(),
        counterparts: slot.counts.iter().filter(|c| *c != id).cloned().collect(),
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
    for r in ordered.iter().filter(|r| slot.counts.contains(&r.scenario)) {
        if r.mode != exam.mode {
            continue; // a practice of the exam scenario: not an attempt
        }
        let skip = |why: String, status: &mut ExamStatus| {
            status.not_counted.push(format!("{why} (score {})", r.score));
            status.history.push(Attempt {
                at: r.at,
                scenario: r.scenario.clone(),
                score: r.score,
                counted: false,
                why,
            });
        };
        if r.sitting == Sitting::NoTicket {
            skip("no proctor ticket: it counts as practice".into(), &mut status);
            continue;
        }
        let current = lib.scenario(&r.scenario);
        let up_to_date = current.is_some_and(|p| p.scenario.version == r.version && p.hash() == r.hash);
        if !up_to_date {
            skip(format!("a run of an older version of {}", r.scenario), &mut status);
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
        let scenario = r.scenario.clone();
        status.history.push(Attempt { at: r.at, scenario, score: r.score, counted: true, why });
    }
    if status.passed {
        return (status, None);
    }
    status.locked_until = locked_until.filter(|u| *u > now);
    let need = if lib.scenario(id).is_none() {
        Need::ExamMissing { scenario: id.clone() }
    } else {
        Need::Exam {
            scenario: id.clone(),
            mode: exam.mode,
            min_score: exam.min_score,
            locked: status.locked_until.is_some(),
        }
    };
    (status, Some(need))
}

/// Whether an exam attempt of `scenario` may be started now (not locked by a cooldown): the lock
/// of its place holds for its counterparts in other languages too.
pub fn exam_open(e: &Eligibility, scenario: &str) -> bool {
    e.exams.iter().find(|x| x.covers(scenario)).is_none_or(|x| x.locked_until.is_none())
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
    /// Why, in English words (as stored with the run).
    pub note: String,
    /// Why; [`NoteReason::text`] says it in a language.
    pub reason: NoteReason,
}

/// Why an exam attempt counts or not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum NoteReason {
    /// Sat without a proctor's ticket: practice.
    NoTicket,
    /// Sat while a failed attempt's cooldown ran, until then.
    Cooldown {
        until: i64,
    },
    /// An exam for a rung that is not the trainee's next.
    NotNextRung {
        to: Role,
    },
    Passed {
        score: u32,
        min_score: u32,
    },
    Failed {
        cooldown_hours: u32,
    },
}

impl NoteReason {
    /// The reason in words of `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (NoteReason::NoTicket, Lang::En) => {
                "no proctor ticket: it counts as practice (a proctor opens an exam with a ticket)".to_owned()
            }
            (NoteReason::NoTicket, Lang::Ru) => {
                "без билета экзаменатора: засчитано как тренировка (экзамен открывает экзаменатор, выписав билет)"
                    .to_owned()
            }
            (NoteReason::Cooldown { until }, Lang::En) => {
                format!("played during the cooldown, before {}", format_time(*until))
            }
            (NoteReason::Cooldown { until }, Lang::Ru) => {
                format!("сыграно во время паузы после неудачной попытки, до {}", format_time(*until))
            }
            (NoteReason::NotNextRung { to }, Lang::En) => format!("an exam for {to}, not the trainee's next rung"),
            (NoteReason::NotNextRung { to }, Lang::Ru) => {
                format!("экзамен на ступень «{}», а она не следующая для стажёра", lang.role_name(*to))
            }
            (NoteReason::Passed { score, min_score }, Lang::En) => {
                format!("passed: {score} ≥ {min_score} with no critical error")
            }
            (NoteReason::Passed { score, min_score }, Lang::Ru) => {
                format!("сдано: {score} ≥ {min_score}, без критических ошибок")
            }
            (NoteReason::Failed { cooldown_hours }, Lang::En) => {
                format!("failed: locks this exam for {cooldown_hours} hours")
            }
            (NoteReason::Failed { cooldown_hours }, Lang::Ru) => {
                format!("не сдано: экзамен закрыт на {cooldown_hours} ч.")
            }
        }
    }
}

/// Whether a run of `playable` (`fact`: its mode, when the records received it and how it was
/// sat), scored `score` by a trainee at `role`, is an exam attempt, and whether it counts given
/// the trainee's `earlier` runs. A run of an exam's counterpart in another language is an attempt
/// at the same place. `None` when the library has no ladder, the scenario is no exam in any
/// language, or the run is not in the exam's mode.
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
    let (rung, _) = exam_of(ladder, lib, playable.id())?;
    let exam = rung.exam.as_ref()?;
    if mode != exam.mode {
        return None;
    }
    let passed = score.score >= exam.min_score && score.critical.is_empty();
    let before = eligibility(ladder, lib, role, &playable.scenario.language, earlier, at);
    let locked = before.exams.iter().find(|x| x.covers(playable.id())).and_then(|x| x.locked_until);
    let for_next = next_role(ladder, role) == Some(rung.role);
    let (counted, reason) = match locked {
        _ if fact.sitting == Sitting::NoTicket => (false, NoteReason::NoTicket),
        Some(until) if for_next => (false, NoteReason::Cooldown { until }),
        _ if !for_next => (false, NoteReason::NotNextRung { to: rung.role }),
        _ if passed => (true, NoteReason::Passed { score: score.score, min_score: exam.min_score }),
        _ => (true, NoteReason::Failed { cooldown_hours: exam.cooldown_hours }),
    };
    Some(ExamNote {
        scenario: playable.id().to_owned(),
        to_role: rung.role,
        passed,
        counted,
        note: reason.text(Lang::En),
        reason,
    })
}
