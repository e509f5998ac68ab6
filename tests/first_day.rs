//! The first day of a new hire in the window, headless: a new profile walks the four steps by keyboard, each ticked in turn, and the ticks outlive leaving home, closed records and a restart.

use crate::app::{headless_with, play_by_the_script, press, screen, settle, type_text, until_awaiting};
use crate::support::bundled;
use bevy::prelude::*;
use callforge::app::progress::read_progress_file;
use callforge::app::screens::drill::{DrillSession, Phase};
use callforge::app::screens::first_day::{FirstDay, StepRow};
use callforge::app::{CallRequest, LastResult, RecordsRes, Screen, Session};
use callforge::domain::first_day::{self, Step};
use callforge::domain::model::{Mode, Role};
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("callforge-first-day-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// The first-day panel's rows on screen, in step order (none when the panel is not shown).
fn rows(app: &mut App) -> Vec<StepRow> {
    let mut rows: Vec<StepRow> = app.world_mut().query::<&StepRow>().iter(app.world()).copied().collect();
    rows.sort_by_key(|r| r.step);
    rows
}

/// Every text on screen, one per line.
fn texts(app: &mut App) -> String {
    let mut out: Vec<String> = app.world_mut().query::<&Text>().iter(app.world()).map(|t| t.0.clone()).collect();
    out.sort();
    out.join("\n")
}

/// The panel shows exactly `done` ticked, the first step not done highlighted, and each step's
/// key on the steps still to take.
fn assert_ticked(app: &mut App, done: &[Step]) {
    assert_eq!(screen(app), Screen::Home);
    let rows = rows(app);
    assert_eq!(rows.iter().map(|r| r.step).collect::<Vec<_>>(), Step::ALL.to_vec(), "a row per step");
    let next = Step::ALL.into_iter().find(|s| !done.contains(s));
    for r in &rows {
        assert_eq!(r.done, done.contains(&r.step), "{:?} ticked: {rows:?}", r.step);
        assert_eq!(r.next, Some(r.step) == next, "{:?} highlighted: {rows:?}", r.step);
    }
    let t = texts(app);
    assert_eq!(t.matches('✓').count(), done.len(), "a tick per step done: {t}");
    assert!(t.contains(&format!("Сделано: {} из 4", done.len())), "{t}");
    let day = app.world().resource::<FirstDay>();
    assert_eq!(day.progress.count(), done.len());
    assert_eq!(day.progress.next(), next);
}

/// Esc to the start screen, and Enter on the profile (still selected) back home.
fn leave_and_come_home(app: &mut App) {
    press(app, KeyCode::Escape);
    app.update();
    assert_eq!(screen(app), Screen::Start);
    press(app, KeyCode::Enter);
    settle(app);
    assert_eq!(screen(app), Screen::Home);
}

/// Answers the drill screen's exercises with their script lines until it goes home.
fn drill_to_the_end(app: &mut App) -> usize {
    let mut answered = 0;
    for _ in 0..40 {
        if screen(app) != Screen::Drill {
            return answered;
        }
        let (phase, line) = {
            let drill = app.world().resource::<DrillSession>();
            let line = drill.awaiting().and_then(|d| d.expected_stage().map(|s| d.text(&s.line).into_owned()));
            (drill.phase, line)
        };
        match (phase, line) {
            (Phase::Answering, Some(line)) => {
                type_text(app, &line);
                press(app, KeyCode::Enter);
                answered += 1;
            }
            (Phase::Loading, _) => settle(app),
            _ => press(app, KeyCode::Enter),
        }
        app.update();
    }
    panic!("the drill never ended");
}

/// A new Russian profile walks the first day by keyboard: the panel with nothing ticked, then S
/// (the script), P (a guided Practice call, script panel open), R (one stage typed from memory)
/// and D (a drill), each ticked in turn and still ticked after leaving home and coming back; with
/// all four done the panel gives way. A restart on the same records and progress file finds the
/// first day done.
#[test]
fn a_new_profile_walks_the_first_day_by_keyboard() {
    let db = tmp("walk.db").display().to_string();
    let progress = tmp("walk-progress.ron");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_file(&progress);
    let lib = bundled();
    let mut app = headless_with(RecordsRes::open(&db), Some(progress.clone()), 7);
    press(&mut app, KeyCode::F2);
    app.update();
    type_text(&mut app, "Новенькая Вера");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    let trainee = app.world().resource::<Session>().trainee.clone().expect("a trainee");
    assert_eq!(trainee.role, Role::Generator);
    assert!(trainee.id.is_some(), "in the records");
    assert_eq!(app.world().resource::<FirstDay>().language, "ru");
    let t = texts(&mut app);
    assert!(t.contains("Ваш первый день") && t.contains("1. Прочитать регламент"), "{t}");
    assert_ticked(&mut app, &[]);
    // Nothing is kept before the script is opened.
    assert!(read_progress_file(&progress).expect("no file yet reads as empty").is_empty());

    // 1. The script.
    press(&mut app, KeyCode::KeyS);
    app.update();
    assert_eq!(screen(&app), Screen::Script);
    press(&mut app, KeyCode::Escape);
    settle(&mut app);
    assert_ticked(&mut app, &[Step::ReadScript]);
    let kept = read_progress_file(&progress).expect("the progress file reads");
    assert!(kept.get("Новенькая Вера").is_some_and(|k| k.script_read), "{kept:?}");
    leave_and_come_home(&mut app);
    assert_ticked(&mut app, &[Step::ReadScript]);

    // 2. The guided call: the easiest Russian customer, in Practice, with the script panel.
    press(&mut app, KeyCode::KeyP);
    app.update();
    assert_eq!(screen(&app), Screen::Call);
    let request = app.world().resource::<CallRequest>().clone();
    assert_eq!(request.mode, Mode::Practice);
    assert_eq!(Some(request.scenario.clone()), first_day::guided_call(&lib, Role::Generator, "ru"));
    assert_eq!(request.scenario, "generator/friendly-noncommittal-ru");
    let panels = app.world_mut().query::<&Name>().iter(app.world()).filter(|n| n.as_str() == "Script panel").count();
    assert_eq!(panels, 1, "the script panel is open");
    play_by_the_script(&mut app);
    let result = app.world().resource::<LastResult>();
    result.stored.clone().expect("the call is stored");
    assert_eq!(result.run.mode, Mode::Practice);
    press(&mut app, KeyCode::Escape);
    settle(&mut app);
    assert_ticked(&mut app, &[Step::ReadScript, Step::GuidedCall]);
    leave_and_come_home(&mut app);
    assert_ticked(&mut app, &[Step::ReadScript, Step::GuidedCall]);

    // 3. One stage from memory: the script's first stage, one exercise, scored by the Recall rules.
    press(&mut app, KeyCode::KeyR);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Drill);
    let first = first_day::first_stage(&lib, Role::Generator, "ru").expect("a first stage");
    {
        let drill = app.world().resource::<DrillSession>();
        assert_eq!(drill.requested, Some(vec![first.clone()]));
        assert_eq!(drill.exercises.len(), 1, "one exercise, not a whole session");
        assert_eq!(drill.exercises[0].stage, first);
    }
    assert!(texts(&mut app).contains("Один этап по памяти"));
    assert_eq!(drill_to_the_end(&mut app), 1);
    settle(&mut app);
    assert_ticked(&mut app, &[Step::ReadScript, Step::GuidedCall, Step::StageRecall]);
    // A second Recall of the stage would pass for the drill: R no longer starts one.
    press(&mut app, KeyCode::KeyR);
    app.update();
    assert_eq!(screen(&app), Screen::Home);
    leave_and_come_home(&mut app);
    assert_ticked(&mut app, &[Step::ReadScript, Step::GuidedCall, Step::StageRecall]);

    // 4. The first drill: a session as the drill screen runs it.
    press(&mut app, KeyCode::KeyD);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Drill);
    assert_eq!(app.world().resource::<DrillSession>().requested, None, "the drill screen's own session");
    assert!(drill_to_the_end(&mut app) >= 1);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    assert!(app.world().resource::<FirstDay>().progress.complete());
    assert!(rows(&mut app).is_empty(), "the panel gives way to the usual home");
    assert!(!texts(&mut app).contains("Ваш первый день"));
    leave_and_come_home(&mut app);
    assert!(rows(&mut app).is_empty());
    // P and R are the first day's keys only.
    press(&mut app, KeyCode::KeyP);
    app.update();
    assert_eq!(screen(&app), Screen::Home);

    // A restart: the same records and progress file.
    drop(app);
    let mut app = headless_with(RecordsRes::open(&db), Some(progress.clone()), 7);
    press(&mut app, KeyCode::F2);
    app.update();
    type_text(&mut app, "Новенькая Вера");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    assert!(app.world().resource::<FirstDay>().progress.complete());
    assert!(rows(&mut app).is_empty());

    // Without the progress file the script was never read: the records still show the rest.
    drop(app);
    let mut app = headless_with(RecordsRes::open(&db), None, 7);
    press(&mut app, KeyCode::F2);
    app.update();
    type_text(&mut app, "Новенькая Вера");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_ticked(&mut app, &[Step::GuidedCall, Step::StageRecall, Step::FirstDrill]);
}

/// Without records nothing is stored, and the window keeps the first day for the session: each
/// step is still ticked when the trainee comes back home.
#[test]
fn without_records_the_first_day_lasts_the_session() {
    let records = RecordsRes::closed("the records are closed");
    let mut app = headless_with(records, None, 7);
    press(&mut app, KeyCode::F2);
    app.update();
    type_text(&mut app, "Гость");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    assert_eq!(app.world().resource::<Session>().trainee.as_ref().and_then(|t| t.id), None);
    assert_ticked(&mut app, &[]);

    press(&mut app, KeyCode::KeyR);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Drill);
    assert_eq!(drill_to_the_end(&mut app), 1);
    settle(&mut app);
    assert_ticked(&mut app, &[Step::StageRecall]);

    press(&mut app, KeyCode::KeyS);
    app.update();
    press(&mut app, KeyCode::Escape);
    settle(&mut app);
    assert_ticked(&mut app, &[Step::ReadScript, Step::StageRecall]);

    // A hung-up call is not the guided call; one taken to its end is.
    press(&mut app, KeyCode::KeyP);
    app.update();
    assert!(until_awaiting(&mut app));
    press(&mut app, KeyCode::Escape);
    for _ in 0..30 {
        app.update();
    }
    assert_eq!(screen(&app), Screen::Results);
    press(&mut app, KeyCode::Escape);
    settle(&mut app);
    assert_ticked(&mut app, &[Step::ReadScript, Step::StageRecall]);
    press(&mut app, KeyCode::KeyP);
    app.update();
    play_by_the_script(&mut app);
    press(&mut app, KeyCode::Escape);
    settle(&mut app);
    assert_ticked(&mut app, &[Step::ReadScript, Step::GuidedCall, Step::StageRecall]);

    // Another profile's first day is its own.
    press(&mut app, KeyCode::Escape);
    app.update();
    type_text(&mut app, "Другой гость");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_ticked(&mut app, &[]);
}
