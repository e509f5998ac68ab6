//! The home screen's first-day panel: a new hire's four first steps (the script, a guided Practice call, a Recall of one stage, the first drill), ticked as they are done and the next one highlighted with its key; and what the window notes of them this session.
//!
//! Which steps are done is `domain::first_day`'s to say, from the trainee's stored runs, what the
//! window saw this session (the records may be closed, or refuse a run) and, for the script, which
//! no run shows, the profile's progress file.

use super::super::progress::{self, Kept, ProgressFile};
use super::super::text::Strings;
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, CallRequest, LastResult, Profile, Scenarios, Screen, Seeds, Session};
use super::drill::{DrillRequest, DrillSession};
use crate::domain::first_day::{self, Facts, Progress, Step};
use crate::domain::ladder::RunFact;
use crate::domain::model::{Input, Mode};
use bevy::prelude::*;
use std::collections::BTreeMap;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<FirstDayLog>()
        .add_systems(OnEnter(Screen::Script), note_script_read)
        .add_systems(OnEnter(Screen::Results), note_call)
        .add_systems(Update, note_drill.in_set(AppSystems::Update).run_if(in_state(Screen::Drill)))
        .add_systems(Update, (keys, buttons).chain().in_set(AppSystems::Update).run_if(in_state(Screen::Home)));
}

/// The key that starts each step, in `Step::ALL` order (S and D are the home screen's keys for
/// the script and drills anyway).
pub const KEYS: [&str; 4] = ["S", "P", "R", "D"];

/// What the window saw of each profile's first day this session, by profile name: the script
/// opened, Practice calls finished, drill answers given. It stands in for the records when they
/// are closed or refuse a run.
#[derive(Resource, Debug, Default)]
pub struct FirstDayLog(BTreeMap<String, Facts>);

impl FirstDayLog {
    /// What was seen of a profile this session.
    pub fn seen(&self, name: &str) -> Facts {
        self.0.get(name).copied().unwrap_or_default()
    }

    fn entry(&mut self, name: &str) -> &mut Facts {
        self.0.entry(name.to_owned()).or_default()
    }
}

/// The trainee's first day as the home screen last showed it, and the language its steps are in.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct FirstDay {
    pub progress: Progress,
    /// The trainee's language: the guided call and the Recall are in it.
    pub language: String,
}

/// A step's row on the panel.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRow {
    pub step: Step,
    /// Ticked.
    pub done: bool,
    /// The step to take next, highlighted.
    pub next: bool,
}

/// Clicking a step not done starts it.
#[derive(Component, Debug, Clone, Copy)]
struct StepButton(Step);

/// The first day of a profile: its stored runs (`runs`, none without records), what this session
/// saw, and the progress file, taken together.
pub(super) fn first_day(
    profile: &Profile,
    runs: &[RunFact],
    language: String,
    log: &FirstDayLog,
    file: Option<&ProgressFile>,
) -> FirstDay {
    let kept = file.map(|f| progress::kept(&f.0, &profile.name)).unwrap_or_default();
    let facts = Facts::from_runs(runs)
        .merge(log.seen(&profile.name))
        .merge(Facts { script_read: kept.script_read, ..Facts::default() });
    FirstDay { progress: Progress::of(&facts), language }
}

/// The panel: a heading with how many steps are done, and a row per step.
pub(super) fn panel(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, day: &FirstDay) {
    p.spawn(widgets::panel("First day", px(760)))
        .insert(Node {
            width: px(760),
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(14)),
            row_gap: px(6),
            border_radius: BorderRadius::all(px(10)),
            ..default()
        })
        .with_children(|panel| {
            panel
                .spawn(Node {
                    justify_content: JustifyContent::SpaceBetween,
                    align_items: AlignItems::Center,
                    ..default()
                })
                .with_children(|top| {
                    top.spawn(widgets::heading(fonts, s.first_day_title, 20.0));
                    let count = s.first_day_count.replace("{n}", &day.progress.count().to_string());
                    top.spawn(widgets::label(fonts, count, 15.0, palette::TEXT_DIM));
                });
            let next = day.progress.next();
            for step in Step::ALL {
                step_row(panel, fonts, s, step, day.progress.done(step), next == Some(step));
            }
        });
}

fn step_row(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, step: Step, done: bool, next: bool) {
    let i = step as usize;
    let title = format!("{}. {}", step.number(), s.first_day_steps[i]);
    let row = StepRow { step, done, next };
    let layout = |border: f32| Node {
        padding: UiRect::axes(px(10), px(4)),
        border: UiRect::all(px(border)),
        border_radius: BorderRadius::all(px(6)),
        column_gap: px(10),
        align_items: AlignItems::Center,
        ..default()
    };
    if done {
        p.spawn((Name::new("First-day step"), row, layout(1.0), BorderColor::all(Color::NONE))).with_children(|r| {
            r.spawn(widgets::heading(fonts, "✓", 16.0)).insert(TextColor(palette::GOOD));
            r.spawn(widgets::label(fonts, title, 16.0, palette::GOOD));
        });
        return;
    }
    let (border, color) = if next { (2.0, palette::ACCENT) } else { (1.0, palette::BORDER) };
    p.spawn((
        Name::new("First-day step"),
        row,
        StepButton(step),
        Button,
        layout(border),
        BorderColor::all(color),
        BackgroundColor(palette::BUTTON),
    ))
    .with_children(|r| {
        r.spawn(widgets::heading(fonts, KEYS[i], 16.0)).insert(TextColor(if next {
            palette::ACCENT
        } else {
            palette::TEXT_DIM
        }));
        if next {
            r.spawn(widgets::heading(fonts, title, 16.0));
        } else {
            r.spawn(widgets::label(fonts, title, 16.0, palette::TEXT));
        }
        r.spawn(widgets::label(fonts, format!("— {}", s.first_day_hints[i]), 14.0, palette::TEXT_DIM));
    });
}

/// Starts a step: the script; the guided call (the easiest customer of the trainee's role and
/// language, in Practice, so the script panel is open; the picker when there is none); a drill of
/// the script's first stage alone; a drill.
fn start(
    step: Step,
    day: &FirstDay,
    session: &mut Session,
    scenarios: &Scenarios,
    seeds: &mut Seeds,
    commands: &mut Commands,
    next: &mut NextState<Screen>,
) {
    let Some(role) = session.trainee.as_ref().map(|t| t.role) else { return };
    match step {
        Step::ReadScript => next.set(Screen::Script),
        Step::GuidedCall => {
            session.mode = Mode::Practice;
            match first_day::guided_call(&scenarios.lib, role, &day.language) {
                Some(scenario) => {
                    commands.insert_resource(CallRequest {
                        scenario,
                        mode: Mode::Practice,
                        seed: seeds.draw(),
                        ticket: None,
                    });
                    next.set(Screen::Call);
                }
                None => next.set(Screen::Picker),
            }
        }
        Step::StageRecall => {
            // Once done, a second Recall of the stage would pass for the first drill.
            if day.progress.done(Step::StageRecall) {
                return;
            }
            if let Some(stage) = first_day::first_stage(&scenarios.lib, role, &day.language) {
                commands.insert_resource(DrillRequest { stages: vec![stage] });
                next.set(Screen::Drill);
            }
        }
        Step::FirstDrill => next.set(Screen::Drill),
    }
}

/// P and R start the guided call and the Recall of a stage while the first day is on (S and D are
/// the home screen's own keys).
fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    day: Option<Res<FirstDay>>,
    mut session: ResMut<Session>,
    scenarios: Res<Scenarios>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(day) = day.filter(|d| !d.progress.complete()) else { return };
    let step = if keys.just_pressed(KeyCode::KeyP) {
        Step::GuidedCall
    } else if keys.just_pressed(KeyCode::KeyR) {
        Step::StageRecall
    } else {
        return;
    };
    start(step, &day, &mut session, &scenarios, &mut seeds, &mut commands, &mut next);
}

fn buttons(
    q: Query<(&Interaction, &StepButton), Changed<Interaction>>,
    day: Option<Res<FirstDay>>,
    mut session: ResMut<Session>,
    scenarios: Res<Scenarios>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(day) = day else { return };
    for (interaction, button) in &q {
        if *interaction == Interaction::Pressed {
            start(button.0, &day, &mut session, &scenarios, &mut seeds, &mut commands, &mut next);
        }
    }
}

/// Opening the script is the first step: noted for the session, and kept in the progress file.
fn note_script_read(session: Res<Session>, mut log: ResMut<FirstDayLog>, file: Option<Res<ProgressFile>>) {
    let Some(name) = session.trainee.as_ref().map(|t| t.name.clone()) else { return };
    log.entry(&name).script_read = true;
    let Some(file) = file else { return };
    if progress::kept(&file.0, &name).script_read {
        return;
    }
    if let Err(e) = progress::write_progress(&file.0, &name, Kept { script_read: true }) {
        warn!("that the script was read is not kept: {e}");
    }
}

/// A Practice call that reached its end (the trainee did not hang up) is the guided call.
fn note_call(session: Res<Session>, result: Option<Res<LastResult>>, mut log: ResMut<FirstDayLog>) {
    let (Some(t), Some(result)) = (session.trainee.as_ref(), result) else { return };
    let run = &result.run;
    if run.mode == Mode::Practice && result.ticket.is_none() && !run.inputs.contains(&Input::HangUp) {
        log.entry(&t.name).practice_calls += 1;
    }
}

/// Every drill answer given counts toward the Recall of a stage and the first drill.
fn note_drill(
    drill: Option<Res<DrillSession>>,
    session: Res<Session>,
    mut log: ResMut<FirstDayLog>,
    mut seen: Local<usize>,
) {
    let (Some(drill), Some(t)) = (drill, session.trainee.as_ref()) else { return };
    if drill.is_added() {
        *seen = 0;
    }
    let answers = drill.answers.len();
    if answers > *seen {
        log.entry(&t.name).drill_answers += (answers - *seen) as u32;
    }
    *seen = answers;
}
