//! The scenario picker: the customers of the trainee's role, or the next role's exam, with best scores.

use super::super::text::strings;
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, CallRequest, RecordsRes, Scenarios, Screen, Seeds, Session};
use super::{digit_pressed, enter_pressed, move_selection};
use crate::domain::model::{Mode, Role};
use crate::domain::time::format_time;
use bevy::prelude::*;
use std::collections::BTreeMap;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PickerState>().add_systems(OnEnter(Screen::Picker), (build_rows, spawn).chain()).add_systems(
        Update,
        (super::global_keys, rebuild_on_change, keys, buttons, highlight)
            .chain()
            .in_set(AppSystems::Update)
            .run_if(in_state(Screen::Picker)),
    );
}

/// One line of the picker.
#[derive(Debug, Clone)]
struct PickRow {
    id: String,
    title: String,
    customer: String,
    difficulty: String,
    language: String,
    best: Option<u32>,
    /// The first error of a broken scenario; broken rows cannot be picked.
    broken: Option<String>,
    locked_until: Option<i64>,
}

#[derive(Resource, Debug, Default)]
struct PickerState {
    rows: Vec<PickRow>,
    selected: usize,
    role: Option<Role>,
    /// In Exam mode, the mode the ladder sets for the next rung's exam (Exam or Recall).
    exam_mode: Option<Mode>,
}

#[derive(Component, Debug)]
struct PickButton(usize);

fn build_rows(
    mut state: ResMut<PickerState>,
    session: Res<Session>,
    scenarios: Res<Scenarios>,
    records: Res<RecordsRes>,
) {
    let s = strings(session.lang);
    let Some(trainee) = session.trainee.clone() else { return };
    let lib = &scenarios.lib;
    let standing = super::home::standing(&records, &scenarios, &session);
    let (role, exam_ids, exam_mode): (Option<Role>, Option<Vec<String>>, Option<Mode>) = match session.mode {
        Mode::Exam => {
            // The next rung's exams in the trainee's language (their partners stand in for the
            // ladder's own; a pass in either language counts).
            let next = standing.as_ref().and_then(|e| e.next);
            let exam = lib
                .ladder
                .as_ref()
                .and_then(|l| l.rungs.iter().find(|r| Some(r.role) == next))
                .and_then(|r| r.exam.as_ref());
            let ids = standing.as_ref().map(|st| st.exams.iter().map(|x| x.scenario.clone()).collect());
            (next, exam.and(ids), exam.map(|e| e.mode))
        }
        _ => (Some(trainee.role), None, None),
    };
    let best: BTreeMap<String, u32> =
        trainee.id.and_then(|id| records.with(|r| r.best_scores(id).unwrap_or_default())).unwrap_or_default();
    state.rows = lib
        .scenarios
        .iter()
        .filter(|e| e.role == role && role.is_some())
        .filter(|e| exam_ids.as_ref().is_none_or(|ids| e.id.as_ref().is_some_and(|id| ids.contains(id))))
        .map(|e| {
            let id = e.id.clone().unwrap_or_else(|| e.path.clone());
            let p = e.playable.as_ref();
            PickRow {
                title: match (&e.title, e.stale) {
                    (Some(t), true) => format!("{t} ({})", s.picker_stale),
                    (Some(t), false) => t.clone(),
                    (None, _) => e.path.clone(),
                },
                customer: p
                    .map(|p| {
                        format!(
                            "{}, {}, {}",
                            p.scenario.persona.name, p.scenario.persona.position, p.scenario.persona.company
                        )
                    })
                    .unwrap_or_default(),
                difficulty: p.map(|p| s.difficulty(p.scenario.difficulty).to_owned()).unwrap_or_default(),
                language: e.language.clone().unwrap_or_default(),
                best: best.get(&id).copied(),
                broken: e.playable.is_none().then(|| e.first_error.as_ref().map(|d| d.to_string())).flatten(),
                locked_until: standing
                    .as_ref()
                    .filter(|_| session.mode == Mode::Exam)
                    .and_then(|st| st.exams.iter().find(|x| x.covers(&id)))
                    .and_then(|x| x.locked_until),
                id,
            }
        })
        .collect();
    state.role = role;
    state.exam_mode = exam_mode;
    state.selected = state.rows.iter().position(|r| r.broken.is_none()).unwrap_or(0);
}

fn spawn(mut commands: Commands, fonts: Res<UiFonts>, session: Res<Session>, state: Res<PickerState>) {
    let s = strings(session.lang);
    let title = if session.mode == Mode::Exam { s.picker_exam_title } else { s.picker_title };
    let root = commands.spawn((widgets::screen_root("Picker screen"), DespawnOnExit(Screen::Picker))).id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::heading(&fonts, format!("{title} — {}", s.mode(session.mode)), 28.0));
        if let Some(role) = state.role {
            p.spawn(widgets::label(&fonts, s.role(role), 18.0, palette::ACCENT));
        }
        if state.rows.is_empty() {
            p.spawn(widgets::label(&fonts, s.picker_empty, 18.0, palette::TEXT_DIM));
        }
        p.spawn(widgets::scroll_list(8.0)).with_children(|list| {
            for (i, row) in state.rows.iter().enumerate() {
                let (line2, color) = match (&row.broken, row.locked_until) {
                    (Some(err), _) => (format!("{}: {err}", s.picker_broken), palette::BAD),
                    (None, Some(until)) => (format!("{} {}", s.picker_locked, format_time(until)), palette::WARN),
                    (None, None) => (
                        format!(
                            "{} · {} · {} · {}",
                            row.customer,
                            row.difficulty,
                            row.language,
                            row.best.map_or(s.picker_no_runs.to_owned(), |b| format!("{} {b}", s.picker_best))
                        ),
                        palette::TEXT_DIM,
                    ),
                };
                list.spawn((
                    Name::new("Scenario row"),
                    Button,
                    PickButton(i),
                    Node {
                        flex_direction: FlexDirection::Column,
                        padding: UiRect::axes(px(14), px(8)),
                        border_radius: BorderRadius::all(px(8)),
                        flex_shrink: 0.0,
                        ..default()
                    },
                    BackgroundColor(palette::BUTTON),
                ))
                .with_children(|b| {
                    let number = if i < 9 { format!("{}  ", i + 1) } else { "   ".to_owned() };
                    b.spawn(widgets::label(&fonts, format!("{number}{}", row.title), 19.0, palette::TEXT));
                    b.spawn(widgets::label(&fonts, format!("    {line2}"), 14.0, color));
                });
            }
        });
        p.spawn(widgets::label(&fonts, s.picker_keys, 15.0, palette::TEXT_DIM));
    });
}

/// Rebuilds the list when the library is reloaded or the language changes.
fn rebuild_on_change(
    scenarios: Res<Scenarios>,
    session: Res<Session>,
    mut last: Local<Option<(u64, crate::domain::feedback::Lang)>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let now = (scenarios.generation, session.lang);
    if last.is_some_and(|l| l != now) {
        next.set(Screen::Picker);
    }
    *last = Some(now);
}

fn pick(
    i: usize,
    state: &PickerState,
    session: &Session,
    seeds: &mut Seeds,
    commands: &mut Commands,
    next: &mut NextState<Screen>,
) {
    let Some(row) = state.rows.get(i) else { return };
    if row.broken.is_some() || row.locked_until.is_some() {
        return;
    }
    if session.mode == Mode::Exam {
        // An exam starts only with a proctor's ticket, which also draws its seed.
        commands.insert_resource(super::proctor::ExamChoice {
            scenario: row.id.clone(),
            title: row.title.clone(),
            mode: state.exam_mode.unwrap_or(Mode::Exam),
        });
        next.set(Screen::Proctor);
        return;
    }
    commands.insert_resource(CallRequest {
        scenario: row.id.clone(),
        mode: session.mode,
        seed: seeds.draw(),
        ticket: None,
    });
    next.set(Screen::Call);
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut state: ResMut<PickerState>,
    session: Res<Session>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if keys.just_pressed(KeyCode::Escape) {
        next.set(Screen::Home);
        return;
    }
    let mut selected = state.selected;
    if move_selection(&keys, &mut selected, state.rows.len()) {
        state.selected = selected;
    }
    if let Some(d) = digit_pressed(&keys) {
        pick(d, &state, &session, &mut seeds, &mut commands, &mut next);
    } else if enter_pressed(&keys) {
        pick(state.selected, &state, &session, &mut seeds, &mut commands, &mut next);
    }
}

fn buttons(
    q: Query<(&Interaction, &PickButton), Changed<Interaction>>,
    state: Res<PickerState>,
    session: Res<Session>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    for (interaction, b) in &q {
        if *interaction == Interaction::Pressed {
            pick(b.0, &state, &session, &mut seeds, &mut commands, &mut next);
        }
    }
}

fn highlight(state: Res<PickerState>, mut rows: Query<(&PickButton, &mut BackgroundColor, &Interaction)>) {
    for (b, mut bg, interaction) in &mut rows {
        let want = if b.0 == state.selected {
            palette::SELECTED
        } else if *interaction == Interaction::Hovered {
            palette::BUTTON_HOVER
        } else {
            palette::BUTTON
        };
        if bg.0 != want {
            bg.0 = want;
        }
    }
}
