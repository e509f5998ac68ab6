//! Drills and their spaced-repetition schedule: one typed line per exercise, stored as runs, FSRS intervals over 30 days.

use crate::records::{fresh, open};
use crate::support::bundled;
use callforge::clock::Clock;
use callforge::domain::drill::{self, Exercise};
use callforge::domain::model::{Input, Mode, Role};
use callforge::domain::runtime::{Ending, InputError, RunError};
use callforge::domain::schedule::{self, DAY, StageKey};
use callforge::domain::{Library, Run, finish_call, replay, score};
use callforge::records::{Records, TraineeRef};

/// The line the script expects at an exercise, as the trainee would type it.
fn script_line(lib: &Library, ex: &Exercise, trainee: &str) -> String {
    let d = ex.start(lib, trainee).expect("the exercise starts");
    let line = d.expected_stage().expect("a stage").line.clone();
    d.text(&line).into_owned()
}

/// An answered exercise as a run file callforge writes (stamped by the records' clock).
fn answered(lib: &Library, ex: &Exercise, trainee: &str, typed: &str) -> Run {
    let mut d = ex.start(lib, trainee).expect("the exercise starts");
    d.type_reply(typed).expect("typed");
    finish_call(&d, vec![1000], 0).run
}

fn first_exercise(lib: &Library, stage: Option<&str>, seed: u64) -> Exercise {
    let stages = drill::stages(lib, Role::Generator, "en");
    let stage = stage.map_or_else(|| stages[0].stage.clone(), str::to_owned);
    drill::session(lib, Role::Generator, "en", &[stage], 1, seed).remove(0)
}

#[test]
fn a_drill_is_one_typed_line_scored_by_the_recall_rules_and_replays() {
    let lib = bundled();
    let ex = first_exercise(&lib, None, 7);
    let line = script_line(&lib, &ex, "Olga");
    let mut d = ex.start(&lib, "Olga").expect("starts");
    assert!(d.expects_typing() && d.customer_line().is_some());
    assert!(matches!(d.choose(0), Err(InputError::ChoiceInDrill { .. })), "a drill is typed, never picked");
    d.type_reply(&line).expect("typed");
    assert_eq!(d.ending(), Some(Ending::Drilled), "one line, then the exercise is over");
    let s = score(&d);
    assert_eq!((s.score, s.turns.len(), s.mode), (100, 1, Mode::Drill));
    let run = d.to_run();
    assert_eq!(run.drill.as_deref(), Some(ex.node.as_str()));
    // The run file replays to the same score; a wrong answer scores low and says what was missed.
    let p = lib.scenario(&ex.scenario).expect("scenario");
    assert_eq!(score(&replay(p, &run, false).expect("replays")).score, 100);
    let wrong = answered(&lib, &ex, "Olga", "hello there");
    let ws = score(&replay(p, &wrong, false).expect("replays"));
    assert!(ws.score < 50 && ws.turns[0].diff.is_some(), "{ws:?}");
    // A drill run must name its line, and only a drill may.
    let mut nameless = run.clone();
    nameless.drill = None;
    assert!(matches!(replay(p, &nameless, false), Err(RunError::NotADrill { .. })));
    let mut practice = run.clone();
    practice.mode = Mode::Practice;
    assert!(matches!(replay(p, &practice, false), Err(RunError::DrillOutsideDrillMode(_))));
    let mut picked = run;
    picked.inputs = vec![Input::Choose(0)];
    assert!(replay(p, &picked, false).is_err());
}

#[test]
fn a_session_draws_each_stage_from_different_customers_and_is_reproducible() {
    let lib = bundled();
    let stages: Vec<String> = drill::stages(&lib, Role::Generator, "en").into_iter().map(|k| k.stage).collect();
    assert!(stages.len() >= 3, "{stages:?}");
    let a = drill::session(&lib, Role::Generator, "en", &stages[..1], 3, 11);
    assert_eq!(a, drill::session(&lib, Role::Generator, "en", &stages[..1], 3, 11), "the same seed, the same session");
    assert_ne!(a, drill::session(&lib, Role::Generator, "en", &stages[..1], 3, 12));
    let customers: std::collections::BTreeSet<&str> = a.iter().map(|e| e.scenario.as_str()).collect();
    assert_eq!(customers.len(), 3, "three different customers for one stage: {a:?}");
    assert!(a.iter().all(|e| e.stage == stages[0]));
    for ex in &a {
        let p = lib.scenario(&ex.scenario).expect("scenario");
        assert_eq!((p.scenario.role, p.scenario.language.as_str()), (Role::Generator, "en"));
    }
}

crate::both!(drills_are_stored_verified_and_never_count_as_calls_or_exams, |loc| {
    let lib = bundled();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("trainee");
    for seed in 0..3 {
        let ex = first_exercise(&lib, None, seed);
        let line = script_line(&lib, &ex, "Olga");
        let stored = r.store_run("Olga", &lib, &answered(&lib, &ex, "Olga", &line)).expect("stored");
        assert_eq!(stored.score.score, 100);
    }
    let report = r.verify(&mut |_, _| {}).expect("verify");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let t = r.trainee("Olga").expect("olga");
    let facts = r.run_facts(t.id).expect("facts");
    let e = callforge::domain::ladder::eligibility(
        lib.ladder.as_ref().expect("ladder"),
        &lib,
        Role::Generator,
        "en",
        &facts,
        r.now(),
    );
    assert_eq!(e.practice_runs, 0, "a drill is no practice call");
    assert!(r.best_scores(t.id).expect("best").is_empty(), "drills are not calls' best scores");
    // Three answers of one stage on one day are one review of that day, typed, all perfect.
    let reviews = r.stage_reviews(t.id).expect("reviews");
    assert_eq!(reviews.len(), 1, "{reviews:?}");
    assert!(reviews[0].typed && (reviews[0].quality - 1.0).abs() < 1e-9, "{reviews:?}");
});

/// Thirty days of drills on a fixed clock: each day the trainee drills what is due, answering one
/// stage perfectly every time and another perfectly except on one day. The first stage's interval
/// grows with every review; the second's falls back to a day or two after the miss, then grows again.
#[test]
fn thirty_days_of_drills_grow_a_mastered_stage_and_shrink_a_missed_one() {
    let lib = bundled();
    let loc = fresh("sqlite").expect("sqlite");
    let mut r: Records = open(&loc);
    let t0 = 1_800_000_000 - 1_800_000_000 % DAY + 9 * 3600;
    r.set_clock(Clock::Fixed(t0));
    let id = r.add_trainee("Olga", Role::Generator).expect("trainee");
    let stages = drill::stages(&lib, Role::Generator, "en");
    let (kept, missed) = (stages[0].clone(), stages[1].clone());
    let watched = [kept.clone(), missed.clone()];
    let miss_day = 12;
    let mut intervals: Vec<(StageKey, i64, i64)> = Vec::new(); // (stage, day, interval after)
    for day in 0..30 {
        let now = t0 + day * DAY;
        r.set_clock(Clock::Fixed(now));
        let memories = schedule::memories(&r.stage_reviews(id).expect("reviews"));
        let due: Vec<StageKey> = schedule::due(&memories, &watched, now, 2).into_iter().map(|d| d.key).collect();
        for key in due {
            let ex =
                drill::session(&lib, Role::Generator, "en", std::slice::from_ref(&key.stage), 1, day as u64).remove(0);
            let line = script_line(&lib, &ex, "Olga");
            let typed = if key == missed
                && day >= miss_day
                && !intervals.iter().any(|(k, d, _)| *k == missed && *d >= miss_day)
            {
                "hello".to_owned()
            } else {
                line
            };
            r.store_run(TraineeRef::Id(id), &lib, &answered(&lib, &ex, "Olga", &typed)).expect("stored");
            let after = schedule::memories(&r.stage_reviews(id).expect("reviews"));
            let m = after.iter().find(|m| m.key == key).expect("reviewed");
            assert!(m.due > now, "the next review is in the future");
            intervals.push((key.clone(), day, m.interval_days));
        }
    }
    let of = |k: &StageKey| intervals.iter().filter(|(s, ..)| s == k).map(|(_, d, i)| (*d, *i)).collect::<Vec<_>>();
    let kept_iv = of(&kept);
    assert!(kept_iv.len() >= 3, "reviewed again as it came due: {kept_iv:?}");
    assert!(kept_iv.windows(2).all(|w| w[1].1 > w[0].1), "a mastered stage's interval grows: {kept_iv:?}");
    let missed_iv = of(&missed);
    let at_miss = missed_iv.iter().position(|(d, _)| *d >= miss_day).expect("reviewed after the miss day");
    assert!(at_miss > 0, "reviewed before the miss: {missed_iv:?}");
    assert!(missed_iv[at_miss].1 <= 2, "after a miss it comes back within two days: {missed_iv:?}");
    assert!(missed_iv[at_miss].1 < missed_iv[at_miss - 1].1, "the miss shrinks the interval: {missed_iv:?}");
    assert!(missed_iv.last().expect("reviews").1 > 1, "then it grows again as it is answered well: {missed_iv:?}");
}

crate::both!(the_drill_migration_dates_and_types_the_stage_rows_of_an_older_database, |loc| {
    drop(Records::open_at(loc, 6).expect("schema 6"));
    crate::records::tamper(
        loc,
        "INSERT INTO trainees (name, role, created_at) VALUES ('Olga', 'Generator', 1700000000)",
    );
    // Two runs recorded on two days, a Practice call and a Recall call, each with its stage rows.
    for (id, mode, at) in [(1, "Practice", 1_800_000_000i64), (2, "Recall", 1_800_000_000 + 3 * DAY)] {
        crate::records::tamper(
            loc,
            &format!(
                "INSERT INTO runs (id, trainee_id, scenario, role, version, scenario_hash, mode, run_ron, score, adherence,
                    passed, critical, finished, outcome, label, breakdown, played_at, recorded_at, prev_hash, hash)
                 VALUES ({id}, 1, 'generator/a', 'Generator', 1, 'h', '{mode}', '', 100, 100.0, 1, 0, 1, 'Success', 'ok',
                    '', {at}, {at}, 'p', 'h{id}')"
            ),
        );
        crate::records::tamper(
            loc,
            &format!(
                "INSERT INTO run_stages (run_id, trainee_id, role, stage, title, quality, turns)
                 VALUES ({id}, 1, 'Generator', 'greeting', 'Greeting', 1.0, 1)"
            ),
        );
    }
    let mut r = open(loc);
    assert_eq!(r.schema_version().expect("version"), callforge::records::schema::CURRENT);
    let mut reviews = r.stage_reviews(1).expect("reviews");
    reviews.sort_by_key(|v| v.at);
    let got: Vec<(i64, bool)> = reviews.iter().map(|v| (v.at, v.typed)).collect();
    assert_eq!(got, [(schedule::day_of(1_800_000_000), false), (schedule::day_of(1_800_000_000 + 3 * DAY), true)]);
});

/// The plan `callforge due` prints and the window's home screen shows: a new trainee has the first
/// stages of the script due (a few a day), each with its title, about 40 seconds each, and a best
/// next call; a stage missed today is due again after a day, one passed is not.
#[test]
fn the_plan_lists_new_stages_then_brings_a_missed_one_back() {
    use callforge::domain::schedule::Review;
    let lib = bundled();
    let stages = drill::stages(&lib, Role::Generator, "en");
    let fresh = drill::plan(&lib, Role::Generator, "en", &[], 0);
    let due: Vec<&str> = fresh.due.iter().map(|d| d.due.key.stage.as_str()).collect();
    let first: Vec<&str> = stages.iter().take(drill::NEW_PER_DAY).map(|k| k.stage.as_str()).collect();
    assert_eq!(due, first, "the script's first stages, a few a day");
    let script = &lib.scenario("generator/busy-office-manager").expect("scenario").script;
    let greeting = script.stages.iter().find(|s| s.id == "greeting").expect("greeting");
    assert_eq!(fresh.due[0].title, greeting.title);
    assert_eq!(fresh.minutes, (fresh.due.len() as u32 * drill::SECONDS_PER_EXERCISE).div_ceil(60));
    assert!(fresh.best_call.is_some() && fresh.stages.is_empty());

    let day = 20_000 * DAY;
    let review = |stage: &str, quality: f64| Review {
        at: day + 3600,
        role: Role::Generator,
        stage: stage.to_owned(),
        quality,
        typed: true,
    };
    let (passed, missed) = (first[0], first[1]);
    let reviews = [review(passed, 1.0), review(missed, 0.0)];
    let later = drill::plan(&lib, Role::Generator, "en", &reviews, day + 2 * DAY);
    let due: Vec<&str> = later.due.iter().map(|d| d.due.key.stage.as_str()).collect();
    assert_eq!(due[0], missed, "the missed stage first: {due:?}");
    assert!(!due.contains(&passed), "the passed stage is not due yet: {due:?}");
    assert_eq!(later.stages.len(), 2);
}
