//! The home screen's "From your manager" panel: the trainee's assignments (open and overdue first, with their due dates and states), and A, which starts the first one not done.

use super::super::text::Strings;
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, CallRequest, RecordsRes, Scenarios, Screen, Seeds, Session};
use super::drill::DrillRequest;
use crate::domain::Library;
use crate::domain::assign::{self, State, Task};
use crate::domain::feedback::Lang;
use crate::domain::model::Role;
use crate::domain::schedule::StageKey;
use crate::domain::time::format_minute;
use crate::records::{TraineeAssignment, TraineeRef};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, (keys, buttons).chain().in_set(AppSystems::Update).run_if(in_state(Screen::Home)));
}

/// The trainee's assignments as the home screen last showed them, and the language they play in.
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub items: Vec<TraineeAssignment>,
    pub language: String,
    pub role: Role,
}

impl Assigned {
    /// The trainee's assignments from the records (none when the records are closed or the profile
    /// is not in them).
    pub fn load(records: &RecordsRes, lib: &Library, trainee: Option<i64>, role: Role, language: &str) -> Assigned {
        let items = trainee
            .and_then(|id| records.with(|r| r.trainee_assignments(TraineeRef::Id(id), lib).ok()))
            .flatten()
            .unwrap_or_default();
        Assigned { items, language: language.to_owned(), role }
    }

    /// The first assignment not done yet (overdue or open, the soonest due first) that can be
    /// started: a call whose scenario is no longer in the library is skipped.
    pub fn first_open(&self, lib: &Library) -> Option<&TraineeAssignment> {
        self.items.iter().find(|a| {
            a.progress.state != State::Done
                && match &a.assignment.task {
                    Task::Call { scenario, .. } => assign::scenario_in(lib, scenario, &self.language).is_some(),
                    Task::Drills { .. } => true,
                }
        })
    }
}

/// The "A" button that starts the first open assignment.
#[derive(Component, Debug, Clone, Copy)]
struct StartButton;

/// One assignment's line on the panel (its id), for tests.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssignedRow {
    pub id: i64,
    pub state: State,
}

/// A task as the trainee reads it: the scenario's title, or the stage's, in their language.
pub fn task_text(lib: &Library, lang: Lang, language: &str, role: Role, task: &Task) -> String {
    match task {
        Task::Call { scenario, .. } => {
            let title = assign::scenario_in(lib, scenario, language).map(|p| p.scenario.title.clone());
            task.describe_in(lang, title.as_deref())
        }
        Task::Drills { stage: Some(stage), count } => {
            let title = crate::domain::drill::stage_title(lib, &StageKey { role, stage: stage.clone() }, language);
            Task::Drills { stage: Some(title), count: *count }.describe_in(lang, None)
        }
        Task::Drills { stage: None, .. } => task.describe_in(lang, None),
    }
}

/// An assignment in words, as the trainee and the manager read it (the task in the trainee's
/// language, the minimum, the due date, the state and how far along), and its state's colour.
pub fn line(lib: &Library, s: &Strings, language: &str, role: Role, item: &TraineeAssignment) -> (String, Color) {
    let (a, p) = (&item.assignment, &item.progress);
    let color = match p.state {
        State::Done => palette::GOOD,
        State::Overdue => palette::BAD,
        State::Open => palette::TEXT,
    };
    let tally =
        if p.needed > 1 && p.state != State::Done { format!(" {}/{}", p.counted, p.needed) } else { String::new() };
    let min = a.min_score.map(|m| format!(", ≥ {m}")).unwrap_or_default();
    let text = format!(
        "{}{min} — {} {} · {}{tally}",
        task_text(lib, s.lang, language, role, &a.task),
        s.home_due,
        format_minute(a.due),
        p.state.name_in(s.lang, p.late)
    );
    (text, color)
}

/// The panel, when the trainee has assignments: at most `rows` of them (open and overdue first),
/// then how many more, and the key that starts the first open one.
pub(super) fn panel(
    p: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    s: &Strings,
    lib: &Library,
    assigned: &Assigned,
    rows: usize,
) {
    if assigned.items.is_empty() {
        return;
    }
    p.spawn(widgets::panel("Assignments", px(760))).with_children(|panel| {
        // The heading and, beside it, the key that starts the first one not done.
        panel
            .spawn(Node { justify_content: JustifyContent::SpaceBetween, align_items: AlignItems::Center, ..default() })
            .with_children(|top| {
                top.spawn(widgets::heading(fonts, s.home_assigned, 20.0));
                if assigned.first_open(lib).is_some() {
                    top.spawn(widgets::button(fonts, format!("A  {}", s.home_assigned_start), StartButton));
                }
            });
        for item in assigned.items.iter().take(rows) {
            let (a, pr) = (&item.assignment, &item.progress);
            let (line, color) = line(lib, s, &assigned.language, assigned.role, item);
            let mark = if pr.state == State::Done { "✓" } else { "·" };
            let line = format!("{mark} {line}");
            panel.spawn((AssignedRow { id: a.id, state: pr.state }, widgets::label(fonts, line, 15.0, color)));
            if !a.note.is_empty() && pr.state != State::Done {
                panel.spawn(widgets::label(fonts, format!("   «{}» — {}", a.note, a.manager), 13.0, palette::TEXT_DIM));
            }
        }
        let more = assigned.items.len().saturating_sub(rows);
        if more > 0 {
            panel.spawn(widgets::label(
                fonts,
                s.home_assigned_more.replace("{n}", &more.to_string()),
                13.0,
                palette::TEXT_DIM,
            ));
        }
    });
}

/// Starts an assignment: its call (the scenario in the trainee's language, in its mode) or its
/// drill (its stage, or the stages due).
fn start(
    item: &TraineeAssignment,
    assigned: &Assigned,
    lib: &Library,
    session: &mut Session,
    seeds: &mut Seeds,
    commands: &mut Commands,
    next: &mut NextState<Screen>,
) {
    match &item.assignment.task {
        Task::Call { scenario, mode } => {
            let Some(p) = assign::scenario_in(lib, scenario, &assigned.language) else { return };
            session.mode = *mode;
            commands.insert_resource(CallRequest {
                scenario: p.id().to_owned(),
                mode: *mode,
                seed: seeds.draw(),
                ticket: None,
            });
            next.set(Screen::Call);
        }
        Task::Drills { stage, count } => {
            if let Some(stage) = stage {
                commands.insert_resource(DrillRequest { stages: vec![stage.clone(); (*count as usize).clamp(1, 10)] });
            }
            next.set(Screen::Drill);
        }
    }
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    assigned: Option<Res<Assigned>>,
    scenarios: Res<Scenarios>,
    mut session: ResMut<Session>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if !keys.just_pressed(KeyCode::KeyA) {
        return;
    }
    let Some(assigned) = assigned else { return };
    if let Some(item) = assigned.first_open(&scenarios.lib) {
        start(item, &assigned, &scenarios.lib, &mut session, &mut seeds, &mut commands, &mut next);
    }
}

fn buttons(
    pressed: Query<&Interaction, (Changed<Interaction>, With<StartButton>)>,
    assigned: Option<Res<Assigned>>,
    scenarios: Res<Scenarios>,
    mut session: ResMut<Session>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if !pressed.iter().any(|i| *i == Interaction::Pressed) {
        return;
    }
    let Some(assigned) = assigned else { return };
    if let Some(item) = assigned.first_open(&scenarios.lib) {
        start(item, &assigned, &scenarios.lib, &mut session, &mut seeds, &mut commands, &mut next);
    }
}
