//! The first day of a new hire: four steps (read the script, a guided Practice call, a first Recall of one stage, the first drill), each done or not from what the trainee's runs show.
//!
//! Reading the script leaves no run, so the shell keeps that fact itself and passes it in; the
//! other three steps are read off the trainee's runs. A Recall of one stage is a drill answer (a
//! `Drill`-mode run: one typed line of one stage, scored by the Recall rules), so the first drill
//! is done when there is a drill answer beyond that first one. Pure: the same facts give the same
//! steps on every machine.

use super::library::Library;
use super::model::{Mode, Role};
use super::{drill, ladder::RunFact};
use std::cmp::Reverse;

/// One step of the first day, in the order they are meant to be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// Read the script of the role.
    ReadScript,
    /// A Practice call with the script panel open.
    GuidedCall,
    /// One stage's line typed from memory, scored by the Recall rules.
    StageRecall,
    /// A drill session.
    FirstDrill,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 4] = [Step::ReadScript, Step::GuidedCall, Step::StageRecall, Step::FirstDrill];

    /// The step's place, 1–4.
    pub fn number(self) -> usize {
        self as usize + 1
    }
}

/// What the first day is judged from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// The trainee has opened the script (no run shows it: the shell keeps it).
    pub script_read: bool,
    /// Practice calls that reached an end (the trainee did not hang up).
    pub practice_calls: u32,
    /// Drill answers: each one stage's line typed from memory.
    pub drill_answers: u32,
}

impl Facts {
    /// The facts a trainee's stored runs show (`Records::run_facts`); the script is not read.
    pub fn from_runs(runs: &[RunFact]) -> Facts {
        let count = |f: &dyn Fn(&RunFact) -> bool| runs.iter().filter(|r| f(r)).count() as u32;
        Facts {
            script_read: false,
            practice_calls: count(&|r| r.mode == Mode::Practice && r.finished),
            drill_answers: count(&|r| r.mode == Mode::Drill),
        }
    }

    /// Two accounts of the same trainee taken together (the records, and what the window saw this
    /// session): each fact as the fuller one says it, so a run both have seen counts once.
    pub fn merge(self, other: Facts) -> Facts {
        Facts {
            script_read: self.script_read || other.script_read,
            practice_calls: self.practice_calls.max(other.practice_calls),
            drill_answers: self.drill_answers.max(other.drill_answers),
        }
    }
}

/// Which steps of the first day are done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    done: [bool; 4],
}

impl Progress {
    /// The steps the facts show done. Each step counts on its own, in any order; the first drill
    /// needs a drill answer beyond the one the Recall of a stage took.
    pub fn of(facts: &Facts) -> Progress {
        Progress {
            done: [facts.script_read, facts.practice_calls >= 1, facts.drill_answers >= 1, facts.drill_answers >= 2],
        }
    }

    pub fn done(&self, step: Step) -> bool {
        self.done[step as usize]
    }

    /// The first step not done yet: the one to take next.
    pub fn next(&self) -> Option<Step> {
        Step::ALL.into_iter().find(|s| !self.done(*s))
    }

    /// Every step is done: the first day is behind the trainee.
    pub fn complete(&self) -> bool {
        self.next().is_none()
    }

    /// How many steps are done.
    pub fn count(&self) -> usize {
        self.done.iter().filter(|d| **d).count()
    }
}

/// The scenario for the guided call of a trainee of `role` in `language`: the easiest one that
/// asks for the script (the lowest difficulty, then the most patient customer, then the first in
/// path order). `None` when the role has no such scenario in that language.
pub fn guided_call(lib: &Library, role: Role, language: &str) -> Option<String> {
    lib.playable()
        .filter(|p| p.scenario.role == role && p.scenario.language == language && p.expecting_lines().next().is_some())
        // The first of the equally easy ones: `min_by_key` keeps the first minimum.
        .min_by_key(|p| (p.scenario.difficulty, Reverse(p.scenario.persona.patience)))
        .map(|p| p.id().to_owned())
}

/// The stage the first Recall asks for: the script's first stage that a line of the role's
/// scenarios in `language` expects (see [`drill::stages`]).
pub fn first_stage(lib: &Library, role: Role, language: &str) -> Option<String> {
    drill::stages(lib, role, language).into_iter().next().map(|k| k.stage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ladder::Sitting;
    use crate::domain::source::SourceFile;

    fn run(mode: Mode, finished: bool) -> RunFact {
        RunFact {
            scenario: "generator/x".into(),
            role: Role::Generator,
            mode,
            score: 50,
            critical: false,
            finished,
            version: 1,
            hash: String::new(),
            at: 0,
            sitting: Sitting::NoTicket,
        }
    }

    #[test]
    fn a_new_profile_has_nothing_done_and_starts_with_the_script() {
        let p = Progress::of(&Facts::default());
        assert_eq!(p.count(), 0);
        assert_eq!(p.next(), Some(Step::ReadScript));
        assert!(!p.complete());
        assert_eq!(Step::ALL.map(Step::number), [1, 2, 3, 4]);
    }

    #[test]
    fn each_step_is_ticked_by_its_own_fact() {
        let mut f = Facts { script_read: true, ..Facts::default() };
        assert_eq!(Progress::of(&f).next(), Some(Step::GuidedCall));
        f.practice_calls = 1;
        assert_eq!(Progress::of(&f).next(), Some(Step::StageRecall));
        f.drill_answers = 1;
        let p = Progress::of(&f);
        assert!(p.done(Step::StageRecall) && !p.done(Step::FirstDrill));
        assert_eq!(p.next(), Some(Step::FirstDrill));
        f.drill_answers = 3;
        assert!(Progress::of(&f).complete());
        // Out of order: a drill first ticks the Recall of a stage too, and leaves the script open.
        let p = Progress::of(&Facts { drill_answers: 2, ..Facts::default() });
        assert!(p.done(Step::StageRecall) && p.done(Step::FirstDrill));
        assert_eq!(p.next(), Some(Step::ReadScript));
    }

    #[test]
    fn the_runs_show_finished_practice_calls_and_drill_answers() {
        let runs = [
            run(Mode::Practice, false), // hung up
            run(Mode::Recall, true),
            run(Mode::Exam, true),
            run(Mode::Drill, true),
        ];
        let f = Facts::from_runs(&runs);
        assert_eq!(f, Facts { script_read: false, practice_calls: 0, drill_answers: 1 });
        let f = Facts::from_runs(&[run(Mode::Practice, true), run(Mode::Drill, true), run(Mode::Drill, true)]);
        assert_eq!((f.practice_calls, f.drill_answers), (1, 2));
    }

    #[test]
    fn two_accounts_of_the_same_runs_never_count_them_twice() {
        let records = Facts { script_read: false, practice_calls: 1, drill_answers: 1 };
        let session = Facts { script_read: true, practice_calls: 1, drill_answers: 1 };
        let both = records.merge(session);
        assert_eq!(both, Facts { script_read: true, practice_calls: 1, drill_answers: 1 });
        assert!(!Progress::of(&both).done(Step::FirstDrill));
        assert_eq!(session.merge(records), both);
    }

    const SCRIPT: &str = r#"Script(id: "cold", version: 1, role: Generator, title: "Cold call", stages: [
        Stage(id: "greeting", title: "Greet", line: "Good afternoon, this is {trainee}.", weight: 10),
        Stage(id: "meeting", title: "Meet", line: "Could we meet on Tuesday?", weight: 30),
    ])"#;

    fn scenario(id: &str, language: &str, difficulty: &str, patience: i32, stage: &str) -> String {
        format!(
            r#"Scenario(id: "{id}", version: 1, title: "T", role: Generator, language: "{language}", script: "cold", brief: "b",
            persona: Persona(name: "A", position: "B", company: "C", patience: {patience}), difficulty: {difficulty}, start: "q",
            nodes: {{ "q": Line(say: ["Hi"], expect: "{stage}", choices: [Choice(text: "x", stage: "{stage}", next: "z")]),
                     "z": End(outcome: Success, label: "ok") }})"#
        )
    }

    fn lib() -> Library {
        Library::from_sources(vec![
            SourceFile::new("scripts/cold.ron", SCRIPT),
            SourceFile::new("generator/a-hard.ron", scenario("generator/a-hard", "en", "Hard", 5, "meeting")),
            SourceFile::new("generator/b-easy.ron", scenario("generator/b-easy", "en", "Easy", 2, "meeting")),
            SourceFile::new("generator/c-easy.ron", scenario("generator/c-easy", "en", "Easy", 4, "greeting")),
            SourceFile::new("generator/d-easy.ron", scenario("generator/d-easy", "en", "Easy", 4, "greeting")),
            SourceFile::new("generator/e-ru.ron", scenario("generator/e-ru", "ru", "Medium", 1, "meeting")),
        ])
    }

    #[test]
    fn the_guided_call_is_the_easiest_customer_of_the_role_and_language() {
        let lib = lib();
        assert_eq!(lib.playable().count(), 5, "every test scenario loads");
        // Easy before Hard, the patient one of the easy ones, the first of two equally easy ones.
        assert_eq!(guided_call(&lib, Role::Generator, "en").as_deref(), Some("generator/c-easy"));
        assert_eq!(guided_call(&lib, Role::Generator, "ru").as_deref(), Some("generator/e-ru"));
        assert_eq!(guided_call(&lib, Role::Closer, "en"), None);
        assert_eq!(guided_call(&lib, Role::Generator, "de"), None);
    }

    #[test]
    fn the_first_recall_asks_for_the_scripts_first_stage_a_line_expects() {
        let lib = lib();
        assert_eq!(first_stage(&lib, Role::Generator, "en").as_deref(), Some("greeting"));
        // In Russian no line expects the greeting: the first stage drilled there is the meeting.
        assert_eq!(first_stage(&lib, Role::Generator, "ru").as_deref(), Some("meeting"));
        assert_eq!(first_stage(&lib, Role::Closer, "en"), None);
    }
}
