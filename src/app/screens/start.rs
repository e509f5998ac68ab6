//! The start screen: choose or create a trainee profile, and the interface language.

use super::super::input::{TextField, text_field};
use super::super::text::strings;
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, Profile, RecordsRes, Screen, Session};
use super::{enter_pressed, move_selection};
use crate::domain::feedback::Lang;
use crate::records::{Trainee, TraineeRef};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<StartState>().add_systems(OnEnter(Screen::Start), (load_profiles, spawn).chain()).add_systems(
        Update,
        (super::global_keys, relabel_on_language, keys, buttons, highlight)
            .chain()
            .in_set(AppSystems::Update)
            .run_if(in_state(Screen::Start)),
    );
}

/// The profiles on offer and which one is selected (the last row is "new profile").
#[derive(Resource, Debug, Default)]
struct StartState {
    profiles: Vec<Trainee>,
    selected: usize,
    message: Option<String>,
}

#[derive(Component, Debug, Clone, Copy)]
enum StartButton {
    Profile(usize),
    Language(Lang),
    Manager,
}

#[derive(Component, Debug)]
struct Row(usize);

#[derive(Component, Debug)]
struct Message;

fn load_profiles(mut state: ResMut<StartState>, records: Res<RecordsRes>, session: Res<Session>) {
    state.profiles = records.with(|r| r.trainees().unwrap_or_default()).unwrap_or_default();
    state.selected = session
        .trainee
        .as_ref()
        .and_then(|t| state.profiles.iter().position(|p| Some(p.id) == t.id))
        .unwrap_or(state.profiles.len());
    state.message = records.error.clone();
}

fn spawn(mut commands: Commands, fonts: Res<UiFonts>, state: Res<StartState>, session: Res<Session>) {
    let s = strings(session.lang);
    let root = commands.spawn((widgets::screen_root("Start screen"), DespawnOnExit(Screen::Start))).id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::heading(&fonts, s.app_title, 30.0));
        p.spawn(widgets::label(&fonts, s.start_title, 22.0, palette::TEXT_DIM));
        p.spawn(Node { column_gap: px(40), ..default() }).with_children(|cols| {
            cols.spawn(widgets::panel("Profiles", px(560))).with_children(|list| {
                list.spawn(widgets::heading(&fonts, s.start_pick, 20.0));
                for (i, t) in state.profiles.iter().enumerate() {
                    list.spawn((
                        Row(i),
                        widgets::button(&fonts, format!("{}  ·  {}", t.name, s.role(t.role)), StartButton::Profile(i)),
                    ));
                }
                list.spawn(widgets::label(&fonts, s.start_new, 16.0, palette::TEXT_DIM));
                list.spawn((Row(state.profiles.len()), text_field(&fonts, s.start_new_hint, 520.0)));
                list.spawn((
                    Row(state.profiles.len() + 1),
                    widgets::button(&fonts, s.start_manager, StartButton::Manager),
                ));
            });
            cols.spawn(widgets::panel("Language", Val::Auto)).with_children(|lang| {
                lang.spawn(widgets::heading(&fonts, s.start_language, 20.0));
                lang.spawn(widgets::button(&fonts, "Русский", StartButton::Language(Lang::Ru)));
                lang.spawn(widgets::button(&fonts, "English", StartButton::Language(Lang::En)));
                lang.spawn(widgets::label(
                    &fonts,
                    format!("{}: {}%", s.volume, (session.volume * 100.0).round()),
                    16.0,
                    palette::TEXT_DIM,
                ));
            });
        });
        p.spawn((Message, widgets::label(&fonts, state.message.clone().unwrap_or_default(), 16.0, palette::WARN)));
        p.spawn(widgets::label(&fonts, s.start_keys, 15.0, palette::TEXT_DIM));
    });
}

/// Re-spawns the screen when the language or volume changes.
fn relabel_on_language(
    session: Res<Session>,
    mut last: Local<Option<(Lang, u32)>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let now = (session.lang, (session.volume * 100.0).round() as u32);
    if last.is_some_and(|l| l != now) {
        next.set(Screen::Start);
    }
    *last = Some(now);
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut state: ResMut<StartState>,
    mut fields: Query<&mut TextField>,
    mut session: ResMut<Session>,
    records: Res<RecordsRes>,
    mut next: ResMut<NextState<Screen>>,
) {
    // Profiles, then the new-profile field, then the manager's entry.
    let len = state.profiles.len() + 2;
    let mut selected = state.selected;
    if move_selection(&keys, &mut selected, len) {
        state.selected = selected;
    }
    let on_field = state.selected == state.profiles.len();
    for mut f in &mut fields {
        if f.focused != on_field {
            f.focused = on_field;
        }
    }
    if !enter_pressed(&keys) {
        return;
    }
    if let Some(t) = state.profiles.get(state.selected) {
        session.trainee = Some(t.clone().into());
        next.set(Screen::Home);
        return;
    }
    if state.selected == state.profiles.len() + 1 {
        next.set(Screen::ManagerLogin);
        return;
    }
    let name = fields.iter().next().map(|f| f.value.trim().to_owned()).unwrap_or_default();
    if name.is_empty() {
        state.message = Some(strings(session.lang).start_empty_name.to_owned());
        return;
    }
    match records.with(|r| r.trainee_or_new_in(TraineeRef::parse(&name), session.lang.code())) {
        Some(Ok(t)) => {
            session.trainee = Some(t.into());
            next.set(Screen::Home);
        }
        Some(Err(e)) => state.message = Some(e.to_string()),
        None => {
            // No records: train without saving.
            session.trainee = Some(Profile { name, role: crate::domain::Role::Generator, id: None });
            next.set(Screen::Home);
        }
    }
}

fn buttons(
    q: Query<(&Interaction, &StartButton), Changed<Interaction>>,
    mut state: ResMut<StartState>,
    mut session: ResMut<Session>,
    mut next: ResMut<NextState<Screen>>,
) {
    for (interaction, button) in &q {
        if *interaction != Interaction::Pressed {
            continue;
        }
        match *button {
            StartButton::Profile(i) => {
                if let Some(t) = state.profiles.get(i).cloned() {
                    state.selected = i;
                    session.trainee = Some(t.into());
                    next.set(Screen::Home);
                }
            }
            StartButton::Language(l) => session.lang = l,
            StartButton::Manager => next.set(Screen::ManagerLogin),
        }
    }
}

fn highlight(
    state: Res<StartState>,
    mut rows: Query<(&Row, &mut BackgroundColor), With<Button>>,
    mut msg: Query<&mut Text, With<Message>>,
) {
    if !state.is_changed() {
        return;
    }
    for (row, mut bg) in &mut rows {
        bg.0 = if row.0 == state.selected { palette::SELECTED } else { palette::BUTTON };
    }
    if let Some(m) = &state.message {
        for mut t in &mut msg {
            t.0 = m.clone();
        }
    }
}
