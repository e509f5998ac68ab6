//! Assignments: work a manager sets a trainee or a whole role (a scenario to call, or drill answers to give) by a due date, with an optional minimum score, and whether the trainee's runs have met it.
//!
//! Pure rules over values: which trainees an assignment is for, which runs count toward it and
//! its state (done, open or overdue) at a given time. The records store assignments and hand the
//! runs in; nothing here reads the clock.

use super::feedback::Lang;
use super::library::Library;
use super::model::{Mode, Role};
use serde::Serialize;

/// Drill answers one assignment may ask for, at most.
pub const MAX_DRILLS: u32 = 50;

/// What is to be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Task {
    /// Call a scenario (or its partner in the other language) to the end, in `mode` or a harder
    /// one: Practice < Exam < Recall.
    Call { scenario: String, mode: Mode },
    /// Give `count` drill answers, on one stage or on any.
    Drills { stage: Option<String>, count: u32 },
}

impl Task {
    /// The kind as stored: `call` or `drills`.
    pub fn kind(&self) -> &'static str {
        match self {
            Task::Call { .. } => "call",
            Task::Drills { .. } => "drills",
        }
    }

    /// The task in words, in English, for tables and the audit trail: `call warm-lead-price
    /// (Recall)`, `3 drill answers on greeting`.
    pub fn describe(&self) -> String {
        match self {
            Task::Call { scenario, mode } => format!("call {scenario} ({mode})"),
            Task::Drills { stage, count } => {
                let answers = if *count == 1 { "1 drill answer".to_owned() } else { format!("{count} drill answers") };
                match stage {
                    Some(s) => format!("{answers} on {s}"),
                    None => answers,
                }
            }
        }
    }
}

impl Task {
    /// The task in the trainee's or manager's language, with the scenario's title when the
    /// caller knows it (`title`): «Call "Busy office manager" in Recall», «3 drill answers on
    /// stage price».
    pub fn describe_in(&self, lang: Lang, title: Option<&str>) -> String {
        // A title in quotes of its own («Where did you get my number?») is not quoted again.
        let quoted = |t: &str| {
            if t.starts_with('«') || t.starts_with('"') { t.to_owned() } else { format!("«{t}»") }
        };
        match (self, lang) {
            (Task::Call { scenario, mode }, Lang::En) => {
                format!("Call {} in {}", quoted(title.unwrap_or(scenario)), lang.mode_name(*mode))
            }
            (Task::Call { scenario, mode }, Lang::Ru) => {
                format!("Звонок {}, режим «{}»", quoted(title.unwrap_or(scenario)), lang.mode_name(*mode))
            }
            (Task::Drills { stage, count }, Lang::En) => {
                let answers = if *count == 1 { "1 drill answer".to_owned() } else { format!("{count} drill answers") };
                match stage {
                    Some(s) => format!("{answers} on stage «{s}»"),
                    None => format!("{answers}, any stage"),
                }
            }
            (Task::Drills { stage, count }, Lang::Ru) => match stage {
                Some(s) => format!("Упражнения: {count}, этап «{s}»"),
                None => format!("Упражнения: {count}, любой этап"),
            },
        }
    }
}

/// Who it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Assignee {
    /// One trainee, by id.
    Trainee(i64),
    /// Everyone on a rung, including those who reach it before the due date.
    Role(Role),
}

/// One assignment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub id: i64,
    pub assignee: Assignee,
    pub task: Task,
    /// Seconds since the epoch: the end of the due day, or the time the manager gave.
    pub due: i64,
    /// The score a run must reach to count (0–100); `None`: any run to the end counts.
    pub min_score: Option<u32>,
    /// The manager's words to the trainee.
    pub note: String,
    pub created_at: i64,
    /// The manager who set it.
    pub manager: String,
    /// When a manager withdrew it, if one did.
    pub cancelled_at: Option<i64>,
}

/// A stored run, as far as assignments need it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Work {
    pub run: i64,
    pub scenario: String,
    pub mode: Mode,
    pub score: u32,
    /// The call ended at an `End` (the trainee did not hang up).
    pub finished: bool,
    /// When the records received it (never the time a run file claims).
    pub at: i64,
    /// The stages it scored (a drill answer's one stage).
    pub stages: Vec<String>,
}

/// Where an assignment stands for one trainee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Past its due date and not met.
    Overdue,
    /// Not met yet, and not due yet.
    Open,
    /// Met (perhaps after its due date: see [`Progress::late`]).
    Done,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Overdue => "overdue",
            State::Open => "open",
            State::Done => "done",
        }
    }

    /// The state in words; a late completion says so.
    pub fn name_in(self, lang: Lang, late: bool) -> &'static str {
        match (lang, self, late) {
            (Lang::En, State::Overdue, _) => "overdue",
            (Lang::En, State::Open, _) => "open",
            (Lang::En, State::Done, false) => "done",
            (Lang::En, State::Done, true) => "done late",
            (Lang::Ru, State::Overdue, _) => "просрочено",
            (Lang::Ru, State::Open, _) => "открыто",
            (Lang::Ru, State::Done, false) => "выполнено",
            (Lang::Ru, State::Done, true) => "выполнено с опозданием",
        }
    }
}

/// An assignment's state for one trainee, and the runs behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub state: State,
    /// When it was met: the time of the run that completed it.
    pub done_at: Option<i64>,
    /// The run that completed it.
    pub run: Option<i64>,
    /// Met after its due date.
    pub late: bool,
    /// Runs that count toward it so far, and how many it needs (1 for a call).
    pub counted: u32,
    pub needed: u32,
    /// Runs of the task since it was set, counting or not.
    pub attempts: u32,
    /// The best score among them.
    pub best: Option<u32>,
}

/// How hard a mode is, for "this mode or a harder one": Practice < Exam < Recall.
fn rank(mode: Mode) -> Option<u8> {
    match mode {
        Mode::Practice => Some(0),
        Mode::Exam => Some(1),
        Mode::Recall => Some(2),
        Mode::Drill => None,
    }
}

/// Whether two scenario ids name the same exercise: the same scenario, or partners in two
/// languages (a Russian-speaking trainee meets an English assignment in Russian).
pub fn same_scenario(lib: &Library, a: &str, b: &str) -> bool {
    a == b || lib.partner_of(a).is_some_and(|p| p.id() == b) || lib.partner_of(b).is_some_and(|p| p.id() == a)
}

/// Every scenario id [`same_scenario`] as `scenario`: itself and its partners, worked out once.
pub fn equivalents(lib: &Library, scenario: &str) -> Vec<String> {
    let mut out = vec![scenario.to_owned()];
    out.extend(
        lib.playable()
            .map(|p| p.id())
            .filter(|id| *id != scenario && same_scenario(lib, scenario, id))
            .map(str::to_owned),
    );
    out
}

/// The scenario of a call task as a trainee in `language` plays it: the scenario itself, or its
/// partner in that language; `None` when neither is in the library.
pub fn scenario_in<'a>(
    lib: &'a Library,
    scenario: &str,
    language: &str,
) -> Option<&'a std::sync::Arc<super::Playable>> {
    let own = lib.scenario(scenario);
    match own {
        Some(p) if p.scenario.language == language => Some(p),
        _ => lib.partner_of(scenario).filter(|p| p.scenario.language == language).or(own),
    }
}

impl Assignment {
    /// Whether it is for a trainee with this id, on this rung since `rung_since` (when they were
    /// added or last moved on the ladder). A role's assignment is for those on the rung, unless
    /// they reached it after it was due.
    pub fn is_for(&self, trainee: i64, role: Role, rung_since: i64) -> bool {
        self.cancelled_at.is_none()
            && match self.assignee {
                Assignee::Trainee(id) => id == trainee,
                Assignee::Role(r) => r == role && rung_since <= self.due,
            }
    }

    /// Whether a run is of this task (whatever its score); `same` are the scenario ids a call
    /// task is met by (see [`equivalents`]).
    fn attempted_by(&self, w: &Work, same: &[String]) -> bool {
        match &self.task {
            Task::Call { mode, .. } => {
                w.mode != Mode::Drill && rank(w.mode) >= rank(*mode) && same.contains(&w.scenario)
            }
            Task::Drills { stage, .. } => {
                w.mode == Mode::Drill && stage.as_ref().is_none_or(|s| w.stages.iter().any(|x| x == s))
            }
        }
    }

    /// Whether an attempt counts: a call must reach its end, and any run the minimum score.
    fn counts(&self, w: &Work) -> bool {
        let finished = matches!(self.task, Task::Drills { .. }) || w.finished;
        finished && self.min_score.is_none_or(|m| w.score >= m)
    }

    /// How many counting runs it needs.
    pub fn needed(&self) -> u32 {
        match self.task {
            Task::Call { .. } => 1,
            Task::Drills { count, .. } => count.max(1),
        }
    }

    /// Where it stands at `now` for a trainee whose runs are `work` (any order): only runs the
    /// records received after it was set count.
    pub fn progress(&self, work: &[Work], lib: &Library, now: i64) -> Progress {
        let same = match &self.task {
            Task::Call { scenario, .. } => equivalents(lib, scenario),
            Task::Drills { .. } => Vec::new(),
        };
        let mut runs: Vec<&Work> =
            work.iter().filter(|w| w.at >= self.created_at && self.attempted_by(w, &same)).collect();
        runs.sort_by_key(|w| (w.at, w.run));
        let needed = self.needed();
        let mut counted = 0;
        let mut done: Option<&Work> = None;
        for w in &runs {
            if self.counts(w) {
                counted += 1;
                if counted == needed && done.is_none() {
                    done = Some(w);
                }
            }
        }
        let state = match done {
            Some(_) => State::Done,
            None if now > self.due => State::Overdue,
            None => State::Open,
        };
        Progress {
            state,
            done_at: done.map(|w| w.at),
            run: done.map(|w| w.run),
            late: done.is_some_and(|w| w.at > self.due),
            counted: counted.min(needed),
            needed,
            attempts: runs.len() as u32,
            best: runs.iter().map(|w| w.score).max(),
        }
    }
}

/// Open and overdue first (the soonest due first), then done ones, newest first.
pub fn order(items: &mut [(Assignment, Progress)]) {
    items.sort_by(|(a, pa), (b, pb)| {
        let done = |p: &Progress| p.state == State::Done;
        done(pa)
            .cmp(&done(pb))
            .then_with(|| if done(pa) { pb.done_at.cmp(&pa.done_at) } else { a.due.cmp(&b.due) }.then(a.id.cmp(&b.id)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(min: Option<u32>) -> Assignment {
        Assignment {
            id: 1,
            assignee: Assignee::Trainee(7),
            task: Task::Call { scenario: "generator/a".into(), mode: Mode::Practice },
            due: 1_000,
            min_score: min,
            note: String::new(),
            created_at: 100,
            manager: "boss".into(),
            cancelled_at: None,
        }
    }

    fn run(id: i64, scenario: &str, mode: Mode, score: u32, at: i64) -> Work {
        Work { run: id, scenario: scenario.into(), mode, score, finished: true, at, stages: vec!["greeting".into()] }
    }

    #[test]
    fn a_call_is_done_by_a_later_run_in_its_mode_or_a_harder_one() {
        let lib = Library::default();
        let a = call(Some(70));
        assert_eq!(a.progress(&[], &lib, 500).state, State::Open);
        assert_eq!(a.progress(&[], &lib, 1_001).state, State::Overdue);
        // Before it was set, another scenario, too low a score, a drill: none counts.
        let work = [
            run(1, "generator/a", Mode::Practice, 90, 50),
            run(2, "generator/b", Mode::Practice, 90, 200),
            run(3, "generator/a", Mode::Practice, 60, 300),
            run(4, "generator/a", Mode::Drill, 100, 310),
        ];
        let p = a.progress(&work, &lib, 500);
        assert_eq!((p.state, p.attempts, p.best), (State::Open, 1, Some(60)));
        let mut more = work.to_vec();
        more.push(run(5, "generator/a", Mode::Recall, 75, 400));
        let p = a.progress(&more, &lib, 2_000);
        assert_eq!((p.state, p.run, p.done_at, p.late), (State::Done, Some(5), Some(400), false));
        // A Recall assignment is not met by a Practice run.
        let mut recall = call(None);
        recall.task = Task::Call { scenario: "generator/a".into(), mode: Mode::Recall };
        assert_eq!(recall.progress(&work, &lib, 500).state, State::Open);
        assert_eq!(recall.progress(&more, &lib, 500).state, State::Done);
    }

    #[test]
    fn a_hung_up_call_does_not_count_and_a_late_one_says_so() {
        let lib = Library::default();
        let a = call(None);
        let mut hung_up = run(1, "generator/a", Mode::Practice, 95, 200);
        hung_up.finished = false;
        assert_eq!(a.progress(&[hung_up.clone()], &lib, 500).state, State::Open);
        let late = run(2, "generator/a", Mode::Practice, 40, 1_500);
        let p = a.progress(&[hung_up, late], &lib, 2_000);
        assert_eq!((p.state, p.late, p.attempts), (State::Done, true, 2));
    }

    #[test]
    fn drills_count_answers_on_their_stage_up_to_the_number_asked() {
        let lib = Library::default();
        let mut a = call(Some(80));
        a.task = Task::Drills { stage: Some("price".into()), count: 2 };
        let price = |id, score, at| {
            let mut w = run(id, "closer/x", Mode::Drill, score, at);
            w.stages = vec!["price".into()];
            w
        };
        let work = vec![price(1, 90, 200), run(2, "closer/x", Mode::Drill, 100, 210), price(3, 50, 220)];
        let p = a.progress(&work, &lib, 500);
        assert_eq!((p.state, p.counted, p.needed, p.attempts), (State::Open, 1, 2, 2));
        let mut more = work.clone();
        more.push(price(4, 85, 230));
        let p = a.progress(&more, &lib, 500);
        assert_eq!((p.state, p.counted, p.run), (State::Done, 2, Some(4)));
        a.task = Task::Drills { stage: None, count: 3 };
        assert_eq!(a.progress(&work, &lib, 500).counted, 2, "any stage, at the minimum score");
    }

    #[test]
    fn a_roles_assignment_is_for_those_on_the_rung_before_it_was_due() {
        let mut a = call(None);
        a.assignee = Assignee::Role(Role::Closer);
        assert!(a.is_for(3, Role::Closer, 900));
        assert!(!a.is_for(3, Role::Closer, 1_001), "reached the rung after it was due");
        assert!(!a.is_for(3, Role::Generator, 0));
        a.cancelled_at = Some(150);
        assert!(!a.is_for(3, Role::Closer, 0), "withdrawn");
        assert!(call(None).is_for(7, Role::AccountManager, 5_000));
        assert!(!call(None).is_for(8, Role::Generator, 0));
    }

    #[test]
    fn open_work_comes_first_the_soonest_due_first() {
        let lib = Library::default();
        let mk = |id, due| Assignment { id, due, ..call(None) };
        let done = run(1, "generator/a", Mode::Practice, 90, 200);
        let mut items: Vec<(Assignment, Progress)> =
            [(mk(1, 900), vec![done]), (mk(2, 5_000), vec![]), (mk(3, 600), vec![])]
                .into_iter()
                .map(|(a, w)| {
                    let p = a.progress(&w, &lib, 700);
                    (a, p)
                })
                .collect();
        order(&mut items);
        let ids: Vec<i64> = items.iter().map(|(a, _)| a.id).collect();
        assert_eq!(ids, [3, 2, 1]);
        assert_eq!(items[0].1.state, State::Overdue);
    }

    #[test]
    fn tasks_describe_themselves() {
        assert_eq!(call(None).task.describe(), "call generator/a (Practice)");
        assert_eq!(Task::Drills { stage: None, count: 1 }.describe(), "1 drill answer");
        assert_eq!(Task::Drills { stage: Some("price".into()), count: 4 }.describe(), "4 drill answers on price");
        let recall = Task::Call { scenario: "closer/x".into(), mode: Mode::Recall };
        assert_eq!(recall.describe_in(Lang::En, Some("Warm lead")), "Call «Warm lead» in Recall");
        assert!(recall.describe_in(Lang::Ru, None).starts_with("Звонок «closer/x», режим «"));
        assert_eq!(Task::Drills { stage: None, count: 2 }.describe_in(Lang::Ru, None), "Упражнения: 2, любой этап");
        assert_eq!(State::Done.name_in(Lang::Ru, true), "выполнено с опозданием");
        assert_eq!(recall.describe_in(Lang::En, Some("«Send it by email»")), "Call «Send it by email» in Recall");
    }
}
