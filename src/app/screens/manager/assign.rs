//! Setting an assignment from the open trainee's page: what (a scenario of their rung and language, or drill answers), the mode or number, the due date and minimum score, signed with the manager's password off the frame.

use super::{
    ManagerSession, ManagerView, OpenTrainee, Pending, Team, ViewData, finished, set_status, spawn_work, status_line,
};
use crate::app::input::{TextField, password_field, take_password};
use crate::app::screens::{enter_pressed, move_selection};
use crate::app::text::{Strings, strings};
use crate::app::theme::{palette, widgets};
use crate::app::{AppSystems, RecordsRes, Scenarios, Session};
use crate::domain::Library;
use crate::domain::assign::Task;
use crate::domain::model::{Mode, Role};
use crate::domain::schedule::StageKey;
use crate::domain::time::format_minute;
use crate::records::{AssignTo, NewAssignment, TraineeRef};
use crate::report::TeamReport;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(ManagerView::Assign), (prepare, spawn).chain()).add_systems(
        Update,
        (keys, show, finish).chain().in_set(AppSystems::Update).run_if(in_state(ManagerView::Assign)),
    );
}

/// What setting it did: the assignment's id or why not, and the team gathered afterwards.
type Setting = (Result<i64, String>, Option<TeamReport>);

/// Modes a call may be assigned in, in the order Tab goes through them.
const MODES: [Mode; 3] = [Mode::Practice, Mode::Recall, Mode::Exam];
/// Numbers of drill answers Tab goes through.
const COUNTS: [u32; 4] = [3, 5, 10, 1];
/// Minimum scores ←→ go through (`None`: any).
const MINIMA: [Option<u32>; 7] = [None, Some(50), Some(60), Some(70), Some(80), Some(90), Some(100)];

/// One thing that can be assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    /// A call of this scenario, or drills on this stage (`None`: any stage).
    pub call: Option<String>,
    pub stage: Option<String>,
}

/// The form as the manager fills it in.
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct AssignForm {
    pub choices: Vec<Choice>,
    pub selected: usize,
    pub mode: usize,
    pub count: usize,
    /// Days from today the due date is (the end of that day, UTC).
    pub days: i64,
    pub min: usize,
    /// "Now", to show the due date.
    pub now: i64,
}

impl AssignForm {
    /// The task the form describes.
    pub fn task(&self) -> Option<Task> {
        let c = self.choices.get(self.selected)?;
        Some(match &c.call {
            Some(scenario) => Task::Call { scenario: scenario.clone(), mode: MODES[self.mode] },
            None => Task::Drills { stage: c.stage.clone(), count: COUNTS[self.count] },
        })
    }

    fn due(&self) -> i64 {
        crate::domain::time::parse_due(&format!("+{}", self.days), self.now).unwrap_or(self.now)
    }
}

/// The choices for a trainee of `role` in `language`: every scenario of theirs (by title), drills
/// on any stage, then drills on each stage.
pub fn choices(lib: &Library, role: Role, language: &str, s: &Strings) -> Vec<Choice> {
    let mut calls: Vec<Choice> = lib
        .playable()
        .filter(|p| p.scenario.role == role && p.scenario.language == language)
        .map(|p| Choice { label: p.scenario.title.clone(), call: Some(p.id().to_owned()), stage: None })
        .collect();
    calls.sort_by(|a, b| a.label.cmp(&b.label));
    calls.push(Choice { label: s.manager_assign_any_stage.to_owned(), call: None, stage: None });
    for key in crate::domain::drill::stages(lib, role, language) {
        let title = crate::domain::drill::stage_title(lib, &StageKey { role, stage: key.stage.clone() }, language);
        calls.push(Choice { label: format!("{} {title}", s.manager_assign_stage), call: None, stage: Some(key.stage) });
    }
    calls
}

/// The list of choices.
#[derive(Component, Debug)]
struct ChoiceList;

/// A choice's row: its place.
#[derive(Component, Debug, Clone, Copy)]
struct ChoiceRow(usize);

/// The line with the mode or number, due date and minimum.
#[derive(Component, Debug)]
struct Settings;

/// The line that says the password is being checked, or why it was refused.
#[derive(Component, Debug)]
struct Checking;

fn prepare(
    mut commands: Commands,
    team: Option<Res<Team>>,
    open: Option<Res<OpenTrainee>>,
    scenarios: Res<Scenarios>,
    records: Res<RecordsRes>,
    session: Res<Session>,
) {
    let Some(t) = team.as_ref().zip(open.as_ref()).and_then(|(team, o)| team.0.trainees.get(o.index)) else { return };
    let s = strings(session.lang);
    commands.insert_resource(AssignForm {
        choices: choices(&scenarios.lib, t.trainee.role, &t.language, s),
        selected: 0,
        mode: 0,
        count: 0,
        days: 7,
        min: 0,
        now: records.with(|r| r.now()).unwrap_or(0),
    });
}

fn spawn(mut commands: Commands, view: ViewData, form: Option<Res<AssignForm>>) {
    let (s, fonts) = (view.strings(), &view.fonts);
    let mut root = view.root(&mut commands, "Manager assignment", ManagerView::Assign);
    let (Some(t), Some(form)) = (view.trainee(), form) else { return };
    root.with_children(|p| {
        p.spawn(widgets::heading(fonts, format!("{} {}", s.manager_assign_title, t.trainee.name), 24.0));
        p.spawn(widgets::label(fonts, s.manager_assign_what, 16.0, palette::TEXT_DIM));
        // Scrolled by the selection (Page Up / Page Down move the due date here, so it is no
        // `Scrollable`).
        let list = Node {
            flex_direction: FlexDirection::Column,
            row_gap: px(2),
            height: px(300),
            overflow: Overflow::scroll_y(),
            ..default()
        };
        p.spawn((ChoiceList, list)).with_children(|list| {
            for (i, c) in form.choices.iter().enumerate() {
                list.spawn((
                    ChoiceRow(i),
                    Node { padding: UiRect::axes(px(8), px(3)), flex_shrink: 0.0, ..default() },
                    BackgroundColor(if i == form.selected { palette::SELECTED } else { palette::PANEL }),
                    children![widgets::label(fonts, c.label.clone(), 15.0, palette::TEXT)],
                ));
            }
        });
        p.spawn((Settings, widgets::label(fonts, settings_text(s, &form), 16.0, palette::TEXT)));
        p.spawn(widgets::label(fonts, s.manager_password, 16.0, palette::TEXT_DIM));
        p.spawn(password_field(fonts, s.manager_password, 420.0, true));
        p.spawn((Checking, status_line(fonts, "", palette::TEXT_DIM)));
        p.spawn(widgets::label(fonts, s.manager_assign_keys, 14.0, palette::TEXT_DIM));
    });
}

/// "Mode: Recall · Due: in 7 days, 2027-01-22 23:59 · Minimum score: 80".
fn settings_text(s: &Strings, form: &AssignForm) -> String {
    let what = match form.task() {
        Some(Task::Call { mode, .. }) => format!("{}: {}", s.manager_assign_mode, s.mode(mode)),
        Some(Task::Drills { count, .. }) => format!("{}: {count}", s.manager_assign_count),
        None => String::new(),
    };
    let due = s.manager_assign_due.replace("{n}", &form.days.to_string());
    let min = MINIMA[form.min].map_or_else(|| s.manager_assign_none.to_owned(), |m| m.to_string());
    format!("{what} · {due} {} UTC · {}: {min}", format_minute(form.due()), s.manager_assign_min)
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    form: Option<ResMut<AssignForm>>,
    mut fields: Query<&mut TextField>,
    mut checking: Query<(&mut Text, &mut Node), With<Checking>>,
    busy: Query<(), With<Pending<Setting>>>,
    team: Option<Res<Team>>,
    open: Option<Res<OpenTrainee>>,
    manager: Option<Res<ManagerSession>>,
    records: Res<RecordsRes>,
    scenarios: Res<Scenarios>,
    session: Res<Session>,
    mut commands: Commands,
    mut view: ResMut<NextState<ManagerView>>,
) {
    if !busy.is_empty() {
        return;
    }
    let index = open.as_ref().map_or(0, |o| o.index);
    if keys.just_pressed(KeyCode::Escape) {
        commands.insert_resource(OpenTrainee::page(index, None));
        view.set(ManagerView::Trainee);
        return;
    }
    let Some(mut form) = form else { return };
    let len = form.choices.len();
    let mut selected = form.selected;
    if move_selection(&keys, &mut selected, len) {
        form.selected = selected;
    }
    if keys.just_pressed(KeyCode::Tab) {
        if form.choices.get(form.selected).is_some_and(|c| c.call.is_some()) {
            form.mode = (form.mode + 1) % MODES.len();
        } else {
            form.count = (form.count + 1) % COUNTS.len();
        }
    }
    if keys.just_pressed(KeyCode::PageUp) {
        form.days = (form.days + 1).min(90);
    }
    if keys.just_pressed(KeyCode::PageDown) {
        form.days = (form.days - 1).max(0);
    }
    if keys.just_pressed(KeyCode::ArrowRight) {
        form.min = (form.min + 1).min(MINIMA.len() - 1);
    }
    if keys.just_pressed(KeyCode::ArrowLeft) {
        form.min = form.min.saturating_sub(1);
    }
    if !enter_pressed(&keys) {
        return;
    }
    let password = take_password(&mut fields);
    let (Some(t), Some(m), Some(task)) =
        (team.as_ref().and_then(|team| team.0.trainees.get(index)), manager.as_ref(), form.task())
    else {
        return;
    };
    for (mut text, mut node) in &mut checking {
        set_status(&mut text, &mut node, strings(session.lang).manager_checking);
    }
    let new = NewAssignment {
        to: AssignTo::Trainee(TraineeRef::Id(t.trainee.id)),
        task,
        due: form.due(),
        min_score: MINIMA[form.min],
        note: String::new(),
    };
    let (username, lib) = (m.username.clone(), scenarios.lib.clone());
    spawn_work(&mut commands, &records, DespawnOnExit(ManagerView::Assign), move |r| -> Setting {
        let outcome = r.add_assignment(new, &username, &password, &lib).map(|a| a.id).map_err(|e| e.to_string());
        (outcome, crate::report::team(r, &lib, None, None).ok())
    });
}

/// Repaints the chosen row (scrolling it into view) and the settings line after a key.
fn show(
    form: Option<Res<AssignForm>>,
    mut rows: Query<(&ChoiceRow, &mut BackgroundColor)>,
    mut list: Query<&mut ScrollPosition, With<ChoiceList>>,
    mut settings: Query<&mut Text, With<Settings>>,
    session: Res<Session>,
) {
    let Some(form) = form.filter(|f| f.is_changed()) else { return };
    for (row, mut bg) in &mut rows {
        bg.0 = if row.0 == form.selected { palette::SELECTED } else { palette::PANEL };
    }
    for mut scroll in &mut list {
        // About 25 px a row; keep the chosen one among the visible twelve.
        let top = (form.selected as f32 - 10.0).max(0.0) * 25.0;
        scroll.y = top;
    }
    for mut text in &mut settings {
        text.0 = settings_text(strings(session.lang), &form);
    }
}

fn finish(
    mut pending: Query<(Entity, &mut Pending<Setting>)>,
    mut checking: Query<(&mut Text, &mut Node), With<Checking>>,
    open: Option<Res<OpenTrainee>>,
    records: Res<RecordsRes>,
    session: Res<Session>,
    mut commands: Commands,
    mut view: ResMut<NextState<ManagerView>>,
) {
    let Some(outcome) = finished(&mut commands, &mut pending) else { return };
    let s = strings(session.lang);
    let index = open.map_or(0, |o| o.index);
    match outcome {
        Some((Ok(id), report)) => {
            if let Some(report) = report {
                commands.insert_resource(Team(report));
            }
            commands.insert_resource(OpenTrainee::page(index, Some(format!("{} (#{id})", s.manager_assigned))));
            view.set(ManagerView::Trainee);
        }
        // A refusal (a wrong password, a due date passed) stays on the form, so it can be fixed.
        Some((Err(e), _)) => {
            for (mut text, mut node) in &mut checking {
                set_status(&mut text, &mut node, &e);
            }
        }
        None => {
            let e = records.error.clone().unwrap_or_default();
            for (mut text, mut node) in &mut checking {
                set_status(&mut text, &mut node, &e);
            }
        }
    }
}
