//! Drill planning speed: a trainee's due list (FSRS over every stage of every run), their assignments and their own progress, with 10,000 runs.
//!
//! `cargo bench --no-default-features --bench drills` (SQLite in a temporary folder). The trainee's
//! 10,000 runs (perfect calls and Recall calls, alternately) are spread over 200 days, 50 a day.
//! Measured: the whole plan (the records query, FSRS over one review per stage and day, the due
//! list and the best next call), and the query and FSRS parts alone; then what else the home screen
//! and the progress screen read: five assignments set before all the runs (so every run is
//! checked against each), and the stage strengths with their trends.

use callforge::clock::Clock;
use callforge::domain::assign::Task;
use callforge::domain::model::{Input, Mode, Role, Run};
use callforge::domain::schedule::DAY;
use callforge::domain::{Library, scorer};
use callforge::domain::{drill, progress};
use callforge::records::{AssignTo, NewAssignment, Records, TraineeRef};
use std::path::PathBuf;
use std::time::Instant;

mod common;
use common::{median, ms, p95};

/// Perfect calls and Recall calls of the contract scenario, each with its own seed.
fn runs(lib: &Library, n: usize) -> Vec<Run> {
    let p = lib.scenario("generator/busy-office-manager").expect("scenario");
    let perfect = Run {
        scenario: p.id().into(),
        version: Some(p.scenario.version),
        hash: Some(p.hash().to_owned()),
        seed: 0,
        mode: Mode::Practice,
        trainee: "Bench".into(),
        scorer: Some(scorer::LATEST),
        inputs: vec![Input::Choose(0); 4],
        drill: None,
        times_ms: vec![],
        played_at: None,
    };
    let recall = Run {
        mode: Mode::Recall,
        inputs: vec![
            Input::Type("Good afternoon, my name is Bench, calling from Northwind Office Supply.".into()),
            Input::Type("we help offices cut stationery costs with next-day delivery".into()),
            Input::Type("I understand; a free trial lets you compare".into()),
            Input::Type("could we meet tuesday at eleven or wednesday at three".into()),
        ],
        ..perfect.clone()
    };
    (0..n).map(|i| Run { seed: i as u64 + 1, ..if i % 2 == 0 { perfect.clone() } else { recall.clone() } }).collect()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let lib = Library::load(&[root]);
    let dir = std::env::temp_dir().join(format!("callforge-bench-drills-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut r = Records::open(&dir.join("drills.db").display().to_string()).expect("open");
    let t0 = 1_800_000_000 - 1_800_000_000 % DAY + 9 * 3600;
    r.set_clock(Clock::Fixed(t0));
    let id = r.add_trainee("Bench", Role::Generator).expect("trainee");
    r.add_manager("boss", "bench password 1", None, None).expect("manager");
    let stage_ids: Vec<String> = drill::stages(&lib, Role::Generator, "en").into_iter().map(|k| k.stage).collect();
    let tasks = [
        Task::Call { scenario: "generator/busy-office-manager".into(), mode: Mode::Practice },
        Task::Call { scenario: "generator/busy-office-manager".into(), mode: Mode::Recall },
        Task::Call { scenario: "generator/send-email".into(), mode: Mode::Practice },
        Task::Drills { stage: None, count: 20 },
        Task::Drills { stage: stage_ids.first().cloned(), count: 5 },
    ];
    for task in tasks {
        let new = NewAssignment {
            to: AssignTo::Trainee(TraineeRef::Id(id)),
            task,
            due: t0 + 300 * DAY,
            min_score: Some(90),
            note: String::new(),
        };
        r.add_assignment(new, "boss", "bench password 1", &lib).expect("assignment");
    }
    let all = runs(&lib, 10_000);
    for (day, chunk) in all.chunks(50).enumerate() {
        r.set_clock(Clock::Fixed(t0 + day as i64 * DAY));
        let batch: Vec<(TraineeRef, &Run)> = chunk.iter().map(|run| (TraineeRef::Id(id), run)).collect();
        r.store_runs(&batch, &lib).expect("batch");
    }
    let now = t0 + 200 * DAY;
    r.set_clock(Clock::Fixed(now));
    let trainee = r.trainee(TraineeRef::Id(id)).expect("trainee");
    let stages = drill::stages(&lib, Role::Generator, "en");
    let reviews = r.stage_reviews(id).expect("reviews");
    println!("{} runs, {} reviews (stage × day), {} stages of the role", all.len(), reviews.len(), stages.len());

    let (mut plan, mut query, mut compute) = (Vec::new(), Vec::new(), Vec::new());
    let mut due = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let rv = r.stage_reviews(trainee.id).expect("reviews");
        let q = t.elapsed();
        // What `callforge due` and the window's home screen compute.
        let p = drill::plan(&lib, Role::Generator, "en", &rv, now);
        plan.push(t.elapsed());
        query.push(q);
        compute.push(t.elapsed() - q);
        due = p.due.len() + usize::from(p.best_call.is_some());
    }
    println!(
        "due list and best call ({due} items): median {:.2} ms, p95 {:.2} ms",
        ms(median(plan.clone())),
        ms(p95(plan))
    );
    println!("  of which the records query: median {:.2} ms", ms(median(query)));
    println!("  of which FSRS, one review per stage and day: median {:.2} ms", ms(median(compute)));

    let mut assigned = Vec::new();
    let mut states = String::new();
    for _ in 0..20 {
        let t = Instant::now();
        let items = r.trainee_assignments(TraineeRef::Id(id), &lib).expect("assignments");
        assigned.push(t.elapsed());
        states = items.iter().map(|i| i.progress.state.as_str()).collect::<Vec<_>>().join(", ");
    }
    println!(
        "the trainee's 5 assignments over every run ({states}): median {:.2} ms, p95 {:.2} ms",
        ms(median(assigned.clone())),
        ms(p95(assigned))
    );
    let mut strengths = Vec::new();
    let mut met = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let rv = r.stage_reviews(trainee.id).expect("reviews");
        met = progress::strengths(&lib, Role::Generator, "en", &rv, now).len();
        strengths.push(t.elapsed());
    }
    println!(
        "stage strengths with trends ({met} stages, the records query included): median {:.2} ms, p95 {:.2} ms",
        ms(median(strengths.clone())),
        ms(p95(strengths))
    );
    let _ = std::fs::remove_dir_all(&dir);
}
