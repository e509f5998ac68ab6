//! The home screen: the trainee's rung, their first day while it is on, progress toward the next rung, what to do next, the three ways to train and the script to study.

use super::super::progress::ProgressFile;
use super::super::text::{Strings, strings};
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, Profile, RecordsRes, Scenarios, Screen, Session};
use super::digit_pressed;
use super::first_day::{self, FirstDayLog};
use crate::domain::ladder::{Eligibility, RunFact};
use crate::domain::model::Mode;
use crate::domain::time::format_time;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Home), spawn).add_systems(
        Update,
        (super::global_keys, relabel_on_language, keys, buttons)
            .chain()
            .in_set(AppSystems::Update)
            .run_if(in_state(Screen::Home)),
    );
}

#[derive(Component, Debug, Clone, Copy)]
struct ModeButton(Mode);

/// Opens the script screen.
#[derive(Component, Debug, Clone, Copy)]
struct ScriptButton;

/// What the records say of the trainee on the home screen: their runs (none without records), and
/// the language they train in (the one set in the records, else that of their latest run; without
/// records, the window's).
pub(crate) struct TraineeFacts {
    pub runs: Vec<RunFact>,
    pub language: String,
}

pub(crate) fn trainee_facts(records: &RecordsRes, scenarios: &Scenarios, session: &Session) -> Option<TraineeFacts> {
    let t = session.trainee.as_ref()?;
    let runs = t.id.and_then(|id| records.with(|r| r.run_facts(id).unwrap_or_default())).unwrap_or_default();
    let set = t.id.and_then(|id| records.with(|r| r.trainee(crate::records::TraineeRef::Id(id)).ok())).flatten();
    let language = set.map_or_else(
        || crate::domain::ladder::trainee_language(session.lang.code(), &runs, &scenarios.lib),
        |t| crate::domain::ladder::trainee_language(&t.language, &runs, &scenarios.lib),
    );
    Some(TraineeFacts { runs, language })
}

/// The trainee's current standing, as the records and the ladder say.
pub(crate) fn standing(records: &RecordsRes, scenarios: &Scenarios, session: &Session) -> Option<Eligibility> {
    standing_of(&trainee_facts(records, scenarios, session)?, records, scenarios, session)
}

/// The standing from facts already gathered: the exams in the trainee's language.
fn standing_of(
    facts: &TraineeFacts,
    records: &RecordsRes,
    scenarios: &Scenarios,
    session: &Session,
) -> Option<Eligibility> {
    let t = session.trainee.as_ref()?;
    let ladder = scenarios.lib.ladder.as_ref()?;
    let now = records.with(|r| r.now()).unwrap_or(0);
    Some(crate::domain::ladder::eligibility(ladder, &scenarios.lib, t.role, &facts.language, &facts.runs, now))
}

fn spawn(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    session: Res<Session>,
    records: Res<RecordsRes>,
    scenarios: Res<Scenarios>,
    log: Res<FirstDayLog>,
    progress_file: Option<Res<ProgressFile>>,
) {
    let s = strings(session.lang);
    let Some(trainee) = session.trainee.clone() else { return };
    let Some(facts) = trainee_facts(&records, &scenarios, &session) else { return };
    let standing = standing_of(&facts, &records, &scenarios, &session);
    let assigned = super::assigned::Assigned::load(&records, &scenarios.lib, trainee.id, trainee.role, &facts.language);
    let day = first_day::first_day(&trainee, &facts.runs, facts.language, &log, progress_file.as_deref());
    // While the first day is on, its panel sits above a short progress panel, so both fit beside
    // what to do next.
    let first_day_on = !day.progress.complete();
    // Beside the first day, room for two assignments; otherwise three.
    let assigned_rows = if first_day_on { 2 } else { 3 };
    let root = commands.spawn((widgets::screen_root("Home screen"), DespawnOnExit(Screen::Home))).id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::heading(&fonts, trainee.name.clone(), 30.0));
        p.spawn(widgets::label(&fonts, format!("{}: {}", s.home_rung, s.role(trainee.role)), 22.0, palette::ACCENT));
        // The first day (while it is on) and progress toward the next rung, and beside them what
        // to do next (drills, the best next call).
        p.spawn(Node { column_gap: px(16), align_items: AlignItems::FlexStart, ..default() }).with_children(|top| {
            top.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(12), ..default() }).with_children(
                |left| {
                    if first_day_on {
                        first_day::panel(left, &fonts, s, &day);
                    }
                    super::assigned::panel(left, &fonts, s, &scenarios.lib, &assigned, assigned_rows);
                    // The more panels above it, the shorter the progress panel.
                    let detail = match (first_day_on, !assigned.items.is_empty()) {
                        (true, true) => Detail::Line,
                        (false, false) => Detail::Full,
                        _ => Detail::Bars,
                    };
                    left.spawn(widgets::panel("Progress", px(760))).with_children(|panel| {
                        progress(panel, &fonts, s, &trainee, standing.as_ref(), &scenarios, &records, detail);
                    });
                },
            );
            top.spawn(super::next_up::panel(&fonts, s));
        });
        p.spawn(Node { column_gap: px(16), ..default() }).with_children(|row| {
            for (i, (mode, hint)) in [
                (Mode::Practice, s.mode_practice_hint),
                (Mode::Exam, s.mode_exam_hint),
                (Mode::Recall, s.mode_recall_hint),
            ]
            .into_iter()
            .enumerate()
            {
                row.spawn(widgets::button(&fonts, format!("{}  {}\n{hint}", i + 1, s.mode(mode)), ModeButton(mode)));
            }
            row.spawn(widgets::button(&fonts, format!("S  {}\n{}", s.home_script, s.home_script_hint), ScriptButton));
        });
        p.spawn(widgets::label(&fonts, s.home_keys, 15.0, palette::TEXT_DIM));
        p.spawn(super::super::sound::sound_line(&fonts, &session));
    });
    commands.insert_resource(day);
    commands.insert_resource(assigned);
}

/// How much of the progress toward the next rung the home screen has room for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Practice runs and exams with their bars, each exam and what is still to do.
    Full,
    /// The counts with their bars (beside the first day, or assignments).
    Bars,
    /// The counts on one line (beside both).
    Line,
}

/// Progress toward the next rung, in as much `detail` as there is room for.
fn progress(
    panel: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    s: &Strings,
    trainee: &Profile,
    standing: Option<&Eligibility>,
    scenarios: &Scenarios,
    records: &RecordsRes,
    detail: Detail,
) {
    match standing {
        Some(e) if e.next.is_some() && detail == Detail::Line => {
            let next = e.next.unwrap_or(trainee.role);
            let passed = e.exams.iter().filter(|x| x.passed).count();
            panel.spawn(widgets::label(
                fonts,
                format!(
                    "{}: {} · {}: {} / {} · {}: {} / {}",
                    s.home_next,
                    s.role(next),
                    s.home_practice_runs,
                    e.practice_runs,
                    e.practice_needed,
                    s.home_exams,
                    passed,
                    e.exams.len()
                ),
                15.0,
                palette::TEXT,
            ));
        }
        Some(e) if e.next.is_some() => {
            let next = e.next.unwrap_or(trainee.role);
            panel.spawn(widgets::heading(fonts, format!("{}: {}", s.home_next, s.role(next)), 20.0));
            let need = e.practice_needed.max(1);
            panel.spawn(widgets::label(
                fonts,
                format!("{}: {} / {}", s.home_practice_runs, e.practice_runs, e.practice_needed),
                17.0,
                palette::TEXT,
            ));
            panel.spawn(widgets::bar(e.practice_runs as f32 / need as f32, 700.0, palette::ACCENT));
            let passed = e.exams.iter().filter(|x| x.passed).count();
            panel.spawn(widgets::label(
                fonts,
                format!("{}: {} / {}", s.home_exams, passed, e.exams.len()),
                17.0,
                palette::TEXT,
            ));
            panel.spawn(widgets::bar(passed as f32 / e.exams.len().max(1) as f32, 700.0, palette::GOOD));
            if detail != Detail::Full {
                return;
            }
            for x in &e.exams {
                let mark = if x.passed { "✓" } else { "·" };
                let best = x.best.map(|b| format!(" — {} {b}", s.picker_best)).unwrap_or_default();
                let lock =
                    x.locked_until.map(|u| format!(" — {} {}", s.picker_locked, format_time(u))).unwrap_or_default();
                panel.spawn(widgets::label(
                    fonts,
                    format!("  {mark} {} ({}, ≥ {}){best}{lock}", x.scenario, s.mode(x.mode), x.min_score),
                    15.0,
                    if x.passed { palette::GOOD } else { palette::TEXT_DIM },
                ));
            }
            if e.eligible {
                panel.spawn(widgets::label(fonts, s.home_eligible, 17.0, palette::GOOD));
            } else {
                panel.spawn(widgets::label(fonts, format!("{}:", s.home_not_eligible), 16.0, palette::TEXT_DIM));
                if e.practice_runs < e.practice_needed {
                    let more = e.practice_needed - e.practice_runs;
                    panel.spawn(widgets::label(
                        fonts,
                        format!("  – {} {more}", s.home_more_practice),
                        15.0,
                        palette::TEXT_DIM,
                    ));
                }
                for x in e.exams.iter().filter(|x| !x.passed) {
                    let title =
                        scenarios.lib.scenario(&x.scenario).map_or(x.scenario.clone(), |p| p.scenario.title.clone());
                    panel.spawn(widgets::label(
                        fonts,
                        format!("  – {} «{title}»", s.home_pass_exam),
                        15.0,
                        palette::TEXT_DIM,
                    ));
                }
            }
        }
        Some(_) => {
            panel.spawn(widgets::label(fonts, s.home_top, 18.0, palette::GOOD));
        }
        None => {
            panel.spawn(widgets::label(fonts, records.error.clone().unwrap_or_default(), 15.0, palette::WARN));
        }
    }
}

fn relabel_on_language(
    session: Res<Session>,
    mut last: Local<Option<crate::domain::feedback::Lang>>,
    mut next: ResMut<NextState<Screen>>,
) {
    if last.is_some_and(|l| l != session.lang) {
        next.set(Screen::Home);
    }
    *last = Some(session.lang);
}

fn choose(mode: Mode, session: &mut Session, next: &mut NextState<Screen>) {
    session.mode = mode;
    next.set(Screen::Picker);
}

fn keys(keys: Res<ButtonInput<KeyCode>>, mut session: ResMut<Session>, mut next: ResMut<NextState<Screen>>) {
    match digit_pressed(&keys) {
        Some(0) => choose(Mode::Practice, &mut session, &mut next),
        Some(1) => choose(Mode::Exam, &mut session, &mut next),
        Some(2) => choose(Mode::Recall, &mut session, &mut next),
        _ if keys.just_pressed(KeyCode::KeyS) => next.set(Screen::Script),
        _ if keys.just_pressed(KeyCode::KeyM) => next.set(Screen::MyProgress),
        _ if keys.just_pressed(KeyCode::Escape) => next.set(Screen::Start),
        _ => {}
    }
}

fn buttons(
    q: Query<(&Interaction, &ModeButton), Changed<Interaction>>,
    script: Query<&Interaction, (Changed<Interaction>, With<ScriptButton>)>,
    mut session: ResMut<Session>,
    mut next: ResMut<NextState<Screen>>,
) {
    for (interaction, button) in &q {
        if *interaction == Interaction::Pressed {
            choose(button.0, &mut session, &mut next);
        }
    }
    if script.iter().any(|i| *i == Interaction::Pressed) {
        next.set(Screen::Script);
    }
}
