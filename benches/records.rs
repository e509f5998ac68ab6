//! Records speed: storing a run, `trainee show` for a trainee with 10,000 runs, `verify` over
//! 100,000 (scored by scorer version 2), and the managers' report for 100 trainees × 1,000 runs.
//!
//! `cargo bench --no-default-features --bench records` (SQLite in a temporary folder; set
//! CALLFORGE_BENCH_PG to a postgres:// URL of an empty database to measure PostgreSQL too).

use callforge::domain::Library;
use callforge::domain::model::{Input, Mode, Run};
use callforge::records::{Records, TraineeRef};
use std::path::PathBuf;
use std::time::Instant;

mod common;
use common::{median, ms, p95};

/// Runs of one trainee, each of its own seed (a run is stored once): a perfect call and a Recall
/// call with typed lines, alternately, so scoring does real work; scored by the newest scorer, as
/// every new call is. The busy office manager's random objection takes the same replies, so every
/// seed fits.
struct Runs {
    perfect: Run,
    recall: Run,
    next: u64,
}

impl Runs {
    fn new(lib: &Library, trainee: &str) -> Runs {
        let p = lib.scenario("generator/busy-office-manager").expect("scenario");
        let perfect = Run {
            scenario: p.id().into(),
            version: Some(p.scenario.version),
            hash: Some(p.hash().to_owned()),
            seed: 0,
            mode: Mode::Practice,
            trainee: trainee.into(),
            scorer: Some(callforge::domain::scorer::LATEST),
            inputs: vec![Input::Choose(0); 4],
            drill: None,
            times_ms: vec![],
            played_at: None,
        };
        let recall = Run {
            mode: Mode::Recall,
            inputs: vec![
                Input::Type(format!("Good afternoon, my name is {trainee}, calling from Northwind Office Supply.")),
                Input::Type("we help offices cut stationery costs by a fifth with next-day delivery".into()),
                Input::Type("I understand, many clients had a supplier; a free trial lets you compare".into()),
                Input::Type("could we meet tuesday at eleven or wednesday at three".into()),
            ],
            ..perfect.clone()
        };
        Runs { perfect, recall, next: 0 }
    }

    fn take(&mut self, n: usize) -> Vec<Run> {
        (0..n)
            .map(|i| {
                self.next += 1;
                let base = if i % 2 == 0 { &self.perfect } else { &self.recall };
                Run { seed: self.next, ..base.clone() }
            })
            .collect()
    }
}

fn bench(label: &str, location: &str, lib: &Library) {
    let mut r = Records::open(location).expect("open");
    r.add_trainee("Bench", callforge::domain::Role::Generator).expect("trainee");
    r.add_trainee("Other", callforge::domain::Role::Generator).expect("trainee");
    let mut bench_runs = Runs::new(lib, "Bench");
    let mut other_runs = Runs::new(lib, "Other");

    // One run per call, each its own durable transaction.
    let mut single = Vec::new();
    for run in bench_runs.take(500) {
        let t0 = Instant::now();
        r.store_run("Bench", lib, &run).expect("store");
        single.push(t0.elapsed());
    }
    println!(
        "{label}: store one run: median {:.2} ms, p95 {:.2} ms (500 runs)",
        ms(median(single.clone())),
        ms(p95(single))
    );

    // Up to 10,000 runs for "Bench", in batches.
    let t0 = Instant::now();
    let mut stored = 500;
    while stored < 10_000 {
        let runs = bench_runs.take(500);
        let batch: Vec<(TraineeRef, &Run)> = runs.iter().map(|run| ("Bench".into(), run)).collect();
        r.store_runs(&batch, lib).expect("batch");
        stored += 500;
    }
    let bulk = t0.elapsed();
    println!("{label}: bulk store: {:.0} runs/s (9,500 runs in batches of 500)", 9500.0 / bulk.as_secs_f64());

    let mut shows = Vec::new();
    for _ in 0..20 {
        let t0 = Instant::now();
        let report = r.report("Bench", lib).expect("report");
        shows.push(t0.elapsed());
        assert_eq!(report.roles[0].runs, 10_000);
    }
    println!(
        "{label}: trainee show + eligibility, 10,000 runs: median {:.1} ms, p95 {:.1} ms (20 times)",
        ms(median(shows.clone())),
        ms(p95(shows))
    );

    // Up to 100,000 runs in all.
    while stored < 100_000 {
        let runs = other_runs.take(1000);
        let batch: Vec<(TraineeRef, &Run)> = runs.iter().map(|run| ("Other".into(), run)).collect();
        r.store_runs(&batch, lib).expect("batch");
        stored += 1000;
    }
    let t0 = Instant::now();
    let report = r.verify(&mut |_, _| {}).expect("verify");
    let took = t0.elapsed();
    assert_eq!(report.runs, 100_000);
    assert!(report.problems.is_empty());
    println!("{label}: verify 100,000 runs: {:.2} s, {:.0} runs/s", took.as_secs_f64(), 100_000.0 / took.as_secs_f64());
}

/// The HTML (and CSV) report over 100 trainees with 1,000 runs each.
fn report(label: &str, location: &str, lib: &Library) {
    let mut r = Records::open(location).expect("open");
    let names: Vec<String> = (0..100).map(|i| format!("Trainee {i:03}")).collect();
    for n in &names {
        r.add_trainee(n, callforge::domain::Role::Generator).expect("trainee");
    }
    for n in &names {
        let runs = Runs::new(lib, n).take(1000);
        let batch: Vec<(TraineeRef, &Run)> = runs.iter().map(|run| (n.as_str().into(), run)).collect();
        r.store_runs(&batch, lib).expect("batch");
    }
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..5 {
        let t0 = Instant::now();
        let data = callforge::report::team(&mut r, lib, None, None).expect("report");
        let html = callforge::report::html::render(&data, callforge::domain::feedback::Lang::En);
        times.push(t0.elapsed());
        size = html.len();
        assert_eq!(data.trainees.len(), 100);
    }
    println!(
        "{label}: HTML report, 100 trainees × 1,000 runs: median {:.0} ms, p95 {:.0} ms (5 times, {} KB)",
        ms(median(times.clone())),
        ms(p95(times)),
        size / 1024
    );
    let dir = std::env::temp_dir().join(format!("callforge-bench-csv-{}", std::process::id()));
    let t0 = Instant::now();
    let data = callforge::report::team(&mut r, lib, None, None).expect("report");
    callforge::report::csv::write_all(&data, &dir, callforge::domain::feedback::Lang::En).expect("csv");
    println!("{label}: CSV tables, same data: {:.0} ms", ms(t0.elapsed()));
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let lib = Library::load(&[root]);
    let dir = std::env::temp_dir().join(format!("callforge-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("bench.db");
    bench("sqlite", &db.display().to_string(), &lib);
    report("sqlite", &dir.join("report.db").display().to_string(), &lib);
    let _ = std::fs::remove_dir_all(&dir);
    if let Ok(url) = std::env::var("CALLFORGE_BENCH_PG") {
        bench("postgres", &url, &lib);
    }
}
