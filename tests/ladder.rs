//! Exams per language: the ladder's exam in each language, checked when it loads, and a pass in either language counting.

use crate::records::{PROCTOR, add_proctor, fresh, open, tamper};
use crate::support::library;
use callforge::domain::Library;
use callforge::domain::SourceFile;
use callforge::domain::ladder::{self, RunFact, Sitting};
use callforge::domain::model::{Input, Mode, Role, Run};
use callforge::records::{Records, RecordsError, RungChange, TraineeRef};
use std::sync::atomic::{AtomicU32, Ordering};

const SCRIPT_G: &str = r#"Script(id: "g", version: 1, role: Generator, title: "G", stages: [
    Stage(id: "hi", title: "Greet", line: "Good morning, this is Northwind.", weight: 50, critical: true),
    Stage(id: "ask", title: "Ask", line: "May I send you a free sample?", weight: 50),
])"#;
const SCRIPT_C: &str = r#"Script(id: "c", version: 1, role: Closer, title: "C", stages: [
    Stage(id: "hi", title: "Greet", line: "Hello again, it is Northwind.", weight: 50, critical: true),
    Stage(id: "close", title: "Close", line: "Shall I send the contract today?", weight: 50),
])"#;
const SCRIPT_A: &str = r#"Script(id: "a", version: 1, role: AccountManager, title: "A", stages: [
    Stage(id: "hi", title: "Greet", line: "Hello, your account manager speaking.", weight: 50, critical: true),
    Stage(id: "close", title: "Close", line: "Shall we repeat the order?", weight: 50),
])"#;

/// A scenario of two scored lines; `extra` adds fields (`partner`, `difficulty`, `pass_mark`).
fn scenario(id: &str, role: &str, script: &str, language: &str, extra: &str) -> String {
    let (first, second) = if role == "Generator" { ("hi", "ask") } else { ("hi", "close") };
    format!(
        r#"Scenario(id: "{id}", version: 1, title: "{id}", role: {role}, language: "{language}", script: "{script}",
        brief: "b", persona: Persona(name: "Ann", position: "Buyer", company: "Initech", patience: 3), start: "a",
        {extra}
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

/// The ladder of DESIGN.md, byte for byte as shipped.
fn design_ladder() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ladder.ron")).expect("the shipped ladder")
}

/// Every scenario the DESIGN ladder names, each with a Russian partner; `account_partners: false`
/// leaves the account manager's exam without any.
fn files(account_partners: bool) -> Vec<(String, String)> {
    let mut out = vec![
        ("scripts/g.ron".to_owned(), SCRIPT_G.to_owned()),
        ("scripts/c.ron".to_owned(), SCRIPT_C.to_owned()),
        ("scripts/a.ron".to_owned(), SCRIPT_A.to_owned()),
        ("generator/a.ron".to_owned(), scenario("generator/a", "Generator", "g", "en", "")),
        ("generator/a-ru.ron".to_owned(), scenario("generator/a-ru", "Generator", "g", "ru", "")),
    ];
    let pairs = [
        ("closer/warm-lead-price", "Closer", "c", true),
        ("closer/warm-lead-competitor", "Closer", "c", true),
        ("account/repeat-order", "AccountManager", "a", account_partners),
        ("account/complaint", "AccountManager", "a", account_partners),
    ];
    for (id, role, script, paired) in pairs {
        let ru = format!("{id}-ru");
        let (en_extra, ru_extra) = if paired {
            (format!(r#"partner: "{ru}","#), format!(r#"partner: "{id}","#))
        } else {
            (String::new(), String::new())
        };
        out.push((format!("{id}.ron"), scenario(id, role, script, "en", &en_extra)));
        out.push((format!("{ru}.ron"), scenario(&ru, role, script, "ru", &ru_extra)));
    }
    // Russian closer scenarios that are no one's partner: one as hard as the exam, one harder.
    out.push(("closer/other-ru.ron".into(), scenario("closer/other-ru", "Closer", "c", "ru", "")));
    out.push(("closer/hard-ru.ron".into(), scenario("closer/hard-ru", "Closer", "c", "ru", "pass_mark: 90,")));
    out
}

/// The library of `files` with a ladder; it may have errors.
fn load(files: &[(String, String)], ladder: &str) -> Library {
    let mut sources: Vec<SourceFile> = files.iter().map(|(p, t)| SourceFile::new(p.as_str(), t.as_str())).collect();
    sources.push(SourceFile::new("ladder.ron", ladder));
    Library::from_sources(sources)
}

/// The DESIGN ladder over scenarios with Russian partners: no errors.
fn design_lib() -> Library {
    let files = files(true);
    let ladder = design_ladder();
    let mut pairs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    pairs.push(("ladder.ron", &ladder));
    library(&pairs)
}

fn rendered(lib: &Library) -> String {
    lib.diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// The diagnostic whose message contains `needle`, as (is an error, line).
fn found(lib: &Library, needle: &str) -> (bool, usize) {
    let d = lib
        .diagnostics
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic with {needle:?} in:\n{}", rendered(lib)));
    (d.is_error(), d.line)
}

#[test]
fn the_design_ladder_loads_and_gives_russian_exams_through_partners() {
    let lib = design_lib();
    let ladder = lib.ladder.as_ref().expect("the ladder is used");
    assert!(ladder.rungs.iter().all(|r| r.exam.as_ref().is_none_or(|e| e.languages.is_empty())));
    assert!(!rendered(&lib).contains("have no exam"), "{}", rendered(&lib));
    let exams = |role, lang| ladder::exam_scenarios(ladder, &lib, role, lang);
    assert_eq!(exams(Role::Closer, "en"), ["closer/warm-lead-price", "closer/warm-lead-competitor"]);
    assert_eq!(exams(Role::Closer, "ru"), ["closer/warm-lead-price-ru", "closer/warm-lead-competitor-ru"]);
    assert_eq!(exams(Role::AccountManager, "ru"), ["account/repeat-order-ru", "account/complaint-ru"]);
    assert!(exams(Role::Generator, "ru").is_empty(), "the first rung has no exam");
    let slots = ladder::exam_slots(ladder.rungs[1].exam.as_ref().expect("exam"), &lib, "ru");
    assert_eq!(slots[0].counts, ["closer/warm-lead-price-ru", "closer/warm-lead-price"]);
    assert!(slots.iter().all(|s| s.in_language));
}

#[test]
fn a_language_without_an_exam_is_a_warning_and_takes_the_ladders_own() {
    let lib = load(&files(false), &design_ladder());
    let ladder = lib.ladder.as_ref().unwrap_or_else(|| panic!("a warning never stops the ladder: {}", rendered(&lib)));
    // The account manager's exam is listed on line 13 of the DESIGN ladder.
    let (error, line) = found(&lib, "trainees whose language is ru have no exam in ru for AccountManager");
    assert_eq!((error, line), (false, 13));
    assert!(rendered(&lib).contains("account/repeat-order, account/complaint have no scenario in ru"));
    assert!(!rendered(&lib).contains("for Closer"), "{}", rendered(&lib));
    let exams = ladder::exam_scenarios(ladder, &lib, Role::AccountManager, "ru");
    assert_eq!(exams, ["account/repeat-order", "account/complaint"], "they take it in English");
}

/// A Closer exam naming its Russian list outright, one scenario per line (lines 6 and 7).
fn named_ladder(first: &str, second: &str) -> String {
    format!(
        r#"Ladder(rungs: [
    Rung(role: Generator, title: "Lead generator"),
    Rung(role: Closer, title: "Closer", exam: Some(Exam(
        scenarios: ["closer/warm-lead-price", "closer/warm-lead-competitor"],
        languages: {{"ru": [
            "{first}",
            "{second}",
        ]}},
        mode: Exam,
        min_score: 85,
        practice_runs: 2,
        cooldown_hours: 24,
    ))),
])"#
    )
}

#[test]
fn a_named_list_overrides_the_partners() {
    let lib = load(&files(true), &named_ladder("closer/other-ru", "closer/warm-lead-competitor-ru"));
    let ladder = lib.ladder.as_ref().unwrap_or_else(|| panic!("{}", rendered(&lib)));
    assert_eq!(
        ladder::exam_scenarios(ladder, &lib, Role::Closer, "ru"),
        ["closer/other-ru", "closer/warm-lead-competitor-ru"]
    );
    assert_eq!(
        ladder::exam_scenarios(ladder, &lib, Role::Closer, "en"),
        ["closer/warm-lead-price", "closer/warm-lead-competitor"]
    );
    // Equally hard but not the partner of the scenario it stands for: a warning on its line.
    let (error, line) = found(&lib, "\"closer/other-ru\" stands for \"closer/warm-lead-price\" but is not its partner");
    assert_eq!((error, line), (false, 6));
    assert!(!rendered(&lib).contains("competitor-ru\" stands for"), "{}", rendered(&lib));
    // Every scenario that stands for the place counts for it.
    let slots = ladder::exam_slots(ladder.rungs[1].exam.as_ref().expect("exam"), &lib, "en");
    assert_eq!(slots[0].counts, ["closer/warm-lead-price", "closer/warm-lead-price-ru", "closer/other-ru"]);
}

#[test]
fn a_bad_named_list_is_an_error_on_its_line_and_the_ladder_is_not_used() {
    let cases = [
        ("closer/warm-lead-price-ru", "generator/a-ru", "is a Generator scenario, but this exam is for Closer", 7),
        ("closer/warm-lead-price", "closer/warm-lead-competitor-ru", "is in en, but this list is the exam in ru", 6),
        ("closer/hard-ru", "closer/warm-lead-competitor-ru", "is not as hard: pass_mark 90, not 80", 6),
        ("closer/warm-lead-price-ru", "closer/nope-ru", "there is no valid scenario \"closer/nope-ru\"", 7),
        ("closer/warm-lead-price-ru", "closer/warm-lead-price-ru", "is listed twice in the exam in ru", 7),
    ];
    for (first, second, message, line) in cases {
        let lib = load(&files(true), &named_ladder(first, second));
        assert_eq!(found(&lib, message), (true, line), "{message}");
        assert!(lib.ladder.is_none(), "{message}: a ladder with errors is not used");
    }
    let short = named_ladder("closer/warm-lead-price-ru", "x").replace("            \"x\",\n", "");
    let lib = load(&files(true), &short);
    assert_eq!(found(&lib, "the exam in ru lists 1 scenario(s), but `scenarios` lists 2"), (true, 5));
    assert!(lib.ladder.is_none());
}

/// A fact of a run of `id` in `lib` (its current version), as the records hand it to the rules.
fn fact(lib: &Library, id: &str, mode: Mode, score: u32, at: i64, sitting: Sitting) -> RunFact {
    let p = lib.scenario(id).unwrap_or_else(|| panic!("no {id}"));
    RunFact {
        scenario: id.to_owned(),
        role: p.scenario.role,
        mode,
        score,
        critical: false,
        finished: true,
        version: p.scenario.version,
        hash: p.hash().to_owned(),
        at,
        sitting,
    }
}

#[test]
fn a_pass_in_either_language_counts_and_a_cooldown_holds_in_both() {
    let lib = design_lib();
    let ladder = lib.ladder.as_ref().expect("ladder");
    let t = Sitting::Ticket;
    let mut runs: Vec<RunFact> = (0..10)
        .map(|k| fact(&lib, if k % 2 == 0 { "generator/a" } else { "generator/a-ru" }, Mode::Practice, 50, k, t))
        .collect();
    runs.push(fact(&lib, "closer/warm-lead-price", Mode::Exam, 90, 100, t));
    let e = ladder::eligibility(ladder, &lib, Role::Generator, "ru", &runs, 1_000);
    assert_eq!(e.practice_runs, 10, "practice counts in any language");
    assert_eq!(e.language, "ru");
    assert_eq!(e.exams[0].scenario, "closer/warm-lead-price-ru");
    assert!(e.exams[0].passed, "the English pass counts for the Russian exam");
    assert_eq!(e.exams[0].history[0].scenario, "closer/warm-lead-price");
    assert!(!e.exams[1].passed && !e.eligible);
    assert_eq!(
        e.missing,
        ["pass the exam closer/warm-lead-competitor-ru (Exam mode, score ≥ 85, no critical error)".to_owned()]
    );
    assert_eq!(
        e.missing_in(callforge::domain::feedback::Lang::Ru),
        ["сдать экзамен closer/warm-lead-competitor-ru (режим «Экзамен», балл не ниже 85, без критических ошибок)"
            .to_owned()]
    );
    // A failed attempt in Russian locks the place in English too.
    runs.push(fact(&lib, "closer/warm-lead-competitor-ru", Mode::Exam, 40, 200, t));
    let e = ladder::eligibility(ladder, &lib, Role::Generator, "en", &runs, 300);
    assert_eq!(e.exams[1].scenario, "closer/warm-lead-competitor");
    assert_eq!(e.exams[1].locked_until, Some(200 + 24 * 3600));
    assert!(!ladder::exam_open(&e, "closer/warm-lead-competitor"));
    assert!(!ladder::exam_open(&e, "closer/warm-lead-competitor-ru"));
    assert!(ladder::exam_open(&e, "closer/warm-lead-price-ru"));
    runs.push(fact(&lib, "closer/warm-lead-competitor", Mode::Exam, 95, 200 + 25 * 3600, t));
    let e = ladder::eligibility(ladder, &lib, Role::Generator, "en", &runs, 200 + 26 * 3600);
    assert!(e.eligible, "{:?}", e.missing);
}

#[test]
fn a_trainees_language_is_theirs_else_their_latest_runs_else_english() {
    let lib = design_lib();
    let t = Sitting::NoTicket;
    let runs =
        [fact(&lib, "generator/a-ru", Mode::Practice, 50, 10, t), fact(&lib, "generator/a", Mode::Practice, 50, 5, t)];
    assert_eq!(ladder::trainee_language("en", &runs, &lib), "en");
    assert_eq!(ladder::trainee_language("", &runs, &lib), "ru", "the latest run is Russian");
    assert_eq!(ladder::trainee_language("", &runs[1..], &lib), "en");
    assert_eq!(ladder::trainee_language("", &[], &lib), "en");
}

static SEEDS: AtomicU32 = AtomicU32::new(1);

/// A run file of `scenario` in `lib`, as callforge writes one.
fn run_of(lib: &Library, trainee: &str, scenario: &str, mode: Mode, picks: &[usize]) -> Run {
    let p = lib.scenario(scenario).unwrap_or_else(|| panic!("no {scenario}"));
    Run {
        scenario: scenario.to_owned(),
        version: Some(p.scenario.version),
        hash: Some(p.hash().to_owned()),
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

/// Sits an exam with the proctor's ticket.
fn sit(r: &mut Records, lib: &Library, who: &str, scenario: &str, picks: &[usize]) -> callforge::records::StoredRun {
    let t = r.trainee(who).expect("trainee");
    let ticket = r
        .issue_ticket(TraineeRef::Id(t.id), scenario, Mode::Exam, PROCTOR.0, PROCTOR.1, lib)
        .unwrap_or_else(|e| panic!("ticket for {scenario}: {e}"));
    let run = Run { seed: ticket.seed, ..run_of(lib, &t.name, scenario, Mode::Exam, picks) };
    r.store_run_with_ticket(TraineeRef::Id(t.id), lib, &run, ticket.id).expect("stored")
}

crate::both!(a_trainee_who_passed_in_english_and_switched_to_russian_is_eligible, |loc| {
    let lib = design_lib();
    let mut r = open(loc);
    r.add_trainee_in("Olga", Role::Generator, "en").expect("add");
    add_proctor(&mut r);
    for _ in 0..10 {
        r.store_run("Olga", &lib, &run_of(&lib, "Olga", "generator/a-ru", Mode::Practice, &[0, 0])).expect("practice");
    }
    let passed = sit(&mut r, &lib, "Olga", "closer/warm-lead-price", &[0, 0]);
    assert!(passed.exam.as_ref().is_some_and(|x| x.passed && x.counted), "{:?}", passed.exam);
    let report = r.report("Olga", &lib).expect("report");
    assert_eq!(report.language, "en");
    let e = report.eligibility.expect("ladder");
    assert_eq!(e.exams[0].scenario, "closer/warm-lead-price");

    let olga = r.set_trainee_language("Olga", "ru").expect("set");
    assert_eq!(olga.language, "ru");
    assert_eq!(r.trainee("Olga").expect("olga").language, "ru");
    let e = r.report("Olga", &lib).expect("report").eligibility.expect("ladder");
    let ids: Vec<&str> = e.exams.iter().map(|x| x.scenario.as_str()).collect();
    assert_eq!(ids, ["closer/warm-lead-price-ru", "closer/warm-lead-competitor-ru"]);
    assert!(e.exams[0].passed && !e.exams[1].passed, "the English pass is kept");
    // A ticket for the Russian exam of the place already passed, or for either exam of the other,
    // is accepted: they are the same exam.
    let stored = sit(&mut r, &lib, "Olga", "closer/warm-lead-competitor-ru", &[0, 0]);
    let note = stored.exam.expect("an exam attempt");
    assert!(note.counted && note.passed && note.to_role == Role::Closer, "{note:?}");
    assert!(note.reason.text(callforge::domain::feedback::Lang::Ru).starts_with("сдано"), "{note:?}");
    assert!(r.report("Olga", &lib).expect("report").eligibility.expect("ladder").eligible);
    let p = r.change_rung(RungChange::Promote, "Olga", PROCTOR.0, PROCTOR.1, &lib).expect("promoted");
    assert_eq!(p.to_role, Role::Closer);
    // Anyone with the records may change a language, and it is audited; nonsense is refused.
    assert!(matches!(r.set_trainee_language("Olga", "Русский"), Err(RecordsError::BadLanguage(_))));
    let audit = r.audit_trail().expect("audit");
    assert!(audit.iter().any(|(_, actor, action, detail)| actor == "Olga"
        && action == "trainee.language"
        && detail.contains("en → ru")));
    assert!(r.verify(&mut |_, _| {}).expect("verify").problems.is_empty());
});

crate::both!(a_russian_trainees_report_lists_the_russian_exams, |loc| {
    let lib = design_lib();
    let mut r = open(loc);
    r.add_trainee_in("Ольга", Role::Generator, "ru").expect("add");
    let report = r.report("Ольга", &lib).expect("report");
    assert_eq!((report.trainee.language.as_str(), report.language.as_str()), ("ru", "ru"));
    let e = report.eligibility.expect("ladder");
    let ids: Vec<&str> = e.exams.iter().map(|x| x.scenario.as_str()).collect();
    assert_eq!(ids, ["closer/warm-lead-price-ru", "closer/warm-lead-competitor-ru"]);
    // Without a language, the latest run decides.
    r.add_trainee("Ivan", Role::Generator).expect("add");
    assert_eq!(r.report("Ivan", &lib).expect("report").language, "en");
    r.store_run("Ivan", &lib, &run_of(&lib, "Ivan", "generator/a-ru", Mode::Practice, &[0, 0])).expect("run");
    let report = r.report("Ivan", &lib).expect("report");
    assert_eq!((report.trainee.language.as_str(), report.language.as_str()), ("", "ru"));
    // The team report lists each trainee's exams in their language.
    let team = callforge::report::team(&mut r, &lib, None, None).expect("team");
    let html = callforge::report::html::render(&team, callforge::domain::feedback::Lang::Ru);
    assert!(html.contains("closer/warm-lead-price-ru"), "the Russian exams are in the report");
    assert!(html.contains("сдать экзамен closer/warm-lead-competitor-ru"), "what is left, in Russian");
    assert!(!html.contains("more practice run"), "no English in the Russian report");
});

crate::both!(the_language_migration_upgrades_an_older_database, |loc| {
    drop(Records::open_at(loc, 5).expect("schema 5"));
    tamper(loc, "INSERT INTO trainees (name, role, created_at) VALUES ('Olga', 'Generator', 1700000000)");
    let mut r = open(loc);
    assert_eq!(r.schema_version().expect("version"), callforge::records::schema::CURRENT);
    let olga = r.trainee("Olga").expect("kept");
    assert_eq!((olga.role, olga.created_at, olga.language.as_str()), (Role::Generator, 1_700_000_000, ""));
    assert_eq!(r.set_trainee_language("Olga", "ru").expect("set").language, "ru");
    r.add_trainee_in("Ivan", Role::Generator, "en").expect("a new trainee with a language");
    let all: Vec<(String, String)> = r.trainees().expect("list").into_iter().map(|t| (t.name, t.language)).collect();
    assert_eq!(all, [("Olga".to_owned(), "ru".to_owned()), ("Ivan".to_owned(), "en".to_owned())]);
});

/// The library's files on disk, for the command line.
fn write_root(dir: &std::path::Path) {
    for (path, text) in files(true).into_iter().chain([("ladder.ron".to_owned(), design_ladder())]) {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("mkdir");
        std::fs::write(file, text).expect("write");
    }
}

fn cli(dir: &std::path::Path, args: &[&str], lang: Option<&str>, stdin: &str) -> (String, String) {
    use std::io::Write;
    let db = dir.join("records.db");
    let scenarios = dir.join("scenarios");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_callforge"));
    cmd.args(args).env("NO_COLOR", "1").env("CALLFORGE_DB", &db).env("CALLFORGE_SCENARIOS", &scenarios);
    for k in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(k);
    }
    if let Some(l) = lang {
        cmd.env("LANG", l);
    }
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("ends");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert!(out.status.success(), "{args:?}: {}{}", text(&out.stdout), text(&out.stderr));
    (text(&out.stdout), text(&out.stderr))
}

#[test]
fn trainee_show_and_an_exam_in_the_terminal_speak_the_trainees_language() {
    let dir = std::env::temp_dir().join(format!("callforge-ladder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_root(&dir.join("scenarios"));
    cli(&dir, &["trainee", "add", "Ольга", "--lang", "ru"], None, "");
    let (show, _) = cli(&dir, &["trainee", "show", "Ольга"], None, "");
    assert!(show.contains("Exams in: ru"), "{show}");
    assert!(
        show.contains("exam closer/warm-lead-price-ru (Exam mode, ≥ 85; a pass of closer/warm-lead-price counts too)"),
        "{show}"
    );
    assert!(show.contains("exam closer/warm-lead-competitor-ru"), "{show}");
    // Without --lang, the terminal's language, said on stderr.
    let (_, said) = cli(&dir, &["trainee", "add", "Ivan"], Some("ru_RU.UTF-8"), "");
    assert!(said.contains("language: ru (the terminal's)"), "{said}");
    cli(&dir, &["trainee", "set-lang", "Ivan", "en"], None, "");
    let (list, _) = cli(&dir, &["trainee", "list"], None, "");
    let ivan = list.lines().find(|l| l.contains("Ivan")).expect("Ivan listed");
    assert!(ivan.contains(" en "), "{list}");
    // An exam without --scenario offers the next rung's exam in the trainee's language, in its words.
    let (menu, _) = cli(&dir, &["play", "--mode", "exam", "--trainee", "Ольга"], None, "q\n");
    assert!(menu.contains("Экзамены:"), "{menu}");
    assert!(menu.contains("closer/warm-lead-price-ru") && menu.contains("closer/warm-lead-competitor-ru"), "{menu}");
    assert!(!menu.contains("closer/warm-lead-price —"), "no English exam in the menu: {menu}");
    let _ = std::fs::remove_dir_all(&dir);
}
