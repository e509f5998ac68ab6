//! Trainee records on both backends: the same suite runs on SQLite and on PostgreSQL.
//!
//! PostgreSQL tests need `CALLFORGE_TEST_PG` (an admin URL such as
//! postgres://postgres@127.0.0.1:55432/postgres, which `scripts/test` sets after starting a server);
//! without it they say so and pass, unless `CALLFORGE_REQUIRE_PG` is set.

use crate::support::library;
use callforge::clock::Clock;
use callforge::domain::Library;
use callforge::domain::model::{Input, Mode, Role, Run};
use callforge::records::{Records, RecordsError, RungChange, TraineeRef};
use std::sync::atomic::{AtomicU32, Ordering};

pub const SCRIPT_G: &str = r#"Script(id: "g", version: 1, role: Generator, title: "G", stages: [
    Stage(id: "hi", title: "Greet", line: "Good morning, this is Northwind.", must_mention: ["northwind"], weight: 50, critical: true),
    Stage(id: "ask", title: "Ask", line: "May I send you a free sample?", weight: 50),
])"#;

pub const SCRIPT_C: &str = r#"Script(id: "c", version: 1, role: Closer, title: "C", stages: [
    Stage(id: "hi", title: "Greet", line: "Hello again, it is Northwind.", weight: 50, critical: true),
    Stage(id: "close", title: "Close", line: "Shall I send the contract today?", weight: 50),
])"#;

fn scenario(id: &str, role: &str, script: &str, first: &str, second: &str, version: u32) -> String {
    format!(
        r#"Scenario(id: "{id}", version: {version}, title: "{id}", role: {role}, language: "en", script: "{script}", brief: "b",
        persona: Persona(name: "Ann", position: "Buyer", company: "Initech", patience: 3), start: "a",
        nodes: {{
            "a": Line(say: ["Hello?"], expect: "{first}", choices: [
                Choice(text: "right", stage: "{first}", next: "b"),
                Choice(text: "wrong", next: "b"),
            ]),
            "b": Line(say: ["And?"], expect: "{second}", choices: [
                Choice(text: "right", stage: "{second}", next: "z"),
                Choice(text: "wrong", next: "z"),
            ]),
            "z": End(outcome: Success, label: "Done"),
        }})"#
    )
}

pub const LADDER: &str = r#"Ladder(rungs: [
    Rung(role: Generator, title: "Lead generator"),
    Rung(role: Closer, title: "Closer", exam: Some(Exam(scenarios: ["closer/x", "closer/y"], mode: Exam, min_score: 85, practice_runs: 2, cooldown_hours: 24))),
    Rung(role: AccountManager, title: "Account manager"),
])"#;

/// A small library with a ladder: two generator scenarios, two closer exam scenarios.
pub fn lib_v(closer_version: u32) -> Library {
    let g1 = scenario("generator/a", "Generator", "g", "hi", "ask", 1);
    let g2 = scenario("generator/b", "Generator", "g", "hi", "ask", 1);
    let cx = scenario("closer/x", "Closer", "c", "hi", "close", closer_version);
    let cy = scenario("closer/y", "Closer", "c", "hi", "close", 1);
    library(&[
        ("scripts/g.ron", SCRIPT_G),
        ("scripts/c.ron", SCRIPT_C),
        ("generator/a.ron", &g1),
        ("generator/b.ron", &g2),
        ("closer/x.ron", &cx),
        ("closer/y.ron", &cy),
        ("ladder.ron", LADDER),
    ])
}

pub fn lib() -> Library {
    lib_v(1)
}

/// A run of Olga's (see [`run_for`]).
pub fn run_of(scenario: &str, mode: Mode, picks: &[usize]) -> Run {
    run_for("Olga", scenario, mode, picks)
}

/// A run file as callforge writes one: the scenario's version and content hash in the small
/// library (version 1), and a seed of its own, so no two runs are the same run stored twice (the
/// small library's scenarios draw nothing at random, so any seed fits the same picks).
pub fn run_for(trainee: &str, scenario: &str, mode: Mode, picks: &[usize]) -> Run {
    let lib = lib();
    let playable = lib.scenario(scenario);
    Run {
        scenario: scenario.to_owned(),
        version: playable.map(|p| p.scenario.version),
        hash: playable.map(|p| p.hash().to_owned()),
        seed: u64::from(SEEDS.fetch_add(1, Ordering::SeqCst)),
        mode,
        trainee: trainee.to_owned(),
        scorer: None,
        inputs: picks.iter().map(|&i| Input::Choose(i)).collect(),
        drill: None,
        times_ms: Vec::new(),
        played_at: None,
    }
}

static SEEDS: AtomicU32 = AtomicU32::new(1);

/// The proctor the tests' exams are sat with.
pub const PROCTOR: (&str, &str) = ("proctor", "proctor's password");

/// Adds the proctor as the department's first manager.
pub fn add_proctor(r: &mut Records) {
    r.add_manager(PROCTOR.0, PROCTOR.1, None, None).expect("the proctor");
}

/// Sits an exam as a proctor opens one: a ticket, then the run on the ticket's seed.
pub fn sit_exam(
    r: &mut Records,
    lib: &Library,
    who: &str,
    scenario: &str,
    mode: Mode,
    picks: &[usize],
) -> Result<callforge::records::StoredRun, RecordsError> {
    let t = r.trainee(TraineeRef::parse(who))?;
    let ticket = r.issue_ticket(TraineeRef::Id(t.id), scenario, mode, PROCTOR.0, PROCTOR.1, lib)?;
    let run = Run { seed: ticket.seed, ..run_for(&t.name, scenario, mode, picks) };
    r.store_run_with_ticket(TraineeRef::Id(t.id), lib, &run, ticket.id)
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty database location on a backend, or `None` when that backend is not available.
pub fn fresh(backend: &str) -> Option<String> {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    match backend {
        "sqlite" => {
            let dir = std::env::temp_dir().join(format!("callforge-records-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let path = dir.join(format!("t{n}.db"));
            let _ = std::fs::remove_file(&path);
            Some(path.display().to_string())
        }
        _ => {
            let Ok(admin) = std::env::var("CALLFORGE_TEST_PG") else {
                assert!(
                    std::env::var_os("CALLFORGE_REQUIRE_PG").is_none(),
                    "CALLFORGE_REQUIRE_PG is set but CALLFORGE_TEST_PG is not"
                );
                eprintln!("SKIPPED: PostgreSQL test (no CALLFORGE_TEST_PG server)");
                return None;
            };
            let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect to the test server");
            let name = format!("cf_test_{}_{n}", std::process::id());
            client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).expect("drop database");
            client.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
            Some(format!("{base}/{name}"))
        }
    }
}

/// Runs a test body against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn sqlite() {
                let f: fn(&str) = $body;
                f(&fresh("sqlite").expect("sqlite"));
            }
            #[test]
            fn postgres() {
                let f: fn(&str) = $body;
                if let Some(loc) = fresh("postgres") {
                    f(&loc);
                }
            }
        }
    };
}

pub fn open(loc: &str) -> Records {
    let mut r = Records::open(loc).unwrap_or_else(|e| panic!("open {loc}: {e}"));
    r.set_clock(Clock::Fixed(1_800_000_000));
    r
}

both!(trainees_are_added_listed_and_unique, |loc| {
    let mut r = open(loc);
    let a = r.add_trainee("Olga", Role::Generator).expect("add");
    let e = r.add_trainee("Ivan", Role::Closer).expect_err("a higher start needs a manager");
    assert!(matches!(e, RecordsError::StartAboveFirstRung { .. }), "{e}");
    add_proctor(&mut r);
    let b = r.enrol_trainee("  Ivan ", Role::Closer, PROCTOR.0, PROCTOR.1).expect("enrolled by a manager");
    assert_ne!(a, b);
    let all = r.trainees().expect("list");
    assert_eq!(
        all.iter().map(|t| (t.name.as_str(), t.role)).collect::<Vec<_>>(),
        [("Olga", Role::Generator), ("Ivan", Role::Closer)]
    );
    assert_eq!(r.promotions(Some(b)).expect("history")[0].kind, "enrol");
    assert!(matches!(r.add_trainee("Olga", Role::Generator), Err(RecordsError::DuplicateTrainee(_))));
    assert!(matches!(r.add_trainee("  ", Role::Generator), Err(RecordsError::EmptyName)));
    assert_eq!(r.trainee("Ivan").expect("by name").id, b);
    assert_eq!(r.trainee(TraineeRef::Id(a)).expect("by id").name, "Olga");
    assert!(matches!(r.trainee(TraineeRef::Id(99)), Err(RecordsError::TraineeNotFound(_))));
});

both!(runs_are_stored_with_their_breakdown_and_verify, |loc| {
    let lib = lib();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    let stored = r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 1])).expect("store");
    assert_eq!(stored.score.score, 50);
    let again = r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect("store");
    assert!(again.id > stored.id);
    let (row, breakdown, run) = r.run_detail(stored.id).expect("detail");
    assert_eq!((row.score, row.passed, row.finished), (50, false, true));
    assert_eq!(breakdown.turns.len(), 2);
    assert_eq!(run.inputs, vec![Input::Choose(0), Input::Choose(1)]);
    assert!(run.hash.is_some(), "the stored run names the scenario text it was scored on");
    let report = r.verify(&mut |_, _| {}).expect("verify");
    assert_eq!(report.runs, 2);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(r.best_scores(row.trainee_id).expect("best").get("generator/a"), Some(&100));
});

both!(a_run_that_does_not_fit_is_refused_and_nothing_is_stored, |loc| {
    let lib = lib();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    let e = r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0])).expect_err("too few");
    assert!(matches!(e, RecordsError::RunDoesNotFit(_)), "{e}");
    let e = r.store_run("Olga", &lib, &run_of("generator/nope", Mode::Practice, &[0])).expect_err("missing");
    assert!(matches!(e, RecordsError::ScenarioMissing(_)), "{e}");
    assert!(r.runs(None).expect("runs").is_empty());
});

both!(eligibility_needs_practice_and_every_exam_in_its_mode, |loc| {
    let lib = lib();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    add_proctor(&mut r);
    let e = r.report("Olga", &lib).expect("report").eligibility.expect("ladder");
    assert_eq!((e.next, e.eligible, e.practice_runs, e.practice_needed), (Some(Role::Closer), false, 0, 2));
    assert_eq!(e.missing.len(), 3, "{:?}", e.missing);
    for _ in 0..2 {
        r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect("store");
    }
    // An exam scenario played in Practice is not an attempt.
    let s = r.store_run("Olga", &lib, &run_of("closer/x", Mode::Practice, &[0, 0])).expect("store");
    assert!(s.exam.is_none());
    // Without a proctor's ticket an exam run counts as practice.
    let s = r.store_run("Olga", &lib, &run_of("closer/x", Mode::Exam, &[0, 0])).expect("store");
    assert!(s.exam.as_ref().is_some_and(|x| x.passed && !x.counted && x.note.contains("no proctor ticket")));
    let s = sit_exam(&mut r, &lib, "Olga", "closer/x", Mode::Exam, &[0, 0]).expect("store");
    assert!(s.exam.as_ref().is_some_and(|x| x.passed && x.counted), "{:?}", s.exam);
    let e = r.report("Olga", &lib).expect("report").eligibility.expect("ladder");
    assert_eq!(e.practice_runs, 2);
    assert!(e.exams[0].passed && !e.exams[1].passed);
    assert_eq!(e.exams[0].history.len(), 2);
    assert!(!e.exams[0].history[0].counted && e.exams[0].history[0].why.contains("no proctor ticket"));
    assert_eq!(e.missing, vec!["pass the exam closer/y (Exam mode, score ≥ 85, no critical error)".to_owned()]);
    sit_exam(&mut r, &lib, "Olga", "closer/y", Mode::Exam, &[0, 0]).expect("store");
    assert!(r.report("Olga", &lib).expect("report").eligibility.expect("ladder").eligible);
});

both!(a_failed_exam_starts_a_cooldown, |loc| {
    let lib = lib();
    let mut r = open(loc);
    let olga = r.add_trainee("Olga", Role::Generator).expect("add");
    add_proctor(&mut r);
    let t0 = 1_800_000_000;
    // Two tickets at once: the second is used after the first attempt failed.
    let second =
        r.issue_ticket(TraineeRef::Id(olga), "closer/x", Mode::Exam, PROCTOR.0, PROCTOR.1, &lib).expect("ticket");
    let failed = sit_exam(&mut r, &lib, "Olga", "closer/x", Mode::Exam, &[0, 1]).expect("store");
    assert!(failed.exam.as_ref().is_some_and(|x| !x.passed && x.counted));
    let e = r.report("Olga", &lib).expect("report").eligibility.expect("ladder");
    assert_eq!(e.exams[0].locked_until, Some(t0 + 24 * 3600));
    // No ticket is issued during the cooldown.
    r.set_clock(Clock::Fixed(t0 + 3600));
    let e = sit_exam(&mut r, &lib, "Olga", "closer/x", Mode::Exam, &[0, 0]).expect_err("locked");
    assert!(matches!(e, RecordsError::ExamLocked { .. }), "{e}");
    // A pass during the cooldown, on a ticket issued before it, does not count.
    let run = Run { seed: second.seed, ..run_of("closer/x", Mode::Exam, &[0, 0]) };
    let during = r.store_run_with_ticket(TraineeRef::Id(olga), &lib, &run, second.id).expect("store");
    assert!(during.exam.as_ref().is_some_and(|x| x.passed && !x.counted), "{:?}", during.exam);
    let e = r.report("Olga", &lib).expect("report").eligibility.expect("ladder");
    assert!(!e.exams[0].passed);
    assert_eq!(e.exams[0].not_counted.len(), 1);
    // After the cooldown it does.
    r.set_clock(Clock::Fixed(t0 + 25 * 3600));
    sit_exam(&mut r, &lib, "Olga", "closer/x", Mode::Exam, &[0, 0]).expect("store");
    let e = r.report("Olga", &lib).expect("report").eligibility.expect("ladder");
    assert!(e.exams[0].passed && e.exams[0].locked_until.is_none());
    assert!(r.verify(&mut |_, _| {}).expect("verify").problems.is_empty());
});

both!(exam_runs_of_a_changed_scenario_stop_counting, |loc| {
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    add_proctor(&mut r);
    sit_exam(&mut r, &lib(), "Olga", "closer/x", Mode::Exam, &[0, 0]).expect("store");
    assert!(r.report("Olga", &lib()).expect("report").eligibility.expect("ladder").exams[0].passed);
    let changed = lib_v(2);
    let e = r.report("Olga", &changed).expect("report").eligibility.expect("ladder");
    assert!(!e.exams[0].passed, "the exam scenario changed since it was passed");
    assert!(e.exams[0].not_counted[0].contains("older version"), "{:?}", e.exams[0].not_counted);
});

both!(only_a_manager_promotes_and_never_themself, |loc| {
    let lib = lib();
    let mut r = open(loc);
    let olga = TraineeRef::Id(r.add_trainee("Olga", Role::Generator).expect("add"));
    assert!(matches!(r.add_manager("anna", "short", None, None), Err(RecordsError::WeakPassword)));
    r.add_manager("anna", "correct horse", None, None).expect("first manager");
    r.enrol_trainee("Boss", Role::Closer, "anna", "correct horse").expect("enrolled");
    assert!(matches!(
        r.add_manager("boss", "battery staple", Some("Boss".into()), None),
        Err(RecordsError::ApprovalNeeded)
    ));
    assert!(matches!(
        r.add_manager("boss", "battery staple", Some("Boss".into()), Some(("anna", "wrong pw!"))),
        Err(RecordsError::SignInFailed)
    ));
    r.add_manager("boss", "battery staple", Some("Boss".into()), Some(("anna", "correct horse"))).expect("approved");

    let refused =
        r.change_rung(RungChange::Promote, olga.clone(), "anna", "correct horse", &lib).expect_err("not eligible");
    let text = refused.to_string();
    assert!(text.contains("not eligible") && text.contains("practice run"), "{text}");
    for _ in 0..2 {
        r.store_run(olga.clone(), &lib, &run_of("generator/b", Mode::Practice, &[0, 0])).expect("store");
    }
    for exam in ["closer/x", "closer/y"] {
        let t = r.issue_ticket(olga.clone(), exam, Mode::Exam, "anna", "correct horse", &lib).expect("ticket");
        let run = Run { seed: t.seed, ..run_of(exam, Mode::Exam, &[0, 0]) };
        r.store_run_with_ticket(olga.clone(), &lib, &run, t.id).expect("store");
    }
    assert!(matches!(
        r.change_rung(RungChange::Promote, olga.clone(), "anna", "not it at all", &lib),
        Err(RecordsError::SignInFailed)
    ));
    assert!(matches!(
        r.change_rung(RungChange::Promote, olga.clone(), "nobody", "correct horse", &lib),
        Err(RecordsError::SignInFailed)
    ));
    let p = r.change_rung(RungChange::Promote, olga.clone(), "anna", "correct horse", &lib).expect("promoted");
    assert_eq!((p.from_role, p.to_role, p.manager.as_str()), (Role::Generator, Role::Closer, "anna"));
    assert_eq!(r.trainee(olga.clone()).expect("olga").role, Role::Closer);
    // The manager linked to trainee "Boss" may not move Boss.
    assert!(matches!(
        r.change_rung(RungChange::Demote, "Boss", "boss", "battery staple", &lib),
        Err(RecordsError::SelfPromotion { .. })
    ));
    r.change_rung(RungChange::Demote, "Boss", "anna", "correct horse", &lib).expect("demoted");
    assert_eq!(r.trainee("Boss").expect("boss").role, Role::Generator);
    assert!(matches!(
        r.change_rung(RungChange::Demote, "Boss", "anna", "correct horse", &lib),
        Err(RecordsError::BottomOfLadder { .. })
    ));
    r.change_rung(RungChange::Reset, olga.clone(), "boss", "battery staple", &lib).expect("reset");
    assert_eq!(r.trainee(olga.clone()).expect("olga").role, Role::Generator);
    let history = r.promotions(None).expect("promotions");
    assert_eq!(history.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>(), ["enrol", "promote", "demote", "reset"]);
    let audit = r.audit_trail().expect("audit");
    assert!(audit.iter().any(|(_, actor, action, _)| actor == "anna" && action == "manager.sign-in-failed"));
    assert!(audit.iter().any(|(_, actor, action, _)| actor == "nobody" && action == "manager.sign-in-failed"));
    assert!(audit.iter().any(|(_, actor, action, _)| actor == "boss" && action == "promotion.refused"));
    let report = r.verify(&mut |_, _| {}).expect("verify");
    assert!(report.problems.is_empty() && report.warnings.is_empty(), "{:?}", report);
    assert_eq!(report.promotions, 4);
    assert!(report.checkpoints >= 6, "every manager action signs a checkpoint: {}", report.checkpoints);
});

/// Edits a database behind callforge's back.
pub fn tamper(loc: &str, sql: &str) {
    if loc.starts_with("postgres") {
        postgres::Client::connect(loc, postgres::NoTls).expect("connect").batch_execute(sql).expect("tamper");
    } else {
        rusqlite::Connection::open(loc).expect("open").execute_batch(sql).expect("tamper");
    }
}

both!(verify_finds_edited_removed_and_forged_rows, |loc| {
    let lib = lib();
    {
        let mut r = open(loc);
        r.add_trainee("Olga", Role::Generator).expect("add");
        r.add_trainee("Ivan", Role::Generator).expect("add");
        r.add_manager("anna", "correct horse", None, None).expect("manager");
        for picks in [[0, 1], [1, 1], [0, 0], [1, 0]] {
            r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &picks)).expect("store");
        }
        r.change_rung(RungChange::Demote, "Olga", "anna", "correct horse", &lib).expect_err("bottom");
        r.change_rung(RungChange::Reset, "Ivan", "anna", "correct horse", &lib).expect("reset");
        assert!(r.verify(&mut |_, _| {}).expect("verify").problems.is_empty());
    }
    let problems = |loc: &str| -> Vec<(String, i64)> {
        let mut r = Records::open(loc).expect("open");
        r.verify(&mut |_, _| {}).expect("verify").problems.into_iter().map(|p| (p.table.to_owned(), p.id)).collect()
    };
    tamper(loc, "UPDATE runs SET score = 100 WHERE id = 1");
    assert!(problems(loc).contains(&("runs".into(), 1)), "an edited score");
    tamper(loc, "UPDATE runs SET score = 50 WHERE id = 1");
    assert!(problems(loc).is_empty(), "restored");
    tamper(loc, "UPDATE runs SET trainee_id = 2 WHERE id = 2");
    assert!(problems(loc).contains(&("runs".into(), 2)), "a run moved to another trainee");
    tamper(loc, "UPDATE runs SET trainee_id = 1 WHERE id = 2");
    tamper(loc, "DELETE FROM run_stages WHERE run_id = 3; DELETE FROM runs WHERE id = 3");
    assert!(problems(loc).contains(&("runs".into(), 4)), "a removed run breaks the chain after it");
    tamper(loc, "DELETE FROM run_stages WHERE run_id = 4; DELETE FROM runs WHERE id = 4");
    assert!(!problems(loc).is_empty(), "removing the newest runs is seen");
    tamper(loc, "UPDATE promotions SET to_role = 'Closer'");
    assert!(problems(loc).iter().any(|(t, _)| t == "promotions"), "an edited promotion");
});

#[test]
fn an_older_database_is_upgraded_without_losing_anything() {
    let loc = fresh("sqlite").expect("sqlite");
    {
        let r = Records::open_at(&loc, 1).expect("v1");
        drop(r);
        let c = rusqlite::Connection::open(&loc).expect("open");
        c.execute_batch("INSERT INTO trainees (name, role, created_at) VALUES ('Olga', 'Closer', 1700000000)")
            .expect("v1 row");
        let v: String =
            c.query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get(0)).expect("version");
        assert_eq!(v, "1");
    }
    let mut r = open(&loc);
    assert_eq!(r.schema_version().expect("version"), callforge::records::schema::CURRENT);
    let olga = r.trainee("Olga").expect("kept");
    assert_eq!((olga.role, olga.created_at), (Role::Closer, 1_700_000_000));
    r.store_run("Olga", &lib(), &run_of("closer/x", Mode::Practice, &[0, 0])).expect("store after upgrade");
    assert!(r.audit_trail().expect("audit").iter().any(|(_, _, a, _)| a == "run.record"));
}

#[test]
fn a_database_newer_than_callforge_is_refused() {
    let loc = fresh("sqlite").expect("sqlite");
    drop(open(&loc));
    rusqlite::Connection::open(&loc)
        .expect("open")
        .execute_batch("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        .expect("bump");
    assert!(matches!(Records::open(&loc), Err(RecordsError::Newer { found: 99, .. })));
}

fn digest(path: &str) -> Vec<u8> {
    std::fs::read(path).expect("read")
}

#[test]
fn a_file_that_is_not_a_callforge_database_is_refused_and_left_unmodified() {
    let text = fresh("sqlite").expect("sqlite");
    std::fs::write(&text, "name,score\nOlga,90\n").expect("write");
    let before = digest(&text);
    let e = Records::open(&text).expect_err("not sqlite");
    assert!(e.to_string().contains("not a callforge database"), "{e}");
    assert_eq!(digest(&text), before);

    let other = fresh("sqlite").expect("sqlite");
    rusqlite::Connection::open(&other)
        .expect("open")
        .execute_batch("CREATE TABLE invoices (id INTEGER, total REAL); INSERT INTO invoices VALUES (1, 9.5);")
        .expect("other app");
    let before = digest(&other);
    let e = Records::open(&other).expect_err("other app");
    assert!(matches!(e, RecordsError::NotCallforge { .. }), "{e}");
    assert!(e.to_string().contains("invoices"), "{e}");
    assert_eq!(digest(&other), before);
}

#[test]
fn a_corrupted_database_is_refused_and_left_unmodified() {
    let loc = fresh("sqlite").expect("sqlite");
    {
        let mut r = open(&loc);
        r.add_trainee("Olga", Role::Generator).expect("add");
        for _ in 0..30 {
            r.store_run("Olga", &lib(), &run_of("generator/a", Mode::Practice, &[0, 0])).expect("store");
        }
    }
    rusqlite::Connection::open(&loc)
        .expect("open")
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    let mut bytes = digest(&loc);
    assert!(bytes.len() > 8192);
    for b in &mut bytes[4096..8192] {
        *b = 0xA5;
    }
    std::fs::write(&loc, &bytes).expect("corrupt");
    let e = Records::open(&loc).expect_err("corrupt");
    assert!(matches!(e, RecordsError::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("left untouched"), "{e}");
    assert_eq!(digest(&loc), bytes);
}

#[test]
fn a_read_only_database_reads_but_refuses_to_write() {
    use std::os::unix::fs::PermissionsExt;
    let loc = fresh("sqlite").expect("sqlite");
    {
        let mut r = open(&loc);
        r.add_trainee("Olga", Role::Generator).expect("add");
    }
    rusqlite::Connection::open(&loc)
        .expect("open")
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    std::fs::set_permissions(&loc, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let mut r = open(&loc);
    assert!(r.is_read_only());
    assert_eq!(r.trainees().expect("reads").len(), 1);
    let e = r.add_trainee("Ivan", Role::Generator).expect_err("read-only");
    assert!(matches!(e, RecordsError::ReadOnly { .. }), "{e}");
    let e = r.store_run("Olga", &lib(), &run_of("generator/a", Mode::Practice, &[0, 0])).expect_err("read-only");
    assert!(e.to_string().contains("read-only"), "{e}");
    std::fs::set_permissions(&loc, std::fs::Permissions::from_mode(0o644)).expect("chmod back");
}

/// What a test can compare to see that opening left a database alone: the file's bytes, or the
/// tables and meta rows of a PostgreSQL database.
fn snapshot(loc: &str) -> Vec<u8> {
    if loc.starts_with("postgres") {
        let mut c = postgres::Client::connect(loc, postgres::NoTls).expect("connect");
        let mut out = String::new();
        for r in c
            .query(
                "SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
                &[],
            )
            .expect("tables")
        {
            out.push_str(&r.get::<_, String>(0));
            out.push('\n');
        }
        for r in c.query("SELECT key, value::TEXT FROM meta ORDER BY key", &[]).expect("meta") {
            out.push_str(&format!("{}={}\n", r.get::<_, String>(0), r.get::<_, String>(1)));
        }
        out.into_bytes()
    } else {
        std::fs::read(loc).expect("read")
    }
}

both!(a_schema_version_callforge_never_wrote_is_refused_and_left_alone, |loc| {
    {
        let mut r = open(loc);
        r.add_trainee("Olga", Role::Generator).expect("add");
    }
    for bad in ["-1", "0", "abc", "", "1", "2", "3", " 4x", "99999999999999999999", "ёж"] {
        tamper(loc, &format!("UPDATE meta SET value = '{bad}' WHERE key = 'schema_version'"));
        let before = snapshot(loc);
        let e = Records::open(loc).expect_err(bad);
        assert!(matches!(e, RecordsError::NotCallforge { .. }), "{bad:?}: {e}");
        assert!(e.to_string().contains("not a callforge database") && e.to_string().contains("left untouched"), "{e}");
        assert_eq!(snapshot(loc), before, "{bad:?}: the database was left as it was");
    }
    tamper(loc, "DELETE FROM meta WHERE key = 'schema_version'");
    assert!(matches!(Records::open(loc), Err(RecordsError::NotCallforge { .. })), "no version at all");
    let current = callforge::records::schema::CURRENT;
    tamper(loc, &format!("INSERT INTO meta (key, value) VALUES ('schema_version', '{current}')"));
    assert_eq!(open(loc).trainee("Olga").expect("the records are intact").name, "Olga");
});

both!(values_of_an_unexpected_type_are_errors_not_panics, |loc| {
    let lib = lib();
    {
        let mut r = open(loc);
        r.add_trainee("Olga", Role::Generator).expect("add");
        r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect("store");
    }
    if loc.starts_with("postgres") {
        tamper(loc, "ALTER TABLE runs ALTER COLUMN label TYPE JSONB USING to_jsonb(label)");
        let mut r = open(loc);
        let e = r.runs(None).expect_err("a JSONB label");
        assert!(matches!(e, RecordsError::UnexpectedValue { .. }), "{e}");
        assert!(e.to_string().contains("altered outside callforge"), "{e}");
        let e = r.verify(&mut |_, _| {}).expect_err("verify reads every column, the label too");
        assert!(matches!(e, RecordsError::UnexpectedValue { .. }), "{e}");
        drop(r);
        tamper(loc, "ALTER TABLE meta ALTER COLUMN value TYPE BYTEA USING convert_to(value, 'UTF8')");
    } else {
        tamper(loc, "UPDATE runs SET label = X'00FF41'");
        let mut r = open(loc);
        assert_eq!(r.runs(None).expect("a blob label reads as text")[0].label, "\0\u{FFFD}A");
        drop(r);
        tamper(loc, "UPDATE meta SET value = X'FF' WHERE key = 'app'");
    }
    let e = Records::open(loc).expect_err("the meta table is not callforge's");
    assert!(e.to_string().contains("not a callforge database"), "{e}");
});

both!(verify_reports_a_tampered_hash_of_any_text, |loc| {
    let lib = lib();
    {
        let mut r = open(loc);
        r.add_trainee("Olga", Role::Generator).expect("add");
        r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect("store");
    }
    tamper(loc, "UPDATE runs SET scenario_hash = 'éééééééééééééééééé'");
    let report = open(loc).verify(&mut |_, _| {}).expect("verify");
    assert!(report.problems.iter().any(|p| p.id == 1 && p.what.contains("(éééééééééééé)")), "{:?}", report.problems);
});

both!(a_trainee_named_as_a_number_never_shadows_an_id, |loc| {
    let mut r = open(loc);
    let olga = r.add_trainee("Olga", Role::Generator).expect("add");
    let ivan = r.add_trainee("Ivan", Role::Generator).expect("add");
    let e = r.add_trainee("2", Role::Generator).expect_err("digits only");
    assert!(matches!(e, RecordsError::NumericName(_)), "{e}");
    assert!(e.to_string().contains("only digits"), "{e}");
    assert!(matches!(r.add_trainee("id:9", Role::Generator), Err(RecordsError::ReservedName(_))));
    assert_eq!(r.trainee(TraineeRef::parse("2")).expect("id 2").id, ivan);
    // A name made of digits from before this rule (or written behind callforge's back).
    tamper(loc, &format!("UPDATE trainees SET name = '{ivan}' WHERE id = {olga}"));
    let e = r.trainee(TraineeRef::parse(&ivan.to_string())).expect_err("ambiguous");
    assert!(matches!(e, RecordsError::AmbiguousTrainee(_)), "{e}");
    assert!(e.to_string().contains(&format!("id:{ivan} or name:{ivan}")), "{e}");
    assert_eq!(r.trainee(TraineeRef::parse(&format!("id:{ivan}"))).expect("by id").name, "Ivan");
    assert_eq!(r.trainee(TraineeRef::parse(&format!("name:{ivan}"))).expect("by name").id, olga);
    assert_eq!(r.trainee(TraineeRef::parse(&olga.to_string())).expect("id 1 has no rival").id, olga);
});

both!(commands_that_only_read_never_create_a_database, |loc| {
    if loc.starts_with("postgres") {
        let e = Records::open_existing(loc).expect_err("an empty database");
        assert!(matches!(e, RecordsError::NoRecords { .. }), "{e}");
        assert!(snapshot_tables(loc).is_empty(), "no table was created");
    } else {
        let missing = std::path::Path::new(loc).with_file_name("typo").join("records.db");
        let e = Records::open_existing(&missing.display().to_string()).expect_err("missing");
        assert!(matches!(e, RecordsError::Missing { .. }), "{e}");
        assert!(e.to_string().contains("no records database"), "{e}");
        assert!(!missing.parent().expect("folder").exists(), "the folder was not created");
    }
    let mut r = Records::open(loc).expect("a command that stores creates it");
    assert!(r.was_created());
    r.add_trainee("Olga", Role::Generator).expect("add");
    drop(r);
    let r = Records::open_existing(loc).expect("now it exists");
    assert!(!r.was_created());
});

fn snapshot_tables(loc: &str) -> Vec<String> {
    let mut c = postgres::Client::connect(loc, postgres::NoTls).expect("connect");
    c.query("SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = 'public'", &[])
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn a_database_file_deleted_or_replaced_while_open_is_never_written_blindly() {
    let lib = lib();
    let loc = fresh("sqlite").expect("sqlite");
    let mut r = open(&loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect("store");
    std::fs::remove_file(&loc).expect("delete the file under callforge");
    let e = r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect_err("gone");
    assert!(matches!(e, RecordsError::FileGone { .. }), "{e}");
    assert!(e.to_string().contains("deleted or moved away") && e.to_string().contains("nothing more"), "{e}");
    assert!(r.add_trainee("Ivan", Role::Generator).is_err(), "every later write is refused too");
    drop(r);
    assert!(matches!(Records::open_existing(&loc), Err(RecordsError::Missing { .. })));

    let other = fresh("sqlite").expect("sqlite");
    open(&other).add_trainee("Somebody else", Role::Generator).expect("add");
    let mut r = open(&other);
    let replacement = fresh("sqlite").expect("sqlite");
    open(&replacement).add_trainee("Replacement", Role::Generator).expect("add");
    std::fs::rename(&replacement, &other).expect("replace the file under callforge");
    let e = r.add_trainee("Ivan", Role::Generator).expect_err("replaced");
    assert!(matches!(e, RecordsError::FileReplaced { .. }), "{e}");
    drop(r);
    let names: Vec<String> = open(&other).trainees().expect("list").into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["Replacement"], "nothing was written into the file now at the path");
}

#[test]
fn a_full_disk_loses_no_confirmed_run_and_says_so() {
    let lib = lib();
    let loc = fresh("sqlite").expect("sqlite");
    let mut r = open(&loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    let pages: u32 = rusqlite::Connection::open(&loc)
        .expect("open")
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .expect("pages");
    r.limit_pages(pages + 6).expect("limit");
    let mut confirmed = Vec::new();
    let error = loop {
        match r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 1])) {
            Ok(s) => confirmed.push(s.id),
            Err(e) => break e,
        }
        assert!(confirmed.len() < 10_000, "the limit never bit");
    };
    assert!(matches!(error, RecordsError::Full { .. }), "{error}");
    assert!(error.to_string().contains("is full") && error.to_string().contains("free some space"), "{error}");
    assert!(!confirmed.is_empty());
    drop(r);
    let mut r = open(&loc);
    let stored: Vec<i64> = r.runs(None).expect("runs").into_iter().map(|run| run.id).collect();
    assert_eq!(stored, confirmed, "every confirmed run is there, and nothing else");
    assert!(r.verify(&mut |_, _| {}).expect("verify").problems.is_empty());
}

#[test]
fn a_database_in_a_read_only_folder_reads_and_refuses_writes_clearly() {
    use std::os::unix::fs::PermissionsExt;
    let base = std::path::PathBuf::from(fresh("sqlite").expect("sqlite"));
    let folder = base.with_extension("dir");
    std::fs::create_dir_all(&folder).expect("folder");
    let loc = folder.join("records.db").display().to_string();
    open(&loc).add_trainee("Olga", Role::Generator).expect("add");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let result = std::panic::catch_unwind(|| {
        let mut r = open(&loc);
        assert!(r.is_read_only());
        assert_eq!(r.trainees().expect("reads").len(), 1);
        let e = r.add_trainee("Ivan", Role::Generator).expect_err("read-only folder");
        assert!(matches!(e, RecordsError::ReadOnlyFolder { .. }), "{e}");
        assert!(e.to_string().contains("is read-only") && !e.to_string().contains("damaged"), "{e}");
        drop(r);
        let left: Vec<String> = std::fs::read_dir(&folder)
            .expect("list")
            .map(|f| f.expect("entry").file_name().display().to_string())
            .collect();
        assert_eq!(left, ["records.db"], "reading left no -wal or -shm file");
    });
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}

#[test]
fn wal_and_shm_files_nobody_may_write_are_named_with_what_to_do() {
    use std::os::unix::fs::PermissionsExt;
    let loc = fresh("sqlite").expect("sqlite");
    open(&loc).add_trainee("Olga", Role::Generator).expect("add");
    // What a reader of another user leaves: empty files this user may not write (mode bits say so
    // even to an administrator, which is how the test plays "another user" as root).
    for suffix in ["-wal", "-shm"] {
        let f = format!("{loc}{suffix}");
        std::fs::write(&f, if suffix == "-shm" { vec![0u8; 32768] } else { Vec::new() }).expect("sidecar");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    }
    let e = Records::open(&loc).expect_err("the sidecars cannot be written");
    assert!(matches!(e, RecordsError::SidecarsLocked { .. }), "{e}");
    let text = e.to_string();
    assert!(text.contains(&format!("{loc}-wal")) && text.contains(&format!("{loc}-shm")), "{text}");
    assert!(text.contains("hold no records") && text.contains("delete them"), "{text}");
    for suffix in ["-wal", "-shm"] {
        std::fs::remove_file(format!("{loc}{suffix}")).expect("remove");
    }
    assert_eq!(open(&loc).trainees().expect("list").len(), 1, "after removing them it works");
}

#[test]
fn an_in_memory_database_stores_like_a_file() {
    let mut r = Records::open(":memory:").expect("in memory, as the demo uses");
    r.add_trainee("Olga", Role::Generator).expect("add");
    r.store_run("Olga", &lib(), &run_of("generator/a", Mode::Practice, &[0, 0])).expect("store");
    assert_eq!(r.runs(None).expect("runs").len(), 1);
    assert!(matches!(Records::open_existing(":memory:"), Err(RecordsError::NoRecords { .. })));
}
