//! Managers' reports: the HTML page, the CSV tables, xAPI statements, a real LRS and a real browser.

use crate::records::{PROCTOR, add_proctor, fresh, lib, run_for, sit_exam};
use callforge::clock::Clock;
use callforge::domain::assign::{State, Task};
use callforge::domain::model::{Mode, Role};
use callforge::records::{AssignTo, NewAssignment, Records, TraineeRef};
use callforge::report;
use std::process::Command;

/// A team: an eligible generator, a struggling one whose name needs escaping, and a closer.
fn team() -> (Records, callforge::domain::Library) {
    let lib = lib();
    let mut r = Records::open(&fresh("sqlite").expect("sqlite")).expect("open");
    r.set_clock(Clock::Fixed(1_800_000_000));
    r.add_trainee("Ольга Петрова", Role::Generator).expect("add");
    r.add_trainee("<b>Ivan</b> & co", Role::Generator).expect("add");
    add_proctor(&mut r);
    r.enrol_trainee("Anna", Role::Closer, PROCTOR.0, PROCTOR.1).expect("add");
    let olga = "Ольга Петрова";
    // Olga's practice call (met by her runs below) and every generator's Recall call (never met).
    let week = 1_800_000_000 + 7 * 86_400;
    let call = |to, scenario: &str, mode, min| NewAssignment {
        to,
        task: Task::Call { scenario: scenario.into(), mode },
        due: week,
        min_score: min,
        note: "До пятницы, пожалуйста".into(),
    };
    let olgas = call(AssignTo::Trainee(TraineeRef::parse(olga)), "generator/a", Mode::Practice, Some(80));
    r.add_assignment(olgas, PROCTOR.0, PROCTOR.1, &lib).expect("Olga's assignment");
    let everyones = call(AssignTo::Role(Role::Generator), "generator/b", Mode::Recall, None);
    r.add_assignment(everyones, PROCTOR.0, PROCTOR.1, &lib).expect("the generators' assignment");
    for _ in 0..2 {
        r.store_run(olga, &lib, &run_for(olga, "generator/a", Mode::Practice, &[0, 0])).expect("store");
    }
    sit_exam(&mut r, &lib, olga, "closer/x", Mode::Exam, &[0, 0]).expect("store");
    sit_exam(&mut r, &lib, olga, "closer/y", Mode::Exam, &[0, 0]).expect("store");
    let ivan = "<b>Ivan</b> & co";
    r.store_run(ivan, &lib, &run_for(ivan, "generator/b", Mode::Practice, &[1, 0])).expect("store");
    r.store_run(ivan, &lib, &run_for(ivan, "generator/b", Mode::Practice, &[1, 1])).expect("store");
    r.set_clock(Clock::Fixed(1_800_000_000 + 30 * 86_400));
    r.store_run("Anna", &lib, &run_for("Anna", "closer/x", Mode::Practice, &[0, 1])).expect("store");
    (r, lib)
}

#[test]
fn the_html_report_is_self_contained_escaped_and_printable() {
    let (mut r, lib) = team();
    let data = report::team(&mut r, &lib, None, None).expect("report");
    assert_eq!(data.trainees.len(), 3);
    let olga = &data.trainees[0];
    assert!(olga.eligible(), "two practice runs and both exams passed");
    assert_eq!((olga.runs.len(), olga.best), (4, Some(100)));
    let ivan = &data.trainees[1];
    assert_eq!(ivan.average, Some(25.0));
    let html = report::html::render(&data, callforge::domain::feedback::Lang::En);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("&lt;b&gt;Ivan&lt;/b&gt; &amp; co"), "names are escaped");
    assert!(!html.contains("<b>Ivan</b>"));
    assert!(html.contains("Ольга Петрова"));
    assert!(html.matches("<svg").count() >= 4, "inline charts");
    assert!(html.contains("size:A4") && html.contains("break-before:page"), "prints on A4, a page per trainee");
    for external in ["src=\"http", "href=\"http", "<link", "@import", "url("] {
        assert!(!html.contains(external), "no external assets: {external}");
    }
    // The weakest stage comes first in the heatmap columns.
    let weakest = &data.stages[0];
    assert!(data.stages.iter().all(|s| s.quality >= weakest.quality));
    let ru = report::html::render(&data, callforge::domain::feedback::Lang::Ru);
    assert!(ru.contains("Отчёт по обучению продажам") && ru.contains("lang=\"ru\""));
    // Assignments: Olga met hers, and both generators are overdue on the Recall call; Anna (a
    // closer) has none.
    let states = |t: &report::TraineeSummary| t.assignments.iter().map(|a| a.progress.state).collect::<Vec<_>>();
    assert_eq!(states(olga), [State::Overdue, State::Done]);
    assert_eq!(states(ivan), [State::Overdue]);
    assert!(data.trainees[2].assignments.is_empty());
    assert!(html.contains("<h2>Assignments</h2>") && html.contains("1/2 done") && html.contains("До пятницы"));
    assert_eq!(html.matches(">overdue<").count(), 2 * 2, "in the team's list and on each trainee's page");
    assert!(ru.contains("<h2>Задания</h2>") && ru.contains("просрочено") && ru.contains("выполнено"));
}

#[test]
fn since_and_role_narrow_the_report() {
    let (mut r, lib) = team();
    let since = report::parse_since("2027-02-01").expect("date");
    let later = report::team(&mut r, &lib, Some(since), None).expect("report");
    let runs: usize = later.trainees.iter().map(|t| t.runs.len()).sum();
    assert_eq!(runs, 1, "only Anna played after 2027-02-01 (the others on 2027-01-15)");
    let closers = report::team(&mut r, &lib, None, Some(Role::Closer)).expect("report");
    assert_eq!(closers.trainees.iter().map(|t| t.trainee.name.as_str()).collect::<Vec<_>>(), ["Anna"]);
    assert!(report::parse_since("yesterday").is_none());
}

#[test]
fn csv_tables_carry_a_bom_and_cyrillic() {
    let (mut r, lib) = team();
    let data = report::team(&mut r, &lib, None, None).expect("report");
    let dir = std::env::temp_dir().join(format!("callforge-csv-{}", std::process::id()));
    let files = report::csv::write_all(&data, &dir, callforge::domain::feedback::Lang::En).expect("csv");
    assert_eq!(files.len(), 5);
    let assigned = std::fs::read_to_string(dir.join("assignments.csv")).expect("assignments");
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(assigned.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    let cells: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[2].as_str(), r[4].as_str(), r[10].as_str())).collect();
    assert_eq!(
        cells,
        [
            ("Ольга Петрова", "generator/b", "overdue"),
            ("Ольга Петрова", "generator/a", "done"),
            ("<b>Ivan</b> & co", "generator/b", "overdue")
        ]
    );
    let bytes = std::fs::read(dir.join("trainees.csv")).expect("read");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf8");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let names: Vec<String> = rows.records().map(|r| r.expect("row")[1].to_owned()).collect();
    assert_eq!(names, ["Ольга Петрова", "<b>Ivan</b> & co", "Anna"]);
    let runs = std::fs::read_to_string(dir.join("runs.csv")).expect("runs");
    assert_eq!(runs.lines().count(), 1 + 7);
}

#[test]
fn xapi_statements_follow_the_spec_and_are_stable() {
    let (mut r, lib) = team();
    let id = report::xapi::Identity::default();
    let a = report::xapi::statements(&mut r, &lib, None, &id).expect("statements");
    let b = report::xapi::statements(&mut r, &lib, None, &id).expect("statements");
    // 7 runs, 2 assignments set, 1 met.
    assert_eq!(a.len(), 10);
    assert_eq!(a, b, "a re-export gives the same statements and ids");
    let ids: std::collections::HashSet<&str> = a.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids.len(), 10);
    let assigned: Vec<&serde_json::Value> =
        a.iter().filter(|s| s["verb"]["id"] == "http://activitystrea.ms/schema/1.0/assign").collect();
    assert_eq!(assigned.len(), 2);
    assert_eq!(assigned[0]["actor"]["account"]["name"], "manager:proctor");
    assert_eq!(
        assigned[1]["object"]["definition"]["extensions"]["https://callforge.local/xapi/extensions/assignee"],
        "role:Generator"
    );
    let met = a
        .iter()
        .find(|s| {
            s["object"]["id"] == "https://callforge.local/assignments/1" && s["verb"]["display"]["en-US"] == "completed"
        })
        .expect("Olga met assignment 1");
    assert_eq!(met["actor"]["account"]["name"], "1");
    assert_eq!(met["result"]["success"], true);
    let run_ref = met["context"]["statement"]["id"].as_str().expect("the run that met it");
    assert!(a.iter().any(|s| s["id"] == run_ref), "it points at that run's own statement");
    let exam = a
        .iter()
        .find(|s| {
            s["object"]["id"].as_str().is_some_and(|o| o.ends_with("closer/x"))
                && s["verb"]["id"].as_str() != Some("http://adlnet.gov/expapi/verbs/completed")
        })
        .expect("an exam run");
    assert_eq!(exam["verb"]["id"], "http://adlnet.gov/expapi/verbs/passed");
    assert_eq!(exam["result"]["score"]["scaled"], 1.0);
    assert_eq!(exam["result"]["score"]["raw"], 100);
    assert_eq!(
        (exam["result"]["score"]["min"].as_u64(), exam["result"]["score"]["max"].as_u64()),
        (Some(0), Some(100))
    );
    assert_eq!(exam["result"]["success"], true);
    assert_eq!(exam["actor"]["account"]["name"], "1");
    assert!(exam["result"]["duration"].as_str().is_some_and(|d| d.starts_with("PT") && d.ends_with('S')));
    assert!(exam["timestamp"].as_str().is_some_and(|t| callforge::domain::time::parse_time(t).is_some()));
    let practice = a.iter().filter(|s| s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed").count();
    assert_eq!(practice, 5 + 1, "five practice runs, and one assignment met");
}

fn which(cmd: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {cmd}")]).output().is_ok_and(|o| o.status.success())
}

/// Posts to a real LRS (ralph) on loopback: every statement accepted, none twice.
#[test]
fn the_lrs_accepts_every_statement_and_none_twice() {
    let Ok(ralph) = std::env::var("CALLFORGE_TEST_RALPH") else {
        assert!(
            std::env::var_os("CALLFORGE_REQUIRE_LRS").is_none(),
            "CALLFORGE_REQUIRE_LRS is set but CALLFORGE_TEST_RALPH is not"
        );
        eprintln!("SKIPPED: LRS test (no CALLFORGE_TEST_RALPH)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("callforge-lrs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let port = 18_000 + (std::process::id() % 1000) as u16;
    let auth = dir.join("auth.json");
    let env = [
        ("RALPH_APP_DIR", dir.join("app")),
        ("RALPH_AUTH_FILE", auth.clone()),
        ("RALPH_RUNSERVER_BACKEND", "fs".into()),
    ];
    let made = Command::new(&ralph)
        .args(["auth", "-u", "callforge", "-p", "lrs pass 1", "-s", "all", "-M", "mailto:callforge@example.org", "-w"])
        .envs(env.clone())
        .output()
        .expect("ralph auth");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let mut server = Command::new(&ralph)
        .args(["runserver", "-b", "fs", "--fs-default-directory-path"])
        .arg(dir.join("data"))
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .envs(env)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("ralph runserver");
    let url = format!("http://127.0.0.1:{port}/xAPI");
    let (mut r, lib) = team();
    let statements =
        report::xapi::statements(&mut r, &lib, None, &report::xapi::Identity::default()).expect("statements");
    let mut posted = None;
    // Up to two minutes: the local LRS is a Python server, slow to answer on a loaded machine.
    for _ in 0..240 {
        match report::xapi::post(&url, "callforge", "lrs pass 1", &statements, &mut |_, _| {}) {
            Ok(p) => {
                posted = Some(p);
                break;
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(500)),
        }
    }
    let first = posted.expect("the LRS answered");
    let again = report::xapi::post(&url, "callforge", "lrs pass 1", &statements, &mut |_, _| {}).expect("again");
    let wrong = report::xapi::post(&url, "callforge", "not the password", &statements, &mut |_, _| {});
    let stored = ureq::get(&format!("{url}/statements?limit=500"))
        .header("X-Experience-API-Version", "1.0.3")
        .header("Authorization", &format!("Basic {}", base64_of("callforge:lrs pass 1")))
        .call()
        .expect("get")
        .into_body()
        .read_to_string()
        .expect("body");
    let _ = server.kill();
    let _ = server.wait();
    assert!(first.rejected.is_empty(), "{:?}", first.rejected);
    assert_eq!(first.accepted, statements.len());
    assert!(again.rejected.is_empty());
    assert!(wrong.is_err(), "a wrong password is an error");
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("json");
    let ids: std::collections::HashSet<&str> =
        stored["statements"].as_array().expect("array").iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids.len(), statements.len(), "every statement once, the second export added none");
}

fn base64_of(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// Opens the HTML report in headless Chromium: it renders without script errors, sorts, and
/// prints to A4 pages.
#[test]
fn the_report_renders_in_a_real_browser() {
    if !which("chromium") {
        assert!(
            std::env::var_os("CALLFORGE_REQUIRE_BROWSER").is_none(),
            "CALLFORGE_REQUIRE_BROWSER is set but chromium is missing"
        );
        eprintln!("SKIPPED: browser test (no chromium)");
        return;
    }
    let (mut r, lib) = team();
    let data = report::team(&mut r, &lib, None, None).expect("report");
    let dir = std::env::temp_dir().join(format!("callforge-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let page = dir.join("report.html");
    std::fs::write(&page, report::html::render(&data, callforge::domain::feedback::Lang::Ru)).expect("write");
    let chrome = |extra: &[&str]| {
        Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
            ])
            .args(["--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0"])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs")
    };
    // Click the "Average" heading, then dump the DOM: the script ran without errors.
    let js_page = dir.join("sorted.html");
    let html = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &js_page,
        html.replace("</body>", "<script>document.querySelectorAll('#team th')[4].click();</script></body>"),
    )
    .expect("write");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
        ])
        .args(["--disable-sync", "--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(format!("--user-data-dir={}", dir.join("profile2").display()))
        .arg(format!("file://{}", js_page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(!log.contains("Uncaught"), "script errors: {log}");
    assert!(dom.contains("Ольга Петрова"));
    let order: Vec<usize> =
        ["&lt;b&gt;Ivan", "Anna", "Ольга Петрова"].iter().map(|n| dom.find(n).expect("row")).collect();
    assert!(order[0] < order[1] && order[1] < order[2], "sorted by average, ascending");
    let pdf = dir.join("report.pdf");
    let printed = chrome(&[&format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer"]);
    assert!(printed.status.success(), "{}", String::from_utf8_lossy(&printed.stderr));
    let bytes = std::fs::read(&pdf).expect("pdf");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/MediaBox [0 0 594.9"), "A4 pages");
    assert!(
        text.matches("/Type /Page\n").count()
            + text.matches("/Type /Page/").count()
            + text.matches("/Type /Page ").count()
            >= 1
    );
}
