//! Assignments on both backends: set by a manager, met by the trainee's runs (done, open, overdue), withdrawn, refused when wrong, and reported by `verify` when forged or edited behind callforge's back.

#[allow(unused_imports)]
use crate::records::fresh;
use crate::records::{PROCTOR, add_proctor, lib, open, run_for, run_of, tamper};
use crate::support::bundled;
use callforge::clock::Clock;
use callforge::domain::assign::{Assignee, State, Task};
use callforge::domain::drill;
use callforge::domain::model::{Input, Mode, Role};
use callforge::domain::{Library, finish_call};
use callforge::records::{AssignTo, NewAssignment, Records, RecordsError, TraineeRef};

const NOW: i64 = 1_800_000_000;
const DAY: i64 = 86_400;

fn call(to: AssignTo, scenario: &str, mode: Mode, min: Option<u32>, due: i64) -> NewAssignment {
    NewAssignment {
        to,
        task: Task::Call { scenario: scenario.into(), mode },
        due,
        min_score: min,
        note: "Before Friday, please".into(),
    }
}

fn olga() -> AssignTo {
    AssignTo::Trainee(TraineeRef::parse("Olga"))
}

fn set(r: &mut Records, lib: &Library, new: NewAssignment) -> Result<i64, RecordsError> {
    r.add_assignment(new, PROCTOR.0, PROCTOR.1, lib).map(|a| a.id)
}

/// Olga's states, in the order her home shows them: (id, state).
fn states(r: &mut Records, lib: &Library) -> Vec<(i64, State)> {
    r.trainee_assignments("Olga", lib)
        .expect("assignments")
        .into_iter()
        .map(|t| (t.assignment.id, t.progress.state))
        .collect()
}

fn problems(loc: &str) -> Vec<String> {
    Records::open(loc)
        .expect("open")
        .verify(&mut |_, _| {})
        .expect("verify")
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn department(loc: &str) -> (Records, Library) {
    let lib = lib();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("Olga");
    r.add_trainee("Ivan", Role::Generator).expect("Ivan");
    add_proctor(&mut r);
    (r, lib)
}

crate::both!(a_call_is_open_then_done_by_a_later_run_that_reaches_its_minimum, |loc| {
    let (mut r, lib) = department(loc);
    // A run before the assignment does not count toward it.
    r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect("earlier run");
    r.set_clock(Clock::Fixed(NOW + 60));
    let id = set(&mut r, &lib, call(olga(), "generator/a", Mode::Practice, Some(80), NOW + 2 * DAY)).expect("set");
    assert_eq!(states(&mut r, &lib), [(id, State::Open)]);
    assert!(r.trainee_assignments("Ivan", &lib).expect("Ivan's").is_empty(), "Olga's alone");
    // Half the script: 50, under the minimum; it is an attempt, not a completion.
    r.set_clock(Clock::Fixed(NOW + 120));
    r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 1])).expect("weak run");
    let item = r.trainee_assignments("Olga", &lib).expect("assignments").remove(0);
    assert_eq!((item.progress.state, item.progress.attempts, item.progress.best), (State::Open, 1, Some(50)));
    r.set_clock(Clock::Fixed(NOW + 180));
    let done = r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect("good run");
    let item = r.trainee_assignments("Olga", &lib).expect("assignments").remove(0);
    assert_eq!((item.progress.state, item.progress.run, item.progress.late), (State::Done, Some(done.id), false));
    // Days later it is still done; the audit trail has it; verify finds nothing wrong.
    r.set_clock(Clock::Fixed(NOW + 30 * DAY));
    assert_eq!(states(&mut r, &lib), [(id, State::Done)]);
    let audit = r.audit_trail().expect("audit");
    assert!(audit.iter().any(|(_, who, what, detail)| who == PROCTOR.0
        && what == "assignment.add"
        && detail.contains("call generator/a (Practice) for Olga")
        && detail.contains("at least 80")));
    assert!(problems(loc).is_empty(), "{:#?}", problems(loc));
});

crate::both!(an_unmet_assignment_is_overdue_after_its_due_date_and_a_late_completion_says_so, |loc| {
    let (mut r, lib) = department(loc);
    r.set_clock(Clock::Fixed(NOW));
    let recall = set(&mut r, &lib, call(olga(), "generator/b", Mode::Recall, None, NOW + DAY)).expect("set");
    let practice = set(&mut r, &lib, call(olga(), "generator/a", Mode::Practice, None, NOW + 3 * DAY)).expect("set");
    r.set_clock(Clock::Fixed(NOW + 2 * DAY));
    assert_eq!(states(&mut r, &lib), [(recall, State::Overdue), (practice, State::Open)], "the overdue one first");
    // A Practice run does not meet a Recall assignment; a hung-up call meets none.
    r.store_run("Olga", &lib, &run_of("generator/b", Mode::Practice, &[0, 0])).expect("practice b");
    let mut hung_up = run_of("generator/a", Mode::Practice, &[0]);
    hung_up.inputs.push(Input::HangUp);
    r.store_run("Olga", &lib, &hung_up).expect("hung up a");
    assert_eq!(states(&mut r, &lib), [(recall, State::Overdue), (practice, State::Open)]);
    r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[1, 1])).expect("a, low score");
    let items = r.trainee_assignments("Olga", &lib).expect("assignments");
    assert_eq!(items[1].progress.state, State::Done, "no minimum: any call to the end");
    assert!(!items[1].progress.late);
    assert_eq!(items[0].progress.state, State::Overdue);
});

crate::both!(a_rungs_assignment_is_for_everyone_on_it_until_it_is_due, |loc| {
    let (mut r, lib) = department(loc);
    r.set_clock(Clock::Fixed(NOW));
    let id = set(&mut r, &lib, call(AssignTo::Role(Role::Generator), "generator/a", Mode::Practice, None, NOW + DAY))
        .expect("set");
    r.set_clock(Clock::Fixed(NOW + 100));
    r.store_run("Ivan", &lib, &run_for("Ivan", "generator/a", Mode::Practice, &[0, 0])).expect("Ivan's run");
    let overview = r.assignment_overview(&lib, false).expect("overview");
    let (a, who) = &overview[0];
    assert_eq!((a.id, a.assignee), (id, Assignee::Role(Role::Generator)));
    let states: Vec<(&str, State)> = who.iter().map(|(t, p)| (t.name.as_str(), p.state)).collect();
    assert_eq!(states, [("Olga", State::Open), ("Ivan", State::Done)]);
    // Someone who joins the rung after it was due is not behind on it.
    r.set_clock(Clock::Fixed(NOW + 2 * DAY));
    r.add_trainee("Petr", Role::Generator).expect("Petr");
    assert!(r.trainee_assignments("Petr", &lib).expect("Petr's").is_empty());
    let (_, who) = &r.assignment_overview(&lib, false).expect("overview")[0];
    assert_eq!(who.len(), 2);
    assert_eq!(who[0].1.state, State::Overdue);
});

crate::both!(drill_answers_on_the_stage_asked_count_toward_a_drill_assignment, |loc| {
    let lib = bundled();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("Olga");
    add_proctor(&mut r);
    let stages = drill::stages(&lib, Role::Generator, "en");
    let stage = stages[0].stage.clone();
    let task = Task::Drills { stage: Some(stage.clone()), count: 2 };
    let new = NewAssignment { to: olga(), task, due: NOW + DAY, min_score: Some(60), note: String::new() };
    let id = r.add_assignment(new, PROCTOR.0, PROCTOR.1, &lib).expect("set").id;
    let answer = |seed: u64, stage: &str, good: bool| {
        let ex = drill::session(&lib, Role::Generator, "en", &[stage.to_owned()], 1, seed).remove(0);
        let mut d = ex.start(&lib, "Olga").expect("exercise");
        let line = d.expected_stage().expect("stage").line.clone();
        let typed = if good { d.text(&line).into_owned() } else { "hello".to_owned() };
        d.type_reply(&typed).expect("typed");
        finish_call(&d, vec![1000], 0).run
    };
    r.store_run("Olga", &lib, &answer(1, &stage, true)).expect("good answer");
    r.store_run("Olga", &lib, &answer(2, &stage, false)).expect("poor answer");
    r.store_run("Olga", &lib, &answer(3, &stages[1].stage, true)).expect("another stage");
    let item = r.trainee_assignments("Olga", &lib).expect("assignments").remove(0);
    assert_eq!((item.assignment.id, item.progress.state), (id, State::Open));
    assert_eq!((item.progress.counted, item.progress.needed, item.progress.attempts), (1, 2, 2));
    r.store_run("Olga", &lib, &answer(4, &stage, true)).expect("second good answer");
    assert_eq!(states(&mut r, &lib), [(id, State::Done)]);
});

crate::both!(a_withdrawn_assignment_leaves_the_trainees_list_and_stays_on_record, |loc| {
    let (mut r, lib) = department(loc);
    let id = set(&mut r, &lib, call(olga(), "generator/a", Mode::Practice, None, NOW + DAY)).expect("set");
    let a = r.cancel_assignment(id, PROCTOR.0, PROCTOR.1).expect("withdraw");
    assert_eq!(a.cancelled_at, Some(NOW));
    assert!(states(&mut r, &lib).is_empty());
    assert!(matches!(r.cancel_assignment(id, PROCTOR.0, PROCTOR.1), Err(RecordsError::AssignmentInvalid(_))));
    assert!(r.assignment_overview(&lib, false).expect("overview").is_empty());
    assert_eq!(r.assignment_overview(&lib, true).expect("with withdrawn").len(), 1);
    assert!(matches!(r.cancel_assignment(99, PROCTOR.0, PROCTOR.1), Err(RecordsError::AssignmentNotFound(99))));
    assert!(r.audit_trail().expect("audit").iter().any(|(_, _, what, _)| what == "assignment.cancel"));
    assert!(problems(loc).is_empty(), "{:#?}", problems(loc));
});

crate::both!(wrong_assignments_are_refused_and_nothing_is_stored, |loc| {
    let (mut r, lib) = department(loc);
    let refused = |r: &mut Records, new: NewAssignment, words: &str| {
        let e = set(r, &lib, new).expect_err(words).to_string();
        assert!(e.contains(words), "{e}");
    };
    refused(&mut r, call(olga(), "generator/a", Mode::Practice, None, NOW - 1), "has passed");
    refused(&mut r, call(olga(), "closer/x", Mode::Practice, None, NOW + DAY), "assign a scenario of their rung");
    refused(&mut r, call(olga(), "generator/zzz", Mode::Practice, None, NOW + DAY), "generator/zzz");
    refused(&mut r, call(olga(), "generator/a", Mode::Drill, None, NOW + DAY), "drills are assigned as drills");
    refused(&mut r, call(olga(), "generator/a", Mode::Practice, Some(101), NOW + DAY), "0 to 100");
    let drills = |stage: &str, count| NewAssignment {
        to: olga(),
        task: Task::Drills { stage: Some(stage.into()), count },
        due: NOW + DAY,
        min_score: None,
        note: String::new(),
    };
    refused(&mut r, drills("close", 1), "no scenario of the Generator rung expects a stage \"close\"");
    refused(&mut r, drills("hi", 0), "1 to 50");
    let mut long = call(olga(), "generator/a", Mode::Practice, None, NOW + DAY);
    long.note = "x".repeat(501);
    refused(&mut r, long, "at most 500");
    let mut nobody = call(olga(), "generator/a", Mode::Practice, None, NOW + DAY);
    nobody.to = AssignTo::Trainee(TraineeRef::parse("Nobody"));
    assert!(set(&mut r, &lib, nobody).is_err());
    let wrong =
        r.add_assignment(call(olga(), "generator/a", Mode::Practice, None, NOW + DAY), PROCTOR.0, "guess", &lib);
    assert!(wrong.is_err());
    // A manager does not set their own record's work.
    r.add_trainee(PROCTOR.0, Role::Generator).expect("the proctor's own trainee profile");
    let own = call(AssignTo::Trainee(TraineeRef::parse(PROCTOR.0)), "generator/a", Mode::Practice, None, NOW + DAY);
    assert!(set(&mut r, &lib, own).is_err());
    assert!(r.assignments().expect("assignments").is_empty());
});

crate::both!(forged_edited_or_silently_withdrawn_assignments_are_reported_by_verify, |loc| {
    let (mut r, lib) = department(loc);
    let first = set(&mut r, &lib, call(olga(), "generator/a", Mode::Practice, Some(90), NOW + DAY)).expect("set");
    let second = set(&mut r, &lib, call(olga(), "generator/b", Mode::Practice, None, NOW + DAY)).expect("set");
    assert!(problems(loc).is_empty());
    drop(r);
    // Lowering the bar, withdrawing one without a manager, and inventing one.
    tamper(loc, &format!("UPDATE assignments SET min_score = 10 WHERE id = {first}"));
    tamper(loc, &format!("UPDATE assignments SET cancelled_at = {NOW}, cancelled_by = 'proctor' WHERE id = {second}"));
    tamper(
        loc,
        "INSERT INTO assignments (trainee_id, role, kind, scenario, mode, stage, answers, due_at, min_score, note,
            created_at, manager, signature)
         VALUES (2, '', 'call', 'generator/a', 'Practice', '', 1, 1800086400, -1, '', 1800000000, 'proctor', 'AAAA')",
    );
    let found = problems(loc);
    let has = |subject: &str, words: &str| found.iter().any(|p| p.starts_with(subject) && p.contains(words));
    assert!(has(&format!("assignment {first}: "), "behind callforge's back"), "{found:#?}");
    assert!(has(&format!("assignment {second}: "), "withdrawn behind callforge's back"), "{found:#?}");
    assert!(has("assignment 3: ", "its signature is not its manager's"), "{found:#?}");
    // Deleting one outright leaves no signature to check, but the audit trail names it.
    tamper(loc, &format!("DELETE FROM assignments WHERE id = {first}"));
    let found = problems(loc);
    assert!(
        found.iter().any(|p| p.starts_with(&format!("assignment {first}: ")) && p.contains("it is gone")),
        "{found:#?}"
    );
});

/// The `callforge` binary on its own records file; (exit code, stdout, stderr).
fn cli(db: &std::path::Path, args: &[&str], stdin: Option<&str>) -> (Option<i32>, String, String) {
    let mut all: Vec<&str> = args.to_vec();
    let db = db.display().to_string();
    all.extend(["--db", &db]);
    let out = crate::cli::callforge(&all, stdin);
    (out.status.code(), crate::cli::text(&out.stdout), crate::cli::text(&out.stderr))
}

#[test]
fn the_command_line_sets_lists_and_withdraws_assignments_and_the_trainee_sees_them() {
    let db = crate::cli::tmp("assign.db");
    let _ = std::fs::remove_file(&db);
    let password = "anna's password\n";
    assert_eq!(cli(&db, &["trainee", "add", "Olga"], None).0, Some(0));
    assert_eq!(cli(&db, &["manager", "add", "anna", "--password-stdin"], Some(password)).0, Some(0));
    let scenario = "generator/busy-office-manager";
    let (code, out, err) = cli(
        &db,
        &[
            "assign",
            "call",
            scenario,
            "--trainee",
            "Olga",
            "--due",
            "+7",
            "--min-score",
            "70",
            "--note",
            "Сначала этот",
        ]
        .iter()
        .chain(&["--manager", "anna", "--password-stdin"])
        .copied()
        .collect::<Vec<_>>(),
        Some(password),
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with("assignment 1: call generator/busy-office-manager (Practice) for Olga (id 1), due "),
        "{out}"
    );
    let drills = ["assign", "drills", "--role", "generator", "--count", "2", "--manager", "anna", "--password-stdin"];
    // A due date in the past, or one that is no date, is refused with what to type instead.
    let (code, _, err) = cli(&db, &[&drills[..], &["--due", "2020-01-01"]].concat(), Some(password));
    assert_eq!(code, Some(1));
    assert!(err.contains("has passed"), "{err}");
    let (code, _, err) = cli(&db, &[&drills[..], &["--due", "friday"]].concat(), Some(password));
    assert_eq!(code, Some(1));
    assert!(err.contains("is no due date") && err.contains("+7"), "{err}");
    let (code, _, err) = cli(&db, &[&drills[..], &["--due", "+3", "--stage", "nonsense"]].concat(), Some(password));
    assert_eq!(code, Some(1));
    assert!(err.contains("no scenario of the Generator rung expects a stage \"nonsense\""), "{err}");
    assert_eq!(cli(&db, &[&drills[..], &["--due", "+3"]].concat(), Some(password)).0, Some(0));
    // The trainee sees both, open; the manager's list says the same.
    let (code, due, _) = cli(&db, &["due", "--trainee", "Olga"], None);
    assert_eq!(code, Some(0));
    assert!(
        due.contains("Assigned by your manager:") && due.contains("#1 call") && due.contains("#2 2 drill answers"),
        "{due}"
    );
    assert!(due.contains("«Сначала этот» — anna"), "{due}");
    // A perfect call meets the first.
    let lib = bundled();
    let run = crate::support::perfect_run(&lib, scenario, 5, Mode::Practice, "Olga");
    let file = crate::cli::tmp("assign-run.ron");
    callforge::domain::model::write_run(&file, &run).expect("run file");
    let (code, _, err) = cli(&db, &["record", &file.display().to_string(), "--trainee", "Olga"], None);
    assert_eq!(code, Some(0), "{err}");
    let (_, list, _) = cli(&db, &["assign", "list"], None);
    assert!(list.contains("#1 call generator/busy-office-manager (Practice) — for Olga (id 1)"), "{list}");
    assert!(list.contains("Olga (id 1)                  done"), "{list}");
    assert!(list.contains("#2 2 drill answers — for every Generator"), "{list}");
    let (_, json, _) = cli(&db, &["assign", "list", "--trainee", "Olga", "--json"], None);
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(json[0]["trainees"][0]["state"], "done");
    assert_eq!(json[1]["trainees"][0]["state"], "open");
    // Withdrawn: gone from the trainee's list, kept with --all; verify is clean.
    assert_eq!(
        cli(&db, &["assign", "cancel", "2", "--manager", "anna", "--password-stdin"], Some(password)).0,
        Some(0)
    );
    let (_, due, _) = cli(&db, &["due", "--trainee", "Olga", "--json"], None);
    let due: serde_json::Value = serde_json::from_str(&due).expect("json");
    assert_eq!(due["assignments"].as_array().map(Vec::len), Some(1));
    let (_, all, _) = cli(&db, &["assign", "list", "--all"], None);
    assert!(all.contains("withdrawn"), "{all}");
    let (code, verified, err) = cli(&db, &["verify"], None);
    assert_eq!(code, Some(0), "{err}");
    assert!(verified.contains("2 assignments") && verified.contains("no problems"), "{verified}");
    let (_, help, _) = cli(&db, &["assign", "--help"], None);
    assert!(help.contains("Examples:") && help.contains("done, open or overdue"), "{help}");
}
