//! The records server's password: when a department's PostgreSQL server asks for one that neither PGPASSWORD nor a password file gave, the window asks for it before the profiles, and opens the records with it off the frame.

use super::super::input::{TextField, password_field, take_password};
use super::super::text::strings;
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, RecordsRes, Screen, Session};
use super::enter_pressed;
use super::work::{Pending, finished, spawn_detached};
use crate::records::Records;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Start), ask_first)
        .add_systems(OnEnter(Screen::DbPassword), spawn)
        .add_systems(Update, (keys, finish).chain().in_set(AppSystems::Update).run_if(in_state(Screen::DbPassword)));
}

/// Opening the records with the password: the records, or why not.
type Opening = Result<Records, String>;

/// The line that says what is happening, or why the password was refused.
#[derive(Component, Debug)]
struct Status;

/// Before the profiles: the password, when the server asked for one.
fn ask_first(records: Res<RecordsRes>, mut next: ResMut<NextState<Screen>>) {
    if records.records.is_none() && records.password_for.is_some() {
        next.set(Screen::DbPassword);
    }
}

fn spawn(mut commands: Commands, fonts: Res<UiFonts>, session: Res<Session>, records: Res<RecordsRes>) {
    let s = strings(session.lang);
    let root = commands.spawn((widgets::screen_root("Records password"), DespawnOnExit(Screen::DbPassword))).id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::heading(&fonts, s.db_password_title, 28.0));
        p.spawn(widgets::label(&fonts, records.error.clone().unwrap_or_default(), 15.0, palette::TEXT_DIM));
        p.spawn(widgets::label(&fonts, s.db_password_hint, 16.0, palette::TEXT));
        p.spawn(password_field(&fonts, s.manager_password, 420.0, true));
        p.spawn((Status, widgets::label(&fonts, "", 16.0, palette::WARN)));
        p.spawn(widgets::label(&fonts, s.db_password_keys, 15.0, palette::TEXT_DIM));
    });
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut fields: Query<&mut TextField>,
    mut status: Query<&mut Text, With<Status>>,
    busy: Query<(), With<Pending<Opening>>>,
    mut records: ResMut<RecordsRes>,
    session: Res<Session>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if !busy.is_empty() {
        return;
    }
    let s = strings(session.lang);
    if keys.just_pressed(KeyCode::Escape) {
        // Train without saving; the start screen says the records are not open.
        records.password_for = None;
        next.set(Screen::Start);
        return;
    }
    if !enter_pressed(&keys) {
        return;
    }
    let Some(location) = records.password_for.clone() else { return };
    let password = take_password(&mut fields);
    for mut t in &mut status {
        s.db_password_connecting.clone_into(&mut t.0);
    }
    spawn_detached(&mut commands, DespawnOnExit(Screen::DbPassword), move || -> Opening {
        Records::open_with_password(&location, &password, true).map_err(|e| e.to_string())
    });
}

fn finish(
    mut pending: Query<(Entity, &mut Pending<Opening>)>,
    mut status: Query<&mut Text, With<Status>>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(outcome) = finished(&mut commands, &mut pending) else { return };
    match outcome {
        Some(Ok(r)) => {
            commands.insert_resource(RecordsRes::opened(r));
            next.set(Screen::Start);
        }
        Some(Err(e)) => {
            for mut t in &mut status {
                t.0 = e.clone();
            }
        }
        None => {}
    }
}
